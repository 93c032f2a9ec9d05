package io.viewpush.engine;

import io.viewpush.PushException;

import java.util.Objects;

/**
 * A row update that cannot be made: it names a field the view does not have or may not write, a
 * value of the wrong type or one a row cannot carry, or the store refused a value for its column.
 * {@link #reason()} says which, for code to compare; the message is for people.
 */
public class InvalidUpdateException extends PushException {
    private static final long serialVersionUID = 1L;

    /** Why an update was refused. */
    public enum Reason {
        /** The update named no field. */
        NO_FIELDS,
        /** The key is not of the key field's type. */
        KEY_WRONG_TYPE,
        /** A field the view does not have. */
        UNKNOWN_FIELD,
        /** A field of the view that is not writable. */
        NOT_WRITABLE,
        /** A value not of its field's type. */
        WRONG_TYPE,
        /** A value the row JSON cannot carry (checked before anything is written). */
        VALUE_NOT_CARRIABLE,
        /** The store found a value its column cannot hold (too long, out of range, too precise); nothing was written. */
        REFUSED_BY_STORE
    }

    private final Reason reason;
    private final String field;
    private final String why;

    /**
     * @param reason  why the update was refused
     * @param field   the offending field ({@code ""} when none or unknown)
     * @param message what is wrong with it, in words for people
     */
    public InvalidUpdateException(Reason reason, String field, String message) {
        this(reason, field, message, null);
    }

    /**
     * @param why for {@link Reason#REFUSED_BY_STORE}: why the column cannot hold the value, in words safe
     *            to show a client ({@link io.viewpush.port.RejectedValueException#why()}); null when unknown
     */
    public InvalidUpdateException(Reason reason, String field, String message, String why) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.field = field;
        this.why = why;
    }

    /** @return why the store could not hold the value, safe to show a client; empty when unknown */
    public java.util.Optional<String> why() {
        return java.util.Optional.ofNullable(why);
    }

    /** @return why the update was refused */
    public Reason reason() {
        return reason;
    }

    /** @return the offending field ({@code ""} when none or unknown) */
    public String field() {
        return field;
    }
}
