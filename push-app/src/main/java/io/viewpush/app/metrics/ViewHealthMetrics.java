package io.viewpush.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.viewpush.PushException;
import io.viewpush.port.PushListener;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Each pushing view's health as gauges operators alert on, kept up to date from push events (no
 * database query per scrape):
 *
 * <ul>
 *   <li>{@code viewpush_last_success_timestamp_seconds{view}}: Unix time at which the last push of the
 *       view ended that left nothing behind: it delivered everything, or found nothing to send (a
 *       view that has nothing to send is up to date). 0 while unknown: never pushed, and not in the
 *       journal.</li>
 *   <li>{@code viewpush_consecutive_failures{view}}: pushes that failed (wholly or partly) since the
 *       last success; 0 after a success or a check that found nothing to send.</li>
 * </ul>
 *
 * Both start from the journal's history, so a restart does not reset them. With
 * several instances each reports the pushes it did: take {@code max by (view)} across them.
 */
public final class ViewHealthMetrics implements PushListener {
    private static final Logger LOG = LoggerFactory.getLogger(ViewHealthMetrics.class);

    private final MeterRegistry registry;
    private final Function<String, PushHistory> journal;
    private final Map<String, State> views = new ConcurrentHashMap<>();

    private ViewHealthMetrics(MeterRegistry registry, Function<String, PushHistory> journal) {
        this.registry = registry;
        this.journal = journal;
    }

    /**
     * @param registry where the gauges go
     * @param journal  a view's history in the journal, asked once per view, when its gauges are
     *                 first read or its first push ends
     * @return gauges registered into {@code registry} as views are {@linkplain #watch watched}
     */
    public static ViewHealthMetrics create(MeterRegistry registry, Function<String, PushHistory> journal) {
        return new ViewHealthMetrics(Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(journal, "journal"));
    }

    /**
     * Registers the view's gauges (at their values from the journal once read).
     *
     * @return this
     */
    public ViewHealthMetrics watch(String view) {
        state(Objects.requireNonNull(view, "view"));
        return this;
    }

    @Override
    public void pushFinished(PushAttempt attempt) {
        State s = state(attempt.view());
        synchronized (s) {
            seeded(s);
            switch (attempt.status()) {
                case SUCCESS, NOTHING_TO_SEND -> {
                    s.lastSuccessSeconds = seconds(attempt.finishedAt());
                    s.consecutiveFailures = 0;
                }
                case FAILED, PARTIAL -> s.consecutiveFailures++;
                case SKIPPED -> {
                    // another engine pushed it, or it was not due: nothing learnt about its health
                }
            }
        }
    }

    private State state(String view) {
        return views.computeIfAbsent(view, v -> {
            State s = new State(v);
            Gauge.builder("viewpush.last.success.timestamp", s, st -> seeded(st).lastSuccessSeconds)
                    .description("Unix time of the end of the view's last push that delivered everything or found "
                            + "nothing to send; 0 while unknown")
                    .baseUnit("seconds").tag("view", v).register(registry);
            Gauge.builder("viewpush.consecutive.failures", s, st -> seeded(st).consecutiveFailures)
                    .description("pushes of the view that failed since its last success")
                    .tag("view", v).register(registry);
            return s;
        });
    }

    /** The first read or event of a view starts from the journal; a failing database leaves it at 0. */
    private State seeded(State s) {
        synchronized (s) {
            if (!s.seeded) {
                try {
                    PushHistory h = journal.apply(s.view);
                    h.lastSuccess().ifPresent(t -> s.lastSuccessSeconds = seconds(t));
                    s.consecutiveFailures = h.consecutiveFailures();
                    s.seeded = true;
                } catch (PushException e) {
                    LOG.debug("could not read view '{}''s history for its metrics: {}", s.view, e.getMessage());
                }
            }
            return s;
        }
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    /** One view's figures; written by the engine's threads, read by the scrape, under its own lock. */
    private static final class State {
        final String view;
        boolean seeded;
        double lastSuccessSeconds;
        int consecutiveFailures;

        State(String view) {
            this.view = view;
        }
    }
}
