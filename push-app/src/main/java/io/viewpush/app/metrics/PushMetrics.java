package io.viewpush.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.viewpush.port.PushListener;
import io.viewpush.push.Delivery;
import io.viewpush.push.HeldBackRow;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.StampResult;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Push events as Micrometer meters, so that the domain stays free of Micrometer. In Prometheus
 * text format (at {@code GET /metrics}) they are:
 *
 * <ul>
 *   <li>{@code viewpush_pushes_total{view,outcome}}: pushes by outcome ({@code success},
 *       {@code nothing_to_send}, {@code failed}, {@code partial}, {@code skipped})</li>
 *   <li>{@code viewpush_push_duration_seconds{view,outcome}}: how long pushes took, a histogram
 *       ({@code _bucket{le}}, {@code _count}, {@code _sum}; {@code _max}) whose buckets
 *       ({@link #DURATION_BUCKETS}) let Prometheus's {@code histogram_quantile} give p50, p95 and p99</li>
 *   <li>{@code viewpush_batches_total{view,outcome}}: requests by outcome ({@code delivered}, {@code failed})</li>
 *   <li>{@code viewpush_rows_sent_total{view}}, {@code viewpush_sent_bytes_total{view}}: what was sent;
 *       {@code viewpush_bytes_sent_total{view}} is the same count under its old name, which does not end
 *       in its unit as Prometheus's conventions ask, kept for one release</li>
 *   <li>{@code viewpush_rows_stamped_total{view}}: rows stamped after a success</li>
 *   <li>{@code viewpush_stamp_skips_total{view}}: rows delivered but not stamped because they changed meanwhile</li>
 *   <li>{@code viewpush_failures_total{view}}: pushes that failed (wholly or partly)</li>
 *   <li>{@code viewpush_rows_held_back_total{view}}: rows a push held back, neither sent nor stamped,
 *       because a value of theirs cannot be carried by the row JSON (counted again by every push
 *       until the value is repaired)</li>
 * </ul>
 */
public final class PushMetrics implements PushListener {
    /**
     * The push duration histogram's bucket bounds: from a small push on a local network to a
     * million rows, so that p50, p95 and p99 fall between two close bounds.
     */
    public static final List<Duration> DURATION_BUCKETS = List.of(Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(30));

    private static final String SENT_BYTES = "request body bytes sent to the receiver";
    private static final String OLD_SENT_BYTES = SENT_BYTES + " (deprecated name: use viewpush_sent_bytes_total)";

    private final MeterRegistry registry;

    private PushMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @return a listener that records into {@code registry} */
    public static PushMetrics create(MeterRegistry registry) {
        return new PushMetrics(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Registers the view's counters at zero, before its first push: a series that first appears at 1
     * hides that increment from Prometheus's {@code rate()} and {@code increase()}, so an alert on
     * {@code increase(viewpush_failures_total[5m]) > 0} would miss a view's first failure.
     *
     * @return this
     */
    public PushMetrics startAtZero(String view) {
        Objects.requireNonNull(view, "view");
        for (String outcome : List.of("success", "failed", "partial")) {
            counter("viewpush.pushes", "pushes by outcome", view, "outcome", outcome);
        }
        for (String outcome : List.of("delivered", "failed")) {
            counter("viewpush.batches", "requests sent to the receiver, by outcome", view, "outcome", outcome);
        }
        counter("viewpush.rows.sent", "rows sent to the receiver", view);
        counter("viewpush.sent.bytes", SENT_BYTES, view);
        counter("viewpush.bytes.sent", OLD_SENT_BYTES, view);
        counter("viewpush.rows.stamped", "rows stamped after the receiver accepted them", view);
        counter("viewpush.stamp.skips", "rows delivered but not stamped because they changed after they were read",
                view);
        counter("viewpush.failures", "pushes that failed wholly or partly", view);
        heldBack(view);
        return this;
    }

    @Override
    public void batchFinished(String view, Delivery delivery, StampResult stamp) {
        counter("viewpush.batches", "requests sent to the receiver, by outcome", view, "outcome",
                delivery.delivered() ? "delivered" : "failed").increment();
        counter("viewpush.rows.sent", "rows sent to the receiver", view).increment(delivery.rows());
        counter("viewpush.sent.bytes", SENT_BYTES, view).increment(delivery.bytes());
        counter("viewpush.bytes.sent", OLD_SENT_BYTES, view).increment(delivery.bytes());
        if (delivery.delivered()) {
            counter("viewpush.rows.stamped", "rows stamped after the receiver accepted them", view)
                    .increment(stamp.stamped());
            counter("viewpush.stamp.skips", "rows delivered but not stamped because they changed after they were read",
                    view).increment(stamp.skipped());
        }
    }

    /** A view's meters of one outcome. */
    private record Finished(Counter pushes, Timer duration) {
    }

    /**
     * Each view's meters by outcome, found once: an engine with thousands of idle views finishes
     * thousands of pushes a second, and registering a meter again (to find it) cost more than the
     * check that found nothing to send.
     */
    private final java.util.Map<String, java.util.Map<PushAttempt.Status, Finished>> finished =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void pushFinished(PushAttempt attempt) {
        Finished f = finished.computeIfAbsent(attempt.view(), v -> new java.util.concurrent.ConcurrentHashMap<>())
                .computeIfAbsent(attempt.status(), s -> finishedMeters(attempt.view(), s));
        f.pushes().increment();
        f.duration().record(attempt.duration());
        if (attempt.status() == PushAttempt.Status.FAILED || attempt.status() == PushAttempt.Status.PARTIAL) {
            counter("viewpush.failures", "pushes that failed wholly or partly", attempt.view()).increment();
        }
    }

    private Finished finishedMeters(String view, PushAttempt.Status status) {
        String outcome = status.name().toLowerCase(Locale.ROOT);
        return new Finished(counter("viewpush.pushes", "pushes by outcome", view, "outcome", outcome),
                Timer.builder("viewpush.push.duration").description("how long pushes took")
                        .tag("view", view).tag("outcome", outcome)
                        .serviceLevelObjectives(DURATION_BUCKETS.toArray(Duration[]::new))
                        .register(registry));
    }

    @Override
    public void rowHeldBack(String view, HeldBackRow row) {
        heldBack(view).increment();
    }

    private Counter heldBack(String view) {
        return counter("viewpush.rows.held.back", "rows held back (not sent, not stamped): a value the row JSON cannot"
                + " carry", view);
    }

    private Counter counter(String name, String description, String view, String... tags) {
        return Counter.builder(name).description(description).tag("view", view).tags(tags).register(registry);
    }
}
