package io.viewpush.http.transport;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.retry.event.RetryOnRetryEvent;
import io.viewpush.http.transport.AttemptResult.Answered;
import io.viewpush.http.transport.AttemptResult.Interrupted;
import io.viewpush.http.transport.AttemptResult.NoAnswer;
import io.viewpush.push.RetrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A transport's retries: one resilience4j {@link Retry} per view, kept in the transport's
 * {@link RetryRegistry} under the view's name. It is built from the view's {@link RetrySettings}
 * the first time the view is sent, reused by every later send (so its events and metrics cover
 * all of them), and built anew only when the view comes with other settings (the registry then
 * reports a replaced entry).
 *
 * <p>The retry decides everything: which failed attempt is retried (a 5xx or 429 whose
 * {@code Retry-After} is not longer than {@link RetrySettings#maxRetryAfter()}, or a retryable
 * {@link NoAnswer}), how long to wait first (the {@code Retry-After}, else exponential backoff
 * with jitter up to {@link RetrySettings#maxBackoff()}) and when to stop. Each failed attempt
 * reaches it as a {@link FailedAttemptException}, so its {@code RetryOnRetryEvent} carries what
 * failed and the real wait. The waits are run by a {@link SendingThreadScheduler} through the
 * transport's {@link HttpPushTransport.RetrySleeper}.
 */
final class ViewRetries {
    private static final Logger log = LoggerFactory.getLogger(HttpPushTransport.class);
    private static final double BACKOFF_MULTIPLIER = 2.0;
    private static final double BACKOFF_JITTER = 0.5;

    private final RetryRegistry registry;
    private final HttpPushTransport.RetrySleeper sleeper;
    private final ConcurrentMap<String, Built> byView = new ConcurrentHashMap<>();

    /** A view's retry and the settings it was built from. */
    private record Built(RetrySettings settings, Retry retry) {
    }

    ViewRetries(RetryRegistry registry, HttpPushTransport.RetrySleeper sleeper) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    RetryRegistry registry() {
        return registry;
    }

    /** @return the view's retry, built from {@code settings} unless the one it has already is */
    Retry forView(String view, RetrySettings settings) {
        Objects.requireNonNull(settings, "settings");
        return byView.compute(view, (name, known) -> known != null && known.settings().equals(settings)
                ? known : new Built(settings, register(name, settings))).retry();
    }

    private Retry register(String view, RetrySettings settings) {
        RetryConfig config = config(settings);
        Retry retry = registry.retry(view, config);
        if (retry.getRetryConfig() != config) {
            // the registry had one by that name: an earlier one of ours, or the host's own
            retry = Retry.of(view, config, registry.getTags());
            registry.replace(view, retry);
        }
        retry.getEventPublisher().onRetry(ViewRetries::logRetry);
        return retry;
    }

    static RetryConfig config(RetrySettings settings) {
        IntervalFunction backoff = settings.initialBackoff().toMillis() >= 1
                ? IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(), BACKOFF_MULTIPLIER,
                BACKOFF_JITTER, settings.maxBackoff())
                : null;
        return RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .retryOnException(e -> e instanceof FailedAttemptException
                        && isRetryable(((FailedAttemptException) e).result(), settings))
                .intervalBiFunction((Integer failed, Either<Throwable, Object> outcome) ->
                        waitAfter(failed, outcome.isLeft() ? outcome.getLeft() : null, backoff, settings).toMillis())
                .build();
    }

    /**
     * Sends through the view's retry: {@code attempt} is made, and made again after each wait the
     * retry asks for, until it is {@code delivered}, fails in a way that is not retried, or the
     * attempts run out.
     *
     * @param receiver where the requests go, as {@link FailedAttemptException#receiver()}
     * @return the last attempt's result, or {@link Interrupted} with it when a wait was interrupted
     *         (the thread's interrupt flag is then set again)
     * @throws RuntimeException what an attempt threw, as it is (attempts report failures as values)
     */
    AttemptResult send(String view, RetrySettings settings, Supplier<AttemptResult> attempt,
                       Predicate<AttemptResult> delivered, String receiver) {
        Retry retry = forView(view, settings);
        SendingThreadScheduler scheduler = new SendingThreadScheduler(sleeper);
        AtomicReference<AttemptResult> last = new AtomicReference<>();
        CompletableFuture<AttemptResult> outcome = retry.<AttemptResult>executeCompletionStage(scheduler, () -> {
            try {
                AttemptResult r = attempt.get();
                last.set(r);
                return delivered.test(r) ? CompletableFuture.completedFuture(r)
                        : CompletableFuture.failedFuture(new FailedAttemptException(r, receiver));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }).toCompletableFuture();
        try {
            scheduler.runUntilIdle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Interrupted(last.get());
        }
        try {
            AttemptResult r = outcome.getNow(null);
            if (r == null) {
                throw new IllegalStateException("the retry of view '" + view + "' ended without an outcome");
            }
            return r;
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof FailedAttemptException) {
                return ((FailedAttemptException) cause).result();
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }

    /** @return whether another attempt after {@code r} may help, under {@code settings} */
    static boolean isRetryable(AttemptResult r, RetrySettings settings) {
        if (r instanceof NoAnswer) {
            return ((NoAnswer) r).retryable();
        }
        if (r instanceof Answered) {
            Answered a = (Answered) r;
            if (!isRetryableStatus(a.status())) {
                return false;
            }
            return a.retryAfter().map(d -> d.compareTo(settings.maxRetryAfter()) <= 0).orElse(true);
        }
        return false;
    }

    static boolean isRetryableStatus(int status) {
        return status == 429 || (status >= 500 && status <= 599);
    }

    /** @param failed how many attempts have failed so far (1 after the first) */
    private static Duration waitAfter(int failed, Throwable failure, IntervalFunction backoff, RetrySettings s) {
        if (failure instanceof FailedAttemptException) {
            AttemptResult result = ((FailedAttemptException) failure).result();
            if (result instanceof Answered && ((Answered) result).retryAfter().isPresent()) {
                return ((Answered) result).retryAfter().get();
            }
        }
        if (backoff == null) {
            return Duration.ZERO;
        }
        long millis = Math.min(backoff.apply(failed), s.maxBackoff().toMillis());
        return Duration.ofMillis(Math.max(0, millis));
    }

    private static void logRetry(RetryOnRetryEvent e) {
        Throwable t = e.getLastThrowable();
        String receiver = t instanceof FailedAttemptException ? ((FailedAttemptException) t).receiver() : "the receiver";
        log.info("view '{}': attempt {} to {} failed ({}); retrying in {}", e.getName(), e.getNumberOfRetryAttempts(),
                receiver, t == null ? "-" : t.getMessage(), DefaultHttpPushTransport.human(e.getWaitInterval()));
    }
}
