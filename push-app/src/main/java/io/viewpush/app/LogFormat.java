package io.viewpush.app;

import java.util.Locale;
import java.util.Optional;

/**
 * The log format the environment variable {@value #ENV} chooses: {@code text} (one readable line per
 * event, the default) or {@code json} (one JSON object per line, logback's {@code JsonEncoder}).
 * {@link Main} passes it to the logging configuration as the system property {@value #PROPERTY}.
 */
enum LogFormat {
    TEXT, JSON;

    /** The environment variable. */
    static final String ENV = "VIEWPUSH_LOG_FORMAT";
    /** The system property {@code logback.xml} reads: the name of the appender to use. */
    static final String PROPERTY = "viewpush.logFormat";

    /**
     * @param value the variable's value, null when unset
     * @return the format; {@code TEXT} when unset or blank; empty when the value is not a format
     */
    static Optional<LogFormat> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(TEXT);
        }
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text":
                return Optional.of(TEXT);
            case "json":
                return Optional.of(JSON);
            default:
                return Optional.empty();
        }
    }

    /** @return the appender's name in {@code logback.xml} */
    String appender() {
        return name().toLowerCase(Locale.ROOT);
    }
}
