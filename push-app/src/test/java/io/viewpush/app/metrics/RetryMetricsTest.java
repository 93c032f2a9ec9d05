package io.viewpush.app.metrics;

import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigLoader;
import io.viewpush.expression.ValueType;
import io.viewpush.http.transport.HttpPushTransport;
import io.viewpush.port.PushListener;
import io.viewpush.push.Delivery;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.RetrySettings;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Every retry of the HTTP transport shows in {@code viewpush_retries_total{view,kind}}. */
class RetryMetricsTest {
    private static final String VIEW = "orders to push";

    @TempDir
    Path dir;

    private HttpServer receiver;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /** Answers 503, then 429, then 200 to everything after. */
    private int startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = requests.incrementAndGet();
            exchange.sendResponseHeaders(n == 1 ? 503 : n == 2 ? 429 : 200, -1);
            exchange.close();
        });
        receiver.start();
        return receiver.getAddress().getPort();
    }

    private static String series(String view, String kind) {
        return "viewpush_retries_total{kind=\"" + kind + "\",view=\"" + view + "\"}";
    }

    @Test
    void theAppCountsEachRetryOfAPushByWhatTheFailedRequestGot() throws IOException {
        int port = startReceiver();
        Files.writeString(dir.resolve("init.sql"), """
                CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, amount DECIMAL(10,2), last_pushed TIMESTAMP);
                MERGE INTO orders KEY (id) VALUES (1, 12.50, NULL);
                """);
        AppConfig config = ConfigLoader.parse("""
                database:
                  url: jdbc:h2:file:%s/db
                  init: init.sql
                views:
                  - name: orders to push
                    table: orders
                    key: id
                    fields: {id: id, amount: amount, last pushed: last_pushed}
                    filters: ["{last pushed} is empty"]
                    push:
                      url: http://127.0.0.1:%d/hook
                      stamp: last pushed
                      retry: {attempts: 3, initialBackoff: 0, maxBackoff: 0}
                """.formatted(dir.toString().replace('\\', '/'), port), "push.yaml", dir, Map.of());
        try (Assembly a = Assembly.open(config, PushListener.NONE)) {
            String before = a.metrics().scrape();
            for (String kind : RetryMetrics.KINDS) {
                assertThat(before).as("starts at zero").contains(series(VIEW, kind) + " 0.0");
            }
            PushAttempt push = a.engine().pushNow(VIEW);
            assertThat(push.status()).isEqualTo(PushAttempt.Status.SUCCESS);
            assertThat(requests).hasValue(3);
            String after = a.metrics().scrape();
            assertThat(after).contains(series(VIEW, "5xx") + " 1.0").contains(series(VIEW, "429") + " 1.0")
                    .contains(series(VIEW, "no_answer") + " 0.0");
        }
    }

    @Test
    void countsARetryAfterNoAnswerAndFollowsAViewWhoseRetryIsReplaced() throws IOException {
        int refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort();
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RetryRegistry retries = RetryRegistry.ofDefaults();
        RetryMetrics.bind(retries, registry);
        try (HttpPushTransport transport = HttpPushTransport.builder().retryRegistry(retries).retrySleeper(d -> { })
                .spoolDirectory(dir).build()) {
            URI url = URI.create("http://127.0.0.1:" + refused + "/hook");
            View twice = view(url, new RetrySettings(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO));
            Delivery d = transport.send(twice, List.of(row(twice)).iterator());
            assertThat(d.delivered()).isFalse();
            assertThat(registry.scrape()).contains(series("refunds", "no_answer") + " 1.0");

            // other settings: the transport replaces the view's Retry, and the new one is counted too
            View thrice = view(url, new RetrySettings(3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO));
            transport.send(thrice, List.of(row(thrice)).iterator());
            assertThat(registry.scrape()).contains(series("refunds", "no_answer") + " 3.0");
        }
    }

    @Test
    void aFailureThatIsNotAFailedRequestCountsAsNoAnswer() {
        assertThat(RetryMetrics.kind(new IllegalStateException("?"))).isEqualTo("no_answer");
        assertThat(RetryMetrics.kind(null)).isEqualTo("no_answer");
    }

    private static View view(URI url, RetrySettings retry) {
        return ViewDefinition.builder("refunds", "refunds").key("id")
                .field("id", "id")
                .field("last pushed", "last_pushed")
                .push(PushPolicy.builder(url, "last pushed").retry(retry).timeout(Duration.ofSeconds(5)).build())
                .build()
                .bind(Map.of("id", ValueType.NUMBER, "last pushed", ValueType.TIMESTAMP));
    }

    private static Row row(View view) {
        return Row.of(view.columns(), BigDecimal.ONE, null);
    }
}
