package io.viewpush.push;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One push of one view, as the journal records it and the API shows it.
 *
 * @param view          the view's name
 * @param trigger       what started it
 * @param startedAt     when it started (the snapshot time)
 * @param finishedAt    when it finished
 * @param status        how it ended
 * @param rowsSent      rows in the batches that were sent (successfully or not)
 * @param rowsStamped   rows stamped after a success
 * @param rowsSkipped   rows delivered but not stamped because they changed after they were read
 * @param batches       requests sent (each may have been retried)
 * @param bytes         body bytes of the batches sent
 * @param httpStatus    the last HTTP status received, if any
 * @param reason        a person-readable summary; for failures, why
 * @param webhookIds    the idempotency keys of the batches sent, in order
 * @param outcome       why it ended as it did, for code to compare ({@code reason} is for people)
 * @param heldBack      the rows the push held back because a value of theirs cannot be carried by
 *                      the row JSON: neither sent nor stamped ({@link HeldBack#NONE} when none)
 * @param firstAnsweredAt when the push's first request had its answer (or its failure), if it sent
 *                      one: the minimum interval and the backoff count from it ({@link #intervalStart()}),
 *                      so that a receiver never sees two pushes' first requests closer together than
 *                      the minimum interval, however long a push read before its first request. The
 *                      journal does not keep it with the attempt (attempts read back have none).
 */
public record PushAttempt(String view, Trigger trigger, Instant startedAt, Instant finishedAt, Status status,
                          long rowsSent, long rowsStamped, long rowsSkipped, int batches, long bytes,
                          OptionalInt httpStatus, String reason, List<String> webhookIds, Outcome outcome,
                          HeldBack heldBack, Optional<Instant> firstAnsweredAt) {
    public PushAttempt {
        Objects.requireNonNull(firstAnsweredAt, "firstAnsweredAt");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(httpStatus, "httpStatus");
        Objects.requireNonNull(reason, "reason");
        webhookIds = List.copyOf(webhookIds);
        Objects.requireNonNull(heldBack, "heldBack");
    }

    /** An attempt without {@link #firstAnsweredAt()}; the other parameters as the record's. */
    public PushAttempt(String view, Trigger trigger, Instant startedAt, Instant finishedAt, Status status,
                       long rowsSent, long rowsStamped, long rowsSkipped, int batches, long bytes,
                       OptionalInt httpStatus, String reason, List<String> webhookIds, Outcome outcome,
                       HeldBack heldBack) {
        this(view, trigger, startedAt, finishedAt, status, rowsSent, rowsStamped, rowsSkipped, batches, bytes,
                httpStatus, reason, webhookIds, outcome, heldBack, Optional.empty());
    }

    /** An attempt that held no row back ({@link HeldBack#NONE}); the other parameters as the record's. */
    public PushAttempt(String view, Trigger trigger, Instant startedAt, Instant finishedAt, Status status,
                       long rowsSent, long rowsStamped, long rowsSkipped, int batches, long bytes,
                       OptionalInt httpStatus, String reason, List<String> webhookIds, Outcome outcome) {
        this(view, trigger, startedAt, finishedAt, status, rowsSent, rowsStamped, rowsSkipped, batches, bytes,
                httpStatus, reason, webhookIds, outcome, HeldBack.NONE);
    }

    /**
     * An attempt with the outcome its status stands for most often ({@link Outcome#of(Status)}), for
     * callers that know only the status.
     */
    public PushAttempt(String view, Trigger trigger, Instant startedAt, Instant finishedAt, Status status,
                       long rowsSent, long rowsStamped, long rowsSkipped, int batches, long bytes,
                       OptionalInt httpStatus, String reason, List<String> webhookIds, HeldBack heldBack) {
        this(view, trigger, startedAt, finishedAt, status, rowsSent, rowsStamped, rowsSkipped, batches, bytes,
                httpStatus, reason, webhookIds, Outcome.of(Objects.requireNonNull(status, "status")), heldBack);
    }

    /** The two above at once: the outcome its status stands for, no row held back. */
    public PushAttempt(String view, Trigger trigger, Instant startedAt, Instant finishedAt, Status status,
                       long rowsSent, long rowsStamped, long rowsSkipped, int batches, long bytes,
                       OptionalInt httpStatus, String reason, List<String> webhookIds) {
        this(view, trigger, startedAt, finishedAt, status, rowsSent, rowsStamped, rowsSkipped, batches, bytes,
                httpStatus, reason, webhookIds, HeldBack.NONE);
    }

    /** @return a copy with {@code heldBack} */
    public PushAttempt withHeldBack(HeldBack heldBack) {
        return new PushAttempt(view, trigger, startedAt, finishedAt, status, rowsSent, rowsStamped, rowsSkipped,
                batches, bytes, httpStatus, reason, webhookIds, outcome, heldBack, firstAnsweredAt);
    }

    /** @return this attempt with another person-readable reason */
    public PushAttempt withReason(String value) {
        return new PushAttempt(view, trigger, startedAt, finishedAt, status, rowsSent, rowsStamped, rowsSkipped,
                batches, bytes, httpStatus, value, webhookIds, outcome, heldBack, firstAnsweredAt);
    }

    /** @return a copy whose first request had its answer at {@code value} */
    public PushAttempt withFirstAnsweredAt(Instant value) {
        return new PushAttempt(view, trigger, startedAt, finishedAt, status, rowsSent, rowsStamped, rowsSkipped,
                batches, bytes, httpStatus, reason, webhookIds, outcome, heldBack, Optional.of(value));
    }

    /**
     * @return what the view's minimum interval and backoff count from after this push: when its
     *         first request had its answer, or its start if it sent none
     */
    public Instant intervalStart() {
        return firstAnsweredAt.orElse(startedAt);
    }

    /** @return how long the push took */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /** @return true when the push delivered everything it had (or had nothing) */
    public boolean succeeded() {
        return status == Status.SUCCESS || status == Status.NOTHING_TO_SEND;
    }

    /** How a push ended. */
    public enum Status {
        /** Every batch was delivered and its rows stamped (or skipped as changed). */
        SUCCESS,
        /** The view had no rows: no request was made. */
        NOTHING_TO_SEND,
        /** The first batch failed: nothing was stamped. */
        FAILED,
        /** Some batches were delivered and stamped, then one failed; later batches were not sent. */
        PARTIAL,
        /** Not pushed: another engine holds the view's lease, or the engine is stopping. */
        SKIPPED
    }

    /**
     * Why a push ended as it did: a code to compare (the scheduler, metrics, the API), where
     * {@link #reason()} is its explanation for people. Each belongs to one {@link Status} or two
     * (a push that stamped some batches before the failure is {@code PARTIAL}).
     */
    public enum Outcome {
        /** Every batch was delivered and stamped ({@code SUCCESS}). */
        DELIVERED,
        /** The view had no rows to send ({@code NOTHING_TO_SEND}). */
        NOTHING_TO_SEND,
        /** Not pushed: the view's policy says wait (its minimum interval or backoff; {@code SKIPPED}). */
        NOT_DUE,
        /** Not pushed: another engine holds the view's lease ({@code SKIPPED}). */
        LEASE_HELD,
        /** A batch was not accepted: the receiver's answer, a timeout or a connection error ({@code FAILED}, {@code PARTIAL}). */
        RECEIVER_FAILED,
        /** The database failed: reading, stamping, the lease or the journal ({@code FAILED}, {@code PARTIAL}). */
        DATABASE_FAILED,
        /** Another engine took the view's lease over during the push: nothing more was stamped ({@code FAILED}, {@code PARTIAL}). */
        LEASE_LOST,
        /** The rows could not be sent as they are (a value the format cannot carry; {@code FAILED}, {@code PARTIAL}). */
        ROWS_REJECTED,
        /**
         * The receiver took the requests but rejected some rows in its answer row by row
         * ({@link PushPolicy.ResponseMode#ROWS}): they were not stamped and go out again after the
         * backoff ({@code PARTIAL}, or {@code FAILED} when no row was stamped).
         */
        RECEIVER_REJECTED_ROWS,
        /** The engine was stopping: later batches (or the stamp of a delivered one) are left for the next push ({@code PARTIAL}, {@code FAILED}). */
        STOPPING,
        /**
         * The receiver said it is gone for good ({@link Delivery#gone()}, HTTP 410): nothing of that
         * batch was stamped, nothing more was sent, and the view is paused ({@code FAILED}, {@code PARTIAL}).
         */
        ENDPOINT_GONE,
        /** Not pushed: the view is paused ({@link Pause}) until an operator resumes it ({@code SKIPPED}). */
        PAUSED;

        /** @return the outcome a status stands for when nothing more is known */
        public static Outcome of(Status status) {
            switch (status) {
                case SUCCESS:
                    return DELIVERED;
                case NOTHING_TO_SEND:
                    return NOTHING_TO_SEND;
                case SKIPPED:
                    return LEASE_HELD;
                default:
                    return RECEIVER_FAILED;
            }
        }
    }

    /** What started a push. */
    public enum Trigger {
        /** The scheduler: the view was due. */
        SCHEDULE,
        /** The host or an operator asked for a push now, ignoring the minimum interval. */
        MANUAL,
        /** The host said the data changed; the view was pushed as soon as its policy allowed. */
        WAKE
    }
}
