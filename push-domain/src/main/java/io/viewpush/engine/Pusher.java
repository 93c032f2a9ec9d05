package io.viewpush.engine;

import io.viewpush.PushException;
import io.viewpush.expression.Snapshot;
import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.Page;
import io.viewpush.port.PushJournal;
import io.viewpush.port.PushListener;
import io.viewpush.port.PushTransport;
import io.viewpush.port.RowCursor;
import io.viewpush.port.RowSource;
import io.viewpush.port.RowStamper;
import io.viewpush.port.StampBatch;
import io.viewpush.port.StorageException;
import io.viewpush.port.ViewLease;
import io.viewpush.push.Delivery;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.PushAttempt.Trigger;
import io.viewpush.push.PushDecision;
import io.viewpush.push.PushHistory;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.StampResult;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

/**
 * The push use case: lease, policy decision, read, send in batches, stamp each delivered batch
 * (only its rows), record the attempt, release. A failed batch stops the push and stamps nothing
 * of its own. Rows stream from the cursor through the transport; the pusher holds no batch in memory.
 */
final class Pusher {
    private final RowSource rows;
    private final RowStamper stamper;
    private final PushJournal journal;
    private final ViewLease lease;
    private final PushTransport transport;
    private final PushListener listener;
    private final Clock clock;
    private final ZoneId zone;
    private final String owner;
    private final Duration leaseTtl;
    private final LeaseKeeper keeper;

    Pusher(RowSource rows, RowStamper stamper, PushJournal journal, ViewLease lease, PushTransport transport,
           PushListener listener, Clock clock, ZoneId zone, String owner, Duration leaseTtl, LeaseKeeper keeper) {
        this.rows = rows;
        this.stamper = stamper;
        this.journal = journal;
        this.lease = lease;
        this.transport = transport;
        this.listener = listener;
        this.clock = clock;
        this.zone = zone;
        this.owner = owner;
        this.leaseTtl = leaseTtl;
        this.keeper = keeper;
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
        PushPolicy policy = view.push().orElseThrow(() -> new IllegalArgumentException(
                "view '" + view.name() + "' has no push policy"));
        Instant started = clock.instant();
        Snapshot snapshot = new Snapshot(started, zone);
        if (!hasRows(view, snapshot)) {
            return finish(skip(view, trigger, started, Status.NOTHING_TO_SEND, "nothing to send"));
        }
        Optional<LeaseToken> token = lease.tryAcquire(view.name(), owner, leaseTtl);
        if (token.isEmpty()) {
            return finish(skip(view, trigger, started, Status.SKIPPED, "another engine is pushing this view"));
        }
        keeper.hold(token.get());
        try {
            if (!ignoreInterval) {
                PushDecision decision = policy.decide(journal.history(view.name()), started);
                if (decision instanceof PushDecision.WaitUntil) {
                    return finish(skip(view, trigger, started, Status.SKIPPED, "not due: " + decision.because()));
                }
            }
            PushAttempt attempt = pushHoldingLease(view, policy, trigger, snapshot, token.get(), stopping, abandoned);
            if (attempt.status() != Status.NOTHING_TO_SEND && attempt.status() != Status.SKIPPED) {
                try {
                    journal.record(attempt, token.get());
                } catch (LeaseLostException | StorageException e) {
                    attempt = withReason(attempt, attempt.reason() + "; the journal could not record it: " + e.getMessage());
                }
            }
            return finish(attempt);
        } finally {
            keeper.release(token.get());
            try {
                lease.release(token.get());
            } catch (StorageException e) {
                // the lease expires by itself; the next push of any engine takes it over
                keeper.noteReleaseFailure(e);
            }
        }
    }

    private boolean hasRows(View view, Snapshot snapshot) {
        try (RowCursor probe = rows.open(view, snapshot, new Page(Optional.empty(), 1))) {
            return probe.hasNext();
        }
    }

    private PushAttempt pushHoldingLease(View view, PushPolicy policy, Trigger trigger, Snapshot snapshot,
                                         LeaseToken token, BooleanSupplier stopping, BooleanSupplier abandoned) {
        Totals t = new Totals();
        Status status;
        String reason;
        try (RowCursor cursor = rows.open(view, snapshot, Page.ALL)) {
            if (!cursor.hasNext()) {
                return skip(view, trigger, snapshot.now(), Status.NOTHING_TO_SEND, "nothing to send");
            }
            status = Status.SUCCESS;
            reason = null;
            while (cursor.hasNext()) {
                if (t.batches > 0 && stopping.getAsBoolean()) {
                    status = Status.PARTIAL;
                    reason = "the engine is stopping: later batches are left for the next push";
                    break;
                }
                if (t.batches > 0 && !lease.renew(token, leaseTtl)) {
                    throw new LeaseLostException(token);
                }
                Delivery d;
                StampResult stamp = StampResult.NONE;
                try (StampBatch batch = stamper.begin(view, snapshot, token)) {
                    BatchRows batchRows = new BatchRows(cursor, policy.maxRows(), batch);
                    d = transport.send(view, batchRows);
                    t.add(d);
                    if (d.delivered()) {
                        if (abandoned.getAsBoolean()) {
                            status = t.stampedBatches > 0 ? Status.PARTIAL : Status.FAILED;
                            reason = "the engine stopped before the delivered batch could be stamped; it will be sent again";
                            notifyBatch(view, d, stamp);
                            break;
                        }
                        stamp = batch.commit();
                        t.add(stamp);
                    }
                }
                notifyBatch(view, d, stamp);
                if (!d.delivered()) {
                    status = t.stampedBatches > 0 ? Status.PARTIAL : Status.FAILED;
                    reason = d.reason();
                    break;
                }
            }
        } catch (LeaseLostException e) {
            status = t.stampedBatches > 0 ? Status.PARTIAL : Status.FAILED;
            reason = "lost the view's lease to another engine: " + e.getMessage();
        } catch (StorageException e) {
            status = t.stampedBatches > 0 ? Status.PARTIAL : Status.FAILED;
            reason = "database error: " + e.getMessage();
        } catch (PushException e) {
            status = t.stampedBatches > 0 ? Status.PARTIAL : Status.FAILED;
            reason = e.getMessage();
        }
        if (reason == null) {
            reason = t.batches + " batch" + (t.batches == 1 ? "" : "es") + " delivered, " + t.rowsStamped
                    + " rows stamped" + (t.rowsSkipped > 0 ? ", " + t.rowsSkipped + " changed since read (not stamped)" : "");
        }
        return new PushAttempt(view.name(), trigger, snapshot.now(), clock.instant(), status, t.rowsSent,
                t.rowsStamped, t.rowsSkipped, t.batches, t.bytes, t.lastStatus, reason, t.webhookIds);
    }

    private PushAttempt skip(View view, Trigger trigger, Instant started, Status status, String reason) {
        return new PushAttempt(view.name(), trigger, started, clock.instant(), status, 0, 0, 0, 0, 0,
                OptionalInt.empty(), reason, List.of());
    }

    private static PushAttempt withReason(PushAttempt a, String reason) {
        return new PushAttempt(a.view(), a.trigger(), a.startedAt(), a.finishedAt(), a.status(), a.rowsSent(),
                a.rowsStamped(), a.rowsSkipped(), a.batches(), a.bytes(), a.httpStatus(), reason, a.webhookIds());
    }

    private PushAttempt finish(PushAttempt attempt) {
        try {
            listener.pushFinished(attempt);
        } catch (RuntimeException e) {
            keeper.noteListenerFailure(e);
        }
        return attempt;
    }

    private void notifyBatch(View view, Delivery d, StampResult stamp) {
        try {
            listener.batchFinished(view.name(), d, stamp);
        } catch (RuntimeException e) {
            keeper.noteListenerFailure(e);
        }
    }

    /** Running totals of one push. */
    private static final class Totals {
        long rowsSent;
        long rowsStamped;
        long rowsSkipped;
        int batches;
        int stampedBatches;
        long bytes;
        OptionalInt lastStatus = OptionalInt.empty();
        final List<String> webhookIds = new ArrayList<>();

        void add(Delivery d) {
            batches++;
            rowsSent += d.rows();
            bytes += d.bytes();
            lastStatus = d.status();
            webhookIds.add(d.webhookId());
        }

        void add(StampResult s) {
            stampedBatches++;
            rowsStamped += s.stamped();
            rowsSkipped += s.skipped();
        }
    }

    /** The rows of one batch: at most maxRows (0 = all) from the cursor, each recorded for stamping as it is taken. */
    private static final class BatchRows implements Iterator<Row> {
        private final RowCursor cursor;
        private final int maxRows;
        private final StampBatch batch;
        private int taken;

        BatchRows(RowCursor cursor, int maxRows, StampBatch batch) {
            this.cursor = cursor;
            this.maxRows = maxRows;
            this.batch = batch;
        }

        @Override
        public boolean hasNext() {
            return (maxRows == 0 || taken < maxRows) && cursor.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = cursor.next();
            batch.add(row);
            taken++;
            return row;
        }
    }
}
