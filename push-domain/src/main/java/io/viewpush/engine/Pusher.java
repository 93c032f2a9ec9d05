package io.viewpush.engine;

import io.viewpush.PushException;
import io.viewpush.expression.Snapshot;
import io.viewpush.port.LeaseLostException;
import io.viewpush.port.Page;
import io.viewpush.port.PushListener;
import io.viewpush.port.PushListener.Activity;
import io.viewpush.port.PushSession;
import io.viewpush.port.PushStore;
import io.viewpush.port.PushTransport;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.port.StorageException;
import io.viewpush.push.Delivery;
import io.viewpush.push.HeldBack;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Outcome;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.PushAttempt.Trigger;
import io.viewpush.push.PushDecision;
import io.viewpush.push.PushHistory;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.Replay;
import io.viewpush.push.StampResult;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The push use case: lease, policy decision, read, send in batches, stamp each delivered batch
 * (only its rows), record the attempt, release. A failed batch stops the push and stamps nothing
 * of its own. Rows stream from the cursor through the transport; the pusher holds no batch in memory.
 * A row holding a value the row JSON cannot carry is held back ({@link HoldingBack}): neither sent
 * nor stamped, reported in the attempt and to the listener, while the other rows go on.
 */
final class Pusher {
    private final PushStore store;
    private final PushTransport transport;
    private final Events events;
    private final Clock clock;
    private final ZoneId zone;
    private final String owner;
    private final Duration leaseTtl;
    private final LeaseKeeper keeper;
    private final Executor stampExecutor;

    Pusher(PushStore store, PushTransport transport, Events events, Clock clock, ZoneId zone, String owner,
           Duration leaseTtl, LeaseKeeper keeper, Executor stampExecutor) {
        this.store = store;
        this.transport = transport;
        this.events = events;
        this.clock = clock;
        this.zone = zone;
        this.owner = owner;
        this.leaseTtl = leaseTtl;
        this.keeper = keeper;
        this.stampExecutor = stampExecutor;
    }

    /**
     * Pushes one view once.
     *
     * @param view           the view, with a push policy
     * @param trigger        what started the push
     * @param ignoreInterval true to push even if the policy says wait (a manual push)
     * @param stopping       true once the engine stops taking new batches: the batch in flight finishes
     * @param abandoned      true once the engine gave up waiting: nothing more is stamped
     * @return what happened
     */
    PushAttempt push(View view, Trigger trigger, boolean ignoreInterval, BooleanSupplier stopping,
                     BooleanSupplier abandoned) {
        return push(view, trigger, ignoreInterval, false, stopping, abandoned);
    }

    /**
     * Pushes one view once (see above).
     *
     * @param checked true when a due push's view was just found with rows ({@link #pushIdle}): it is
     *                not checked again before its lease is taken
     */
    PushAttempt push(View view, Trigger trigger, boolean ignoreInterval, boolean checked, BooleanSupplier stopping,
                     BooleanSupplier abandoned) {
        PushPolicy policy = view.push().orElseThrow(() -> new IllegalArgumentException(
                "view '" + view.name() + "' has no push policy"));
        events.pushStarted(view.name(), trigger);
        Instant started = clock.instant();
        Snapshot snapshot = new Snapshot(started, zone);
        // A due push first checks without the lease whether there is anything to send (one cheap
        // indexed statement per idle view and poll), then takes the lease and checks it is due. A
        // manual push reads at once: its read shows whether there is anything to send.
        boolean dueCheck = !ignoreInterval;
        Optional<PushSession> begun;
        try {
            if (dueCheck && !checked && !hasRows(view, snapshot)) {
                return finish(skip(view, trigger, started, Status.NOTHING_TO_SEND, Outcome.NOTHING_TO_SEND, "nothing to send"));
            }
            begun = store.begin(view, owner, leaseTtl, snapshot, !dueCheck);
            if (begun.isEmpty() && !dueCheck && !hasRows(view, snapshot)) {
                return finish(skip(view, trigger, started, Status.NOTHING_TO_SEND, Outcome.NOTHING_TO_SEND, "nothing to send"));
            }
        } catch (StorageException e) {
            return finish(failedBeforeSending(view, trigger, started, e));
        }
        if (begun.isEmpty()) {
            return finish(skip(view, trigger, started, Status.SKIPPED, Outcome.LEASE_HELD,
                    "another engine is pushing this view" + holder(view)));
        }
        PushSession session = begun.get();
        keeper.hold(view.name(), session);
        try {
            PushHistory history = null;
            try {
                if (dueCheck) {
                    history = session.history();
                }
                // under the lease: a pause another engine made is seen before anything is sent
                Optional<Pause> paused = session.paused();
                if (paused.isPresent()) {
                    return finish(skip(view, trigger, started, Status.SKIPPED, Outcome.PAUSED,
                            "the view is " + paused.get().describe() + "; resume it to push again"));
                }
            } catch (StorageException e) {
                return finish(failedBeforeSending(view, trigger, started, e));
            }
            if (dueCheck) {
                PushDecision decision = policy.decide(history, started);
                if (decision instanceof PushDecision.WaitUntil) {
                    return finish(skip(view, trigger, started, Status.SKIPPED, Outcome.NOT_DUE, "not due: " + decision.because()));
                }
            }
            PushAttempt attempt = pushHoldingLease(view, policy, trigger, snapshot, session, stopping, abandoned);
            attempt = pauseIfDue(view, policy, attempt, session, history);
            if (attempt.status() != Status.NOTHING_TO_SEND && attempt.status() != Status.SKIPPED) {
                keeper.release(view.name(), session); // no renewal may race the release below
                try {
                    session.finish(attempt);
                } catch (LeaseLostException | StorageException e) {
                    attempt = attempt.withReason(attempt.reason() + "; the journal could not record it: " + e.getMessage());
                }
            }
            return finish(attempt);
        } finally {
            keeper.release(view.name(), session);
            try {
                session.close();
            } catch (StorageException e) {
                // the lease expires by itself; the next push of any engine takes it over
                events.unexpectedError(view.name(), Activity.RELEASING_LEASE, e);
            }
        }
    }

    /**
     * What the check of many views found: the pushes it ended (nothing to send, or the database
     * failed), and the views with rows.
     */
    record Checked(Map<String, PushAttempt> ended, Set<String> withRows) {
    }

    /**
     * The "anything to send?" check of due pushes of many views at once ({@link
     * io.viewpush.port.RowSource#hasRows}): each view found with nothing to send ends as a push that
     * found nothing (its events, as {@link #push} reports it); when the store could check none of
     * them, each ends as a push that failed before sending, as its own check's failure did. The
     * others are for the caller to push: those found with rows without checking again, those the
     * store could not check each checking on its own (so that it reports why).
     *
     * @param views due views, none of them pushed by hand
     * @return what the check found
     */
    Checked pushIdle(List<View> views) {
        Instant started = clock.instant();
        Map<String, Boolean> found;
        try {
            found = store.hasRows(views, new Snapshot(started, zone));
        } catch (StorageException e) {
            Map<String, PushAttempt> failed = new HashMap<>();
            for (View view : views) {
                events.pushStarted(view.name(), Trigger.SCHEDULE);
                failed.put(view.name(), finish(failedBeforeSending(view, Trigger.SCHEDULE, started, e)));
            }
            return new Checked(failed, Set.of());
        } catch (RuntimeException e) {
            return new Checked(Map.of(), Set.of()); // each view's own check reports it
        }
        Map<String, PushAttempt> none = new HashMap<>();
        Set<String> rows = new HashSet<>();
        for (View view : views) {
            Boolean has = found.get(view.name());
            if (Boolean.TRUE.equals(has)) {
                rows.add(view.name());
            } else if (has != null) {
                events.pushStarted(view.name(), Trigger.SCHEDULE);
                none.put(view.name(), finish(skip(view, Trigger.SCHEDULE, started, Status.NOTHING_TO_SEND,
                        Outcome.NOTHING_TO_SEND, "nothing to send")));
            }
        }
        return new Checked(none, rows);
    }

    /**
     * Pauses the view when its receiver is gone, or when its pushes have all failed for the policy's
     * {@code pauseAfter}: the pause is stored (every engine sees it) before the attempt is recorded.
     *
     * @param history the view's history before this push, or null when the push did not load it
     * @return the attempt, its reason telling of the pause
     */
    private PushAttempt pauseIfDue(View view, PushPolicy policy, PushAttempt attempt, PushSession session,
                                   PushHistory history) {
        Pause pause;
        if (attempt.outcome() == Outcome.ENDPOINT_GONE) {
            pause = new Pause(view.name(), Pause.Reason.ENDPOINT_GONE, attempt.reason(), clock.instant(), owner);
        } else if (attempt.outcome() == Outcome.RECEIVER_FAILED && policy.pauseAfter().isPresent()) {
            PushHistory after;
            try {
                after = (history != null ? history : session.history()).after(attempt);
            } catch (StorageException e) {
                return attempt; // the next failure checks again
            }
            Optional<Instant> since = after.failingSince();
            if (since.isEmpty() || since.get().plus(policy.pauseAfter().get()).isAfter(attempt.startedAt())) {
                return attempt;
            }
            pause = new Pause(view.name(), Pause.Reason.FAILING, after.consecutiveFailures() + " pushes in a row failed since "
                    + since.get() + " (pauseAfter " + policy.pauseAfter().get() + "); the last: " + attempt.reason(),
                    clock.instant(), owner);
        } else {
            return attempt;
        }
        Pause stored;
        try {
            stored = store.pause(pause);
        } catch (StorageException e) {
            return attempt.withReason(attempt.reason() + "; the view should be paused (" + pause.reason().code()
                    + ") but the database failed: " + e.getMessage());
        }
        if (stored.equals(pause)) {
            events.viewPaused(stored);
        }
        return attempt.withReason(attempt.reason() + "; the view is paused (" + stored.reason().code()
                + "): nothing more is sent until it is resumed");
    }

    /**
     * Replays rows of the view under its lease (see {@link PushSession#replay}).
     *
     * @return what was done, or empty when another engine holds the view's lease
     */
    Optional<Replay> replay(View view, ReplaySelection which, boolean dryRun, String by) {
        Snapshot snapshot = new Snapshot(clock.instant(), zone);
        Optional<PushSession> begun = store.begin(view, owner, leaseTtl, snapshot, false);
        if (begun.isEmpty()) {
            return Optional.empty();
        }
        try (PushSession session = begun.get()) {
            return Optional.of(session.replay(which, dryRun, by));
        }
    }

    /** @return who holds the view's lease, for the message, or nothing when the store cannot say */
    private String holder(View view) {
        try {
            return store.leaseHolder(view.name()).map(h -> " (" + h.describe() + ")").orElse("");
        } catch (StorageException e) {
            return "";
        }
    }

    private boolean hasRows(View view, Snapshot snapshot) {
        try (RowCursor probe = store.open(view, snapshot, Page.first(1))) {
            return probe.hasNext();
        }
    }

    private PushAttempt pushHoldingLease(View view, PushPolicy policy, Trigger trigger, Snapshot snapshot,
                                         PushSession session, BooleanSupplier stopping, BooleanSupplier abandoned) {
        Totals t = new Totals();
        Stamping stamping = new Stamping(view, abandoned);
        boolean byRow = policy.response() == PushPolicy.ResponseMode.ROWS;
        RowVerdicts verdicts = new RowVerdicts();
        Status status = Status.SUCCESS;
        Outcome outcome = Outcome.DELIVERED;
        String reason = null;
        boolean sentAny = false;
        HoldingBack holding = null;
        // rows the row JSON cannot carry are held back here, before a batch takes them: never sent, never stamped
        try (RowCursor cursor = holding = new HoldingBack(session.rows(), held -> events.rowHeldBack(view.name(), held))) {
            while (cursor.hasNext()) {
                if (stamping.failure() != null) {
                    break;
                }
                if (sentAny && stopping.getAsBoolean()) {
                    status = Status.PARTIAL;
                    outcome = Outcome.STOPPING;
                    reason = "the engine is stopping: later batches are left for the next push";
                    break;
                }
                if (sentAny && !session.renew()) {
                    throw new LeaseLostException(session.lease());
                }
                sentAny = true;
                StampBatch batch = session.batch();
                boolean handedOver = false;
                Delivery d;
                try {
                    BatchRows batchRows = new BatchRows(cursor, policy.maxRows(), batch, byRow,
                            t.taken(view.name(), events));
                    try {
                        d = transport.send(view, batchRows);
                    } finally {
                        if (t.firstAnsweredAt == null) {
                            // answered or failed: the receiver has seen this push's first request by now
                            t.firstAnsweredAt = clock.instant();
                        }
                    }
                    t.add(d);
                    if (d.delivered() && byRow) {
                        // only now do the rows go into the batch: those the receiver accepted
                        verdicts.take(d, batchRows.waiting(), batch);
                    }
                    if (d.delivered()) {
                        // the last batch is stamped on this thread: there is no next batch to overlap
                        // it with, and handing it to the stamping thread costs two thread wake-ups
                        if (batchRows.cursorEnded()) {
                            stamping.here(d, batch);
                        } else {
                            stamping.after(d, batch);
                        }
                        handedOver = true;
                    }
                } finally {
                    if (!handedOver) {
                        batch.close();
                    }
                }
                if (!d.delivered()) {
                    notifyBatch(view, d, StampResult.NONE);
                    status = Status.FAILED;
                    outcome = d.gone() ? Outcome.ENDPOINT_GONE : Outcome.RECEIVER_FAILED;
                    reason = (d.gone() ? "the receiver is gone: " + d.reason() : d.reason())
                            + answered(d.responseExcerpt());
                    break;
                }
            }
            if (!sentAny && holding.heldBack().isEmpty()) {
                return skip(view, trigger, snapshot.now(), Status.NOTHING_TO_SEND, Outcome.NOTHING_TO_SEND,
                        "nothing to send");
            }
        } catch (LeaseLostException e) {
            status = Status.FAILED;
            outcome = Outcome.LEASE_LOST;
            reason = "lost the view's lease to another engine: " + e.getMessage();
        } catch (StorageException e) {
            status = Status.FAILED;
            outcome = Outcome.DATABASE_FAILED;
            reason = "database error: " + e.getMessage();
        } catch (PushException e) {
            status = Status.FAILED;
            outcome = Outcome.ROWS_REJECTED;
            reason = e.getMessage();
        } finally {
            stamping.awaitAll();
        }
        RuntimeException stampFailure = stamping.failure();
        if (stampFailure != null && status != Status.FAILED) {
            status = Status.FAILED;
            outcome = stampFailure instanceof LeaseLostException ? Outcome.LEASE_LOST : Outcome.DATABASE_FAILED;
            reason = stampFailure instanceof LeaseLostException
                    ? "lost the view's lease to another engine: " + stampFailure.getMessage()
                    : stampFailure instanceof StorageException ? "database error while stamping: " + stampFailure.getMessage()
                    : stampFailure.getMessage();
        }
        if (stamping.abandonedBatches() > 0 && status != Status.FAILED) {
            status = Status.FAILED;
            outcome = Outcome.STOPPING;
            reason = "the engine stopped before a delivered batch could be stamped; its rows will be sent again";
        }
        if (verdicts.notAccepted() > 0 && status != Status.FAILED) {
            status = Status.FAILED;
            outcome = Outcome.RECEIVER_REJECTED_ROWS;
        }
        if (status == Status.FAILED && stamping.stampedBatches() > 0
                && (outcome != Outcome.RECEIVER_REJECTED_ROWS || stamping.stamped() > 0)) {
            status = Status.PARTIAL;
        }
        HeldBack heldBack = holding == null ? HeldBack.NONE : holding.heldBack();
        if (reason == null) {
            reason = t.batches == 0 ? "nothing sent"
                    : t.batches + " batch" + (t.batches == 1 ? "" : "es") + " delivered, " + stamping.stamped()
                    + (stamping.stamped() == 1 ? " row" : " rows") + " stamped" + (stamping.skipped() > 0 ? ", " + stamping.skipped()
                    + " changed since read (not stamped)" : "");
            if (!heldBack.isEmpty()) {
                reason += "; " + heldBack.summary();
            }
        }
        if (verdicts.notAccepted() > 0) {
            reason += "; " + verdicts.summary();
        }
        return new PushAttempt(view.name(), trigger, snapshot.now(), clock.instant(), status, t.rowsSent,
                stamping.stamped(), stamping.skipped(), t.batches, t.bytes, t.lastStatus, reason, t.webhookIds, outcome,
                heldBack, Optional.ofNullable(t.firstAnsweredAt));
    }

    private PushAttempt skip(View view, Trigger trigger, Instant started, Status status, Outcome outcome,
                             String reason) {
        return new PushAttempt(view.name(), trigger, started, clock.instant(), status, 0, 0, 0, 0, 0,
                OptionalInt.empty(), reason, List.of(), outcome);
    }

    /**
     * A database failure before any row was sent (the probe, the lease, the history): reported to
     * the listener like any failed push (a log line, a metric) and backed off from by the scheduler.
     * It is not journaled: the journal is in the database that just failed.
     */
    private PushAttempt failedBeforeSending(View view, Trigger trigger, Instant started, StorageException e) {
        return skip(view, trigger, started, Status.FAILED, Outcome.DATABASE_FAILED, "database error: " + e.getMessage());
    }

    private PushAttempt finish(PushAttempt attempt) {
        events.pushFinished(attempt);
        return attempt;
    }

    private void notifyBatch(View view, Delivery d, StampResult stamp) {
        events.batchFinished(view.name(), d, stamp);
    }

    /** Running totals of one push. */
    /** Characters of the receiver's answer that a failed attempt's reason keeps. */
    static final int ANSWER_IN_REASON = 200;

    /**
     * The start of the receiver's answer to a failed batch, for the journal (people read why it
     * failed in it): on one line, at most {@link #ANSWER_IN_REASON} characters; empty without one.
     */
    static String answered(String excerpt) {
        String line = excerpt.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        if (line.isEmpty()) {
            return "";
        }
        if (line.length() > ANSWER_IN_REASON) {
            int end = Character.isHighSurrogate(line.charAt(ANSWER_IN_REASON - 1)) ? ANSWER_IN_REASON - 1 : ANSWER_IN_REASON;
            line = line.substring(0, end) + "\u2026";
        }
        return "; the receiver answered: " + line;
    }

    private static final class Totals {
        /** Rows the transport took in this push, all batches together. */
        private long taken;
        private Runnable progress;

        /** @return what a batch runs for each row taken: counts it, and tells the listeners every thousand */
        Runnable taken(String view, Events events) {
            if (progress == null) {
                progress = () -> {
                    taken++;
                    if (taken % PushListener.ROWS_TAKEN_EVERY == 0) {
                        events.rowsTaken(view, taken);
                    }
                };
            }
            return progress;
        }

        long rowsSent;
        int batches;
        long bytes;
        OptionalInt lastStatus = OptionalInt.empty();
        final List<String> webhookIds = new ArrayList<>();
        /** When the first batch's send returned: answered, or failed. */
        Instant firstAnsweredAt;

        void add(Delivery d) {
            batches++;
            rowsSent += d.rows();
            bytes += d.bytes();
            lastStatus = d.status();
            webhookIds.add(d.webhookId());
        }
    }

    /**
     * Stamps delivered batches in order on the stamping executor, so that batch k is stamped while
     * batch k+1 is read and sent (the push's last batch on the pushing thread itself, as there is
     * nothing left to overlap it with); each strictly after its own delivery, and never more than one
     * stamp pending (so the batches in flight stay bounded). After the first failure no
     * further batch is stamped; after the engine gives up ({@code abandoned}) nothing is.
     */
    private final class Stamping {
        private final View view;
        private final BooleanSupplier abandoned;
        private CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private final AtomicLong stamped = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final AtomicInteger stampedBatches = new AtomicInteger();
        private final AtomicInteger abandonedBatches = new AtomicInteger();

        Stamping(View view, BooleanSupplier abandoned) {
            this.view = view;
            this.abandoned = abandoned;
        }

        /** Queues the batch's stamp after waiting for the previous one: at most one stamp overlaps a send. */
        void after(Delivery delivery, StampBatch batch) {
            // here, while the previous stamp may still run: the stamping thread then does less
            RuntimeException unprepared = seal(batch);
            awaitAll();
            if (unprepared != null) {
                // only now: the batches before it are stamped all the same; stamp() closes this one unstamped
                failure.compareAndSet(null, unprepared);
            }
            chain = chain.thenRunAsync(() -> stamp(delivery, batch), stampExecutor);
        }

        /** @return why the batch could not be sealed (the push's failure), or null */
        private RuntimeException seal(StampBatch batch) {
            try {
                batch.seal();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        }

        /** Stamps the batch on the caller's thread, after the previous one. */
        void here(Delivery delivery, StampBatch batch) {
            awaitAll();
            stamp(delivery, batch);
        }

        private void stamp(Delivery delivery, StampBatch batch) {
            StampResult result = StampResult.NONE;
            try (batch) {
                if (failure.get() != null) {
                    return;
                }
                if (abandoned.getAsBoolean()) {
                    abandonedBatches.incrementAndGet();
                    return;
                }
                result = batch.commit();
                stamped.addAndGet(result.stamped());
                skipped.addAndGet(result.skipped());
                stampedBatches.incrementAndGet();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                notifyBatch(view, delivery, result);
            }
        }

        void awaitAll() {
            boolean interrupted = false;
            while (true) {
                try {
                    chain.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the stamps in flight must finish or fail before the lease is released
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, new PushException("stamping failed: " + e.getCause(), e.getCause()));
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        RuntimeException failure() {
            return failure.get();
        }

        long stamped() {
            return stamped.get();
        }

        long skipped() {
            return skipped.get();
        }

        int stampedBatches() {
            return stampedBatches.get();
        }

        int abandonedBatches() {
            return abandonedBatches.get();
        }
    }

    /**
     * What receivers answered row by row in one push ({@link PushPolicy.ResponseMode#ROWS}): the rows
     * not accepted are counted, and the first reasons kept for the attempt's reason (the journal, the API).
     */
    private static final class RowVerdicts {
        private static final int REASONS_KEPT = 20;
        private long rejected;
        private long unanswered;
        private final List<String> reasons = new ArrayList<>();

        /** Adds the rows the receiver accepted (all, when it answered for the whole batch) to the batch. */
        void take(Delivery d, List<Row> rows, StampBatch batch) {
            if (d.rowAnswers().isEmpty()) {
                rows.forEach(batch::add);
                return;
            }
            io.viewpush.push.RowAnswers answers = d.rowAnswers().get();
            for (Row row : rows) {
                List<Object> key = row.rowKey().values();
                if (answers.accepted().contains(key)) {
                    batch.add(row);
                } else if (answers.rejected().containsKey(key)) {
                    rejected++;
                    if (reasons.size() < REASONS_KEPT) {
                        reasons.add(keyText(key) + ": " + answers.rejected().get(key));
                    }
                } else {
                    unanswered++;
                }
            }
        }

        private static String keyText(List<Object> key) {
            return key.size() == 1 ? String.valueOf(key.get(0)) : key.toString();
        }

        long notAccepted() {
            return rejected + unanswered;
        }

        String summary() {
            StringBuilder s = new StringBuilder();
            if (rejected > 0) {
                s.append(rejected).append(rejected == 1 ? " row" : " rows").append(" rejected by the receiver (not stamped,"
                        + " sent again after the backoff): ").append(String.join("; ", reasons));
                if (rejected > reasons.size()) {
                    s.append("; …");
                }
            }
            if (unanswered > 0) {
                s.append(s.length() == 0 ? "" : "; ").append(unanswered).append(unanswered == 1 ? " row" : " rows")
                        .append(" neither accepted nor rejected in the receiver's answer (not stamped)");
            }
            return s.toString();
        }
    }

    /**
     * The rows of one batch: at most maxRows (0 = all) from the cursor, each recorded for stamping as
     * it is taken; or, when the receiver answers row by row, kept until its answer says which to stamp.
     */
    private static final class BatchRows implements Iterator<Row> {
        private final RowCursor cursor;
        private final int maxRows;
        private final StampBatch batch;
        private final Runnable progress;
        private final List<Row> waiting;
        private int taken;
        private boolean cursorEnded;

        /**
         * @param untilAnswered keep the rows until the receiver's answer (answers row by row)
         * @param progress      told of each row the transport takes
         */
        BatchRows(RowCursor cursor, int maxRows, StampBatch batch, boolean untilAnswered, Runnable progress) {
            this.cursor = cursor;
            this.maxRows = maxRows;
            this.batch = batch;
            this.progress = progress;
            this.waiting = untilAnswered ? new ArrayList<>() : null;
        }

        /** @return the rows kept until the receiver's answer (answers row by row) */
        List<Row> waiting() {
            return waiting;
        }

        @Override
        public boolean hasNext() {
            if (maxRows != 0 && taken >= maxRows) {
                return false;
            }
            boolean more = cursor.hasNext();
            cursorEnded = !more;
            return more;
        }

        /** @return whether the cursor said it has no more rows (so this batch is the push's last) */
        boolean cursorEnded() {
            return cursorEnded;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = cursor.next();
            if (waiting != null) {
                waiting.add(row);
            } else {
                batch.add(row);
            }
            taken++;
            progress.run();
            return row;
        }
    }
}
