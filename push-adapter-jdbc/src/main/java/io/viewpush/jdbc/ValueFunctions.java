package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import org.jooq.Condition;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.time.temporal.ChronoUnit;

/**
 * The SQL of the expression language's value functions where PostgreSQL and H2 differ: each
 * gives exactly what {@code io.viewpush.expression}'s evaluator computes (the differential test
 * proves it on both). Chosen by {@link Dialect#valueFunctions()}.
 */
abstract class ValueFunctions {
    static final ValueFunctions POSTGRESQL = new PostgreSql();
    static final ValueFunctions H2 = new H2();

    /** What {@code number(text)} accepts: a plain decimal with spaces around it (as the evaluator's pattern). */
    static final String DECIMAL = "^ *-?[0-9]+(\\.[0-9]{1,18})? *$";

    /** @return a bound value with its type stated, so that the database need not guess it from the context */
    abstract Field<?> typed(Field<?> bind, ValueType type);

    /** @return the number of code points of the text, as a number */
    abstract Field<?> length(Field<?> text);

    /** @return {@code count} code points (all the rest when null) from the {@code start}-th (1-based) */
    abstract Field<?> substring(Field<?> text, int start, Integer count);

    /** @return the date/time moved by the whole part of {@code n} units (a day is 24 hours with time zone) */
    abstract Field<?> add(Field<?> time, Field<?> n, ChronoUnit unit, ValueType type);

    /** @return the days from one date to another, as a number */
    abstract Field<?> daysBetween(Field<?> from, Field<?> to);

    /** @return the ISO day of the week (Monday 1), as a number */
    abstract Field<?> weekday(Field<?> time);

    /** @return the first day of the month (at 00:00 for a timestamp) */
    abstract Field<?> startOfMonth(Field<?> time, ValueType type);

    /** @return the date as {@code yyyy-mm-dd} */
    abstract Field<?> dateText(Field<?> date);

    /**
     * @return the local time (a timestamp without time zone) of a timestamp with time zone in the
     *         given zone, the snapshot's, as the evaluator reads it; the zone is named in the SQL
     *         rather than left to the session's {@code TimeZone}, so the two agree even where a host
     *         sets the engine's zone apart from the session's
     */
    abstract Field<?> localTime(Field<?> timestampTz, java.time.ZoneId zone);

    /** @return whether the text is what {@code number(...)} reads (NULL for NULL) */
    abstract Condition isDecimal(Field<?> text);

    static Field<?> sql(String template, DataType<?> type, Object... parts) {
        return DSL.field(template, type, parts);
    }

    private static final class PostgreSql extends ValueFunctions {
        @Override
        Field<?> typed(Field<?> bind, ValueType type) {
            switch (type) {
                case TEXT:
                    return sql("cast({0} as text)", SqlTypes.TEXT, bind);
                case NUMBER:
                    return sql("cast({0} as numeric)", SqlTypes.NUMBER, bind);
                case BOOLEAN:
                    return sql("cast({0} as boolean)", SqlTypes.BOOLEAN, bind);
                case DATE:
                    return sql("cast({0} as date)", SqlTypes.DATE, bind);
                case TIMESTAMP:
                    return sql("cast({0} as timestamp(6))", SqlTypes.TIMESTAMP, bind);
                case TIMESTAMP_TZ:
                    return sql("cast({0} as timestamp(6) with time zone)", SqlTypes.TIMESTAMP_TZ, bind);
                default:
                    return bind;
            }
        }

        @Override
        Field<?> length(Field<?> text) {
            return sql("cast(char_length({0}) as numeric)", SqlTypes.NUMBER, text);
        }

        @Override
        Field<?> substring(Field<?> text, int start, Integer count) {
            return count == null
                    ? sql("substring({0} from " + start + ")", SqlTypes.TEXT, text)
                    : sql("substring({0} from " + start + " for " + count + ")", SqlTypes.TEXT, text);
        }

        @Override
        Field<?> add(Field<?> time, Field<?> n, ChronoUnit unit, ValueType type) {
            if (type == ValueType.DATE) {
                return sql("({0} + cast(trunc({1}) as integer))", SqlTypes.DATE, time, n);
            }
            String interval = unit == ChronoUnit.MINUTES ? "1 minute" : unit == ChronoUnit.HOURS ? "1 hour"
                    : type == ValueType.TIMESTAMP_TZ ? "24 hours" : "1 day";
            return sql("({0} + cast(trunc({1}) as double precision) * interval '" + interval + "')",
                    SqlTypes.of(type), time, n);
        }

        @Override
        Field<?> daysBetween(Field<?> from, Field<?> to) {
            return sql("cast(({1} - {0}) as numeric)", SqlTypes.NUMBER, from, to);
        }

        @Override
        Field<?> weekday(Field<?> time) {
            return sql("cast(extract(isodow from {0}) as numeric)", SqlTypes.NUMBER, time);
        }

        @Override
        Field<?> startOfMonth(Field<?> time, ValueType type) {
            return type == ValueType.DATE
                    ? sql("cast(date_trunc('month', cast({0} as timestamp)) as date)", SqlTypes.DATE, time)
                    : sql("date_trunc('month', {0})", SqlTypes.TIMESTAMP, time);
        }

        @Override
        Field<?> dateText(Field<?> date) {
            return sql("to_char({0}, 'YYYY-MM-DD')", SqlTypes.TEXT, date);
        }

        @Override
        Field<?> localTime(Field<?> timestampTz, java.time.ZoneId zone) {
            java.time.ZoneId z = zone.normalized();
            if (z instanceof java.time.ZoneOffset) {
                // an interval: a text offset such as '+02:00' would be read POSIX-style, east negative
                return sql("({0} at time zone interval '" + ((java.time.ZoneOffset) z).getTotalSeconds() + " seconds')",
                        SqlTypes.TIMESTAMP, timestampTz);
            }
            return sql("({0} at time zone {1})", SqlTypes.TIMESTAMP, timestampTz, DSL.inline(z.getId()));
        }

        @Override
        Condition isDecimal(Field<?> text) {
            return DSL.condition("{0} ~ {1}", text, DSL.inline(DECIMAL));
        }
    }

    private static final class H2 extends ValueFunctions {
        @Override
        Field<?> typed(Field<?> bind, ValueType type) {
            return bind; // jOOQ states the type of H2's bound values (numbers with their precision and scale)
        }

        @Override
        Field<?> length(Field<?> text) {
            // H2 counts UTF-16 units; a regular expression's '.' matches a whole code point
            return sql("cast(char_length(regexp_replace({0}, '(?s).', 'a')) as numeric)", SqlTypes.NUMBER, text);
        }

        @Override
        Field<?> substring(Field<?> text, int start, Integer count) {
            String skip = "(?s)^.{0," + (start - 1) + "}";
            return count == null
                    ? sql("regexp_replace({0}, {1}, '')", SqlTypes.TEXT, text, DSL.inline(skip))
                    : sql("regexp_replace({0}, {1}, '$1')", SqlTypes.TEXT, text,
                    DSL.inline(skip + "(.{0," + count + "}).*"));
        }

        @Override
        Field<?> add(Field<?> time, Field<?> n, ChronoUnit unit, ValueType type) {
            String u = unit == ChronoUnit.MINUTES ? "minute" : unit == ChronoUnit.HOURS ? "hour" : "day";
            return sql("dateadd(" + u + ", cast(trunc({1}) as bigint), {0})", SqlTypes.of(type), time, n);
        }

        @Override
        Field<?> daysBetween(Field<?> from, Field<?> to) {
            return sql("cast(datediff(day, {0}, {1}) as numeric)", SqlTypes.NUMBER, from, to);
        }

        @Override
        Field<?> weekday(Field<?> time) {
            return sql("cast(extract(iso_day_of_week from {0}) as numeric)", SqlTypes.NUMBER, time);
        }

        @Override
        Field<?> startOfMonth(Field<?> time, ValueType type) {
            return sql("date_trunc('month', {0})", SqlTypes.of(type), time);
        }

        @Override
        Field<?> dateText(Field<?> date) {
            return sql("formatdatetime({0}, 'yyyy-MM-dd')", SqlTypes.TEXT, date);
        }

        /**
         * H2's cast to a timestamp without time zone reads the value in the session's zone, and its
         * {@code at time zone} keeps a time zone: so the session's local time is moved by the
         * difference between the two zones' offsets at that instant (pure arithmetic on a
         * timestamp without zone, so no daylight saving change can shift it again).
         */
        @Override
        Field<?> localTime(Field<?> timestampTz, java.time.ZoneId zone) {
            java.time.ZoneId z = zone.normalized();
            return sql("dateadd(second, " + offsetSeconds("({0} at time zone {1})") + " - " + offsetSeconds("({0} at local)")
                    + ", cast({0} as timestamp(6)))", SqlTypes.TIMESTAMP, timestampTz, DSL.inline(z.getId()));
        }

        private static String offsetSeconds(String t) {
            return "(extract(timezone_hour from " + t + ") * 3600 + extract(timezone_minute from " + t + ") * 60"
                    + " + extract(timezone_second from " + t + "))";
        }

        @Override
        Condition isDecimal(Field<?> text) {
            return DSL.condition("regexp_like({0}, {1})", text, DSL.inline(DECIMAL));
        }
    }
}
