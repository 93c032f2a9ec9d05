package io.viewpush.port;

import io.viewpush.push.Delivery;
import io.viewpush.push.HeldBackRow;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.Replay;
import io.viewpush.push.StampResult;

import java.util.List;
import java.util.function.Consumer;

/** The listener of {@link PushListener#all}: tells each in order, even when one before it threw. */
final class Combined implements PushListener {
    private final List<PushListener> listeners;

    Combined(List<PushListener> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void pushStarted(String view, PushAttempt.Trigger trigger) {
        each(view, l -> l.pushStarted(view, trigger));
    }

    @Override
    public void batchFinished(String view, Delivery delivery, StampResult stamp) {
        each(view, l -> l.batchFinished(view, delivery, stamp));
    }

    @Override
    public void rowsTaken(String view, long rows) {
        each(view, l -> l.rowsTaken(view, rows));
    }

    @Override
    public void rowHeldBack(String view, HeldBackRow row) {
        each(view, l -> l.rowHeldBack(view, row));
    }

    @Override
    public void pushFinished(PushAttempt attempt) {
        each(attempt.view(), l -> l.pushFinished(attempt));
    }

    @Override
    public void leaseLost(String view, LeaseToken lease) {
        each(view, l -> l.leaseLost(view, lease));
    }

    @Override
    public void viewPaused(Pause pause) {
        each(pause.view(), l -> l.viewPaused(pause));
    }

    @Override
    public void viewResumed(Pause ended, String by) {
        each(ended.view(), l -> l.viewResumed(ended, by));
    }

    @Override
    public void viewReplayed(Replay replay) {
        each(replay.view(), l -> l.viewReplayed(replay));
    }

    @Override
    public void unexpectedError(String view, Activity activity, Throwable error) {
        each(view, l -> l.unexpectedError(view, activity, error));
    }

    /** Tells every listener; then throws the first exception one threw (the others suppressed in it), for the engine to report. */
    private void each(String view, Consumer<PushListener> event) {
        RuntimeException first = null;
        for (PushListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
