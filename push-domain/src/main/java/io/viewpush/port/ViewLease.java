package io.viewpush.port;

import io.viewpush.expression.Snapshot;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import java.time.Duration;
import java.util.Optional;

/**
 * Port: one pusher per view across every engine sharing a store. A lease expires after its time to
 * live unless renewed, measured by the store's clock, so that a crashed engine's views are taken over.
 */
public interface ViewLease {

    /**
     * Takes the view's lease if it is free or expired.
     *
     * @param view  the view's name
     * @param owner the engine asking (unique per engine)
     * @param ttl   how long the lease lasts without renewal
     * @return the token, or empty when another owner holds an unexpired lease
     * @throws StorageException when the database fails
     */
    Optional<LeaseToken> tryAcquire(String view, String owner, Duration ttl);

    /**
     * Extends a held lease.
     *
     * @return false when the lease was lost (expired and taken, or released)
     * @throws StorageException when the database fails
     */
    boolean renew(LeaseToken token, Duration ttl);

    /** Releases a held lease; does nothing if it was lost. */
    void release(LeaseToken token);

    /**
     * Takes the view's lease if it is free or expired and, when taken, opens a read of every row of
     * the view under it: how a manual push begins. A store that is also the row source may do both
     * at once (the JDBC store on PostgreSQL: one round trip, the read after the lease is taken). The
     * default does {@link #tryAcquire} and then {@code rows.open(view, snapshot, Page.ALL)}.
     *
     * <p>A failure to read does not take the lease back: the cursor reports it, its first
     * {@link RowCursor#hasNext()} throwing the {@link StorageException}, so the caller handles it as
     * any failed read of a push (recorded in its journal, the lease released).
     *
     * @param owner    the engine asking (unique per engine)
     * @param ttl      how long the lease lasts without renewal
     * @param rows     the view's row source
     * @param view     the view, whose name is the lease's
     * @param snapshot the push's snapshot
     * @return the token and the open cursor, or empty when another owner holds an unexpired lease
     * @throws StorageException when the database fails while taking the lease
     */
    default Optional<LeasedRead> tryAcquireAndOpen(String owner, Duration ttl, RowSource rows, View view,
                                                   Snapshot snapshot) {
        Optional<LeaseToken> token = tryAcquire(view.name(), owner, ttl);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        RowCursor cursor;
        try {
            cursor = rows.open(view, snapshot, Page.ALL);
        } catch (StorageException e) {
            cursor = RowCursor.failing(e);
        }
        return Optional.of(new LeasedRead(token.get(), cursor));
    }
}
