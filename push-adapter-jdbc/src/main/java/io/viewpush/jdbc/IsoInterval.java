package io.viewpush.jdbc;

import java.math.BigDecimal;

/**
 * An interval as ISO-8601 text with designators, the form PostgreSQL's {@code intervalstyle iso_8601}
 * writes: {@code P1Y2M3DT4H5M6.5S}; parts that are zero are left out, each part keeps its own sign
 * ({@code P-1Y2M}), and the zero interval is {@code PT0S}.
 */
final class IsoInterval {
    private IsoInterval() {
    }

    static String format(long years, long months, long days, long hours, long minutes, BigDecimal seconds) {
        StringBuilder s = new StringBuilder("P");
        part(s, years, 'Y');
        part(s, months, 'M');
        part(s, days, 'D');
        boolean time = hours != 0 || minutes != 0 || seconds.signum() != 0;
        if (time) {
            s.append('T');
            part(s, hours, 'H');
            part(s, minutes, 'M');
            if (seconds.signum() != 0) {
                s.append(seconds.stripTrailingZeros().toPlainString()).append('S');
            }
        }
        return s.length() == 1 ? "PT0S" : s.toString();
    }

    /** Reads the six parts PostgreSQL's {@code extract} gives, separated by spaces: {@code 1 2 3 4 5 6.500000}. */
    static String fromParts(String parts) {
        if (parts == null) {
            return null;
        }
        String[] p = parts.trim().split(" ");
        if (p.length != 6) {
            throw new IllegalStateException("an interval's parts are six numbers, not '" + parts + "'");
        }
        return format(whole(p[0]), whole(p[1]), whole(p[2]), whole(p[3]), whole(p[4]), new BigDecimal(p[5]));
    }

    private static long whole(String s) {
        return new BigDecimal(s).longValueExact();
    }

    private static void part(StringBuilder s, long value, char designator) {
        if (value != 0) {
            s.append(value).append(designator);
        }
    }
}
