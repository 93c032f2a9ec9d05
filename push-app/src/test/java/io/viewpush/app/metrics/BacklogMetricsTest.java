package io.viewpush.app.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.viewpush.port.StorageException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows waiting: bounded, cached, never a full count per scrape. */
class BacklogMetricsTest {
    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MovingClock clock = new MovingClock();
    private final List<Integer> limitsAsked = new ArrayList<>();
    private final AtomicLong rowsInView = new AtomicLong(3);

    private double scrapeWaiting() {
        String series = "viewpush_rows_waiting{view=\"orders\"} ";
        return registry.scrape().lines().filter(l -> l.startsWith(series))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length()))).findFirst()
                .orElseThrow(() -> new AssertionError(registry.scrape()));
    }

    private BacklogMetrics backlog(int limit) {
        return BacklogMetrics.create(registry, (view, max) -> {
            limitsAsked.add(max);
            if (rowsInView.get() < 0) {
                throw new StorageException("database down");
            }
            return Math.min(rowsInView.get(), max);
        }, clock, limit, Duration.ofSeconds(30)).watch("orders");
    }

    @Test
    void countsOncePerMaxAgeHoweverOftenItIsScraped() {
        backlog(100);
        assertThat(limitsAsked).as("nothing is counted before a scrape").isEmpty();
        assertThat(scrapeWaiting()).isEqualTo(3.0);
        rowsInView.set(5);
        clock.now = clock.now.plusSeconds(29);
        assertThat(scrapeWaiting()).as("cached").isEqualTo(3.0);
        assertThat(scrapeWaiting()).isEqualTo(3.0);
        assertThat(limitsAsked).hasSize(1);
        clock.now = clock.now.plusSeconds(1);
        assertThat(scrapeWaiting()).as("counted again after 30 s").isEqualTo(5.0);
        assertThat(limitsAsked).hasSize(2);
    }

    @Test
    void readsAtMostOneRowMoreThanItsLimit() {
        backlog(100);
        rowsInView.set(5_000_000);
        assertThat(scrapeWaiting()).as("101 means more than 100").isEqualTo(101.0);
        assertThat(limitsAsked).containsExactly(101);
    }

    @Test
    void aFailedCountIsNaNAndTheNextOneRecovers() {
        backlog(100);
        rowsInView.set(-1);
        assertThat(scrapeWaiting()).isNaN();
        rowsInView.set(2);
        clock.now = clock.now.plusSeconds(30);
        assertThat(scrapeWaiting()).isEqualTo(2.0);
    }
}
