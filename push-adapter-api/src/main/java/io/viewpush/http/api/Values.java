package io.viewpush.http.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.viewpush.expression.ValueType;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Base64;
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
                case UUID:
                    return uuid(text);
                case TIME:
                    return Optional.of(LocalTime.parse(text, DateTimeFormatter.ISO_LOCAL_TIME));
                case TIME_TZ:
                    return Optional.of(OffsetTime.parse(text, DateTimeFormatter.ISO_OFFSET_TIME));
                case INTERVAL:
                    return ISO_DURATION.matcher(text).matches() ? Optional.of(text) : Optional.empty();
                case BYTES:
                    return Optional.of(Base64.getDecoder().decode(text));
                case FLOAT:
                    if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
                        return Optional.of(Double.valueOf(text));
                    }
                    return DECIMAL.matcher(text).matches() && text.length() <= MAX_NUMBER_LENGTH
                            ? Optional.of(Double.valueOf(text)) : Optional.empty();
                case ENUM:
                case JSON:
                case ARRAY:
                case OTHER:
                    return Optional.of(text);
                default:
                    throw new IllegalStateException("unhandled type " + type);
            }
        } catch (DateTimeParseException | IllegalArgumentException e) {
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
            case UUID:
                return "a uuid such as \"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"";
            case ENUM:
                return "one of its labels, as a string";
            case JSON:
                return "any JSON value";
            case ARRAY:
                return "a JSON array (nested arrays for more dimensions)";
            case BYTES:
                return "base64 text such as \"AQID\"";
            case FLOAT:
                return "a number, or \"NaN\", \"Infinity\" or \"-Infinity\"";
            case TIME:
                return "an ISO-8601 time such as 10:15:30";
            case TIME_TZ:
                return "an ISO-8601 time with offset such as 10:15:30+01:00";
            case INTERVAL:
                return "an ISO-8601 duration such as P1Y2M3DT4H5M6.5S";
            case OTHER:
                return "its text form, as a string";
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
            case JSON:
                return json(p);
            case ARRAY:
                if (t == JsonToken.START_ARRAY) {
                    return json(p);
                }
                break;
            case FLOAT:
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    String text = p.getText();
                    return fromText(type, text).orElseThrow(() -> illTyped(field, type, "the number " + cut(text)));
                }
                if (t == JsonToken.VALUE_STRING) {
                    String text = p.getText();
                    return fromText(type, text).filter(v -> ((Double) v).isNaN() || ((Double) v).isInfinite())
                            .orElseThrow(() -> illTyped(field, type, "the string \"" + cut(text) + "\""));
                }
                break;
            case ENUM:
            case OTHER:
                if (t == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                break;
            case UUID:
            case BYTES:
            case TIME:
            case TIME_TZ:
            case INTERVAL:
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

    /** The JSON value the parser stands on (and everything inside it), as compact JSON text. */
    private static String json(JsonParser p) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = p.getCodec() != null
                ? p.getCodec().getFactory().createGenerator(out) : new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }

    /** @return the UUID written in its canonical form (either case) */
    private static Optional<Object> uuid(String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(java.util.UUID.fromString(text));
    }

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** ISO-8601 durations with designators, each part optionally signed, as PostgreSQL reads them. */
    private static final Pattern ISO_DURATION = Pattern.compile(
            "[+-]?P(?=[^T]|T.)(?:[+-]?\\d+Y)?(?:[+-]?\\d+M)?(?:[+-]?\\d+W)?(?:[+-]?\\d+D)?"
                    + "(?:T(?=.)(?:[+-]?\\d+H)?(?:[+-]?\\d+M)?(?:[+-]?\\d+(?:\\.\\d+)?S)?)?");

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
