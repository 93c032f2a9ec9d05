package io.viewpush.engine;

import io.viewpush.expression.ValueType;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * A row key's text form (what the CLI and the API take; see {@link RowKey}) read as a {@link RowKey}
 * of the view's key fields' types: one value's text for a one-field key; for a composite key the
 * values in key order, each URL-encoded, joined with {@code /}.
 */
final class KeyText {
    private KeyText() {
    }

    /**
     * @return the key, or empty when the text is no key of the view: a value that is none of its
     *         field's type, or a composite key's text with another number of values or bad encoding
     */
    static Optional<RowKey> parse(View view, String text) {
        List<String> fields = view.keyFields();
        List<String> parts;
        try {
            parts = RowKey.textParts(text, fields.size());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Object[] values = new Object[parts.size()];
        for (int i = 0; i < values.length; i++) {
            Optional<Object> v = value(view.typeOf(fields.get(i)), parts.get(i));
            if (v.isEmpty()) {
                return Optional.empty();
            }
            values[i] = v.get();
        }
        return Optional.of(RowKey.of(values));
    }

    private static Optional<Object> value(ValueType type, String text) {
        try {
            switch (type) {
                case TEXT:
                case ENUM:
                case OTHER:
                    return Optional.of(text);
                case NUMBER:
                    return Optional.of(new BigDecimal(text.strip()));
                case BOOLEAN:
                    return text.equals("true") || text.equals("false")
                            ? Optional.of(Boolean.valueOf(text)) : Optional.empty();
                case DATE:
                    return Optional.of(LocalDate.parse(text.strip()));
                case TIMESTAMP:
                    return Optional.of(LocalDateTime.parse(text.strip()));
                case TIMESTAMP_TZ:
                    return Optional.of(OffsetDateTime.parse(text.strip()));
                case TIME:
                    return Optional.of(LocalTime.parse(text.strip()));
                case TIME_TZ:
                    return Optional.of(OffsetTime.parse(text.strip()));
                case UUID:
                    // UUID.fromString accepts short groups ("1-2-3-4-5"); a key is the canonical form only
                    String t = text.strip();
                    return t.length() == 36 ? Optional.of(java.util.UUID.fromString(t)) : Optional.empty();
                default:
                    return Optional.empty();
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
