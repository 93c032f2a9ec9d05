package io.viewpush.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.viewpush.PushException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code viewpush_rows_waiting{view}}: the rows a push of the view would send now, counted up to a
 * bound and cached, so that a scrape never counts a big table: at most one bounded read per view
 * every {@link #DEFAULT_MAX_AGE}, of at most {@link #DEFAULT_LIMIT}{@code  + 1} rows. A value of
 * {@code limit + 1} means "more than {@code limit}". NaN when the last count failed (the database did
 * not answer); the failure is logged at DEBUG.
 */
public final class BacklogMetrics {
    /** Rows counted at most (one more is read, to tell "exactly this many" from "more"). */
    public static final int DEFAULT_LIMIT = 1_000;
    /** How long a count is served before the next scrape counts again. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(BacklogMetrics.class);

    /** Counts a view's rows, reading at most {@code limit} of them. */
    @FunctionalInterface
    public interface BoundedCount {
        /**
         * @return the view's rows now, or {@code limit} when it has that many or more
         * @throws PushException when the database fails
         */
        long count(String view, int limit);
    }

    private final MeterRegistry registry;
    private final BoundedCount counter;
    private final Clock clock;
    private final int limit;
    private final Duration maxAge;
    private final Map<String, Cached> views = new ConcurrentHashMap<>();

    private BacklogMetrics(MeterRegistry registry, BoundedCount counter, Clock clock, int limit, Duration maxAge) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.counter = Objects.requireNonNull(counter, "counter");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative, not " + maxAge);
        }
        this.limit = limit;
        this.maxAge = maxAge;
    }

    /** @return backlog gauges with {@link #DEFAULT_LIMIT} and {@link #DEFAULT_MAX_AGE} */
    public static BacklogMetrics create(MeterRegistry registry, BoundedCount counter) {
        return create(registry, counter, Clock.systemUTC(), DEFAULT_LIMIT, DEFAULT_MAX_AGE);
    }

    /** @return backlog gauges counting up to {@code limit} rows, each count served for {@code maxAge} */
    public static BacklogMetrics create(MeterRegistry registry, BoundedCount counter, Clock clock, int limit,
                                        Duration maxAge) {
        return new BacklogMetrics(registry, counter, clock, limit, maxAge);
    }

    /**
     * Registers the view's gauge. Nothing is counted until a scrape reads it.
     *
     * @return this
     */
    public BacklogMetrics watch(String view) {
        Objects.requireNonNull(view, "view");
        views.computeIfAbsent(view, v -> {
            Cached c = new Cached(v);
            Gauge.builder("viewpush.rows.waiting", c, Cached::value)
                    .description("rows the view would push now, counted up to " + limit + " (" + (limit + 1)
                            + " means more) and cached for " + maxAge.toSeconds() + " s")
                    .tag("view", v).register(registry);
            return c;
        });
        return this;
    }

    /** One view's last count; a scrape that finds it stale counts again, one scrape at a time. */
    private final class Cached {
        private final String view;
        private Instant countedAt;
        private double rows;

        Cached(String view) {
            this.view = view;
        }

        synchronized double value() {
            Instant now = clock.instant();
            if (countedAt == null || !now.isBefore(countedAt.plus(maxAge))) {
                try {
                    rows = counter.count(view, limit + 1);
                } catch (PushException e) {
                    LOG.debug("could not count the rows waiting in view '{}': {}", view, e.getMessage(), e);
                    rows = Double.NaN;
                }
                countedAt = now;
            }
            return rows;
        }
    }
}
