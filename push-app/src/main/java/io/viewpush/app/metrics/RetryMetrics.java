package io.viewpush.app.metrics;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.retry.event.RetryOnRetryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.viewpush.http.transport.FailedAttemptException;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The HTTP transport's retries as a Micrometer counter, fed by the events of each view's
 * resilience4j {@code Retry} (the transport keeps one per view in its
 * {@link io.viewpush.http.transport.HttpPushTransport#retryRegistry() registry}). In Prometheus
 * text format:
 *
 * <ul>
 *   <li>{@code viewpush_retries_total{view,kind}}: requests made again after a failed one, by what the
 *       failed one got: {@code 5xx} (a server error), {@code 429} (too many requests) or
 *       {@code no_answer} (a timeout or a connection error). A push whose first request fails
 *       twice and then succeeds counts 2.</li>
 * </ul>
 */
public final class RetryMetrics {
    /** The {@code kind} tag's values, in the order the Javadoc gives them. */
    public static final List<String> KINDS = List.of("5xx", "429", "no_answer");

    private static final String NAME = "viewpush.retries";
    private static final String DESCRIPTION = "requests made again after a failed one, by what the failed one got";

    private final MeterRegistry registry;

    private RetryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Counts every retry of every view's {@code Retry} in {@code retries}: those there now, those
     * added later and those that replace them.
     *
     * @return the metrics, for {@link #startAtZero(String)}
     */
    public static RetryMetrics bind(RetryRegistry retries, MeterRegistry registry) {
        RetryMetrics metrics = new RetryMetrics(Objects.requireNonNull(registry, "registry"));
        retries.getEventPublisher()
                .onEntryAdded(e -> metrics.count(e.getAddedEntry()))
                .onEntryReplaced(e -> metrics.count(e.getNewEntry()));
        retries.getAllRetries().forEach(metrics::count);
        return metrics;
    }

    /**
     * Registers the view's counters at zero, before its first retry (see
     * {@link PushMetrics#startAtZero(String)} for why).
     *
     * @return this
     */
    public RetryMetrics startAtZero(String view) {
        Objects.requireNonNull(view, "view");
        KINDS.forEach(kind -> counter(view, kind));
        return this;
    }

    private void count(Retry retry) {
        retry.getEventPublisher().onRetry(this::retried);
    }

    private void retried(RetryOnRetryEvent event) {
        counter(event.getName(), kind(event.getLastThrowable())).increment();
    }

    static String kind(Throwable failure) {
        OptionalInt status = failure instanceof FailedAttemptException
                ? ((FailedAttemptException) failure).status() : OptionalInt.empty();
        if (status.isEmpty()) {
            return "no_answer";
        }
        return status.getAsInt() == 429 ? "429" : "5xx";
    }

    private Counter counter(String view, String kind) {
        return Counter.builder(NAME).description(DESCRIPTION).tag("view", view).tag("kind", kind).register(registry);
    }
}
