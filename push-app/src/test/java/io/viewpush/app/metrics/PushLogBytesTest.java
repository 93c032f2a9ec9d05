package io.viewpush.app.metrics;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte counts of the push log line: B below a KiB, one decimal of KiB or MiB, rounded as {@code %.1f} rounds. */
class PushLogBytesTest {

    private static String formatted(long n) {
        if (n < 1024) {
            return n + " B";
        }
        return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    @Test
    void writesWhatFormattingWithOneDecimalWrites() {
        assertThat(PushLog.bytes(0)).isEqualTo("0 B");
        assertThat(PushLog.bytes(1023)).isEqualTo("1023 B");
        assertThat(PushLog.bytes(1024)).isEqualTo("1.0 KiB");
        assertThat(PushLog.bytes(2970)).isEqualTo("2.9 KiB");
        assertThat(PushLog.bytes(1024 * 1024 - 1)).isEqualTo("1024.0 KiB");
        assertThat(PushLog.bytes(286_561_596L)).isEqualTo("273.3 MiB");
        // the exact halves (n / 1024 * 10 = m + 0.5) round up, as %.1f does
        assertThat(PushLog.bytes(1126)).isEqualTo(formatted(1126)).isEqualTo("1.1 KiB");
        assertThat(PushLog.bytes(1075)).isEqualTo(formatted(1075));
        for (long n = 1000; n < 20_000; n++) {
            assertThat(PushLog.bytes(n)).as("%d bytes", n).isEqualTo(formatted(n));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long n = random.nextLong(1L << 42);
            assertThat(PushLog.bytes(n)).as("%d bytes", n).isEqualTo(formatted(n));
        }
        for (long m = 1; m < 4096; m++) {
            long half = m * 1024 * 1024 / 10 * 10 + 52_429; // near the halves of a MiB's tenths
            for (long n = half - 3; n <= half + 3; n++) {
                assertThat(PushLog.bytes(n)).as("%d bytes", n).isEqualTo(formatted(n));
            }
        }
    }
}
