package io.viewpush.port;

import io.viewpush.push.Delivery;
import io.viewpush.push.HeldBackRow;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.Replay;
import io.viewpush.push.StampResult;

import java.util.List;
import java.util.Objects;

/**
 * Port: events for metrics and logs. Called on the engine's threads (a batch's event on the thread
 * that stamped it, a lost lease on the renewal thread); must be quick and thread-safe. An exception
 * a listener throws is caught by the engine and reported to {@link #unexpectedError} as
 * {@link Activity#NOTIFYING_LISTENER} (once: if that throws too, it is logged). Every method does
 * nothing by default.
 */
public interface PushListener {

    /** A listener that does nothing. */
    PushListener NONE = new PushListener() {
    };

    /**
     * A push of {@code view} starts, on the thread that runs it: the thread that reads the rows,
     * sends the batches and then hears {@link #pushFinished} for it. A host may tag that thread's
     * work with the view (a log context, a trace span) until {@code pushFinished}.
     */
    default void pushStarted(String view, PushAttempt.Trigger trigger) {
    }

    /** How often {@link #rowsTaken} is called: every this many rows of a batch. */
    int ROWS_TAKEN_EVERY = 1_000;

    /**
     * The transport has taken {@code rows} rows of this push so far, all its batches together (the
     * rows of the batch being sent are being encoded into its request, or have been), called every
     * {@link #ROWS_TAKEN_EVERY} rows on the pushing thread: progress within one large request, long
     * before {@link #batchFinished} counts the batch (which may come later than the next batch's
     * rows: batches are stamped while the next one is sent).
     */
    default void rowsTaken(String view, long rows) {
    }

    /** A batch was sent and answered (or failed); {@code stamp} is empty-counted for failures. */
    default void batchFinished(String view, Delivery delivery, StampResult stamp) {
    }

    /**
     * A push held a row back because one of its values cannot be carried by the row JSON: the row
     * is neither sent nor stamped, and the push goes on with the others. Called once per such row
     * and push, on the pushing thread, before the push finishes; the finished attempt lists the
     * first of them ({@link PushAttempt#heldBack()}).
     */
    default void rowHeldBack(String view, HeldBackRow row) {
    }

    /** A push finished (including "nothing to send" and skipped pushes); its outcome is {@link PushAttempt#outcome()}. */
    default void pushFinished(PushAttempt attempt) {
    }

    /**
     * The engine found, renewing it, that it no longer holds a view's lease (it expired and another
     * engine took it, or the database lost it): the push still running stamps nothing more and ends
     * with {@link PushAttempt.Outcome#LEASE_LOST}.
     */
    default void leaseLost(String view, LeaseToken lease) {
    }

    /**
     * A view was paused: by this engine, because its receiver is gone or its pushes failed for the
     * policy's {@code pauseAfter} (on the pushing thread, before {@link #pushFinished}), or by an
     * operator through this engine. Nothing of it is pushed until it is resumed. (A pause made by
     * another engine is not an event here; {@link io.viewpush.port.ViewControl#paused} shows it.)
     */
    default void viewPaused(Pause pause) {
    }

    /**
     * An operator resumed a paused view through this engine; its next push runs at once.
     *
     * @param ended the pause that ended
     * @param by    who resumed it
     */
    default void viewResumed(Pause ended, String by) {
    }

    /** A replay cleared the stamps of rows of a view (not called for a dry run); the next push sends them again. */
    default void viewReplayed(Replay replay) {
    }

    /**
     * Something failed out of any push's sight, and the engine went on: a lease it could not renew
     * or release (it expires by itself), a history it could not load, a listener that threw, or a
     * fault in the engine itself.
     *
     * @param view     the view it concerns
     * @param activity what the engine was doing
     * @param error    what went wrong
     */
    default void unexpectedError(String view, Activity activity, Throwable error) {
    }

    /** What the engine was doing when an {@link #unexpectedError} happened. */
    enum Activity {
        /** Renewing a lease on the renewal thread. */
        RENEWING_LEASE,
        /** Releasing a lease after a push. */
        RELEASING_LEASE,
        /** Loading a view's history for the schedule. */
        LOADING_HISTORY,
        /** Telling a listener of an event. */
        NOTIFYING_LISTENER,
        /** Running a push (a fault the push itself did not report). */
        PUSHING
    }

    /**
     * @param listeners each told of every event, in order; one that throws does not keep the others
     *                  from it (the combined listener throws its exception after telling them all,
     *                  so the engine reports it as {@link Activity#NOTIFYING_LISTENER})
     * @return one listener for all of them
     */
    static PushListener all(List<? extends PushListener> listeners) {
        List<PushListener> all = List.copyOf(listeners);
        all.forEach(l -> Objects.requireNonNull(l, "listener"));
        return new Combined(all);
    }

    /** @see #all(List) */
    static PushListener all(PushListener... listeners) {
        return all(List.of(listeners));
    }
}
