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
        throw new IllegalArgumentException("not a value of the expression language: " + v.getClass().getName());
    }

    /** @return the SQL type to cast such text to, as the scratch table declares it */
    static String castType(Dialect dialect, ValueType type) {
        boolean pg = dialect == Dialect.POSTGRESQL;
        switch (type) {
            case TEXT:
                return pg ? "text" : "varchar";
            case NUMBER:
                return pg ? "numeric" : "decfloat";
            case BOOLEAN:
                return "boolean";
            case TIMESTAMP:
                return pg ? "timestamp(6)" : "timestamp(9)";
            case TIMESTAMP_TZ:
                return pg ? "timestamp(6) with time zone" : "timestamp(9) with time zone";
            case DATE:
                return "date";
            default:
                throw new IllegalArgumentException("unknown type " + type);
        }
    }
}
