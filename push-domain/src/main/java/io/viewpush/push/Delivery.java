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
 * @param rowAnswers      for a delivered batch of a view that asks for answers row by row
 *                        ({@link PushPolicy.ResponseMode#ROWS}): which rows the receiver accepted and
 *                        rejected; empty when it answered for the whole batch (all accepted)
 */
public record Delivery(boolean delivered, OptionalInt status, String reason, long rows, long bytes, String webhookId,
                       int attempts, Optional<Duration> retryAfter, String responseExcerpt,
                       Optional<RowAnswers> rowAnswers) {
    public Delivery {
        Objects.requireNonNull(rowAnswers, "rowAnswers");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(responseExcerpt, "responseExcerpt");
    }

    /** A delivery without answers row by row; the other parameters as the record's. */
    public Delivery(boolean delivered, OptionalInt status, String reason, long rows, long bytes, String webhookId,
                    int attempts, Optional<Duration> retryAfter, String responseExcerpt) {
        this(delivered, status, reason, rows, bytes, webhookId, attempts, retryAfter, responseExcerpt, Optional.empty());
    }

    /** @return this delivered batch with the receiver's answers row by row */
    public Delivery withRowAnswers(RowAnswers answers) {
        return new Delivery(delivered, status, reason, rows, bytes, webhookId, attempts, retryAfter, responseExcerpt,
                Optional.of(answers));
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
