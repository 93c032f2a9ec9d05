package io.viewpush.expression;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;

/**
 * The types of values a field, a calculation or an expression can have. Each has exactly one Java
 * representation; empty (SQL NULL) is {@code null} in every type and sorts before every other value.
 */
public enum ValueType {
    /** Text, compared in Unicode code-point order. Java: {@link String}. */
    TEXT(String.class, "text"),
    /** An exact decimal number. Java: {@link BigDecimal}; equal when {@code compareTo} is 0. */
    NUMBER(BigDecimal.class, "number"),
    /** {@code false} sorts before {@code true}. Java: {@link Boolean}. */
    BOOLEAN(Boolean.class, "boolean"),
    /** A date and time without zone. Java: {@link LocalDateTime}. */
    TIMESTAMP(LocalDateTime.class, "timestamp"),
    /** An instant with its offset. Java: {@link OffsetDateTime}; compared as instants. */
    TIMESTAMP_TZ(OffsetDateTime.class, "timestamp with time zone"),
    /** A calendar date. Java: {@link LocalDate}. */
    DATE(LocalDate.class, "date"),
    /**
     * A UUID. Java: {@link java.util.UUID}; written lower case. Expressions compare it with
     * {@code =} and {@code !=} only (a text literal is read as a UUID).
     */
    UUID(java.util.UUID.class, "uuid"),
    /**
     * A label of an enumerated type. Java: {@link String}, the label. Expressions compare it with a
     * text literal that must be one of the type's labels; {@code < >} follow the type's order.
     */
    ENUM(String.class, "enum label"),
    /** A JSON value (json, jsonb). Java: {@link String}, its JSON text, written into the row JSON as it is. No order. */
    JSON(String.class, "json value"),
    /**
     * An array of any dimension. Java: {@link String}, the array as JSON text (nested arrays, empty
     * elements {@code null}), written into the row JSON as it is. No order.
     */
    ARRAY(String.class, "array"),
    /** Binary data (bytea, BINARY, VARBINARY, BLOB). Java: {@code byte[]}; written as base64. No order. */
    BYTES(byte[].class, "binary value"),
    /**
     * A binary floating-point number (real, double precision). Java: {@link Double}; NaN and
     * ±Infinity are written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
     * Expressions compare it as a number: with other floating-point fields and with number literals
     * (read as the nearest double, as PostgreSQL casts a numeric to double precision); {@code -0} equals
     * {@code 0}, NaN equals NaN and sorts after every other value, +Infinity included, as in PostgreSQL.
     */
    FLOAT(Double.class, "floating-point number"),
    /**
     * A time of day without zone. Java: {@link LocalTime}. Ordered; a text literal compared with it is
     * read as ISO-8601 ({@code '10:15'}, {@code '10:15:30.5'}).
     */
    TIME(LocalTime.class, "time"),
    /**
     * A time of day with its offset. Java: {@link OffsetTime}. Ordered by its time in UTC, not wrapped
     * at midnight ({@code 23:30-05:00} is after {@code 00:30Z}), so one UTC time written with two offsets
     * is equal ({@code 12:15+02:00 = 10:15Z}), as instants are and as H2 compares them (PostgreSQL's own
     * {@code =} would also compare the offsets). A text literal compared with it is read as ISO-8601 with
     * an offset ({@code '10:15+02:00'}, {@code '10:15Z'}).
     */
    TIME_TZ(OffsetTime.class, "time with time zone"),
    /**
     * A duration. Java: {@link String}, ISO-8601 ({@code P1Y2M3DT4H5M6.5S}, each part with its own
     * sign as the database keeps it). Expressions test it with {@code is empty} only: PostgreSQL
     * orders intervals by counting a month as 30 days ({@code '1 mon' = '30 days'}), H2 keeps
     * year-month and day-time intervals as two types that cannot be compared, so no order is shared.
     */
    INTERVAL(String.class, "interval"),
    /**
     * Any other type (inet, xml, tsvector, ranges, geometric types, ...). Java: {@link String}, the
     * value's text form as the database writes it, which is what the row JSON carries. Expressions
     * compare it with {@code =} and {@code !=} as that text.
     */
    OTHER(String.class, "value sent as text");

    private final Class<?> javaType;
    private final String label;

    ValueType(Class<?> javaType, String label) {
        this.javaType = javaType;
        this.label = label;
    }

    /** @return the one Java class that values of this type have */
    public Class<?> javaType() {
        return javaType;
    }

    /** @return the name used in error messages, e.g. "timestamp with time zone" */
    public String label() {
        return label;
    }

    /** @return true for {@link #TIMESTAMP}, {@link #TIMESTAMP_TZ} and {@link #DATE} */
    public boolean isTemporal() {
        return this == TIMESTAMP || this == TIMESTAMP_TZ || this == DATE;
    }

    /**
     * @return whether {@code < <= > >=} are defined on this type's values in the expression language:
     *         text, numbers (floating-point ones too), booleans, dates, timestamps and times of day
     *         (enum labels are ordered by their type, which the type checker knows)
     */
    public boolean isOrdered() {
        return this == TEXT || this == NUMBER || this == BOOLEAN || isTemporal() || this == FLOAT || isTimeOfDay();
    }

    /** @return true for {@link #TIME} and {@link #TIME_TZ} */
    public boolean isTimeOfDay() {
        return this == TIME || this == TIME_TZ;
    }

    /**
     * @return whether {@code =} and {@code !=} are defined on this type's values in the expression
     *         language: the ordered types, UUIDs, enum labels and values sent as text
     */
    public boolean hasEquality() {
        return isOrdered() || this == UUID || this == ENUM || this == OTHER;
    }

    @Override
    public String toString() {
        return label;
    }
}
