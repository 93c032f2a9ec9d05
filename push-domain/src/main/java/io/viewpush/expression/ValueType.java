package io.viewpush.expression;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

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
    DATE(LocalDate.class, "date");

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

    @Override
    public String toString() {
        return label;
    }
}
