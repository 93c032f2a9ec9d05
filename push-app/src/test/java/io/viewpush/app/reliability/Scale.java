package io.viewpush.app.reliability;

import java.time.Duration;
import java.util.Locale;

/**
 * How big each scenario runs. The normal build runs the short versions; {@code -Preliability} sets
 * {@code reliability.long=true} for the long ones, and each size can be set on its own with a
 * system property (durations as {@code 90s}, {@code 10m}; counts as plain numbers).
 */
final class Scale {
    /** Long versions (the {@code reliability} profile). */
    static final boolean LONG = Boolean.getBoolean("reliability.long");
    /** The seed of every random choice in the suite; printed with each scenario. */
    static final long SEED = Long.getLong("reliability.seed", System.nanoTime() & 0xffffff);

    private Scale() {
    }

    static Duration duration(String name, String shortValue, String longValue) {
        return parse(System.getProperty("reliability." + name, LONG ? longValue : shortValue));
    }

    static int count(String name, int shortValue, int longValue) {
        return Integer.getInteger("reliability." + name, LONG ? longValue : shortValue);
    }

    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("a duration like 90s or 10m, not " + text);
        };
    }
}
