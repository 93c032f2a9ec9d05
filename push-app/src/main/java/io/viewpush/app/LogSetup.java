package io.viewpush.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Map;

/**
 * The app's logging, set up in code rather than from an XML file: one line per event on stderr
 * (stdout carries command output such as preview's JSON), or one JSON object per line when
 * {@value LogFormat#ENV} is {@code json} (logback's {@code JsonEncoder}; a push's lines carry the
 * view in the MDC, {@code "mdc":{"view":...}}). {@code VIEWPUSH_LOG_LEVEL} sets the root level.
 *
 * <p>Why code and not {@code logback.xml}: reading the XML loads logback's configuration framework
 * and the JDK's XML parser, about 800 classes, which was a large share of a short command's start-up
 * (docs/BENCHMARKS.md, start-up). An operator who wants a configuration of their own still gets it:
 * with {@code -Dlogback.configurationFile=FILE} this configurator steps aside and logback reads FILE.
 *
 * <p>Found by logback through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** The environment variable that sets the root level (default INFO). */
    static final String LEVEL_ENV = "VIEWPUSH_LOG_LEVEL";

    /** Libraries whose INFO lines are noise for an operator. */
    private static final Map<String, Level> QUIET = Map.of(
            "org.jooq", Level.WARN,
            "org.jooq.Constants", Level.OFF,
            "com.zaxxer.hikari", Level.WARN,
            "org.flywaydb", Level.WARN,
            "org.apache.hc", Level.WARN,
            "org.eclipse.jetty", Level.WARN,
            "io.github.resilience4j", Level.WARN,
            "io.zonky", Level.WARN);

    /** Used by logback's service loader. */
    public LogSetup() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogFormat format = LogFormat.parse(System.getProperty(LogFormat.PROPERTY, System.getenv(LogFormat.ENV)))
                .orElse(LogFormat.TEXT);
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(format.appender());
        appender.setTarget("System.err");
        appender.setEncoder(encoder(format, context));
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(System.getenv(LEVEL_ENV)));
        root.addAppender(appender);
        QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** @return the level the variable names, INFO when it is unset or names no level */
    static Level level(String value) {
        return value == null || value.isBlank() ? Level.INFO : Level.toLevel(value.strip(), Level.INFO);
    }

    private static Encoder<ILoggingEvent> encoder(LogFormat format, LoggerContext context) {
        if (format == LogFormat.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n");
        text.start();
        return text;
    }
}
