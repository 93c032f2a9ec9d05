package io.viewpush.engine;

import io.viewpush.port.PushJournal;
import io.viewpush.port.PushListener.Activity;
import io.viewpush.port.StorageException;
import io.viewpush.port.ViewControl;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Outcome;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.PushAttempt.Trigger;
import io.viewpush.push.PushDecision;
import io.viewpush.push.PushHistory;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.Replay;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.View;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the push use case for every view with a push policy: each view when its policy allows, a
 * view with nothing to send again after {@code max(minInterval, pollInterval)}, earlier when woken.
 * One push per view at a time in this engine (the lease does it across engines). Stops gracefully:
 * no new batch after {@link #stop} begins, nothing stamped after it gives up waiting.
 *
 * <p>A paused view ({@link Pause}) is not pushed: this engine checks every poll interval whether it
 * is still paused (one read of its pause; another engine or a CLI may resume it) and pushes it at
 * once when it no longer is.
 */
final class Scheduler {
    private final Pusher pusher;
    private final PushJournal journal;
    private final ViewControl control;
    private final Events events;
    private final Clock clock;
    private final Duration pollInterval;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    /** How long a due view waits for others to be checked with it. */
    private final Duration probeGather;
    private final Object probeLock = new Object();
    /** Due views waiting for the next probe (guarded by probeLock). */
    private List<Slot> probing = new ArrayList<>();
    private boolean probeScheduled;
    private final ScheduledThreadPoolExecutor executor;
    private volatile boolean started;
    private volatile boolean stopping;
    private volatile boolean abandoned;

    Scheduler(Pusher pusher, PushJournal journal, ViewControl control, Events events, Clock clock, Collection<View> views,
              Duration pollInterval, int workers) {
        this.pusher = pusher;
        this.journal = journal;
        this.control = control;
        this.events = events;
        this.clock = clock;
        this.pollInterval = pollInterval;
        // a view's check waits at most a fiftieth of the poll interval (20 ms at most) for the others
        this.probeGather = Duration.ofMillis(Math.max(1, Math.min(20, pollInterval.toMillis() / 50)));
        for (View v : views) {
            if (v.push().isPresent()) {
                slots.put(v.name(), new Slot(v));
            }
        }
        this.executor = new ScheduledThreadPoolExecutor(workers, new Threads());
        this.executor.setRemoveOnCancelPolicy(true);
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    synchronized void start() {
        if (started || stopping) {
            return;
        }
        started = true;
        for (Slot s : slots.values()) {
            // a paused view is found paused by its first push, under the lease, with its history
            s.history = loadHistory(s.view.name());
            // the interval runs from the last push's start, also across a restart
            scheduleAt(s, due(s));
        }
    }

    boolean isStopping() {
        return stopping;
    }

    /** Pushes now on the caller's thread, ignoring the minimum interval; waits for a push in flight. */
    PushAttempt pushNow(View view) {
        Slot s = slots.get(view.name());
        if (stopping) {
            throw new IllegalStateException("the engine is stopping");
        }
        PushAttempt a = null;
        s.lock.lock();
        try {
            a = pusher.push(view, Trigger.MANUAL, true, () -> stopping, () -> abandoned);
            s.history = updated(s, a);
            notePause(s, a);
            return a;
        } finally {
            s.lock.unlock();
            if (started) {
                // replaces the run scheduled before this push: it would find the view not due
                scheduleNext(s, a);
            }
        }
    }

    /**
     * Pauses the view for every engine (a push in flight finishes; no new one starts).
     *
     * @return the view's pause now (the one it had already, if it was paused)
     */
    Pause pause(View view, String detail, String by) {
        Slot s = slots.get(view.name());
        Pause wanted = new Pause(view.name(), Pause.Reason.OPERATOR, detail, clock.instant(), by);
        Pause stored = control.pause(wanted);
        s.paused = stored;
        if (stored.equals(wanted)) {
            events.viewPaused(stored);
        }
        return stored;
    }

    /**
     * Ends the view's pause for every engine; this engine, when started, pushes it at once.
     *
     * @return the pause that ended, or empty when it was not paused
     */
    Optional<Pause> resume(View view, String by) {
        Slot s = slots.get(view.name());
        Optional<Pause> ended = control.resume(view.name());
        s.paused = null;
        if (ended.isPresent()) {
            events.viewResumed(ended.get(), by);
            synchronized (s) {
                s.atOnce = true;
            }
            if (started && !stopping) {
                scheduleAt(s, clock.instant(), true);
            }
        }
        return ended;
    }

    /**
     * Replays rows of the view: waits for a push of it in flight in this engine, then takes its lease
     * (retrying while another engine holds it, up to {@code wait}).
     *
     * @throws CannotReplayException ({@link CannotReplayException.Reason#VIEW_BUSY}) when another
     *                               engine held the lease all that time
     */
    Replay replay(View view, ReplaySelection which, boolean dryRun, String by, Duration wait) {
        Slot s = slots.get(view.name());
        Instant deadline = clock.instant().plus(wait);
        Replay done;
        s.lock.lock();
        try {
            while (true) {
                Optional<Replay> r = pusher.replay(view, which, dryRun, by);
                if (r.isPresent()) {
                    done = r.get();
                    break;
                }
                if (!clock.instant().isBefore(deadline)) {
                    throw new CannotReplayException(view.name(), CannotReplayException.Reason.VIEW_BUSY,
                            "another engine is pushing view '" + view.name() + "' (it holds the view's lease); nothing"
                                    + " was replayed: try again in a moment");
                }
                try {
                    Thread.sleep(REPLAY_RETRY_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CannotReplayException(view.name(), CannotReplayException.Reason.VIEW_BUSY,
                            "interrupted while waiting for the lease of view '" + view.name() + "'; nothing was replayed");
                }
            }
        } finally {
            s.lock.unlock();
            if (started && !stopping) {
                // a scheduled run that found the view held by this replay did not reschedule itself
                scheduleAt(s, due(s));
            }
        }
        if (!done.dryRun()) {
            events.viewReplayed(done);
            wake(view.name());
        }
        return done;
    }

    /** How often a replay asks again for a lease another engine holds. */
    private static final long REPLAY_RETRY_MILLIS = 100;

    /** @return this engine's idea of the view's pause (as of its last check) */
    Optional<Pause> knownPause(String view) {
        Slot s = slots.get(view);
        return s == null ? Optional.empty() : Optional.ofNullable(s.paused);
    }

    /** The view's data changed: push it as soon as its policy allows. */
    void wake(String view) {
        Slot s = slots.get(view);
        if (s == null || stopping) {
            return;
        }
        synchronized (s) {
            s.wake = true;
            if (!started || s.running) {
                return;
            }
        }
        scheduleAt(s, due(s));
    }

    Optional<Instant> nextDue(String view) {
        Slot s = slots.get(view);
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            return Optional.ofNullable(s.nextDue);
        }
    }

    boolean isPushing(String view) {
        Slot s = slots.get(view);
        return s != null && s.lock.isLocked();
    }

    /**
     * Stops: no new pushes or batches; waits up to {@code timeout} for pushes in flight to finish,
     * then abandons them (nothing more is stamped) and interrupts their threads.
     *
     * @return true when every push finished within the timeout
     */
    boolean stop(Duration timeout) {
        synchronized (this) {
            stopping = true;
        }
        for (Slot s : slots.values()) {
            synchronized (s) {
                if (s.next != null) {
                    s.next.cancel(false);
                }
            }
        }
        executor.shutdown();
        try {
            if (executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            abandoned = true;
            executor.shutdownNow();
            executor.awaitTermination(Math.max(1000, timeout.toMillis() / 2), TimeUnit.MILLISECONDS);
            return false;
        } catch (InterruptedException e) {
            abandoned = true;
            executor.shutdownNow();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run(Slot s) {
        synchronized (s) {
            s.next = null;
            s.nextDue = null;
        }
        if (stopping) {
            return;
        }
        if (!s.lock.tryLock()) {
            return; // a manual push holds the view; it reschedules when done
        }
        PushAttempt attempt = null;
        boolean toProbe = false;
        try {
            boolean atOnce;
            synchronized (s) {
                atOnce = s.atOnce;
            }
            if (s.paused != null && !atOnce) {
                Optional<Pause> still = stillPaused(s);
                if (still.isPresent()) {
                    s.paused = still.get();
                    scheduleAt(s, clock.instant().plus(pollInterval), true);
                    return;
                }
                s.paused = null;
                atOnce = true; // resumed elsewhere (another engine, the CLI): its next push runs at once
            }
            Trigger trigger;
            boolean checked;
            synchronized (s) {
                trigger = s.wake || atOnce ? Trigger.WAKE : Trigger.SCHEDULE;
                if (trigger == Trigger.SCHEDULE && !s.probed) {
                    // checked together with the other views due about now (see probe), once this
                    // run has let go of the view: the probe pushes it when it has rows and
                    // reschedules it when it has none
                    toProbe = true;
                    return;
                }
                checked = s.withRows;
                s.probed = false;
                s.withRows = false;
                s.running = true;
                s.wake = false;
                s.atOnce = false;
            }
            attempt = pusher.push(s.view, trigger, atOnce, checked && trigger == Trigger.SCHEDULE, () -> stopping,
                    () -> abandoned);
            s.history = updated(s, attempt);
            notePause(s, attempt);
        } catch (RuntimeException e) {
            // the pusher reports what goes wrong in a push as its attempt: this is a fault of its own,
            // and the view stays scheduled
            events.unexpectedError(s.view.name(), Activity.PUSHING, e);
        } finally {
            synchronized (s) {
                s.running = false;
            }
            s.lock.unlock();
            if (toProbe) {
                probeSoon(s);
            }
        }
        scheduleNext(s, attempt);
    }

    /** Adds a due view to the next {@link #probe}, which runs {@link #probeGather} after the first view waiting for it. */
    private void probeSoon(Slot s) {
        synchronized (probeLock) {
            probing.add(s);
            if (probeScheduled || stopping || executor.isShutdown()) {
                return;
            }
            probeScheduled = true;
            try {
                executor.schedule(this::probe, probeGather.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                probeScheduled = false; // the engine stops
            }
        }
    }

    /**
     * The "anything to send?" check of every view that became due since the last one, in one call to
     * the store ({@link Pusher#pushIdle}), not one statement per view: what lets an engine watch
     * thousands of idle views. A view with nothing to send, or whose check failed with the
     * database, is rescheduled as after any push that ended so. A view with rows is pushed at once
     * without checking again; one the store could not check is pushed at once and checks on its
     * own. A view another push holds (by hand, or woken) is left to it.
     */
    private void probe() {
        List<Slot> batch;
        synchronized (probeLock) {
            batch = probing;
            probing = new ArrayList<>();
            probeScheduled = false;
        }
        if (stopping) {
            return;
        }
        List<Slot> held = new ArrayList<>(batch.size());
        List<View> views = new ArrayList<>(batch.size());
        for (Slot s : new java.util.LinkedHashSet<>(batch)) { // a view queued twice is checked once
            if (s.lock.tryLock()) {
                held.add(s);
                views.add(s.view);
            } else {
                // a push holds it (by hand, woken, a replay) and reschedules it when it ends; in
                // case it ended just before, look again soon (a run that finds it held does nothing)
                scheduleAt(s, clock.instant().plus(probeGather), false);
            }
        }
        if (held.isEmpty()) {
            return;
        }
        Pusher.Checked checked = new Pusher.Checked(Map.of(), java.util.Set.of());
        try {
            checked = pusher.pushIdle(views);
        } catch (RuntimeException e) {
            // a listener's fault: the views are pushed one by one, each reporting for itself
            events.unexpectedError(views.get(0).name(), Activity.PUSHING, e);
        } finally {
            for (Slot s : held) {
                PushAttempt a = checked.ended().get(s.view.name());
                if (a != null) {
                    s.history = updated(s, a);
                } else {
                    synchronized (s) {
                        s.probed = true;
                        s.withRows = checked.withRows().contains(s.view.name());
                    }
                }
                s.lock.unlock();
            }
        }
        for (Slot s : held) {
            PushAttempt a = checked.ended().get(s.view.name());
            if (a != null) {
                scheduleNext(s, a);
            } else {
                scheduleAt(s, clock.instant(), true);
            }
        }
    }

    private PushHistory updated(Slot s, PushAttempt a) {
        if (a.status() == Status.SKIPPED) {
            // another engine pushes, or pushed since we last looked (the pusher found the view not due
            // in the journal): our picture of the view's history is stale
            return loadHistory(s.view.name());
        }
        return s.history.after(a);
    }

    /** After a push that found the view paused or may have paused it: what the store says now. */
    private void notePause(Slot s, PushAttempt a) {
        boolean mayHavePaused = a.outcome() == Outcome.PAUSED || a.outcome() == Outcome.ENDPOINT_GONE
                || (a.outcome() == Outcome.RECEIVER_FAILED && s.view.push().orElseThrow().pauseAfter().isPresent());
        if (mayHavePaused) {
            s.paused = stillPaused(s).orElse(null);
        }
    }

    /** @return the view's pause as the store has it; the one known when the store cannot be asked */
    private Optional<Pause> stillPaused(Slot s) {
        try {
            return control.paused(s.view.name());
        } catch (StorageException e) {
            events.unexpectedError(s.view.name(), Activity.LOADING_HISTORY, e);
            return Optional.ofNullable(s.paused);
        }
    }

    private PushHistory loadHistory(String view) {
        try {
            return journal.history(view);
        } catch (StorageException e) {
            events.unexpectedError(view, Activity.LOADING_HISTORY, e);
            return PushHistory.none(view);
        }
    }

    /** When the policy lets the view push next. */
    private Instant due(Slot s) {
        PushPolicy policy = s.view.push().orElseThrow();
        Instant now = clock.instant();
        PushDecision d = policy.decide(s.history, now);
        return d instanceof PushDecision.WaitUntil ? ((PushDecision.WaitUntil) d).at() : now;
    }

    private void scheduleNext(Slot s, PushAttempt attempt) {
        if (stopping) {
            return;
        }
        Instant due = due(s);
        boolean woken;
        synchronized (s) {
            woken = s.wake;
        }
        // found not due (the journal knew a later push than we did): come back when it is due, not
        // a whole interval after this check; unless the history we hold says it is due already
        boolean notDue = attempt != null && attempt.outcome() == Outcome.NOT_DUE && due.isAfter(clock.instant());
        boolean idle = attempt == null || attempt.status() == Status.NOTHING_TO_SEND
                || (attempt.status() == Status.SKIPPED && !notDue);
        if (attempt != null && attempt.outcome() == Outcome.PAUSED) {
            // found paused: check again each poll interval (one read of its pause), to push it at once when resumed
            scheduleAt(s, clock.instant().plus(pollInterval), true);
            return;
        }
        if (idle && !woken) {
            PushPolicy policy = s.view.push().orElseThrow();
            // held by another engine: look again after the poll interval, so that a holder that died
            // (and whose lease the store lets go at once) is taken over within about that long
            boolean held = attempt != null && attempt.outcome() == Outcome.LEASE_HELD;
            Duration recheck = !held && policy.minInterval().compareTo(pollInterval) > 0 ? policy.minInterval() : pollInterval;
            Instant base = attempt == null ? clock.instant() : attempt.startedAt();
            Instant floor = base.plus(recheck);
            if (floor.isAfter(due)) {
                due = floor;
            }
            // on a grid as fine as a probe's gathering: views checked in different probes a few
            // milliseconds apart meet in one probe from their next check on
            long grid = probeGather.toMillis();
            long at = due.toEpochMilli();
            due = Instant.ofEpochMilli(Math.floorDiv(at + grid - 1, grid) * grid);
        }
        scheduleAt(s, due, true);
    }

    private void scheduleAt(Slot s, Instant at) {
        scheduleAt(s, at, false);
    }

    /**
     * @param replace whether {@code at} replaces a run scheduled earlier (after a push, which knows
     *                when the view is next due), or only moves a later one forward (a wake-up)
     */
    private void scheduleAt(Slot s, Instant at, boolean replace) {
        synchronized (s) {
            if (stopping || executor.isShutdown()) {
                return;
            }
            if (s.next != null && !s.next.isDone()) {
                if (!replace && s.nextDue != null && !s.nextDue.isAfter(at)) {
                    return;
                }
                s.next.cancel(false);
            }
            // rounded up, plus a millisecond for the wall clock's drift from the timer's: a run even a
            // little before `at` finds the view not due yet and waits a whole poll interval more
            long delay = Math.max(0, Duration.between(clock.instant(), at).plusNanos(999_999).toMillis() + 1);
            s.nextDue = at;
            s.next = executor.schedule(() -> run(s), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** A view's place in the schedule. */
    private static final class Slot {
        final View view;
        final ReentrantLock lock = new ReentrantLock();
        volatile PushHistory history;
        /** The view's pause as this engine last saw it, or null. */
        volatile Pause paused;
        /** The next run pushes at once, ignoring the interval (the view was just resumed). */
        boolean atOnce;
        ScheduledFuture<?> next;
        Instant nextDue;
        boolean running;
        boolean wake;
        /** The probe found rows (or could not check): the next run pushes without waiting for another probe. */
        boolean probed;
        /** The probe found rows: the next run's push does not check again. */
        boolean withRows;

        Slot(View view) {
            this.view = view;
            this.history = PushHistory.none(view.name());
        }
    }

    private static final class Threads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "viewpush-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
