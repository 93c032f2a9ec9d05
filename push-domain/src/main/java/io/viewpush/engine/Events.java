package io.viewpush.engine;

import io.viewpush.port.LeaseToken;
import io.viewpush.port.PushListener;
import io.viewpush.port.PushListener.Activity;
import io.viewpush.push.Delivery;
import io.viewpush.push.HeldBackRow;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.Replay;
import io.viewpush.push.StampResult;

import java.util.function.Consumer;

/**
 * The engine's side of its {@link PushListener}: every event the engine notices goes through here,
 * and a listener that throws is told of it as {@link Activity#NOTIFYING_LISTENER}, so that nothing
 * the engine notices is left unreported.
 */
final class Events {
    private final PushListener listener;

    Events(PushListener listener) {
        this.listener = listener;
    }

    void pushStarted(String view, PushAttempt.Trigger trigger) {
        tell(view, l -> l.pushStarted(view, trigger));
    }

    void pushFinished(PushAttempt attempt) {
        tell(attempt.view(), l -> l.pushFinished(attempt));
    }

    void batchFinished(String view, Delivery delivery, StampResult stamp) {
        tell(view, l -> l.batchFinished(view, delivery, stamp));
    }

    void rowsTaken(String view, long rows) {
        tell(view, l -> l.rowsTaken(view, rows));
    }

    void rowHeldBack(String view, HeldBackRow row) {
        tell(view, l -> l.rowHeldBack(view, row));
    }

    void leaseLost(String view, LeaseToken lease) {
        tell(view, l -> l.leaseLost(view, lease));
    }

    void viewPaused(Pause pause) {
        tell(pause.view(), l -> l.viewPaused(pause));
    }

    void viewResumed(Pause ended, String by) {
        tell(ended.view(), l -> l.viewResumed(ended, by));
    }

    void viewReplayed(Replay replay) {
        tell(replay.view(), l -> l.viewReplayed(replay));
    }

    void unexpectedError(String view, Activity activity, Throwable error) {
        try {
            listener.unexpectedError(view, activity, error);
        } catch (RuntimeException e) {
            // the listener cannot take the report of its own failure: the engine has no one else to
            // tell (the domain does no logging), and must go on
            error.addSuppressed(e);
        }
    }

    private void tell(String view, Consumer<PushListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            unexpectedError(view, Activity.NOTIFYING_LISTENER, e);
        }
    }
}
