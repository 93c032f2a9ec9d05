package io.viewpush.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code run} as a subprocess against PostgreSQL: the scheduler pushes, the receiver confirms rows
 * through the API (the "not yet confirmed" set-up), an admin push now, {@code /metrics} and
 * {@code /health}, two instances sharing one database, and a clean stop on SIGTERM with exit 0.
 */
class RunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "admin-key-0123456789abcdef";
    private static final String PARTNER_KEY = "partner-key-0123456789abcdef";
    private static Postgres pg;

    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    Receiver receiver;

    @BeforeAll
    static void startPostgres() {
        pg = new Postgres();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        pg.close();
    }

    @BeforeEach
    void startReceiver() {
        receiver = new Receiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private void config(String table, String view, String filter, String minInterval) throws IOException {
        Files.writeString(dir.resolve("push.yaml"), pg.databaseYaml()
                + "server:\n  host: 127.0.0.1\n  port: 0\n"
                + "api:\n  keys:\n"
                + "    - {name: ops, key: " + ADMIN_KEY + ", views: ['*'], admin: true}\n"
                + "    - {name: partner, key: " + PARTNER_KEY + ", views: [" + view + "]}\n"
                + "engine: {pollInterval: 200ms, shutdownTimeout: 10s}\n"
                + "views:\n"
                + "  - name: " + view + "\n"
                + "    table: " + table + "\n"
                + "    key: id\n"
                + "    fields: {id: id, customer: customer, last pushed: last_pushed, receipt id: receipt_id}\n"
                + "    filters: ['" + filter.replace("'", "''") + "']\n"
                + "    writable: [receipt id]\n"
                + "    push: {url: '" + receiver.url() + "', stamp: last pushed, minInterval: " + minInterval
                + ", retry: {attempts: 1}}\n");
    }

    private void table(String table) {
        pg.sql("DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id integer PRIMARY KEY, customer text, last_pushed timestamptz, receipt_id text)",
                "INSERT INTO " + table + " (id, customer) VALUES (1, 'Ada'), (2, 'Grace')");
    }

    private HttpResponse<String> call(String method, String url, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Integer> ids(String json) throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (JsonNode row : JSON.readTree(json)) {
            ids.add(row.get("id").asInt());
        }
        return ids;
    }

    @Test
    void receiptViaTheApiTakesRowsOutOfTheViewAndSigtermStopsCleanly() throws Exception {
        table("receipts");
        config("receipts", "receipts to confirm", "{receipt id} is empty", "1h");
        try (RunningApp app = new RunningApp(dir, "run", "-c", "push.yaml")) {
            // the scheduler pushes both rows at once (first push of the view)
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests().isEmpty());
            assertThat(ids(receiver.requests().get(0).json())).containsExactly(1, 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> app.err().contains("view 'receipts to confirm' success"));
            assertThat(app.err()).contains("push: view 'receipts to confirm' success: 2 rows in 1 batch")
                    .contains("next push at");

            String view = app.base() + "/api/views/receipts%20to%20confirm";
            HttpResponse<String> pull = call("GET", view, PARTNER_KEY, null);
            assertThat(pull.statusCode()).isEqualTo(200);
            assertThat(ids(pull.body())).containsExactly(1, 2);

            HttpResponse<String> receipt = call("PATCH", view + "/rows/1", PARTNER_KEY, "{\"receipt id\":\"R-1\"}");
            assertThat(receipt.statusCode()).as(receipt.body()).isEqualTo(200);
            assertThat(JSON.readTree(receipt.body()).get("receipt id").asText()).isEqualTo("R-1");
            assertThat(ids(call("GET", view, PARTNER_KEY, null).body())).containsExactly(2);

            assertThat(call("POST", view + "/push", PARTNER_KEY, null).statusCode()).isEqualTo(403);
            HttpResponse<String> pushNow = call("POST", view + "/push", ADMIN_KEY, null);
            assertThat(pushNow.statusCode()).as(pushNow.body()).isEqualTo(200);
            assertThat(JSON.readTree(pushNow.body()).get("status").asText()).isEqualTo("success");
            assertThat(receiver.requests()).hasSize(2);
            assertThat(ids(receiver.requests().get(1).json())).containsExactly(2);

            HttpResponse<String> metrics = call("GET", app.base() + "/metrics", null, null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .containsPattern("viewpush_pushes_total\\{outcome=\"success\",view=\"receipts to confirm\"} 2\\.0")
                    .containsPattern("viewpush_rows_sent_total\\{view=\"receipts to confirm\"} 3\\.0")
                    .contains("viewpush_push_duration_seconds_count");
            assertThat(call("GET", app.base() + "/health", null, null).statusCode()).isEqualTo(200);

            assertThat(app.stop(Duration.ofSeconds(30))).as(app.err()).isZero();
            assertThat(app.err()).contains("stopping: no new pushes").contains("stopped cleanly");
        }
        assertThat(pg.query("SELECT receipt_id FROM receipts WHERE id = 1").get(0).get("receipt_id")).isEqualTo("R-1");
    }

    @Test
    void sigtermLetsThePushInFlightFinishAndStampBeforeExitingZero() throws Exception {
        table("slow_orders");
        config("slow_orders", "slow", "{last pushed} is empty", "1m");
        receiver.delay(2500);
        try (RunningApp app = new RunningApp(dir, "run", "-c", "push.yaml")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests().isEmpty());
            long start = System.nanoTime();
            int exit = app.stop(Duration.ofSeconds(30));
            assertThat(exit).as(app.err()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited for the receiver's answer")
                    .isGreaterThan(Duration.ofMillis(1500));
            assertThat(app.err()).contains("stopping: no new pushes")
                    .contains("push: view 'slow' success: 2 rows in 1 batch")
                    .contains("stopped cleanly");
        }
        assertThat(pg.query("SELECT count(*) AS n FROM slow_orders WHERE last_pushed IS NULL").get(0).get("n"))
                .as("the push in flight was stamped before the stop").isEqualTo(0L);
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void twoInstancesOnOneDatabaseDeliverEachRowOnce() throws Exception {
        pg.sql("DROP TABLE IF EXISTS shared_orders",
                "CREATE TABLE shared_orders (id integer PRIMARY KEY, customer text, last_pushed timestamptz, receipt_id text)");
        config("shared_orders", "shared", "{last pushed} is empty", "0");
        try (RunningApp a = new RunningApp(dir, "run", "-c", "push.yaml");
             RunningApp b = new RunningApp(dir, "run", "-c", "push.yaml")) {
            for (int i = 1; i <= 20; i++) {
                pg.sql("INSERT INTO shared_orders (id, customer) VALUES (" + i + ", 'c" + i + "')");
                Thread.sleep(50);
            }
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    pg.query("SELECT count(*) AS n FROM shared_orders WHERE last_pushed IS NULL").get(0).get("n")
                            .equals(0L));
            Map<Integer, Integer> deliveries = new HashMap<>();
            for (Receiver.Request r : receiver.requests()) {
                for (int id : ids(r.json())) {
                    deliveries.merge(id, 1, Integer::sum);
                }
            }
            assertThat(deliveries).hasSize(20);
            assertThat(deliveries.values()).as("deliveries per row").containsOnly(1);
            assertThat(a.stop(Duration.ofSeconds(30))).isZero();
            assertThat(b.stop(Duration.ofSeconds(30))).isZero();
        }
    }
}
