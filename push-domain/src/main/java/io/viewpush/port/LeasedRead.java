package io.viewpush.port;

import java.util.Objects;

/**
 * A view's lease and a read of the view opened under it ({@link ViewLease#tryAcquireAndOpen}).
 * The holder closes the cursor and releases the lease.
 *
 * @param token  the lease taken
 * @param cursor every row of the view, read under the lease
 */
public record LeasedRead(LeaseToken token, RowCursor cursor) {
    public LeasedRead {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(cursor, "cursor");
    }
}
