package io.viewpush.port;

import io.viewpush.view.RowKey;

import java.util.Objects;
import java.util.Optional;

/**
 * Which part of a view to read: rows whose key is after {@code after} (all when empty), at most
 * {@code limit} of them (all when 0). Keys are compared in the view's key order.
 *
 * @param after the last key of the previous page, if any
 * @param limit the most rows to return, 0 for no limit
 */
public record Page(Optional<RowKey> after, long limit) {
    /** Every row. */
    public static final Page ALL = new Page(Optional.empty(), 0);

    public Page {
        Objects.requireNonNull(after, "after");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (no limit) or more");
        }
    }

    /** @return the first {@code limit} rows (all when 0) */
    public static Page first(long limit) {
        return new Page(Optional.empty(), limit);
    }
}
