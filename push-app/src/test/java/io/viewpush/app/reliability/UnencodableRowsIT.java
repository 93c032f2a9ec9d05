package io.viewpush.app.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 10: rows another application filled with values the row JSON cannot carry. On
 * PostgreSQL a {@code numeric} column holds {@code NaN}, {@code Infinity}, {@code -Infinity} and
 * numbers with 10,000 digits after the point; on H2 a text column holds lone UTF-16 surrogates
 * (PostgreSQL's UTF-8 text cannot). They are written straight into the table, then {@code run}
 * pushes the view in batches of 5: every other row is delivered and stamped, the bad rows are held
 * back (never sent, never stamped) and reported by key and field in the push log, the journal
 * ({@code GET /api/views/{view}/pushes}) and the metric {@code viewpush_rows_held_back_total}; a
 * pull still returns every row, the bad values as {@code null} marked with {@code $unencodable};
 * a PATCH of such a value is a 400 that writes nothing; and the view goes on delivering new rows.
 */
class UnencodableRowsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int ROWS = 20;

    @Test
    void onPostgresNumericNanInfinityAndTenThousandDigitsAreHeldBackAndEveryOtherRowIsDeliveredAndStamped()
            throws Exception {
        Pg.Db db = Fixture.sharedPg().createDatabase("s10_unencodable");
        Path dir = Fixture.dir("10-unencodable-postgresql");
        db.sql("CREATE TABLE items (id bigint PRIMARY KEY, payload text NOT NULL, amount numeric, last_pushed timestamptz)",
                "ALTER TABLE items OWNER TO " + db.name(),
                "INSERT INTO items (id, payload, amount) SELECT g, 'item ' || g, g * 1.5 FROM generate_series(1, " + ROWS
                        + ") g",
                "UPDATE items SET amount = 'NaN' WHERE id = 4",
                "UPDATE items SET amount = 'Infinity' WHERE id = 9",
                "UPDATE items SET amount = 1e-10000 WHERE id = 13",
                "UPDATE items SET amount = '-Infinity' WHERE id = 17");
        Map<Long, String> bad = new TreeMap<>(Map.of(4L, "amount", 9L, "amount", 13L, "amount", 17L, "amount"));

        Outcome o = run(dir, db.yaml(), bad,
                () -> db.count("SELECT count(*) FROM items WHERE last_pushed IS NULL"),
                () -> db.sql("INSERT INTO items (id, payload, amount) VALUES (21, 'item 21', 1)"));

        assertThat(db.count("SELECT count(*) FROM items WHERE last_pushed IS NULL AND id IN (4, 9, 13, 17)"))
                .as("the held-back rows are not stamped").isEqualTo(4);
        assertThat(db.query("SELECT payload FROM items WHERE id = 4").get(0).get("payload"))
                .as("the refused PATCH wrote nothing").isEqualTo("item 4");
        report("10. unencodable rows: PostgreSQL", o, "numeric NaN, Infinity, -Infinity, 1e-10000");
    }

    @Test
    void onH2LoneSurrogatesAreHeldBackAndEveryOtherRowIsDeliveredAndStamped() throws Exception {
        Path dir = Fixture.dir("10-unencodable-h2");
        String url = "jdbc:h2:file:" + dir.resolve("data").resolve("items") + ";DB_CLOSE_ON_EXIT=FALSE";
        Map<Long, String> bad = new TreeMap<>(Map.of(3L, "payload", 8L, "payload", 15L, "payload"));
        Map<Long, String> badText = Map.of(3L, "bad \uD800 here", 8L, "\uDFFF first", 15L, "high at the end \uD83D");
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, payload VARCHAR(200) NOT NULL, amount NUMERIC(12, 2),"
                        + " last_pushed TIMESTAMP(0) WITH TIME ZONE)");
            }
            PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, payload, amount) VALUES (?, ?, ?)");
            for (long id = 1; id <= ROWS; id++) {
                ps.setLong(1, id);
                ps.setString(2, badText.getOrDefault(id, "item " + id));
                ps.setBigDecimal(3, java.math.BigDecimal.valueOf(id * 3, 1));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        String yaml = "database:\n  url: '" + url + "'\n  user: sa\n";

        // H2 keeps its file to the running app: what is left unstamped is what the view still shows
        Outcome o = run(dir, yaml, bad, null, null);

        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT id, payload FROM items WHERE last_pushed IS NULL ORDER BY id")) {
            Map<Long, String> unstamped = new TreeMap<>();
            while (rs.next()) {
                unstamped.put(rs.getLong(1), rs.getString(2));
            }
            assertThat(unstamped).as("only the held-back rows are unstamped, and the refused PATCH wrote nothing")
                    .isEqualTo(new TreeMap<>(badText));
        }
        report("10. unencodable rows: H2", o, "lone surrogates U+D800, U+DFFF, U+D83D at the end");
    }

    /** What one run saw. */
    private record Outcome(Set<Long> delivered, int requests, long heldBackInJournal, double metric, AppProcess app) {
    }

    /**
     * Runs the app on the database, waits until every good row is delivered, checks the reports,
     * the pull and a refused PATCH, then (when {@code insertGood} is given) that a new row is still
     * delivered.
     */
    private static Outcome run(Path dir, String databaseYaml, Map<Long, String> bad, LongSupplier unstamped,
                               Runnable insertGood) throws Exception {
        AppProcess app = null;
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            String yaml = databaseYaml + "server: {host: 127.0.0.1, port: 0}\napi:\n  keys:\n"
                    + "    - {name: ops, key: '${ADMIN_KEY}', views: ['*'], admin: true}\n"
                    + "    - {name: partner, key: '${PARTNER_KEY}', views: [items]}\n"
                    + "engine: {pollInterval: 200ms, leaseTtl: 30s, shutdownTimeout: 10s}\nviews:\n"
                    + "  - name: items\n    table: items\n    key: id\n"
                    + "    fields: {id: id, payload: payload, amount: amount, last pushed: last_pushed}\n"
                    + "    filters: ['{last pushed} is empty']\n    writable: [payload]\n"
                    + "    push: {url: '" + receiver.url("items") + "', stamp: last pushed, minInterval: 200ms, maxRows: 5}\n";
            Files.writeString(dir.resolve("push.yaml"), yaml);

            // preview shows what a push would send: every good row, none of the bad ones, which it names
            AppProcess preview = AppProcess.start(dir, "preview", Fixture.options(), "preview", "-c", "push.yaml", "items");
            assertThat(preview.await(Duration.ofSeconds(60))).as(preview.err()).isZero();
            Set<Long> previewed = new TreeSet<>();
            for (JsonNode row : JSON.readTree(preview.out())) {
                previewed.add(row.get("id").asLong());
            }
            assertThat(previewed).as("preview holds back what a push holds back").hasSize(ROWS - bad.size())
                    .doesNotContainAnyElementsOf(bad.keySet());
            Map.Entry<Long, String> firstBad = bad.entrySet().iterator().next();
            assertThat(preview.err()).contains(bad.size() + " rows held back")
                    .contains("key " + firstBad.getKey() + ", field '" + firstBad.getValue() + "'");

            app = AppProcess.start(dir, "run", Fixture.options(), "run", "-c", "push.yaml");
            int port = app.awaitApi(Duration.ofSeconds(60));
            Set<Long> good = new TreeSet<>();
            for (long id = 1; id <= ROWS; id++) {
                if (!bad.containsKey(id)) {
                    good.add(id);
                }
            }
            AppProcess running = app;
            Fixture.await(Duration.ofSeconds(60), "every good row is delivered:\n" + app.err(),
                    () -> running.isAlive() && delivered(receiver).containsAll(good));
            if (unstamped != null) {
                Fixture.await(Duration.ofSeconds(30), "every good row is stamped", () -> unstamped.getAsLong() == bad.size());
            }

            assertThat(delivered(receiver)).as("no held-back row is ever sent").doesNotContainAnyElementsOf(bad.keySet());
            assertThat(receiver.exchanges()).allMatch(FaultyReceiver.Exchange::delivered);

            // the pull: every row still in the view (only the held-back ones), the bad value null and marked
            String admin = Fixture.ADMIN_KEY;
            JsonNode pulled = JSON.readTree(get(port, "/api/views/items", admin).body());
            Map<Long, String> marked = new TreeMap<>();
            for (JsonNode row : pulled) {
                JsonNode fields = row.get("$unencodable");
                assertThat(fields).as("row %s is marked", row).isNotNull();
                assertThat(row.get(fields.get(0).asText()).isNull()).isTrue();
                marked.put(row.get("id").asLong(), fields.get(0).asText());
            }
            assertThat(marked).isEqualTo(bad);

            // the journal and the API: the push says which rows it held back, by key and field
            Fixture.await(Duration.ofSeconds(10), "the journal shows a push that held back every bad row",
                    () -> heldBackInJournal(port, bad) > 0);
            long inJournal = heldBackInJournal(port, bad);

            // the metric and the log
            String metrics = get(port, "/metrics", null).body();
            Matcher m = Pattern.compile("viewpush_rows_held_back_total\\{view=\"items\"} ([0-9.E]+)").matcher(metrics);
            assertThat(m.find()).as(metrics).isTrue();
            double metric = Double.parseDouble(m.group(1));
            assertThat(metric).isGreaterThanOrEqualTo(bad.size());
            Map.Entry<Long, String> first = bad.entrySet().iterator().next();
            assertThat(app.err()).contains(bad.size() + " rows held back")
                    .contains("key " + first.getKey() + ", field '" + first.getValue() + "'");

            // a PATCH of a value the row JSON cannot carry: a 400 naming the field, nothing written
            HttpResponse<String> patch = HTTP.send(HttpRequest.newBuilder(uri(port, "/api/views/items/rows/" + first.getKey()))
                    .header("Authorization", "Bearer " + Fixture.PARTNER_KEY).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"payload\": \"x\\ud800\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(patch.statusCode()).as(patch.body()).isEqualTo(400);
            assertThat(JSON.readTree(patch.body()).get("error").asText()).isEqualTo("invalid_value");
            assertThat(JSON.readTree(patch.body()).get("detail").asText()).contains("field 'payload'");

            if (insertGood != null) {
                insertGood.run();
                Fixture.await(Duration.ofSeconds(30), "a new row is delivered while the bad ones stay",
                        () -> delivered(receiver).contains(21L));
            }
            assertThat(app.stop(Duration.ofSeconds(30))).as(app.err()).isZero();
            return new Outcome(delivered(receiver), receiver.exchanges().size(), inJournal, metric, app);
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    private static void report(String scenario, Outcome o, String what) {
        Secrets.Scan scan = Fixture.secrets().scan(o.app().logs());
        Report.addCases(scenario, scan, String.format(Locale.ROOT, "%s written straight into the table among %d rows:"
                        + " %d good rows delivered and stamped in %d requests, none of the bad ones; held back per push"
                        + " (journal): %d; viewpush_rows_held_back_total %.0f", what, ROWS, o.delivered().size(),
                o.requests(), o.heldBackInJournal(), o.metric()));
        assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
    }

    private static Set<Long> delivered(FaultyReceiver receiver) {
        Set<Long> keys = new TreeSet<>();
        for (FaultyReceiver.Exchange x : receiver.exchanges()) {
            if (x.delivered() && x.keys() != null) {
                for (long k : x.keys()) {
                    keys.add(k);
                }
            }
        }
        return keys;
    }

    /** @return the held-back count of the newest journaled push that lists exactly the bad rows, or 0 */
    private static long heldBackInJournal(int port, Map<Long, String> bad) {
        try {
            JsonNode attempts = JSON.readTree(get(port, "/api/views/items/pushes?limit=50", Fixture.ADMIN_KEY).body());
            for (JsonNode a : attempts) {
                Map<Long, String> listed = new TreeMap<>();
                for (JsonNode h : a.path("heldBack")) {
                    listed.put(Long.parseLong(h.get("key").asText()), h.get("field").asText());
                }
                if (a.path("rowsHeldBack").asLong() == bad.size() && listed.equals(bad)
                        && a.path("status").asText().equals("success")
                        && a.path("reason").asText().contains(bad.size() + " rows held back")) {
                    return a.path("rowsHeldBack").asLong();
                }
            }
            return 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> get(int port, String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
