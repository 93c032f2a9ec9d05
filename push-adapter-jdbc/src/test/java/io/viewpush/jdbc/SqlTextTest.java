package io.viewpush.jdbc;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SqlTextTest {

    private static Object randomValue(SplittableRandom r) {
        switch (r.nextInt(6)) {
            case 0: {
                BigInteger unscaled = BigInteger.valueOf(r.nextLong()).multiply(BigInteger.valueOf(r.nextInt(1, 1000)));
                return new BigDecimal(r.nextBoolean() ? BigInteger.valueOf(r.nextLong(-1000, 1000)) : unscaled,
                        r.nextInt(-3, 12));
            }
            case 1:
                return localDateTime(r);
            case 2: {
                int seconds = r.nextBoolean() ? r.nextInt(-17, 18) * 3600 + r.nextInt(4) * 15 * 60
                        : r.nextInt(-18 * 3600, 18 * 3600 + 1);
                return OffsetDateTime.of(localDateTime(r), ZoneOffset.ofTotalSeconds(seconds));
            }
            case 3:
                return LocalDate.of(r.nextInt(-5, 12000), r.nextInt(1, 13), r.nextInt(1, 29));
            case 4:
                return r.nextBoolean();
            default:
                return text(r);
        }
    }

    private static LocalDateTime localDateTime(SplittableRandom r) {
        int year = r.nextInt(10) == 0 ? r.nextInt(-20000, 20000) : r.nextInt(1, 3000);
        int nano = r.nextBoolean() ? r.nextInt(1_000_000) * 1000 : r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000_000);
        return LocalDateTime.of(year, r.nextInt(1, 13), r.nextInt(1, 29), r.nextInt(24), r.nextInt(60), r.nextInt(60), nano);
    }

    private static String text(SplittableRandom r) {
        String alphabet = "ab \"\\,{}'NUL\u00fc\u20ac\n";
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(6); i > 0; i--) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Test
    void theFastTextOfEveryValueIsTheFormattersText() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            Object v = randomValue(r);
            StringBuilder sb = new StringBuilder();
            SqlText.append(sb, v);
            assertThat(sb.toString()).as("seed %d, value %s", seed, v).isEqualTo(SqlText.of(v));
        }
    }

    @Test
    void anArrayLiteralParsesBackToTheTextOfEachValue() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++) {
            List<Object> values = new ArrayList<>();
            for (int n = r.nextInt(5); n > 0; n--) {
                values.add(r.nextInt(5) == 0 ? null : randomValue(r));
            }
            List<String> expected = new ArrayList<>();
            values.forEach(v -> expected.add(SqlText.of(v)));
            assertThat(parse(SqlText.pgArrayLiteral(values))).as("seed %d, values %s", seed, values)
                    .isEqualTo(expected);
        }
    }

    @Test
    void anArrayLiteralQuotesEveryElementAndEscapesQuotesAndBackslashes() {
        assertThat(SqlText.pgArrayLiteral(Arrays.asList("NULL", null, "a\"b\\c", new BigDecimal("12"),
                new BigDecimal("1.50"), OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6000, ZoneOffset.UTC))))
                .isEqualTo("{\"NULL\",NULL,\"a\\\"b\\\\c\",\"12\",\"1.50\",\"2026-01-02 03:04:05.000006000+00:00\"}");
        assertThat(SqlText.pgArrayLiteral(List.of())).isEqualTo("{}");
    }

    @Test
    void microsecondLiteralsAreExactOrRefused() {
        assertThat(SqlText.pgMicrosLiteral(Arrays.asList(OffsetDateTime.of(1970, 1, 1, 0, 0, 1, 5000, ZoneOffset.UTC), null,
                OffsetDateTime.of(1970, 1, 1, 1, 0, 0, 0, ZoneOffset.ofHours(1)),
                OffsetDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC))))
                .isEqualTo("{1000005,NULL,0,-1}");
        assertThat(SqlText.pgMicrosLiteral(Arrays.asList(LocalDateTime.of(1970, 1, 1, 0, 0, 2), null)))
                .isEqualTo("{2000000,NULL}");
        assertThat(SqlText.pgMicrosLiteral(List.of(LocalDateTime.of(2026, 1, 1, 0, 0, 0, 1))))
                .as("finer than a microsecond").isNull();
        assertThat(SqlText.pgMicrosLiteral(List.of(LocalDateTime.of(1700, 1, 1, 0, 0))))
                .as("beyond the exact range").isNull();
        assertThat(SqlText.pgMicrosLiteral(List.of(LocalDateTime.of(2026, 1, 1, 0, 0),
                OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)))).as("mixed").isNull();
        assertThat(SqlText.pgMicrosLiteral(List.of(new BigDecimal("1")))).as("not a date-time").isNull();
    }

    /** PostgreSQL's reading of a one-dimensional array literal: quoted elements unescaped, bare NULL is null. */
    private static List<String> parse(String literal) {
        assertThat(literal).startsWith("{").endsWith("}");
        List<String> out = new ArrayList<>();
        int i = 1;
        int end = literal.length() - 1;
        while (i < end) {
            if (literal.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (literal.charAt(i) != '"') {
                    if (literal.charAt(i) == '\\') {
                        i++;
                    }
                    sb.append(literal.charAt(i++));
                }
                i++;
                out.add(sb.toString());
            } else {
                int comma = literal.indexOf(',', i);
                int stop = comma < 0 ? end : comma;
                assertThat(literal.substring(i, stop)).isEqualTo("NULL");
                out.add(null);
                i = stop;
            }
            if (i < end) {
                assertThat(literal.charAt(i)).isEqualTo(',');
                i++;
            }
        }
        return out;
    }
}
