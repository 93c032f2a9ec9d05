package io.viewpush.expression;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The functions of the language ({@link Expression.Function}) as the evaluator computes them. */
final class Functions {
    /** Text that {@code number(...)} reads: a plain decimal (at most 18 decimal places) with spaces around it. */
    static final Pattern DECIMAL = Pattern.compile(" *-?[0-9]+(\\.[0-9]{1,18})? *");

    /** The most days {@code add_days} moves by (about 270 years); a larger count gives empty. */
    static final long MAX_DAYS = 100_000;

    private Functions() {
    }

    /** @return the most units {@code add_days/add_hours/add_minutes} move by: {@link #MAX_DAYS} days' worth */
    static long maxCount(ChronoUnit unit) {
        return unit == ChronoUnit.MINUTES ? MAX_DAYS * 1440 : unit == ChronoUnit.HOURS ? MAX_DAYS * 24 : MAX_DAYS;
    }

    static Object call(Expression.Call c, Function<String, Object> fields, Snapshot snapshot) {
        List<Expression> args = c.arguments();
        switch (c.function()) {
            case TODAY:
                return LocalDate.ofInstant(snapshot.now(), snapshot.zone());
            case IF:
                return Boolean.TRUE.equals(Evaluator.evaluate(args.get(0), fields, snapshot))
                        ? Evaluator.evaluate(args.get(1), fields, snapshot)
                        : Evaluator.evaluate(args.get(2), fields, snapshot);
            case COALESCE:
                for (Expression a : args) {
                    Object v = Evaluator.evaluate(a, fields, snapshot);
                    if (v != null) {
                        return v;
                    }
                }
                return null;
            case GREATEST:
            case LEAST: {
                Object best = null;
                for (Expression a : args) {
                    Object v = Evaluator.evaluate(a, fields, snapshot);
                    if (v == null) {
                        continue;
                    }
                    int order = best == null ? 0 : Evaluator.compare(v, best);
                    if (best == null || (c.function() == Expression.Function.GREATEST ? order > 0 : order < 0)) {
                        best = v;
                    }
                }
                return best;
            }
            case CONCAT: {
                StringBuilder out = new StringBuilder();
                for (Expression a : args) {
                    Object v = Evaluator.evaluate(a, fields, snapshot);
                    if (v != null) {
                        out.append((String) v);
                    }
                }
                return out.toString();
            }
            default:
                break;
        }
        Object[] values = new Object[args.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Evaluator.evaluate(args.get(i), fields, snapshot);
            if (values[i] == null) {
                return null;
            }
        }
        if (values.length == 1 && values[0] instanceof OffsetDateTime && readsLocalTime(c.function())) {
            values[0] = local((OffsetDateTime) values[0], snapshot);
        }
        return strict(c.function(), values);
    }

    /** The date parts and truncations, which read a timestamp with time zone as its local time. */
    private static boolean readsLocalTime(Expression.Function f) {
        switch (f) {
            case YEAR:
            case MONTH:
            case DAY:
            case WEEKDAY:
            case START_OF_DAY:
            case START_OF_MONTH:
            case DATE:
                return true;
            default:
                return false;
        }
    }

    /** @return the local time of the instant in the snapshot's zone (the zone the engine reads times in) */
    static LocalDateTime local(OffsetDateTime t, Snapshot snapshot) {
        return t.atZoneSameInstant(snapshot.zone()).toLocalDateTime();
    }

    /** The functions that are empty when any argument is. */
    private static Object strict(Expression.Function f, Object[] v) {
        switch (f) {
            case UPPER:
                return asciiCase((String) v[0], 'a', 'z', 'A' - 'a');
            case LOWER:
                return asciiCase((String) v[0], 'A', 'Z', 'a' - 'A');
            case TRIM:
                return trimSpaces((String) v[0]);
            case LENGTH: {
                String s = (String) v[0];
                return BigDecimal.valueOf(s.codePointCount(0, s.length()));
            }
            case SUBSTRING:
                return substring((String) v[0], ((BigDecimal) v[1]).intValueExact(),
                        v.length > 2 ? ((BigDecimal) v[2]).intValueExact() : Integer.MAX_VALUE);
            case REPLACE: {
                String search = (String) v[1];
                return search.isEmpty() ? v[0] : ((String) v[0]).replace(search, (String) v[2]);
            }
            case ADD_DAYS:
                return plus(v[0], whole(v[1]), ChronoUnit.DAYS);
            case ADD_HOURS:
                return plus(v[0], whole(v[1]), ChronoUnit.HOURS);
            case ADD_MINUTES:
                return plus(v[0], whole(v[1]), ChronoUnit.MINUTES);
            case DAYS_BETWEEN:
                return BigDecimal.valueOf(ChronoUnit.DAYS.between((LocalDate) v[0], (LocalDate) v[1]));
            case YEAR:
                return BigDecimal.valueOf(date(v[0]).getYear());
            case MONTH:
                return BigDecimal.valueOf(date(v[0]).getMonthValue());
            case DAY:
                return BigDecimal.valueOf(date(v[0]).getDayOfMonth());
            case WEEKDAY:
                return BigDecimal.valueOf(date(v[0]).getDayOfWeek().getValue());
            case START_OF_DAY:
                return ((LocalDateTime) v[0]).truncatedTo(ChronoUnit.DAYS);
            case START_OF_MONTH:
                return v[0] instanceof LocalDate ? ((LocalDate) v[0]).withDayOfMonth(1)
                        : ((LocalDateTime) v[0]).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case DATE:
                return date(v[0]);
            case ROUND:
                return ((BigDecimal) v[0]).setScale(v.length > 1 ? ((BigDecimal) v[1]).intValueExact() : 0,
                        RoundingMode.HALF_UP);
            case TEXT:
                return v[0] instanceof BigDecimal ? ((BigDecimal) v[0]).toPlainString() : v[0].toString();
            case NUMBER: {
                String s = (String) v[0];
                return DECIMAL.matcher(s).matches() ? new BigDecimal(s.strip()) : null;
            }
            default:
                throw new IllegalStateException("unknown function " + f);
        }
    }

    private static String asciiCase(String s, char from, char to, int shift) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= from && chars[i] <= to) {
                chars[i] = (char) (chars[i] + shift);
            }
        }
        return new String(chars);
    }

    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }

    /** {@code count} code points from the {@code start}-th (1-based); what there is of them. */
    private static String substring(String s, int start, int count) {
        int length = s.codePointCount(0, s.length());
        if (start > length) {
            return "";
        }
        int from = s.offsetByCodePoints(0, start - 1);
        int n = (int) Math.min((long) count, length - (start - 1));
        return s.substring(from, s.offsetByCodePoints(from, n));
    }

    /** The whole part of a number (toward zero), or {@code Long.MAX_VALUE} when it is beyond any count. */
    private static long whole(Object n) {
        BigDecimal w = ((BigDecimal) n).setScale(0, RoundingMode.DOWN);
        return w.abs().compareTo(BigDecimal.valueOf(MAX_DAYS * 1440)) > 0 ? Long.MAX_VALUE : w.longValueExact();
    }

    private static Object plus(Object t, long n, ChronoUnit unit) {
        if (Math.abs(n) > maxCount(unit)) {
            return null;
        }
        if (t instanceof LocalDate) {
            return ((LocalDate) t).plusDays(n);
        }
        if (t instanceof LocalDateTime) {
            return ((LocalDateTime) t).plus(n, unit);
        }
        return ((OffsetDateTime) t).plus(n, unit);
    }

    private static LocalDate date(Object t) {
        return t instanceof LocalDate ? (LocalDate) t : ((LocalDateTime) t).toLocalDate();
    }
}
