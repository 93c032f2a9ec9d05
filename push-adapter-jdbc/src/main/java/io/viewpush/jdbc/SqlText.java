package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Values as the text both databases cast back to exactly the same value, whatever the JVM's time zone. */
final class SqlText {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSS");
    private static final DateTimeFormatter TIMESTAMP_TZ = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSSxxx");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");

    private SqlText() {
    }

    static String[] of(List<Object> values) {
        String[] out = new String[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = of(values.get(i));
        }
        return out;
    }

    /**
     * Appends the values as a PostgreSQL array literal of text ({@code {"1","2",NULL}}): every
     * element double-quoted with {@code "} and {@code \} escaped, an empty value as an unquoted
     * {@code NULL}; cast with {@code cast(? as text[])} it gives back exactly {@link #of(Object)} of each.
     */
    static String pgArrayLiteral(List<Object> values) {
        StringBuilder sb = new StringBuilder(values.size() * 36 + 2);
        sb.append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = values.get(i);
            if (v == null) {
                sb.append("NULL");
                continue;
            }
            sb.append('"');
            if (v instanceof String) {
                String s = (String) v;
                for (int c = 0; c < s.length(); c++) {
                    char ch = s.charAt(c);
                    if (ch == '"' || ch == '\\') {
                        sb.append('\\');
                    }
                    sb.append(ch);
                }
            } else {
                append(sb, v);
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    /**
     * @return the elements of a literal written by {@link #pgArrayLiteral} (an unquoted
     *         {@code NULL} is null)
     * @throws IllegalArgumentException when it is not such a literal
     */
    static String[] parsePgArrayLiteral(String literal) {
        if (literal.length() < 2 || literal.charAt(0) != '{' || literal.charAt(literal.length() - 1) != '}') {
            throw new IllegalArgumentException("not an array literal: " + literal);
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        int i = 1;
        int end = literal.length() - 1;
        while (i < end) {
            if (literal.startsWith("NULL", i)) {
                out.add(null);
                i += 4;
            } else if (literal.charAt(i) == '"') {
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
                throw new IllegalArgumentException("not an array literal written by pgArrayLiteral at " + i);
            }
            if (i < end && literal.charAt(i++) != ',') {
                throw new IllegalArgumentException("not an array literal written by pgArrayLiteral at " + (i - 1));
            }
        }
        return out.toArray(new String[0]);
    }

    /** The largest distance from the epoch, in microseconds, a float8 holds exactly with room to spare (about 142 years). */
    static final long MAX_EXACT_MICROS = 1L << 52;

    /**
     * @return date-times (all {@link OffsetDateTime} or all {@link LocalDateTime}, empty allowed) as a
     *         PostgreSQL {@code int8[]} literal of microseconds since the epoch (UTC, or the local
     *         epoch), which the database turns back into the same values with
     *         {@code 'epoch' + m * interval '1 microsecond'} far cheaper than by parsing text; null when
     *         a value has a finer fraction than a microsecond, lies beyond {@link #MAX_EXACT_MICROS}, or
     *         is not a date-time
     */
    static String pgMicrosLiteral(List<Object> values) {
        StringBuilder sb = new StringBuilder(values.size() * 18 + 2);
        sb.append('{');
        Class<?> kind = null;
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = values.get(i);
            if (v == null) {
                sb.append("NULL");
                continue;
            }
            if (kind == null) {
                kind = v.getClass();
            } else if (kind != v.getClass()) {
                return null;
            }
            long seconds;
            int nano;
            if (v instanceof OffsetDateTime) {
                seconds = ((OffsetDateTime) v).toEpochSecond();
                nano = ((OffsetDateTime) v).getNano();
            } else if (v instanceof LocalDateTime) {
                seconds = ((LocalDateTime) v).toEpochSecond(java.time.ZoneOffset.UTC);
                nano = ((LocalDateTime) v).getNano();
            } else {
                return null;
            }
            if (nano % 1000 != 0 || Math.abs(seconds) > MAX_EXACT_MICROS / 1_000_000) {
                return null;
            }
            sb.append(seconds * 1_000_000 + nano / 1000);
        }
        return sb.append('}').toString();
    }

    /** Appends {@link #of(Object)} of a non-null value, without the formatters' overhead where it can. */
    static void append(StringBuilder sb, Object v) {
        if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            if (d.scale() == 0 && d.precision() < 19) {
                sb.append(d.longValue());
            } else {
                sb.append(d.toPlainString());
            }
        } else if (v instanceof OffsetDateTime) {
            OffsetDateTime t = (OffsetDateTime) v;
            int offset = t.getOffset().getTotalSeconds();
            if (offset % 60 != 0 || !dateTime(sb, t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(),
                    t.getMinute(), t.getSecond(), t.getNano())) {
                sb.append(TIMESTAMP_TZ.format(t));
                return;
            }
            int abs = Math.abs(offset);
            sb.append(offset < 0 ? '-' : '+');
            two(sb, abs / 3600);
            sb.append(':');
            two(sb, abs / 60 % 60);
        } else if (v instanceof LocalDateTime) {
            LocalDateTime t = (LocalDateTime) v;
            if (!dateTime(sb, t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(),
                    t.getSecond(), t.getNano())) {
                sb.append(TIMESTAMP.format(t));
            }
        } else {
            sb.append(of(v));
        }
    }

    /** {@code uuuu-MM-dd HH:mm:ss.SSSSSSSSS} for years 0 to 9999; false (nothing appended) for others. */
    private static boolean dateTime(StringBuilder sb, int year, int month, int day, int hour, int minute, int second,
                                    int nano) {
        if (year < 0 || year > 9999) {
            return false;
        }
        two(sb, year / 100);
        two(sb, year % 100);
        sb.append('-');
        two(sb, month);
        sb.append('-');
        two(sb, day);
        sb.append(' ');
        two(sb, hour);
        sb.append(':');
        two(sb, minute);
        sb.append(':');
        two(sb, second);
        sb.append('.');
        for (int div = 100_000_000; div > 0; div /= 10) {
            sb.append((char) ('0' + nano / div % 10));
        }
        return true;
    }

    private static void two(StringBuilder sb, int v) {
        sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    static String of(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String) {
            return (String) v;
        }
        if (v instanceof BigDecimal) {
            return ((BigDecimal) v).toPlainString();
        }
        if (v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof LocalDateTime) {
            return TIMESTAMP.format((LocalDateTime) v);
        }
        if (v instanceof OffsetDateTime) {
            return TIMESTAMP_TZ.format((OffsetDateTime) v);
        }
        if (v instanceof LocalDate) {
            return DATE.format((LocalDate) v);
        }
        if (v instanceof java.util.UUID) {
            return v.toString();
        }
        throw new IllegalArgumentException("not a value of the expression language: " + v.getClass().getName());
    }

    /** @return the SQL type to cast such text to, as the scratch table declares it */
    static String castType(Dialect dialect, ValueType type) {
        return dialect.castType(type);
    }
}
