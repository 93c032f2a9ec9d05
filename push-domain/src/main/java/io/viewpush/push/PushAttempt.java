package io.viewpush.push;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
 * @param heldBack      the rows the push held back because a value of theirs cannot be carried by
 *                      the row JSON: neither sent nor stamped ({@link HeldBack#NONE} when none)
 */
public record PushAttempt(String view, Trigger trigger, Instant startedAt, Instant finishedAt, Status status,
                          long rowsSent, long rowsStamped, long rowsSkipped, int batches, long bytes,
                          OptionalInt httpStatus, String reason, List<String> webhookIds, HeldBack heldBack) {
    public PushAttempt {
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

    /** An attempt that held no row back ({@link HeldBack#NONE}); the other parameters as the record's. */
    public PushAttempt(String view, Trigger trigger, Instant startedAt, Instant finishedAt, Status status,
                       long rowsSent, long rowsStamped, long rowsSkipped, int batches, long bytes,
                       OptionalInt httpStatus, String reason, List<String> webhookIds) {
        this(view, trigger, startedAt, finishedAt, status, rowsSent, rowsStamped, rowsSkipped, batches, bytes,
                httpStatus, reason, webhookIds, HeldBack.NONE);
    }

    /** @return a copy with {@code heldBack} */
    public PushAttempt withHeldBack(HeldBack heldBack) {
        return new PushAttempt(view, trigger, startedAt, finishedAt, status, rowsSent, rowsStamped, rowsSkipped,
                batches, bytes, httpStatus, reason, webhookIds, heldBack);
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
