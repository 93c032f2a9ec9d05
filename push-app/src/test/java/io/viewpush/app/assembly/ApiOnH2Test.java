package io.viewpush.app.assembly;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigLoader;
import io.viewpush.http.api.ApiServer;
import io.viewpush.port.PushListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's API over a real (H2) database, for what only a real database shows: values the
 * database refuses (a key or an {@code after} its integer column cannot hold, text too long for its
 * column) are 400s naming the request's part, in the API's words (never the driver's text, an SQL
 * state or a column name), logged without a WARN; and {@code server.metricsKey} guarding
 * {@code /metrics}.
 */
class ApiOnH2Test {
    private static final String ADMIN = "admin-key-0123456789abcdef";
    private static final String PARTNER = "partner-key-0123456789abcd";
    private static final String METRICS = "metrics-key-0123456789abc";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Assembly assembly;
    private ApiServer api;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ListAppender<ILoggingEvent> logged;

    @AfterEach
    void stop() {
        if (logged != null) {
            ((Logger) LoggerFactory.getLogger("io.viewpush.http.api")).detachAppender(logged);
        }
        if (assembly != null) {
            assembly.close();
        }
    }

    private void start(String serverExtra) throws IOException {
        Files.writeString(dir.resolve("schema.sql"), "CREATE TABLE IF NOT EXISTS orders (id integer PRIMARY KEY,"
                + " customer varchar(20), receipt_id varchar(10));\n"
                + "MERGE INTO orders KEY (id) VALUES (1, 'Ada', NULL), (2, 'Bob', NULL);\n");
        String yaml = "database:\n  url: jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE\n"
                + "  init: schema.sql\n"
                + "server:\n  host: 127.0.0.1\n  port: 0\n" + serverExtra
                + "api:\n  keys:\n"
                + "    - {name: admin, key: " + ADMIN + ", views: ['*'], admin: true}\n"
                + "    - {name: partner, key: " + PARTNER + ", views: [orders], admin: false}\n"
                + "views:\n  - name: orders\n    table: orders\n    key: id\n"
                + "    fields: {id: id, customer: customer, receipt id: receipt_id}\n"
                + "    filters: ['{receipt id} is empty']\n"
                + "    writable: [receipt id]\n";
        AppConfig config = ConfigLoader.parse(yaml, "push.yaml", dir, Map.of());
        assembly = Assembly.open(config, PushListener.NONE);
        api = assembly.startApi();
        logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger("io.viewpush.http.api")).addAppender(logged);
    }

    private HttpResponse<String> call(String method, String path, String key, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            r.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        try {
            return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** Nothing of the database's own words in an answer. */
    private static void speaksOnlyApi(HttpResponse<String> r) {
        assertThat(r.body()).doesNotContainIgnoringCase("sqlstate").doesNotContain("RECEIPT_ID", "ORDERS", "SQL",
                "Value too long", "Numeric value", "22001", "22003", "Exception", "jdbc", "h2");
    }

    private void noWarnings() {
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
    }

    private String receipt(int id) throws SQLException {
        try (Connection c = assembly.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT receipt_id FROM orders WHERE id = " + id)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void anAfterTheKeyColumnCannotHoldIsA400NamingAfterNotAnOutage() throws IOException {
        start("");
        for (String after : new String[]{"99999999999999999999"}) {
            // H2 compares this one with an integer column as a number: an answer, never an outage
            assertThat(call("GET", "/api/views/orders?after=" + after, PARTNER, null).statusCode()).as(after)
                    .isEqualTo(200);
        }
        for (String after : new String[]{"1e999", "-1e999", "-1e30"}) {
            HttpResponse<String> r = call("GET", "/api/views/orders?after=" + after, PARTNER, null);
            assertThat(r.statusCode()).as(after).isEqualTo(400);
            assertThat(r.headers().firstValue("Retry-After")).as(after).isEmpty();
            assertThat(json(r).get("error").asText()).isEqualTo("bad_parameter");
            assertThat(json(r).get("detail").asText()).as(after).contains("parameter 'after'").contains("key field 'id'");
            speaksOnlyApi(r);
        }
        noWarnings();
        assertThat(call("GET", "/health", null, null).statusCode()).isEqualTo(200);
        assertThat(json(call("GET", "/api/views/orders?after=1", PARTNER, null)).get(0).get("id").asInt()).isEqualTo(2);
    }

    @Test
    void aRowKeyTheKeyColumnCannotHoldIsA400NamingThePathKeyNotAField() throws Exception {
        start("");
        HttpResponse<String> r = call("PATCH", "/api/views/orders/rows/1e999", PARTNER, "{\"receipt id\":\"R\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("detail").asText()).contains("row key in the path").doesNotContain("receipt id");
        speaksOnlyApi(r);
        noWarnings();
        assertThat(receipt(1)).isNull();
    }

    @Test
    void aValueTooLongForItsColumnIsA400NamingTheFieldInTheApisWords() throws Exception {
        start("");
        HttpResponse<String> r = call("PATCH", "/api/views/orders/rows/1", PARTNER, "{\"receipt id\":\"" + "R".repeat(50)
                + "\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid_value");
        assertThat(json(r).get("detail").asText()).contains("field 'receipt id'");
        speaksOnlyApi(r);
        noWarnings();
        assertThat(receipt(1)).isNull();
        assertThat(call("PATCH", "/api/views/orders/rows/1", PARTNER, "{\"receipt id\":\"R1\"}").statusCode()).isEqualTo(200);
        assertThat(receipt(1)).isEqualTo("R1");
    }

    @Test
    void metricsArePublicByDefault() throws IOException {
        start("");
        assertThat(call("GET", "/metrics", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aMetricsKeyGuardsMetricsAndAdminKeysOpenThemToo() throws IOException {
        start("  metricsKey: " + METRICS + "\n");
        HttpResponse<String> none = call("GET", "/metrics", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).doesNotContain("jvm_");
        assertThat(call("GET", "/metrics", PARTNER, null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/metrics", METRICS, null).body()).contains("jvm_");
        assertThat(call("GET", "/metrics", ADMIN, null).statusCode()).isEqualTo(200);
        // the metrics key is good for /metrics only
        assertThat(call("GET", "/api/views", METRICS, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/health", null, null).statusCode()).isEqualTo(200);
    }
}
