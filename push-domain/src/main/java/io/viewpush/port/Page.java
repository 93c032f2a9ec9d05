package io.viewpush.port;

import java.util.Optional;

/**
 * Which part of a view to read: rows whose key is after {@code after} (all when empty), at most
 * {@code limit} of them (all when 0). Keys are compared in the view's key order.
 *
 * @param after the last key of the previous page, if any
 * @param limit the most rows to return, 0 for no limit
 */
public record Page(Optional<Object> after, long limit) {
    /** Every row. */
    public static final Page ALL = new Page(Optional.empty(), 0);

    public Page {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (no limit) or more");
        }
    }
}
