package io.viewpush.http.transport;

import io.viewpush.PushException;
import io.viewpush.http.transport.AttemptResult.Answered;
import io.viewpush.http.transport.AttemptResult.NoAnswer;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One request of a push that did not succeed, as resilience4j sees it: the transport reports each
 * failed attempt to a view's {@link io.github.resilience4j.retry.Retry} as this exception, so that
 * the retry's events ({@code RetryOnRetryEvent#getLastThrowable()}) and metrics say what happened.
 * It never leaves {@link HttpPushTransport#send}: the push's outcome is the
 * {@link io.viewpush.push.Delivery}. It carries no stack trace (a failed attempt is an outcome,
 * not a fault in the code).
 */
public final class FailedAttemptException extends PushException {
    private static final long serialVersionUID = 1L;

    private final transient AttemptResult result;
    private final String receiver;

    FailedAttemptException(AttemptResult result, String receiver) {
        super(describe(result));
        this.result = Objects.requireNonNull(result, "result");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
    }

    static String describe(AttemptResult r) {
        if (r instanceof Answered) {
            return ((Answered) r).statusText();
        }
        if (r instanceof NoAnswer) {
            return ((NoAnswer) r).reason();
        }
        return "interrupted";
    }

    AttemptResult result() {
        return result;
    }

    /** @return the receiver's HTTP status, when it answered */
    public OptionalInt status() {
        return result instanceof Answered ? OptionalInt.of(((Answered) result).status()) : OptionalInt.empty();
    }

    /** @return the receiver's {@code Retry-After}, when it sent a readable one */
    public Optional<Duration> retryAfter() {
        return result instanceof Answered ? ((Answered) result).retryAfter() : Optional.empty();
    }

    /**
     * @return where the request went, as the logs show it: scheme, host and port, and only the
     *         shape of the path ({@link io.viewpush.push.PushPolicy#redact})
     */
    public String receiver() {
        return receiver;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
