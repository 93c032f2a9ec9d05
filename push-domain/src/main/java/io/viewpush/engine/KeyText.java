package io.viewpush.engine;

import io.viewpush.expression.ValueType;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** A row key's text form (what the CLI and the API take) read as a {@link RowKey} of a view's key field's type. */
final class KeyText {
    private KeyText() {
    }

    /**
     * @return the key, or empty when the text is no value of the key field's type
     */
    static Optional<RowKey> parse(View view, String text) {
        ValueType type = view.typeOf(view.keyField());
        try {
            switch (type) {
                case TEXT:
                    return Optional.of(RowKey.of(text));
                case NUMBER:
                    return Optional.of(RowKey.of(new BigDecimal(text.strip())));
                case BOOLEAN:
                    return text.equals("true") || text.equals("false")
                            ? Optional.of(RowKey.of(Boolean.valueOf(text))) : Optional.empty();
                case DATE:
                    return Optional.of(RowKey.of(LocalDate.parse(text.strip())));
                case TIMESTAMP:
                    return Optional.of(RowKey.of(LocalDateTime.parse(text.strip())));
                case TIMESTAMP_TZ:
                    return Optional.of(RowKey.of(OffsetDateTime.parse(text.strip())));
                default:
                    return Optional.empty();
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
