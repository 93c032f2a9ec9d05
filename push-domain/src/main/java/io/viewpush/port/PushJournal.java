package io.viewpush.port;

import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;

import java.util.List;

/**
 * Port: what the journal tells about past pushes. Attempts are recorded by the push that made them,
 * through its {@link PushSession#finish}.
 */
public interface PushJournal {

    /**
     * @return the view's history; {@link PushHistory#none} for a view never pushed
     * @throws StorageException when the database fails
     */
    PushHistory history(String view);

    /**
     * @return the view's most recent attempts, newest first, at most {@code limit}
     * @throws StorageException when the database fails
     */
    List<PushAttempt> recent(String view, int limit);
}
