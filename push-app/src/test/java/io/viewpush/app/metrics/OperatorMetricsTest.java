package io.viewpush.app.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigLoader;
import io.viewpush.http.transport.HttpPushTransport;
import io.viewpush.port.PushListener;
import io.viewpush.push.PushAttempt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The metrics an operator alerts on, scraped from the app's real registry (H2, a real receiver),
 * and the alert rules in {@code docs/alerts.yml} checked against what that registry exports.
 */
class OperatorMetricsTest {
    private static final String VIEW = "orders to push";

    @TempDir
    Path dir;

    private HttpServer receiver;
    private final AtomicInteger answer = new AtomicInteger(200);

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private AppConfig config() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        receiver.start();
        Files.writeString(dir.resolve("init.sql"), """
                CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, amount DECIMAL(10,2), last_pushed TIMESTAMP);
                MERGE INTO orders KEY (id) VALUES (1, 12.50, NULL), (2, 3.00, NULL), (3, 7.25, NULL);
                """);
        String yaml = """
                database:
                  url: jdbc:h2:file:%s/db
                  init: init.sql
                server:
                  port: 0
                views:
                  - name: orders to push
                    table: orders
                    key: id
                    fields: {id: id, amount: amount, last pushed: last_pushed}
                    filters: ["{last pushed} is empty"]
                    push:
                      url: http://127.0.0.1:%d/hook
                      stamp: last pushed
                      retry: {attempts: 1}
                """.formatted(dir.toString().replace('\\', '/'), receiver.getAddress().getPort());
        return ConfigLoader.parse(yaml, "push.yaml", dir, Map.of());
    }

    private static double sample(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + series + " in\n" + scrape);
    }

    @Test
    void exportsHealthBacklogBuildPoolAndGcMetricsAndStartsFromTheJournalAfterARestart() throws IOException {
        AppConfig config = config();
        String failing = "viewpush_consecutive_failures{view=\"" + VIEW + "\"}";
        String lastSuccess = "viewpush_last_success_timestamp_seconds{view=\"" + VIEW + "\"}";
        String waiting = "viewpush_rows_waiting{view=\"" + VIEW + "\"}";
        try (Assembly a = Assembly.open(config, PushListener.NONE)) {
            String first = a.metrics().scrape();
            assertThat(sample(first, waiting)).isEqualTo(3.0);
            assertThat(sample(first, failing)).isZero();
            assertThat(sample(first, lastSuccess)).as("never pushed").isZero();
            assertThat(sample(first, "viewpush_build_info{version=\"" + HttpPushTransport.VERSION + "\"}")).isEqualTo(1.0);
            assertThat(first).contains("hikaricp_connections_active{pool=\"viewpush\"}")
                    .contains("hikaricp_connections_pending{pool=\"viewpush\"}")
                    .as("the JVM's metrics cost start-up: bound only where /metrics is served")
                    .doesNotContain("jvm_gc_memory_allocated_bytes_total");
            a.startApi();
            assertThat(a.metrics().scrape()).contains("jvm_gc_memory_allocated_bytes_total")
                    .contains("jvm_memory_used_bytes").contains("process_uptime_seconds");

            answer.set(500);
            assertThat(a.engine().pushNow(VIEW).status()).isEqualTo(PushAttempt.Status.FAILED);
            assertThat(a.engine().pushNow(VIEW).status()).isEqualTo(PushAttempt.Status.FAILED);
            assertThat(sample(a.metrics().scrape(), failing)).isEqualTo(2.0);
        }
        // a restart starts from the journal, not from zero
        try (Assembly a = Assembly.open(config, PushListener.NONE)) {
            assertThat(sample(a.metrics().scrape(), failing)).isEqualTo(2.0);
            answer.set(200);
            PushAttempt ok = a.engine().pushNow(VIEW);
            assertThat(ok.status()).isEqualTo(PushAttempt.Status.SUCCESS);
            String after = a.metrics().scrape();
            assertThat(sample(after, failing)).isZero();
            assertThat(sample(after, lastSuccess))
                    .isCloseTo(ok.finishedAt().toEpochMilli() / 1000.0, within(0.01))
                    .isLessThanOrEqualTo(Instant.now().getEpochSecond() + 1);
            assertThat(sample(after, "viewpush_push_duration_seconds_bucket{outcome=\"success\",view=\"" + VIEW
                    + "\",le=\"+Inf\"}")).isEqualTo(1.0);
            assertThat(sample(after, "viewpush_sent_bytes_total{view=\"" + VIEW + "\"}"))
                    .isEqualTo(sample(after, "viewpush_bytes_sent_total{view=\"" + VIEW + "\"}"))
                    .isEqualTo(ok.bytes());
        }
    }

    @Test
    void everyMetricTheAlertRulesUseIsOneTheAppExports() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(repositoryFile("docs/alerts.yml").toFile());
        List<JsonNode> all = new ArrayList<>();
        rules.path("groups").forEach(g -> g.path("rules").forEach(all::add));
        assertThat(all).as("rules in docs/alerts.yml").hasSizeGreaterThanOrEqualTo(3);
        Set<String> used = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b((?:viewpush|hikaricp|jvm|process|system)_[a-z0-9_]+)\\b");
        for (JsonNode rule : all) {
            String name = rule.path("alert").asText();
            assertThat(name).as("every rule is an alert with a name").isNotBlank();
            assertThat(rule.path("for").asText()).as(name + ": for").matches("\\d+[smh]");
            assertThat(rule.path("labels").path("severity").asText()).as(name + ": severity").isNotBlank();
            assertThat(rule.path("annotations").path("summary").asText()).as(name + ": summary").isNotBlank();
            Matcher m = metric.matcher(rule.path("expr").asText());
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).contains("viewpush_consecutive_failures", "viewpush_last_success_timestamp_seconds",
                "viewpush_rows_waiting");

        Set<String> exported = new TreeSet<>();
        try (Assembly a = Assembly.open(config(), PushListener.NONE)) {
            a.engine().pushNow(VIEW); // a push, so that the histogram's series exist
            for (String line : a.metrics().scrape().split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    exported.add(line.split("[{ ]", 2)[0]);
                }
            }
        }
        assertThat(exported).containsAll(used);
    }

    /** The test runs in push-app; the rules live at the repository's root. */
    private static Path repositoryFile(String name) {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(name))) {
                return p.resolve(name);
            }
        }
        throw new AssertionError(name + " not found above " + here);
    }
}
