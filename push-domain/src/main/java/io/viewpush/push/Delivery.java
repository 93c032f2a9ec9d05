package io.viewpush.push;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What happened to one batch a transport sent: delivered (the receiver answered success) or
 * failed (any other answer, a timeout, a connection error), after the transport's own retries.
 *
 * @param delivered       true when the receiver answered success
 * @param status          the last HTTP status, if an answer came
 * @param reason          a person-readable summary ("200 OK", "connection refused", …); no secrets
 * @param rows            rows in the batch
 * @param bytes           body bytes of the batch
 * @param webhookId       the batch's idempotency key
 * @param attempts        requests made for the batch, at least 1
 * @param retryAfter      the receiver's {@code Retry-After}, if it sent one with a failure
 * @param responseExcerpt the start of the receiver's answer body, capped (may be empty)
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

    /** @return a delivered batch */
    public static Delivery delivered(int status, String reason, long rows, long bytes, String webhookId, int attempts,
                                     String responseExcerpt) {
        return new Delivery(true, OptionalInt.of(status), reason, rows, bytes, webhookId, attempts, Optional.empty(),
                responseExcerpt);
    }

    /** @return a failed batch */
    public static Delivery failed(OptionalInt status, String reason, long rows, long bytes, String webhookId,
                                  int attempts, Optional<Duration> retryAfter, String responseExcerpt) {
        return new Delivery(false, status, reason, rows, bytes, webhookId, attempts, retryAfter, responseExcerpt);
    }
}
