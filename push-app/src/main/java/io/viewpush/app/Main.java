package io.viewpush.app;

import io.viewpush.app.cli.ViewPushCommand;

import java.util.Optional;

/**
 * The runnable jar's entry point: {@code java -jar push-app.jar COMMAND [options]}. Exits with the
 * command's exit code (README, "The standalone app").
 */
public final class Main {
    private Main() {
    }

    /** @param args the command line */
    public static void main(String[] args) {
        // before any jOOQ class loads: no banner, no tips
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        // before the first logger: logback.xml picks its appender from this property
        String format = System.getenv(LogFormat.ENV);
        Optional<LogFormat> logFormat = LogFormat.parse(format);
        if (logFormat.isEmpty()) {
            System.err.println("error: " + LogFormat.ENV + " must be text or json, not '" + format + "'");
            System.exit(2);
            return;
        }
        System.setProperty(LogFormat.PROPERTY, logFormat.get().appender());
        // after the properties above, which jOOQ and the logging read when they start
        Preload.start(args);
        System.exit(ViewPushCommand.execute(args));
    }
}
