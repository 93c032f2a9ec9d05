package io.viewpush.port;

import io.viewpush.push.Delivery;
import io.viewpush.push.HeldBackRow;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.StampResult;

/**
 * Port: events for metrics and logs. Called on the engine's threads (a batch's event on the thread
 * that stamped it); must be quick, thread-safe, and must not
 * throw (an exception is caught and ignored by the engine). Every method does nothing by default.
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

    /** A push finished (including "nothing to send" and skipped pushes). */
    default void pushFinished(PushAttempt attempt) {
    }
}
