package io.viewpush.app.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.viewpush.push.Delivery;
import io.viewpush.push.HeldBack;
import io.viewpush.push.HeldBackRow;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import io.viewpush.push.StampResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class PushMetricsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    static PushAttempt attempt(PushAttempt.Status status, long rows, long stamped, long skipped, long bytes, long millis) {
        return new PushAttempt("orders", PushAttempt.Trigger.SCHEDULE, T0, T0.plusMillis(millis), status, rows, stamped,
                skipped, rows > 0 ? 1 : 0, bytes, rows > 0 ? OptionalInt.of(status == PushAttempt.Status.SUCCESS ? 200 : 500)
                : OptionalInt.empty(), status == PushAttempt.Status.SUCCESS ? "1 batch delivered" : "500 Internal Server Error",
                List.of());
    }

    @Test
    void countsPushesRowsBytesStampsSkipsAndFailuresInPrometheusFormat() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PushMetrics m = PushMetrics.create(registry);

        m.batchFinished("orders", Delivery.delivered(200, "200 OK", 3, 300, "msg_1", 1, ""), new StampResult(2, 1));
        m.pushFinished(attempt(PushAttempt.Status.SUCCESS, 3, 2, 1, 300, 250));
        m.batchFinished("orders", Delivery.failed(OptionalInt.of(500), "500", 2, 120, "msg_2", 3, Optional.empty(), ""),
                StampResult.NONE);
        m.pushFinished(attempt(PushAttempt.Status.FAILED, 2, 0, 0, 120, 100));
        m.pushFinished(attempt(PushAttempt.Status.NOTHING_TO_SEND, 0, 0, 0, 0, 3));

        String text = registry.scrape();
        assertThat(text)
                .contains("viewpush_pushes_total{outcome=\"success\",view=\"orders\"} 1.0")
                .contains("viewpush_pushes_total{outcome=\"failed\",view=\"orders\"} 1.0")
                .contains("viewpush_pushes_total{outcome=\"nothing_to_send\",view=\"orders\"} 1.0")
                .contains("viewpush_batches_total{outcome=\"delivered\",view=\"orders\"} 1.0")
                .contains("viewpush_batches_total{outcome=\"failed\",view=\"orders\"} 1.0")
                .contains("viewpush_rows_sent_total{view=\"orders\"} 5.0")
                .contains("viewpush_sent_bytes_total{view=\"orders\"} 420.0")
                .contains("viewpush_bytes_sent_total{view=\"orders\"} 420.0")
                .contains("viewpush_rows_stamped_total{view=\"orders\"} 2.0")
                .contains("viewpush_stamp_skips_total{view=\"orders\"} 1.0")
                .contains("viewpush_failures_total{view=\"orders\"} 1.0")
                .contains("viewpush_push_duration_seconds_count{outcome=\"success\",view=\"orders\"} 1")
                .contains("viewpush_push_duration_seconds_sum{outcome=\"success\",view=\"orders\"} 0.25");
    }

    @Test
    void aPushingViewsCountersStartAtZeroSoItsFirstFailureShowsInIncrease() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PushMetrics m = PushMetrics.create(registry).startAtZero("orders");
        assertThat(registry.scrape())
                .contains("viewpush_failures_total{view=\"orders\"} 0.0")
                .contains("viewpush_pushes_total{outcome=\"failed\",view=\"orders\"} 0.0")
                .contains("viewpush_pushes_total{outcome=\"success\",view=\"orders\"} 0.0")
                .contains("viewpush_batches_total{outcome=\"failed\",view=\"orders\"} 0.0")
                .contains("viewpush_rows_sent_total{view=\"orders\"} 0.0")
                .contains("viewpush_stamp_skips_total{view=\"orders\"} 0.0");
        m.pushFinished(attempt(PushAttempt.Status.FAILED, 2, 0, 0, 120, 100));
        assertThat(registry.scrape()).contains("viewpush_failures_total{view=\"orders\"} 1.0")
                .contains("viewpush_pushes_total{outcome=\"failed\",view=\"orders\"} 1.0");
    }

    @Test
    void countsHeldBackRowsPerViewFromZero() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PushMetrics m = PushMetrics.create(registry).startAtZero("orders");
        assertThat(registry.scrape()).contains("viewpush_rows_held_back_total{view=\"orders\"} 0.0");
        HeldBackRow row = new HeldBackRow("7", "receipt id", "is text that is not valid Unicode: …");
        m.rowHeldBack("orders", row);
        m.rowHeldBack("orders", row);
        m.rowHeldBack("other", row);
        assertThat(registry.scrape()).contains("viewpush_rows_held_back_total{view=\"orders\"} 2.0")
                .contains("viewpush_rows_held_back_total{view=\"other\"} 1.0");
    }

    @Test
    void theLogNamesTheRowsAPushHeldBackInAWarnLine() {
        ch.qos.logback.classic.Logger push = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("push");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        push.addAppender(lines);
        try {
            PushLog log = PushLog.create(v -> Optional.empty());
            log.pushFinished(attempt(PushAttempt.Status.SUCCESS, 3, 3, 0, 300, 10));
            assertThat(lines.list).hasSize(1);
            log.pushFinished(attempt(PushAttempt.Status.SUCCESS, 3, 3, 0, 300, 10).withHeldBack(new HeldBack(12,
                    List.of(new HeldBackRow("7", "receipt id", "is text that is not valid Unicode: …")))));
            assertThat(lines.list).hasSize(3);
            assertThat(lines.list.get(2).getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(lines.list.get(2).getFormattedMessage()).isEqualTo("view 'orders': 12 rows held back (a value the"
                    + " row JSON cannot carry; not sent, not stamped): key 7, field 'receipt id'; and 11 more; each is"
                    + " sent by the first push after its value is repaired in the table");
        } finally {
            push.detachAppender(lines);
        }
    }

    @Test
    void pushDurationIsAHistogramWhoseBucketsGiveQuantiles() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PushMetrics m = PushMetrics.create(registry);
        m.pushFinished(attempt(PushAttempt.Status.SUCCESS, 3, 3, 0, 300, 40));
        m.pushFinished(attempt(PushAttempt.Status.SUCCESS, 3, 3, 0, 300, 200));
        m.pushFinished(attempt(PushAttempt.Status.SUCCESS, 3, 3, 0, 300, 7000));
        String text = registry.scrape();
        assertThat(text).contains("# TYPE viewpush_push_duration_seconds histogram")
                .contains("viewpush_push_duration_seconds_bucket{outcome=\"success\",view=\"orders\",le=\"0.025\"} 0")
                .contains("viewpush_push_duration_seconds_bucket{outcome=\"success\",view=\"orders\",le=\"0.05\"} 1")
                .contains("viewpush_push_duration_seconds_bucket{outcome=\"success\",view=\"orders\",le=\"0.25\"} 2")
                .contains("viewpush_push_duration_seconds_bucket{outcome=\"success\",view=\"orders\",le=\"5.0\"} 2")
                .contains("viewpush_push_duration_seconds_bucket{outcome=\"success\",view=\"orders\",le=\"10.0\"} 3")
                .contains("viewpush_push_duration_seconds_bucket{outcome=\"success\",view=\"orders\",le=\"+Inf\"} 3")
                .contains("viewpush_push_duration_seconds_count{outcome=\"success\",view=\"orders\"} 3");
    }

    @Test
    void viewHealthStartsFromTheJournalThenFollowsPushes() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Instant lastSuccess = T0.minusSeconds(3600);
        List<String> asked = new java.util.ArrayList<>();
        ViewHealthMetrics h = ViewHealthMetrics.create(registry, view -> {
            asked.add(view);
            return new PushHistory(view, Optional.of(T0.minusSeconds(60)), Optional.of(lastSuccess),
                    Optional.of(T0.minusSeconds(60)), Optional.of("500"), 4);
        }).watch("orders");
        assertThat(registry.scrape())
                .contains("viewpush_consecutive_failures{view=\"orders\"} 4.0")
                .contains("viewpush_last_success_timestamp_seconds{view=\"orders\"} " + (double) lastSuccess.getEpochSecond());
        h.pushFinished(attempt(PushAttempt.Status.FAILED, 2, 0, 0, 120, 100));
        h.pushFinished(attempt(PushAttempt.Status.SKIPPED, 0, 0, 0, 0, 1));
        assertThat(registry.scrape()).contains("viewpush_consecutive_failures{view=\"orders\"} 5.0");
        h.pushFinished(attempt(PushAttempt.Status.NOTHING_TO_SEND, 0, 0, 0, 0, 2000));
        assertThat(registry.scrape())
                .contains("viewpush_consecutive_failures{view=\"orders\"} 0.0")
                .contains("viewpush_last_success_timestamp_seconds{view=\"orders\"} " + (double) (T0.getEpochSecond() + 2));
        assertThat(asked).as("the journal is asked once").containsExactly("orders");
    }

    @Test
    void describesAPushInOneLine() {
        assertThat(PushLog.describe(attempt(PushAttempt.Status.SUCCESS, 3, 2, 1, 3000, 250)))
                .isEqualTo("view 'orders' success: 3 rows in 1 batch, 2.9 KiB, 2 stamped, 1 changed meanwhile "
                        + "(not stamped, sent again next time), 250 ms (HTTP 200)");
        assertThat(PushLog.describe(attempt(PushAttempt.Status.FAILED, 1, 0, 0, 90, 40)))
                .isEqualTo("view 'orders' failed: 1 row in 1 batch, 90 B, 0 stamped, 40 ms (500 Internal Server Error)");
        assertThat(PushLog.describe(attempt(PushAttempt.Status.NOTHING_TO_SEND, 0, 0, 0, 0, 3)))
                .isEqualTo("view 'orders' nothing to send, 3 ms");
    }
}
