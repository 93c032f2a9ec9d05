package io.viewpush.app.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the config writes them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
 * {@code 2d}, {@code 0}, or ISO-8601 ({@code PT30S}, {@code PT1M30S}).
 */
public final class Durations {
    /** What a valid duration looks like, for error messages. */
    public static final String EXAMPLES = "500ms, 30s, 5m, 1h, 2d or ISO-8601 such as PT30S";

    private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * @param text the duration as written
     * @return the duration, or empty when the text is not one (negative durations are not one either)
     */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = SHORT.matcher(s.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    return Optional.of(Duration.ofMillis(n));
                case "s":
                    return Optional.of(Duration.ofSeconds(n));
                case "m":
                    return Optional.of(Duration.ofMinutes(n));
                case "h":
                    return Optional.of(Duration.ofHours(n));
                default:
                    return Optional.of(Duration.ofDays(n));
            }
        }
        if (s.length() > 1 && (s.charAt(0) == 'P' || s.charAt(0) == 'p')) {
            try {
                Duration d = Duration.parse(s.toUpperCase(Locale.ROOT));
                return d.isNegative() ? Optional.empty() : Optional.of(d);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** @return the duration in the short form the config uses ({@code 30s}, {@code 1500ms}) */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
