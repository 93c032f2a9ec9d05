package io.viewpush.app.reliability;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 14 (issue 14): a service started before its database. {@code run} against a PostgreSQL
 * that is down answers {@code /health} with 503, logs the failure once, and starts pushing within a
 * few seconds of the database coming up; a bad config still exits 2 at once; {@code push} against a
 * closed port exits 1; SIGTERM while waiting exits 0 at once.
 */
class DatabaseWaitIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** How long the database stays down after {@code run} started waiting for it. */
    private static final Duration DOWN = Scale.duration("db.down", "4s", "30s");

    @Test
    void runWaitsForADatabaseThatComesUpLaterThenPushes() throws Exception {
        Path dir = Fixture.dir("14-database-wait");
        Pg pg = Fixture.sharedPg();
        Pg.Db db = pg.createDatabase("dbwait");
        Fixture.table(db, "orders");
        Fixture.insert(db, "orders", 3);
        int apiPort = freePort();
        long began = System.nanoTime();
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            Path file = new Fixture.Config(db).view("orders", "orders", receiver.url("orders"), "").write(dir.resolve("push.yaml"));
            Files.writeString(file, Files.readString(file).replace("port: 0}", "port: " + apiPort + "}"));
            pg.stop();
            AppProcess run;
            long waited;
            try {
                run = AppProcess.start(dir, "run", Fixture.options(), "run", "-c", file.toString());
                run.awaitLog("waiting for the database: cannot connect to the database", 0, Duration.ofSeconds(20));
                assertThat(health(apiPort)).as("/health while the database is down").isEqualTo(503);
                // short: 4 s (attempts after 1 s and 2 s fail); long: 30 s, as after a reboot (after 1, 2, 4, 8 s)
                AppProcess.sleep(DOWN.toMillis());
                assertThat(run.isAlive()).as("run must wait, not exit:\n" + run.err()).isTrue();
                assertThat(health(apiPort)).isEqualTo(503);
                assertThat(receiver.exchanges()).isEmpty();
            } finally {
                waited = System.nanoTime();
                pg.startAgain();
            }
            try (run) {
                // the next attempt comes at most run's longest backoff (30 s) after the database is up
                run.awaitApi(Duration.ofSeconds(50));
                long up = System.nanoTime();
                long end = up + Duration.ofSeconds(15).toNanos();
                while (stamped(db) < 3 && System.nanoTime() < end) {
                    AppProcess.sleep(100);
                }
                double seconds = (System.nanoTime() - waited) / 1e9;
                assertThat(stamped(db)).as("rows stamped after the database came up:\n" + run.err()).isEqualTo(3);
                assertThat(receiver.exchanges()).isNotEmpty();
                assertThat(health(apiPort)).as("/health once running").isEqualTo(200);
                String err = run.err();
                assertThat(occurrences(err, "cannot connect to the database"))
                        .as("the same failure is logged once, not at every attempt:\n" + err).isEqualTo(1);
                assertThat(err).contains("the database answers after").doesNotContain(Pg.PASSWORD);
                assertThat(run.stop(Duration.ofSeconds(20))).isZero();
                Secrets.Scan scan = Fixture.secrets().scan(run.logs());
                assertThat(scan.hits()).as("secrets in the logs: " + scan.examples()).isZero();
                Report.addCounts("14. run waits for its database", 3, 3, 3, 0, 0, 1, receiver.exchanges().size(), scan,
                        String.format(java.util.Locale.ROOT, "database down %.1f s after run started: /health 503, "
                                        + "the failure logged once; all rows stamped %.1f s after the database started; "
                                        + "%.0f s in all", (waited - began) / 1e9, seconds,
                                (System.nanoTime() - began) / 1e9));
            }
        }
    }

    @Test
    void aBadConfigStillExitsTwoAtOnceAndPushOrCheckAgainstAClosedPortExitOne() throws IOException {
        Path dir = Fixture.dir("14-database-wait-exits");
        int closed = freePort();
        String db = "database:\n  url: jdbc:postgresql://127.0.0.1:" + closed + "/shop\n  user: u\n  password: ${PG_PASSWORD}\n";
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, db + "views:\n  - name: v\n    tabel: t\n");
        long t0 = System.nanoTime();
        try (AppProcess run = AppProcess.start(dir, "run-bad", Fixture.options(), "run", "-c", bad.toString())) {
            assertThat(run.await(Duration.ofSeconds(20))).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("unknown key 'tabel'").doesNotContain("waiting for the database");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("exit 2 without any wait").isLessThan(Duration.ofSeconds(10));
        Path good = dir.resolve("push.yaml");
        Files.writeString(good, db + "views:\n  - name: v\n    table: t\n    key: id\n    fields: [id, pushed]\n"
                + "    push: {url: 'http://127.0.0.1:9/h', stamp: pushed}\n");
        for (List<String> args : List.of(List.of("push", "-c", good.toString(), "v"), List.of("check", "-c", good.toString()),
                List.of("preview", "-c", good.toString(), "v"))) {
            try (AppProcess p = AppProcess.start(dir, args.get(0), Fixture.options(), args.toArray(String[]::new))) {
                assertThat(p.await(Duration.ofSeconds(20))).as(args + ": " + p.err()).isEqualTo(1);
                assertThat(p.err()).as(String.valueOf(args)).contains("error: cannot connect to the database")
                        .contains("the database is not reachable").doesNotContain(Pg.PASSWORD);
            }
        }
    }

    @Test
    void sigtermWhileWaitingExitsZeroPromptly() throws IOException {
        Path dir = Fixture.dir("14-database-wait-sigterm");
        int closed = freePort();
        Path file = dir.resolve("push.yaml");
        Files.writeString(file, "database:\n  url: jdbc:postgresql://127.0.0.1:" + closed + "/shop\n  user: u\n"
                + "  password: ${PG_PASSWORD}\nserver: {host: 127.0.0.1, port: 0}\n"
                + "views:\n  - name: v\n    table: t\n    key: id\n    fields: [id, pushed]\n"
                + "    push: {url: 'http://127.0.0.1:9/h', stamp: pushed}\n");
        try (AppProcess run = AppProcess.start(dir, "run", Fixture.options(), "run", "-c", file.toString())) {
            run.awaitLog("waiting for the database", 0, Duration.ofSeconds(20));
            long t0 = System.nanoTime();
            assertThat(run.stop(Duration.ofSeconds(10))).as(run.err()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(run.err()).contains("stopped while waiting for the database");
        }
    }

    private static int health(int port) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long stamped(Pg.Db db) {
        List<Map<String, Object>> rows = db.query("SELECT count(*) AS n FROM orders WHERE last_pushed IS NOT NULL");
        return ((Number) rows.get(0).get("n")).longValue();
    }

    private static int occurrences(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
