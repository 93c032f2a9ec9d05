package io.viewpush.push;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What happened to one batch a transport sent: delivered (the receiver took the whole batch) or
 * failed (it did not, or the transport could not tell), after the transport's own retries. Any
 * transport can report one with {@link #delivered(String, long, long, String, int)} and
 * {@link #failed(String, long, long, String, int)}; the status, {@code Retry-After} and answer
 * excerpt are for transports whose receivers answer with them (HTTP's).
 *
 * @param delivered       true when the receiver took the whole batch
 * @param status          the receiver's last status code, when the transport has one (HTTP's status); empty otherwise
 * @param reason          a person-readable summary ("200 OK", "connection refused", "queued", …); no secrets
 * @param rows            rows in the batch
 * @param bytes           encoded bytes of the batch (0 when the transport does not encode)
 * @param webhookId       the batch's idempotency key: the same batch of the same view always gets the same one
 *                        (the HTTP transport sends it as {@code webhook-id})
 * @param attempts        tries made for the batch, at least 1
 * @param retryAfter      how long the receiver asked to be left alone, if it did with a failure
 * @param responseExcerpt the start of the receiver's answer, capped (may be empty)
 * @param gone            true when the receiver said that it is gone for good and will take nothing
 *                        more (HTTP answers 410 Gone; another transport: a queue or topic that was
 *                        deleted): the batch failed, and the engine pauses the view at once, sending
 *                        nothing more until an operator resumes it. Always false for a delivered batch.
 * @param rowAnswers      for a delivered batch of a view that asks for answers row by row
 *                        ({@link PushPolicy.ResponseMode#ROWS}): which rows the receiver accepted and
 *                        rejected; empty when it answered for the whole batch (all accepted)
 */
public record Delivery(boolean delivered, OptionalInt status, String reason, long rows, long bytes, String webhookId,
                       int attempts, Optional<Duration> retryAfter, String responseExcerpt, boolean gone,
                       Optional<RowAnswers> rowAnswers) {
    public Delivery {
        if (delivered && gone) {
            throw new IllegalArgumentException("a delivered batch cannot be gone");
        }
        Objects.requireNonNull(rowAnswers, "rowAnswers");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(responseExcerpt, "responseExcerpt");
    }

    /** A delivery whose receiver is not gone, without answers row by row; the other parameters as the record's. */
    public Delivery(boolean delivered, OptionalInt status, String reason, long rows, long bytes, String webhookId,
                    int attempts, Optional<Duration> retryAfter, String responseExcerpt) {
        this(delivered, status, reason, rows, bytes, webhookId, attempts, retryAfter, responseExcerpt, false,
                Optional.empty());
    }

    /**
     * @return a batch that failed because the receiver is gone for good (see {@link #gone()}): the
     *         engine pauses the view
     */
    public static Delivery gone(OptionalInt status, String reason, long rows, long bytes, String webhookId,
                                int attempts, String responseExcerpt) {
        return new Delivery(false, status, reason, rows, bytes, webhookId, attempts, Optional.empty(),
                responseExcerpt, true, Optional.empty());
    }

    /** @return this delivered batch with the receiver's answers row by row */
    public Delivery withRowAnswers(RowAnswers answers) {
        return new Delivery(delivered, status, reason, rows, bytes, webhookId, attempts, retryAfter, responseExcerpt,
                gone, Optional.of(answers));
    }

    /**
     * A delivered batch, for a transport without status codes.
     *
     * @param reason   what happened, in words ("queued", …)
     * @param rows     rows in the batch
     * @param bytes    encoded bytes of the batch, 0 when not encoded
     * @param batchId  the batch's idempotency key
     * @param attempts tries made, at least 1
     */
    public static Delivery delivered(String reason, long rows, long bytes, String batchId, int attempts) {
        return new Delivery(true, OptionalInt.empty(), reason, rows, bytes, batchId, attempts, Optional.empty(), "");
    }

    /**
     * A failed batch, for a transport without status codes: a value, never an exception.
     *
     * @param reason   why, in words; no secrets
     * @param rows     rows in the batch (all consumed)
     * @param bytes    encoded bytes of the batch, 0 when not encoded
     * @param batchId  the batch's idempotency key
     * @param attempts tries made, at least 1
     */
    public static Delivery failed(String reason, long rows, long bytes, String batchId, int attempts) {
        return new Delivery(false, OptionalInt.empty(), reason, rows, bytes, batchId, attempts, Optional.empty(), "");
    }

    /** @return a delivered batch with the receiver's status code (HTTP's) */
    public static Delivery delivered(int status, String reason, long rows, long bytes, String webhookId, int attempts,
                                     String responseExcerpt) {
        return new Delivery(true, OptionalInt.of(status), reason, rows, bytes, webhookId, attempts, Optional.empty(),
                responseExcerpt);
    }

    /** @return a failed batch with what the receiver answered, if it did (HTTP's status, Retry-After and body) */
    public static Delivery failed(OptionalInt status, String reason, long rows, long bytes, String webhookId,
                                  int attempts, Optional<Duration> retryAfter, String responseExcerpt) {
        return new Delivery(false, status, reason, rows, bytes, webhookId, attempts, retryAfter, responseExcerpt);
    }
}
