package io.viewpush.app;

import io.viewpush.app.cli.ViewPushCommand;

/**
 * The runnable jar's entry point: {@code java -jar push-app.jar COMMAND [options]}. Exits with the
 * command's exit code (CONTRACT.md section 1).
 */
public final class Main {
    private Main() {
    }

    /** @param args the command line */
    public static void main(String[] args) {
        // before any jOOQ class loads: no banner, no tips
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        System.exit(ViewPushCommand.execute(args));
    }
}
