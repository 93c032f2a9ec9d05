package io.viewpush.port;

import io.viewpush.PushException;

/**
 * A store refused a value of a row update because its column cannot hold it (too many decimals,
 * too long, out of range): the caller's mistake, not the database failing. Nothing was written.
 */
public class RejectedValueException extends PushException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String why;

    /**
     * @param field   the field whose value was refused, or {@code ""} when the store cannot tell
     *                which of the update's fields it was
     * @param message what the column cannot hold, naming the field
     */
    public RejectedValueException(String field, String message) {
        this(field, message, null);
    }

    /**
     * @param why why the column cannot hold the value, in words that name no column, table or driver
     *            detail, so that an API may show them to its client ({@code "'PG-14' is not one of its
     *            labels: G, PG, PG-13"}, {@code "it violates the check constraint \"year_check\""}); null
     *            when the store cannot say
     */
    public RejectedValueException(String field, String message, String why) {
        super(message);
        this.field = java.util.Objects.requireNonNull(field, "field");
        this.why = why;
    }

    /** @return why the column cannot hold the value, safe to show a client; empty when the store cannot say */
    public java.util.Optional<String> why() {
        return java.util.Optional.ofNullable(why);
    }

    /** @return the field whose value was refused, or {@code ""} when the store cannot tell */
    public String field() {
        return field;
    }
}
