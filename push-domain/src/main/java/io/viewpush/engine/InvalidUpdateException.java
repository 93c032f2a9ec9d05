package io.viewpush.engine;

import io.viewpush.PushException;

/** A row update that names a field the view does not have or may not write, or a value of the wrong type. */
public class InvalidUpdateException extends PushException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   the offending field
     * @param message what is wrong with it
     */
    public InvalidUpdateException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** @return the offending field */
    public String field() {
        return field;
    }
}
