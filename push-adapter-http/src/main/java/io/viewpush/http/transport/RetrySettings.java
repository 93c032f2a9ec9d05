package io.viewpush.http.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * How one request is retried within a push: on connection errors, 5xx and 429, with exponential
 * backoff and jitter, honouring {@code Retry-After} up to {@link #maxRetryAfter()}. Other 4xx are
 * never retried. Every retry sends the same bytes with the same {@code webhook-id}.
 *
 * @param maxAttempts    attempts in all, at least 1 (1 = no retry); default 3
 * @param initialBackoff wait before the second attempt; default 1 s
 * @param maxBackoff     longest wait between attempts; default 30 s
 * @param maxRetryAfter  longest {@code Retry-After} honoured; a longer one fails the push; default 60 s
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    /** 3 attempts, 1 s initial backoff, 30 s max backoff, Retry-After honoured up to 60 s. */
    public static final RetrySettings DEFAULT =
            new RetrySettings(3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));
    /** A single attempt. */
    public static final RetrySettings NONE = new RetrySettings(1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO);

    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("push.retry.attempts must be at least 1, not " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "push.retry.initialBackoff");
        Objects.requireNonNull(maxBackoff, "push.retry.maxBackoff");
        Objects.requireNonNull(maxRetryAfter, "push.retry.maxRetryAfter");
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("push.retry durations must not be negative");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("push.retry.maxBackoff (" + maxBackoff
                    + ") must not be less than push.retry.initialBackoff (" + initialBackoff + ")");
        }
    }
}
