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

    /** @return the view's history; {@link PushHistory#none} for a view never pushed */
    PushHistory history(String view);

    /** @return the view's most recent attempts, newest first, at most {@code limit} */
    List<PushAttempt> recent(String view, int limit);
}
