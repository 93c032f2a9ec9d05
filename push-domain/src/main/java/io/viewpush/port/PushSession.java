package io.viewpush.port;

import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import io.viewpush.push.Replay;
import io.viewpush.view.ReplaySelection;

import java.util.Optional;

/**
 * One push of one view, as the store sees it: the view's lease (taken by
 * {@link PushStore#begin}), the push's read of the view and the moment it started, the stamping of
 * each delivered batch, and the final journal record and release. The steps that must agree with
 * each other agree through this object's own state: every batch's stamp is no later than the start
 * of this session's read, so a row changed after it was read still counts as changed.
 *
 * <p>Used by one push on one thread, except {@link #renew()}, which a renewal thread may call at
 * any time, and {@link StampBatch#commit()} of a batch, which may run on another thread than the
 * one that sent it (one batch at a time).
 *
 * <p>Order: {@link #history()} (optional), {@link #paused()} (optional), {@link #rows()} once, then for each batch
 * {@link #batch()}, {@link #renew()} as needed, {@link #finish} at most once, and always
 * {@link #close()} last. A session may instead serve one {@link #replay} (and then only
 * {@link #close()}): the lease keeps it from racing a push of the view.
 */
public interface PushSession extends AutoCloseable {

    /** @return the lease this session holds */
    LeaseToken lease();

    /**
     * @return the view's push history, for the push's due check
     * @throws StorageException when the database fails
     */
    PushHistory history();

    /**
     * @return the view's pause as the store has it now ({@link ViewControl#paused}), or empty: a push
     *         of a paused view sends nothing. A store may read it together with the lease (it is
     *         then the pause as it was when the lease was taken: a pause made later is seen by the
     *         next push), or with {@link #history()} when that was called first in this session
     *         (one round trip instead of two).
     * @throws StorageException when the database fails
     */
    Optional<Pause> paused();

    /**
     * Opens the push's read of every row of the view, in key order, as of the snapshot the session
     * began with. The read's start, by the store's clock, is kept by the session.
     *
     * @return the open read; {@link #close()} closes it too if the caller has not
     * @throws StorageException      when the database fails
     * @throws IllegalStateException when the read was opened already
     */
    RowCursor rows();

    /**
     * Begins a batch of rows taken from {@link #rows()}: stamped on {@link StampBatch#commit()} with
     * the store's time no later than the read's start (see {@link StampBatch#commit()}), refused if
     * the lease is lost meanwhile.
     *
     * @return an empty batch
     * @throws StorageException      when the database fails
     * @throws IllegalStateException before {@link #rows()}
     */
    StampBatch batch();

    /**
     * Extends the lease by the time to live the session began with. Thread-safe.
     *
     * @return false when the lease was lost (expired and taken, or released)
     * @throws StorageException when the database fails
     */
    boolean renew();

    /**
     * Records the push's attempt in the journal (updating the view's history,
     * {@link PushHistory#after}) and releases the lease: what a push does last.
     *
     * @param attempt what happened
     * @throws LeaseLostException when the lease is no longer held: nothing is recorded or released
     * @throws StorageException   when the database fails: nothing is recorded; {@link #close()}
     *                            still releases the lease (or it expires)
     */
    void finish(PushAttempt attempt);

    /**
     * Instead of a push: clears the stamp field of the chosen rows of the view's table whose stamp
     * is set, so that the view's filters let them through again and the next push sends them, and
     * records the replay in the journal; both in one transaction, refused if the lease is lost.
     * A dry run only counts the rows and records nothing. Releases nothing: {@link #close()} does.
     *
     * @param which  the rows; a time of {@link ReplaySelection.Since} is compared with the stamp in
     *               the zone of the session's snapshot when the stamp has no time zone
     * @param dryRun true to count only
     * @param by     who asked, for the journal
     * @return what was done (or would be), with the number of rows
     * @throws LeaseLostException    when the lease is no longer held: nothing is changed
     * @throws StorageException      when the database fails: nothing is changed
     * @throws IllegalStateException after {@link #rows()} or {@link #finish}
     */
    Replay replay(ReplaySelection which, boolean dryRun, String by);

    /**
     * Closes the read if still open and releases the lease unless {@link #finish} did; idempotent.
     *
     * @throws StorageException when the release fails: the lease expires by itself
     */
    @Override
    void close();
}
