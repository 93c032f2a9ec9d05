package io.viewpush.app.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 12 (issue 17): host transactions of random length, up to three push intervals, that
 * begin before pushes and update rows after them, under {@code run} with a short interval. The
 * table carries the usual host trigger, {@code NEW.last_modified := now()} (the transaction's
 * start), on updates of the data only ({@code UPDATE OF version}: one that also fired on ViewPush's
 * stamps would make every stamped row look changed, and push it again every interval). Each update increments a row's {@code version}; a change is lost when a row's final
 * version never reached the receiver although the row no longer needs pushing.
 * <ul>
 *   <li>recommended: {@code trigger --apply} installs ViewPush's trigger (it fires after the host's
 *       and sets the column when the row is written): nothing may be lost;</li>
 *   <li>transaction time: the host trigger alone: {@code check} and {@code run} warn, and losses
 *       show (the scenario proves it can see them).</li>
 * </ul>
 */
class LostUpdateIT {
    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final int ROWS = 4;
    private static final int WRITERS = 4;
    /** One round of host transactions; then everything is pushed and the round's losses counted. */
    private static final Duration ROUND = Duration.ofSeconds(3);

    /** What one run saw. */
    private record Outcome(long updates, long delivered, long duplicated, long maxPerRow, long requests, long lost,
                           long stamped, List<String> lostExamples, String checkErr, String runErr, Secrets.Scan scan) {
    }

    @Test
    void hostTransactionsThatBeginBeforeAPushAndWriteAfterItLoseNothingWithViewPushsTrigger() throws Exception {
        System.out.println("scenario 12 seed " + Scale.SEED);
        Duration load = Scale.duration("lostUpdate", "9s", "3m");
        Outcome safe = run("recommended", true, load);
        Outcome unsafe = run("transaction-time", false, load);
        Report.addCounts("12. lost update: ViewPush's trigger", ROWS, safe.delivered(), safe.stamped(), safe.lost(),
                safe.duplicated(), safe.maxPerRow(), safe.requests(), safe.scan(), safe.updates() + " host updates in "
                        + "transactions of 0-" + 3 * INTERVAL.toMillis() + " ms begun before pushes, " + load
                        + " under run (minInterval " + INTERVAL.toMillis() + " ms, maxRows 3), in rounds of " + ROUND.toSeconds()
                        + " s each followed by a quiet spell; lost = versions never delivered once all was pushed");
        Report.addCounts("12. lost update: host trigger now()", ROWS, unsafe.delivered(), unsafe.stamped(), unsafe.lost(),
                unsafe.duplicated(), unsafe.maxPerRow(), unsafe.requests(), unsafe.scan(), unsafe.updates()
                        + " host updates (rounds until one loses); the failure the set-up prevents (check and run warn): "
                        + unsafe.lostExamples());

        assertThat(safe.updates()).isGreaterThan(10);
        assertThat(safe.lost()).as("lost with ViewPush's trigger: %s", safe.lostExamples()).isZero();
        assertThat(safe.checkErr()).as("ViewPush's trigger fires after the host's: nothing to warn about")
                .doesNotContain("warning:");
        assertThat(unsafe.lost()).as("the transaction's time loses changes, and the scenario sees them").isPositive();
        assertThat(unsafe.checkErr()).contains("warning: view 'items', push.modified: column items.last_modified is set "
                + "by trigger 'touch' to now()").contains("trigger -c push.yaml \"items\"");
        assertThat(unsafe.runErr()).as("run warns once at start").containsOnlyOnce("is set by trigger 'touch' to now()");
        for (Outcome o : List.of(safe, unsafe)) {
            assertThat(o.scan().hits()).as("secrets in the logs: %s", o.scan().examples()).isZero();
        }
    }

    private Outcome run(String name, boolean recommended, Duration load) throws Exception {
        Pg.Db db = Fixture.sharedPg().createDatabase("s10_" + name.replace('-', '_'));
        Path dir = Fixture.dir("12-lost-update-" + name);
        db.sql("CREATE TABLE items (id bigint PRIMARY KEY, version int NOT NULL DEFAULT 0, "
                        + "last_modified timestamptz NOT NULL DEFAULT clock_timestamp(), last_pushed timestamptz)",
                "ALTER TABLE items OWNER TO " + db.name(),
                "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "NEW.last_modified := now(); RETURN NEW; END $$",
                // OF version: ViewPush's stamp must not fire it, else every stamp would make its row look changed
                "CREATE TRIGGER touch BEFORE UPDATE OF version ON items FOR EACH ROW EXECUTE FUNCTION touch()",
                "INSERT INTO items (id) SELECT g FROM generate_series(1, " + ROWS + ") g");
        Map<Long, Long> maxDelivered = new ConcurrentHashMap<>();
        Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        AtomicLong requests = new AtomicLong();
        HttpServer receiver = receiver(maxDelivered, deliveries, requests);
        AppProcess app = null;
        try {
            Fixture.Config config = new Fixture.Config(db).engine("{pollInterval: 100ms, leaseTtl: 5s, shutdownTimeout: 10s}")
                    .rawView("  - name: items\n    table: items\n    key: id\n"
                            + "    fields: {id: id, version: version, last modified: last_modified, last pushed: last_pushed}\n"
                            + "    calculations: {needs pushing: '{last modified} > {last pushed}'}\n"
                            + "    filters: ['{needs pushing} = true']\n"
                            + "    push: {url: 'http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook', "
                            + "stamp: last pushed, modified: last modified, minInterval: " + INTERVAL.toMillis() + "ms, "
                            + "format: json, maxRows: 3, retry: {attempts: 1}}\n");
            config.write(dir.resolve("push.yaml"));
            if (recommended) {
                AppProcess trigger = AppProcess.start(dir, "trigger", Fixture.options(), "trigger", "-c", "push.yaml",
                        "items", "--apply");
                assertThat(trigger.await(Duration.ofSeconds(60))).as(trigger.err()).isZero();
                assertThat(trigger.out()).contains("clock_timestamp()");
            }
            AppProcess check = AppProcess.start(dir, "check", Fixture.options(), "check", "-c", "push.yaml");
            assertThat(check.await(Duration.ofSeconds(60))).as("a warning is not a problem: %s", check.err()).isZero();
            String checkErr = check.err();

            app = AppProcess.start(dir, "run", Fixture.options(), "run", "-c", "push.yaml");
            app.awaitApi(Duration.ofSeconds(60));
            // rounds of load, each followed by a quiet spell in which everything that needs pushing is
            // pushed; a change is lost when, then, its row's version never reached the receiver. (A
            // later round would rescue a lost row by changing it again, so each round counts its own.)
            long updates = 0;
            long lost = 0;
            List<String> examples = new ArrayList<>();
            long rounds = Math.max(1, load.toMillis() / ROUND.toMillis());
            for (long round = 0; round < rounds && (recommended || lost == 0 || Scale.LONG); round++) {
                updates += hostTransactions(db, ROUND, round);
                Fixture.await(Duration.ofSeconds(30), "every row pushed", () -> db.count("SELECT count(*) FROM items "
                        + "WHERE last_pushed IS NULL OR last_modified > last_pushed") == 0);
                AppProcess.sleep(2 * INTERVAL.toMillis());
                for (Map<String, Object> row : db.query("SELECT id, version FROM items ORDER BY id")) {
                    long id = ((Number) row.get("id")).longValue();
                    long version = ((Number) row.get("version")).longValue();
                    long got = maxDelivered.getOrDefault(id, -1L);
                    if (got < version) {
                        lost++;
                        if (examples.size() < 3) {
                            examples.add("round " + (round + 1) + ", row " + id + ": version " + version
                                    + ", delivered " + got);
                        }
                    }
                }
            }
            assertThat(app.stop(Duration.ofSeconds(30))).as(app.err()).isZero();
            long delivered = deliveries.values().stream().mapToLong(Integer::longValue).sum();
            long duplicated = deliveries.values().stream().mapToLong(n -> n - 1L).sum();
            long maxPerRow = deliveries.values().stream().mapToLong(Integer::longValue).max().orElse(0);
            long stamped = db.count("SELECT count(*) FROM items WHERE last_pushed IS NOT NULL");
            return new Outcome(updates, delivered, duplicated, maxPerRow, requests.get(), lost, stamped, examples,
                    checkErr, app.err(), Fixture.secrets().scan(app.logs()));
        } finally {
            if (app != null) {
                app.close();
            }
            receiver.stop(0);
        }
    }

    /**
     * {@link #WRITERS} threads, each in a loop: begin a transaction (its now() is fixed), wait 0 to 3
     * push intervals, increment one random row's version, commit.
     *
     * @return the updates committed
     */
    private static long hostTransactions(Pg.Db db, Duration load, long round) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong updates = new AtomicLong();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            SplittableRandom random = new SplittableRandom(Scale.SEED + 31 * round + w);
            Thread t = new Thread(() -> {
                try (Connection c = db.connect()) {
                    c.setAutoCommit(false);
                    try (Statement begin = c.createStatement();
                         PreparedStatement update = c.prepareStatement("UPDATE items SET version = version + 1 WHERE id = ?")) {
                        while (running.get()) {
                            begin.executeQuery("SELECT now()").close();
                            Thread.sleep(random.nextLong(3 * INTERVAL.toMillis() + 1));
                            update.setLong(1, 1 + random.nextInt(ROWS));
                            update.executeUpdate();
                            c.commit();
                            updates.incrementAndGet();
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    failures.add(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "host-writer-" + w);
            t.start();
            threads.add(t);
        }
        Thread.sleep(load.toMillis());
        running.set(false);
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertThat(failures).as("host transactions failed").isEmpty();
        return updates.get();
    }

    /** A receiver of {@code format: json} bodies: records the highest version delivered per row. */
    private static HttpServer receiver(Map<Long, Long> maxDelivered, Map<String, Integer> deliveries,
                                       AtomicLong requests) throws IOException {
        ObjectMapper json = new ObjectMapper();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "lost-update-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode rows = json.readTree(in);
                requests.incrementAndGet();
                for (JsonNode row : rows) {
                    long id = row.get("id").asLong();
                    long version = row.get("version").asLong();
                    maxDelivered.merge(id, version, Math::max);
                    deliveries.merge(id + "@" + version, 1, Integer::sum);
                }
                exchange.sendResponseHeaders(200, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }
}
