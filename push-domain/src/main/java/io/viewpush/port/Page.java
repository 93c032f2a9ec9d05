package io.viewpush.port;

import io.viewpush.view.RowKey;

import java.util.Objects;
import java.util.Optional;

/**
 * Which part of a view to read: rows whose key is after {@code after} (all when empty) and, when
 * {@code upTo} is given, not after it; at most {@code limit} of them (all when 0). Keys are
 * compared in the view's key order.
 *
 * @param after the last key of the previous page, if any
 * @param limit the most rows to return, 0 for no limit
 * @param upTo  the last key this page may hold, if any (the pull API reads a page up to the key it
 *              announced as the next page's start, so that no row falls between two pages)
 */
public record Page(Optional<RowKey> after, long limit, Optional<RowKey> upTo) {
    /** Every row. */
    public static final Page ALL = new Page(Optional.empty(), 0);

    public Page {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(upTo, "upTo");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (no limit) or more");
        }
    }

    /**
     * @param after the last key of the previous page, if any
     * @param limit the most rows to return, 0 for no limit
     */
    public Page(Optional<RowKey> after, long limit) {
        this(after, limit, Optional.empty());
    }

    /** @return the first {@code limit} rows (all when 0) */
    public static Page first(long limit) {
        return new Page(Optional.empty(), limit);
    }

    /** @return this page, ending at {@code last} (inclusive) */
    public Page upTo(RowKey last) {
        return new Page(after, limit, Optional.of(last));
    }
}
