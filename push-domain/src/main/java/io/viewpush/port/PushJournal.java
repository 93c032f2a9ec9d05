package io.viewpush.port;

import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;

import java.util.List;

/** Port: the record of push attempts and each view's history. */
public interface PushJournal {

    /**
     * Records an attempt and updates the view's history ({@link PushHistory#after}).
     *
     * @param attempt what happened
     * @param lease   the lease the push held
     * @throws LeaseLostException when that lease is no longer held: nothing is recorded
     * @throws StorageException   when the database fails
     */
    void record(PushAttempt attempt, LeaseToken lease);

    /**
     * Records the last attempt of a push and releases the view's lease that push held, at once:
     * what a push does last. A store that keeps the journal and the leases together may do both in
     * one step (the JDBC store: one statement, so one round trip instead of two). The lease is
     * released only if the attempt is recorded; nothing happens when the lease is no longer held.
     * The default records and leaves the release to the caller.
     *
     * @param attempt what happened
     * @param lease   the lease the push held, released here only when this returns true
     * @return true when the lease was released too; false when the caller must still release it
     *         ({@link ViewLease#release})
     * @throws LeaseLostException when that lease is no longer held: nothing is recorded or released
     * @throws StorageException   when the database fails: the caller releases the lease (or it expires)
     */
    default boolean recordAndRelease(PushAttempt attempt, LeaseToken lease) {
        record(attempt, lease);
        return false;
    }

    /** @return the view's history; {@link PushHistory#none} for a view never pushed */
    PushHistory history(String view);

    /** @return the view's most recent attempts, newest first, at most {@code limit} */
    List<PushAttempt> recent(String view, int limit);
}
