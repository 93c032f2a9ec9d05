package io.viewpush.port;

import io.viewpush.PushException;

/**
 * A store refused a value of a row update because its column cannot hold it (too many decimals,
 * too long, out of range): the caller's mistake, not the database failing. Nothing was written.
 */
public class RejectedValueException extends PushException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   the field whose value was refused, or {@code ""} when the store cannot tell
     *                which of the update's fields it was
     * @param message what the column cannot hold, naming the field
     */
    public RejectedValueException(String field, String message) {
        super(message);
        this.field = java.util.Objects.requireNonNull(field, "field");
    }

    /** @return the field whose value was refused, or {@code ""} when the store cannot tell */
    public String field() {
        return field;
    }
}
