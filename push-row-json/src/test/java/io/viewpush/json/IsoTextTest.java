package io.viewpush.json;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class IsoTextTest {

    private static LocalDateTime localDateTime(SplittableRandom r) {
        int year = r.nextInt(10) == 0 ? r.nextInt(-20000, 20000) : r.nextInt(0, 10000);
        int nano;
        switch (r.nextInt(4)) {
            case 0:
                nano = 0;
                break;
            case 1:
                nano = r.nextInt(1000) * 1_000_000;
                break;
            case 2:
                nano = r.nextInt(1_000_000) * 1000;
                break;
            default:
                nano = r.nextInt(1_000_000_000);
        }
        return LocalDateTime.of(year, r.nextInt(1, 13), r.nextInt(1, 29), r.nextInt(24), r.nextInt(60), r.nextInt(60), nano);
    }

    private static String text(char[] out, int n) {
        return n < 0 ? null : new String(out, 0, n);
    }

    @Test
    void writesWhatTheFormattersWriteOrLeavesItToThem() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        char[] out = new char[64];
        int fallbacks = 0;
        for (int i = 0; i < 50_000; i++) {
            LocalDateTime local = localDateTime(r);
            int offset = r.nextInt(3) == 0 ? 0 : r.nextBoolean() ? r.nextInt(-17, 18) * 3600 + r.nextInt(4) * 900
                    : r.nextInt(-18 * 3600, 18 * 3600 + 1);
            OffsetDateTime odt = OffsetDateTime.of(local, ZoneOffset.ofTotalSeconds(offset));

            String got = text(out, IsoText.localDateTime(local, out));
            if (got == null) {
                fallbacks++;
                assertThat(local.getYear() < 0 || local.getYear() > 9999)
                        .as("seed %d: only years beyond 0-9999 fall back, not %s", seed, local).isTrue();
            } else {
                assertThat(got).as("seed %d", seed).isEqualTo(RowJsonWriter.TIMESTAMP_FORMAT.format(local));
            }
            got = text(out, IsoText.offsetDateTime(odt, out));
            if (got == null) {
                assertThat(local.getYear() < 0 || local.getYear() > 9999 || offset % 60 != 0)
                        .as("seed %d: fell back for %s", seed, odt).isTrue();
            } else {
                assertThat(got).as("seed %d", seed).isEqualTo(RowJsonWriter.TIMESTAMP_TZ_FORMAT.format(odt));
            }
            LocalDate date = local.toLocalDate();
            got = text(out, IsoText.localDate(date, out));
            if (got != null) {
                assertThat(got).as("seed %d", seed).isEqualTo(RowJsonWriter.DATE_FORMAT.format(date));
            }
        }
        assertThat(fallbacks).as("seed %d: the random values include years beyond 0-9999", seed).isPositive();
    }

    @Test
    void writesDecimalsAsToPlainStringDoes() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        char[] out = new char[64];
        int fast = 0;
        for (int i = 0; i < 100_000; i++) {
            long unscaled;
            switch (r.nextInt(4)) {
                case 0:
                    unscaled = r.nextLong(-1000, 1000);
                    break;
                case 1:
                    unscaled = r.nextLong();
                    break;
                case 2:
                    unscaled = r.nextBoolean() ? 999_999_999_999_999_999L : -999_999_999_999_999_999L;
                    break;
                default:
                    unscaled = r.nextLong(-10_000_000_000L, 10_000_000_000L);
            }
            java.math.BigDecimal d = java.math.BigDecimal.valueOf(unscaled, r.nextInt(-3, 45));
            if (r.nextInt(10) == 0) {
                d = d.multiply(java.math.BigDecimal.valueOf(r.nextLong()));
            }
            int n = IsoText.plainDecimal(d, out);
            if (n >= 0) {
                fast++;
                assertThat(new String(out, 0, n)).as("seed %d, %s", seed, d).isEqualTo(d.toPlainString());
            } else {
                assertThat(d.scale() < 0 || d.scale() > 40 || d.precision() > 18).as("seed %d, fell back for %s", seed, d)
                        .isTrue();
            }
        }
        assertThat(fast).as("seed %d", seed).isGreaterThan(50_000);
        assertThat(new String(out, 0, IsoText.plainDecimal(new java.math.BigDecimal("-0.05"), out))).isEqualTo("-0.05");
        assertThat(new String(out, 0, IsoText.plainDecimal(new java.math.BigDecimal("0.00"), out))).isEqualTo("0.00");
        assertThat(new String(out, 0, IsoText.plainDecimal(new java.math.BigDecimal("1234.50"), out))).isEqualTo("1234.50");
    }

    @Test
    void writesTheUsualShapes() {
        char[] out = new char[64];
        assertThat(text(out, IsoText.offsetDateTime(OffsetDateTime.of(2024, 1, 31, 10, 0, 0, 0, ZoneOffset.UTC), out)))
                .isEqualTo("2024-01-31T10:00:00Z");
        assertThat(text(out, IsoText.offsetDateTime(OffsetDateTime.of(2024, 1, 31, 10, 0, 0, 500_000_000,
                ZoneOffset.ofHoursMinutes(-5, -30)), out))).isEqualTo("2024-01-31T10:00:00.5-05:30");
        assertThat(text(out, IsoText.localDateTime(LocalDateTime.of(7, 12, 1, 0, 0, 1, 123_456_000), out)))
                .isEqualTo("0007-12-01T00:00:01.123456");
        assertThat(IsoText.localDate(LocalDate.of(10000, 1, 1), out)).isEqualTo(-1);
        assertThat(IsoText.offsetDateTime(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofTotalSeconds(30)), out))
                .isEqualTo(-1);
    }
}
