package io.viewpush.app.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenarios 20–22 (issue 14): a receiver that answers 410 Gone in the middle of a push in batches,
 * a pause and a resume seen by two {@code run} processes and across a restart, and replays under
 * load that lose no row and stamp none without its delivery.
 */
class PauseAndReplayIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Scenario 20: 410 during a multi-batch push. Earlier batches stay stamped, nothing is sent after it. */
    @Test
    void a410InTheMiddleOfAPushInBatchesPausesTheViewAndSendsNothingMore() throws Exception {
        Path dir = Fixture.dir("20-gone");
        Pg.Db db = Fixture.sharedPg().createDatabase("gone");
        Fixture.table(db, "orders");
        int rows = Scale.count("gone.rows", 50, 5_000);
        int batch = Math.max(1, rows / 5);
        Fixture.insert(db, "orders", rows);
        AtomicInteger requests = new AtomicInteger();
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")
                .script(in -> requests.incrementAndGet() == 3 ? FaultyReceiver.Action.answer(410)
                        : FaultyReceiver.Action.ok())) {
            Path file = new Fixture.Config(db).view("orders", "orders", receiver.url("orders"),
                    "maxRows: " + batch + ", pauseAfter: 24h").write(dir.resolve("push.yaml"));
            int exit;
            try (AppProcess push = AppProcess.start(dir, "push", Fixture.options(), "push", "-c", file.toString(), "orders")) {
                exit = push.await(Duration.ofSeconds(120));
                assertThat(exit).as(push.out() + push.err()).isEqualTo(1);
                assertThat(push.out()).contains("gone").contains("the view is paused (endpoint_gone)");
            }
            List<FaultyReceiver.Exchange> sent = receiver.exchanges();
            assertThat(sent).as("two batches delivered, the third answered 410, nothing after").hasSize(3);
            assertThat(sent.get(2).status()).isEqualTo(410);
            Set<Long> deliveredBefore = new HashSet<>();
            sent.subList(0, 2).forEach(x -> {
                for (long k : x.keys()) {
                    deliveredBefore.add(k);
                }
            });
            Ledger.TableState state = Fixture.state(db, "orders");
            assertThat(state.stamped()).as("exactly the rows of the batches before the 410 are stamped")
                    .isEqualTo(deliveredBefore);
            for (long k : sent.get(2).keys()) {
                assertThat(state.stamped()).as("a row of the 410 batch").doesNotContain(k);
            }

            // the pause holds for run too: a running engine sends nothing while it lasts
            try (AppProcess run = AppProcess.start(dir, "run", Fixture.options(), "run", "-c", file.toString())) {
                int port = run.awaitApi(Duration.ofSeconds(60));
                JsonNode view = views(port).get(0);
                assertThat(view.get("paused").asBoolean()).isTrue();
                assertThat(view.get("pause").get("reason").asText()).isEqualTo("endpoint_gone");
                AppProcess.sleep(2_000);
                assertThat(receiver.exchanges()).as("nothing sent while paused").hasSize(3);
                assertThat(metric(port, "viewpush_view_paused{view=\"orders\"}")).isEqualTo(1.0);

                JsonNode resumed = post(port, "orders", "resume", null);
                assertThat(resumed.get("changed").asBoolean()).isTrue();
                Fixture.await(Duration.ofSeconds(60), "every row is stamped after the resume",
                        () -> Fixture.unstamped(db, List.of("orders")) == 0);
                assertThat(metric(port, "viewpush_view_paused{view=\"orders\"}")).isEqualTo(0.0);
                assertThat(run.stop(Duration.ofSeconds(30))).isZero();
                Ledger l = new Ledger().add("orders", Fixture.state(db, "orders"), receiver.exchanges());
                assertThat(l.lost()).as(l.toString()).isZero();
                assertThat(l.duplicated()).as("a 410 batch is not delivered: nothing twice").isZero();
                Secrets.Scan scan = Fixture.secrets().scan(run.logs());
                assertThat(scan.hits()).isZero();
                Report.add("20. 410 Gone in a push in batches", l, scan, String.format(Locale.ROOT,
                        "%,d rows in batches of %,d: 2 batches delivered and stamped, the 3rd answered 410 and not stamped,"
                                + " 0 sent after it (push exit %d); run kept it paused 2 s (0 sent, viewpush_view_paused 1);"
                                + " after resume every row delivered", rows, batch, exit));
            }
        }
    }

    /** Scenario 21: a pause made through one engine holds in another, and across its restart; a resume ends it for both. */
    @Test
    void aPauseHoldsForTwoEnginesAndAcrossARestartAndAResumeEndsItForBoth() throws Exception {
        Path dir = Fixture.dir("21-pause-two-engines");
        Pg.Db db = Fixture.sharedPg().createDatabase("pausetwo");
        Fixture.table(db, "orders");
        Fixture.insert(db, "orders", 20);
        Duration quiet = Scale.duration("pause.quiet", "3s", "30s");
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            Path file = new Fixture.Config(db).view("orders", "orders", receiver.url("orders"), "maxRows: 10")
                    .write(dir.resolve("push.yaml"));
            AppProcess a = AppProcess.start(dir, "run-a", Fixture.options(), "run", "-c", file.toString());
            AppProcess b = AppProcess.start(dir, "run-b", Fixture.options(), "run", "-c", file.toString());
            long inserted;
            try (a) {
                int portA = a.awaitApi(Duration.ofSeconds(60));
                int portB = b.awaitApi(Duration.ofSeconds(60));
                Fixture.await(Duration.ofSeconds(60), "the first rows are stamped", () -> Fixture.unstamped(db, List.of("orders")) == 0);
                try (Fixture.Inserter inserter = new Fixture.Inserter(db, List.of("orders"), 20, Scale.SEED)) {
                    AppProcess.sleep(1_000);
                    JsonNode paused = post(portA, "orders", "pause", "{\"detail\": \"receiver maintenance\"}");
                    assertThat(paused.get("pause").get("reason").asText()).isEqualTo("operator");
                    AppProcess.sleep(1_000); // a push in flight at the pause may finish
                    int before = receiver.exchanges().size();
                    AppProcess.sleep(quiet.toMillis());
                    assertThat(receiver.exchanges()).as("nothing sent by either engine while paused").hasSize(before);
                    assertThat(views(portB).get(0).get("pause").get("detail").asText()).isEqualTo("receiver maintenance");

                    // B restarts: the pause is in the database, not in the process
                    assertThat(b.stop(Duration.ofSeconds(30))).isZero();
                    b.close();
                    // its own log: a restarted process's log would still show the old port
                    b = AppProcess.start(dir, "run-b-restarted", Fixture.options(), "run", "-c", file.toString());
                    portB = b.awaitApi(Duration.ofSeconds(60));
                    assertThat(views(portB).get(0).get("paused").asBoolean()).as("paused after B's restart").isTrue();
                    AppProcess.sleep(quiet.toMillis());
                    assertThat(receiver.exchanges()).as("nothing sent after B's restart").hasSize(before);
                    assertThat(metric(portB, "viewpush_view_paused{view=\"orders\"}")).isEqualTo(1.0);
                    assertThat(Fixture.unstamped(db, List.of("orders"))).as("rows wait while paused").isPositive();

                    JsonNode resumed = post(portB, "orders", "resume", null);
                    assertThat(resumed.get("ended").get("by").asText()).isEqualTo("API key 'ops'");
                    Fixture.await(Duration.ofSeconds(30), "a push after the resume", () -> receiver.exchanges().size() > before);
                    assertThat(views(portA).get(0).get("paused").asBoolean()).isFalse();
                    inserted = inserter.rows();
                }
                Fixture.await(Duration.ofSeconds(60), "every row is stamped", () -> Fixture.unstamped(db, List.of("orders")) == 0);
                assertThat(b.stop(Duration.ofSeconds(30))).isZero();
                assertThat(a.stop(Duration.ofSeconds(30))).isZero();
                assertThat(a.err()).as("the engine that paused logs it").contains("view 'orders': paused since");
                assertThat(b.err()).as("the engine that resumed logs it").contains("view 'orders': resumed by API key 'ops'");
            } finally {
                b.close();
            }
            Ledger l = new Ledger().add("orders", Fixture.state(db, "orders"), receiver.exchanges());
            assertThat(l.lost()).as(l.toString()).isZero();
            List<Path> logs = new ArrayList<>(a.logs());
            logs.addAll(b.logs());
            logs.add(dir.resolve("run-b.out.log"));
            logs.add(dir.resolve("run-b.err.log"));
            Secrets.Scan scan = Fixture.secrets().scan(logs);
            assertThat(scan.hits()).isZero();
            Report.add("21. pause/resume: two engines, a restart", l, scan, String.format(Locale.ROOT,
                    "2 run processes, 20 inserts/s (%,d inserted while paused or not); paused through A: 0 requests from"
                            + " either for %s, nor after B's restart (%s more); resumed through B: pushed at once; seed %d",
                    inserted, quiet, quiet, Scale.SEED));
        }
    }

    /** Scenario 22: replays under load: no row lost, none stamped without a delivery after its replay. */
    @Test
    void replaysUnderLoadLoseNothingAndEveryReplayedRowIsDeliveredAgain() throws Exception {
        Path dir = Fixture.dir("22-replay-under-load");
        Pg.Db db = Fixture.sharedPg().createDatabase("replay");
        Fixture.table(db, "orders");
        Fixture.insert(db, "orders", 200);
        int replays = Scale.count("replays", 10, 200);
        SplittableRandom random = new SplittableRandom(Scale.SEED);
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")
                .script(in -> random.nextInt(10) == 0 ? FaultyReceiver.Action.answer(500) : FaultyReceiver.Action.ok())) {
            Path file = new Fixture.Config(db).view("orders", "orders", receiver.url("orders"),
                    "maxRows: 25, backoffInitial: 100ms, backoffMax: 200ms, retry: {attempts: 1}")
                    .write(dir.resolve("push.yaml"));
            Map<Long, Instant> replayedAt = new HashMap<>();
            long replayedRows = 0;
            int done = 0;
            long inserted;
            try (AppProcess run = AppProcess.start(dir, "run", Fixture.options(), "run", "-c", file.toString())) {
                int port = run.awaitApi(Duration.ofSeconds(60));
                try (Fixture.Inserter inserter = new Fixture.Inserter(db, List.of("orders"), 50, Scale.SEED)) {
                    for (int i = 0; i < replays; i++) {
                        AppProcess.sleep(100 + random.nextInt(400));
                        List<Map<String, Object>> stamped = db.query("SELECT id FROM orders WHERE last_pushed IS NOT NULL "
                                + "ORDER BY random() LIMIT " + (1 + random.nextInt(30)));
                        if (stamped.isEmpty()) {
                            continue;
                        }
                        List<Long> keys = new ArrayList<>();
                        stamped.forEach(r -> keys.add(((Number) r.get("id")).longValue()));
                        Instant asked = Instant.now();
                        JsonNode answer = post(port, "orders", "replay", JSON.writeValueAsString(Map.of("keys", keys)));
                        assertThat(answer.get("rows").asLong()).as("every chosen row had its stamp: the replay and "
                                + "the pushes never overlap").isEqualTo(keys.size());
                        keys.forEach(k -> replayedAt.put(k, asked));
                        replayedRows += keys.size();
                        done++;
                    }
                    inserted = inserter.rows();
                }
                Fixture.await(Duration.ofSeconds(90), "every row is stamped", () -> Fixture.unstamped(db, List.of("orders")) == 0);
                JsonNode journal = get(port, "/api/views/orders/replays?limit=1000");
                assertThat(journal.size()).as("every replay is in the journal").isEqualTo(done);
                assertThat(run.stop(Duration.ofSeconds(30))).isZero();
                List<FaultyReceiver.Exchange> all = receiver.exchanges();
                for (Map.Entry<Long, Instant> e : replayedAt.entrySet()) {
                    boolean again = all.stream().anyMatch(x -> x.delivered() && !x.received().isBefore(e.getValue())
                            && contains(x.keys(), e.getKey()));
                    assertThat(again).as("row %d, replayed at %s, was delivered again", e.getKey(), e.getValue()).isTrue();
                }
                Ledger l = new Ledger().add("orders", Fixture.state(db, "orders"), all);
                assertThat(l.lost()).as(l.toString()).isZero();
                assertThat(l.problems()).as(l.toString()).isEmpty();
                Secrets.Scan scan = Fixture.secrets().scan(run.logs());
                assertThat(scan.hits()).isZero();
                Report.add("22. replay under load", l, scan, String.format(Locale.ROOT,
                        "%,d replays by key through the API (%,d rows, %,d distinct) while 50 rows/s were inserted and 10%%"
                                + " of requests failed; every replay counted exactly its rows (none raced a push), every"
                                + " replayed row delivered again after its replay; %,d inserted; seed %d",
                        done, replayedRows, replayedAt.size(), inserted, Scale.SEED));
            }
        }
    }

    private static boolean contains(long[] keys, long k) {
        if (keys == null) {
            return false;
        }
        for (long x : keys) {
            if (x == k) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode views(int port) throws IOException, InterruptedException {
        return get(port, "/api/views");
    }

    private static JsonNode get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + Fixture.ADMIN_KEY).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode post(int port, String view, String action, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/views/" + view + "/" + action))
                .header("Authorization", "Bearer " + Fixture.ADMIN_KEY).timeout(Duration.ofSeconds(60));
        if (body == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** @return the value of one sample of {@code /metrics} (Prometheus text) */
    private static double metric(int port, String sample) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + sample + " in /metrics:\n" + r.body());
    }
}
