package io.viewpush.http.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.viewpush.expression.ValueType;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Converts what a client sends (a path segment, a query parameter, a JSON value) into the one Java
 * type of a field's {@link ValueType}, refusing anything that does not fit exactly.
 */
final class Values {
    /** A decimal number as people write it: optional sign, digits, optional fraction and exponent. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,4})?");
    /** Longest number text accepted, in characters. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /**
     * Widest scale a client's number may have either way: a bound on what one request can make the
     * database store, well inside the {@link io.viewpush.view.Carriable#MAX_NUMBER_SCALE} digits a
     * row can carry (the engine checks that rule for every value it writes).
     */
    static final int MAX_SCALE = 1000;

    private Values() {
    }

    /**
     * Converts text (a key in the path, the {@code after} parameter) to a value of {@code type}.
     *
     * @return the value, or empty when the text is not a value of that type
     */
    static Optional<Object> fromText(ValueType type, String text) {
        try {
            switch (type) {
                case TEXT:
                    return Optional.of(text);
                case NUMBER:
                    return number(text);
                case BOOLEAN:
                    if (text.equals("true") || text.equals("false")) {
                        return Optional.of(Boolean.valueOf(text));
                    }
                    return Optional.empty();
                case DATE:
                    return Optional.of(LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE));
                case TIMESTAMP:
                    return Optional.of(LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME));
                case TIMESTAMP_TZ:
                    return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
                default:
                    throw new IllegalStateException("unhandled type " + type);
            }
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** @return how a value of {@code type} is written, for error messages */
    static String expected(ValueType type) {
        switch (type) {
            case TEXT:
                return "text";
            case NUMBER:
                return "a number such as 12 or -3.50";
            case BOOLEAN:
                return "true or false";
            case DATE:
                return "an ISO-8601 date such as 2024-01-31";
            case TIMESTAMP:
                return "an ISO-8601 date and time without offset such as 2024-01-31T10:15:30";
            case TIMESTAMP_TZ:
                return "an ISO-8601 date and time with offset such as 2024-01-31T10:15:30+01:00";
            default:
                throw new IllegalStateException("unhandled type " + type);
        }
    }

    /**
     * Reads the JSON value the parser stands on as a value of {@code type}.
     *
     * @param field the field, for the error
     * @return the value, {@code null} for JSON null (empty)
     * @throws ApiError 400 naming the field when the value does not fit the type
     */
    static Object fromJson(JsonParser p, String field, ValueType type) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        switch (type) {
            case TEXT:
                if (t == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                break;
            case NUMBER:
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    String text = p.getText();
                    return number(text).orElseThrow(() -> illTyped(field, type, "the number " + cut(text)
                            + " (too long, or an exponent too large to store exactly)"));
                }
                break;
            case BOOLEAN:
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    return p.getBooleanValue();
                }
                break;
            case DATE:
            case TIMESTAMP:
            case TIMESTAMP_TZ:
                if (t == JsonToken.VALUE_STRING) {
                    String text = p.getText();
                    return fromText(type, text).orElseThrow(() -> illTyped(field, type, "the string \"" + cut(text) + "\""));
                }
                break;
            default:
                throw new IllegalStateException("unhandled type " + type);
        }
        throw illTyped(field, type, describe(t));
    }

    private static ApiError illTyped(String field, ValueType type, String got) {
        return ApiError.badRequest("invalid_value", "field '" + field + "' is " + article(type) + ": expected "
                + expected(type) + " or null, got " + got);
    }

    private static String article(ValueType type) {
        return type == ValueType.TEXT ? "text" : "a " + type.label();
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            default:
                return "something else";
        }
    }

    private static Optional<Object> number(String text) {
        if (text.length() > MAX_NUMBER_LENGTH || !DECIMAL.matcher(text).matches()) {
            return Optional.empty();
        }
        BigDecimal d = new BigDecimal(text);
        if (Math.abs((long) d.scale()) > MAX_SCALE) {
            return Optional.empty();
        }
        return Optional.of(d);
    }

    static String cut(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
