package io.viewpush.http.transport;

import java.time.Duration;
import java.util.Optional;

/** What one attempt (one request) came to. */
sealed interface AttemptResult {

    /**
     * The receiver answered with a status.
     *
     * @param status       the HTTP status
     * @param statusText   status and reason phrase, e.g. {@code 503 Service Unavailable}
     * @param excerpt      the start of the body, capped
     * @param retryAfter   the {@code Retry-After}, if one was sent and readable
     * @param redirectHost for a 3xx, the host of its {@code Location}, if any
     * @param body         the whole body of a success answered row by row ({@code response: rows}),
     *                     or null (not read whole, or more than the transport reads)
     */
    record Answered(int status, String statusText, String excerpt, Optional<Duration> retryAfter,
                    Optional<String> redirectHost, byte[] body) implements AttemptResult {
        Answered(int status, String statusText, String excerpt, Optional<Duration> retryAfter,
                 Optional<String> redirectHost) {
            this(status, statusText, excerpt, retryAfter, redirectHost, null);
        }
    }

    /**
     * No answer: a timeout, a connection or TLS error, a refused destination.
     *
     * @param reason    readable, without secrets or stack traces
     * @param retryable whether another attempt may help
     */
    record NoAnswer(String reason, boolean retryable) implements AttemptResult {
    }

    /**
     * The wait before a retry was interrupted; the send ends with the previous attempt's result.
     *
     * @param previous the last attempt's result
     */
    record Interrupted(AttemptResult previous) implements AttemptResult {
    }
}
