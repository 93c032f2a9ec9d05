package io.viewpush.port;

import io.viewpush.push.Pause;
import io.viewpush.push.Replay;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Port: what operators change about a view beside its pushes, kept where every engine sharing the
 * store sees it and a restart keeps it: whether it is paused, and the journal of replays (a replay
 * itself runs under the view's lease: {@link PushSession#replay}).
 */
public interface ViewControl {

    /**
     * @return the view's pause, or empty when it is not paused
     * @throws StorageException when the database fails
     */
    Optional<Pause> paused(String view);

    /**
     * @return every paused view's pause, by view name (one read, for a whole list or metrics)
     * @throws StorageException when the database fails
     */
    Map<String, Pause> pauses();

    /**
     * Pauses the view, unless it is paused already.
     *
     * @param pause the pause
     * @return the view's pause now: {@code pause}, or the one it had already (which is kept)
     * @throws StorageException when the database fails: the view is not paused
     */
    Pause pause(Pause pause);

    /**
     * Ends the view's pause.
     *
     * @return the pause that ended, or empty when the view was not paused
     * @throws StorageException when the database fails: the view stays paused
     */
    Optional<Pause> resume(String view);

    /**
     * @return the view's most recent replays (not dry runs), newest first, at most {@code limit}
     * @throws StorageException when the database fails
     */
    List<Replay> replays(String view, int limit);
}
