package io.viewpush.app.reliability;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 15: the process holding a view's lease is killed with SIGKILL while its POST waits for
 * the answer, and another engine takes the view over at once, not after the lease's time to live
 * (60 s here, so that expiry cannot be what lets it in): on PostgreSQL a {@code run} that was
 * waiting for the view (held: it looks again every poll interval) and a {@code push} started after
 * the kill; on an embedded H2 file a {@code push} after a killed {@code run}. The takeover time is
 * from the kill (the process gone) to the taker's request at the receiver. A {@code push} while a
 * live {@code run} holds the view exits 1 naming the holder's host, process id, since when, and when
 * its lease expires.
 */
class TakeoverIT {
    private static final String TABLE = "t15";
    private static final String ENGINE = "{pollInterval: 200ms, leaseTtl: 60s, shutdownTimeout: 10s}";
    private static final Duration PROMISED = Duration.ofSeconds(5);

    @Test
    void aRunWaitingForTheViewTakesItOverWithinSecondsOfTheHoldersSigkill() {
        int kills = Scale.count("takeover.kills", 2, 15);
        Pg.Db db = Fixture.sharedPg().createDatabase("s15_takeover_run");
        Path dir = Fixture.dir("15-takeover-run");
        Fixture.table(db, TABLE);
        List<AppProcess> processes = new ArrayList<>();
        List<Duration> takeovers = new ArrayList<>();
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            AtomicReference<Instant> killedAt = new AtomicReference<>();
            AtomicReference<CountDownLatch> holderInFlight = new AtomicReference<>();
            AtomicReference<CountDownLatch> killed = new AtomicReference<>();
            // the holder's request (the round's first) is never answered: the holder dies meanwhile
            receiver.script(req -> {
                CountDownLatch inFlight = holderInFlight.get();
                if (inFlight != null && inFlight.getCount() > 0) {
                    return FaultyReceiver.Action.of(FaultyReceiver.Kind.DROP).before(() -> {
                        inFlight.countDown();
                        await(killed.get());
                    });
                }
                return FaultyReceiver.Action.ok();
            });
            new Fixture.Config(db).engine(ENGINE)
                    .view(TABLE, TABLE, receiver.url(TABLE), "maxRows: 1000, retry: {attempts: 1}")
                    .write(dir.resolve("push.yaml"));
            for (int round = 1; round <= kills; round++) {
                Fixture.insert(db, TABLE, 50);
                holderInFlight.set(new CountDownLatch(1));
                killed.set(new CountDownLatch(1));
                int before = receiver.exchanges().size();
                // the holder: a push, in flight
                AppProcess push = AppProcess.start(dir, "holder-push-" + round, Fixture.options(), "push", "-c", "push.yaml", TABLE);
                processes.add(push);
                Fixture.await(holderInFlight.get(), push, Duration.ofSeconds(90), "the holder's POST arrived");
                // the taker: run, which finds the view held and keeps looking
                AppProcess run = AppProcess.start(dir, "taker-run-" + round, Fixture.options(), "run", "-c", "push.yaml");
                processes.add(run);
                run.awaitApi(Duration.ofSeconds(90));
                AppProcess.sleep(1000);
                assertThat(receiver.exchanges().size()).as("nothing reached the receiver but the holder's request").isEqualTo(before);
                assertThat(receiver.inFlight()).as("the holder's request waits for its answer").isEqualTo(1);
                push.kill();
                killedAt.set(Instant.now());
                killed.get().countDown();
                Fixture.await(Duration.ofSeconds(60), "the taker sends the rows", () -> firstAfter(receiver, killedAt.get()) != null);
                takeovers.add(Duration.between(killedAt.get(), firstAfter(receiver, killedAt.get())));
                Fixture.await(Duration.ofSeconds(30), "every row is stamped", () -> Fixture.unstamped(db, List.of(TABLE)) == 0);
                assertThat(run.stop(Duration.ofSeconds(30))).isZero();
            }
            Ledger ledger = new Ledger().add(TABLE, Fixture.state(db, TABLE), receiver.exchanges());
            Secrets.Scan scan = Fixture.secrets().scan(CrashRecoveryIT.logs(processes));
            Report.add("15. SIGKILL of the holder: run takes over", ledger, scan, kills + " kills of a push in flight, run"
                    + " waiting (pollInterval 200ms, leaseTtl 60s); takeover after the kill " + summary(takeovers)
                    + "; PostgreSQL");
            assertThat(ledger.lost()).as("%s", ledger).isZero();
            assertThat(takeovers).as("every takeover within %s of the kill", PROMISED)
                    .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(PROMISED));
            assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
        } finally {
            processes.forEach(AppProcess::close);
        }
    }

    @Test
    void aPushAfterTheHoldingRunWasKilledTakesTheViewAtOnceAndALivingHolderIsNamed() {
        Pg.Db db = Fixture.sharedPg().createDatabase("s15_takeover_push");
        Path dir = Fixture.dir("15-takeover-push");
        Fixture.table(db, TABLE);
        Fixture.insert(db, TABLE, 40);
        List<AppProcess> processes = new ArrayList<>();
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            CountDownLatch inFlight = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger seen = new AtomicInteger();
            receiver.script(req -> seen.getAndIncrement() == 0
                    ? FaultyReceiver.Action.of(FaultyReceiver.Kind.DROP).before(() -> {
                        inFlight.countDown();
                        await(release);
                    })
                    : FaultyReceiver.Action.ok());
            new Fixture.Config(db).engine(ENGINE)
                    .view(TABLE, TABLE, receiver.url(TABLE), "maxRows: 1000, retry: {attempts: 1}")
                    .write(dir.resolve("push.yaml"));
            AppProcess run = AppProcess.start(dir, "holder-run", Fixture.options(), "run", "-c", "push.yaml");
            processes.add(run);
            Fixture.await(inFlight, run, Duration.ofSeconds(90), "the holder's POST arrived");

            // while the holder lives: a push is refused, and told who holds the view until when
            AppProcess refused = AppProcess.start(dir, "push-refused", Fixture.options(), "push", "-c", "push.yaml", TABLE);
            processes.add(refused);
            assertThat(refused.await(Duration.ofSeconds(90))).as("%s", refused.err()).isEqualTo(1);
            String said = refused.out() + refused.err();
            assertThat(said).contains("another engine is pushing this view (host ")
                    .contains(", process " + run.pid() + ", since ").contains("its lease expires at ");

            run.kill();
            Instant killedAt = Instant.now();
            release.countDown();
            AppProcess push = AppProcess.start(dir, "push-taker", Fixture.options(), "push", "-c", "push.yaml", TABLE);
            processes.add(push);
            assertThat(push.await(Duration.ofSeconds(90))).as("the push takes the dead holder's view at once:\n%s%s",
                    push.out(), push.err()).isZero();
            Duration takeover = Duration.between(killedAt, firstAfter(receiver, killedAt));

            Ledger ledger = new Ledger().add(TABLE, Fixture.state(db, TABLE), receiver.exchanges());
            Secrets.Scan scan = Fixture.secrets().scan(CrashRecoveryIT.logs(processes));
            Report.add("15. SIGKILL of the holder: push takes over", ledger, scan, "run killed in flight, then push"
                    + " (a new JVM: its start-up included) delivered " + millis(takeover) + " after the kill (leaseTtl 60s);"
                    + " a push while run held the view exited 1 naming its host, process id, since and expiry; PostgreSQL");
            assertThat(ledger.lost()).as("%s", ledger).isZero();
            assertThat(Fixture.unstamped(db, List.of(TABLE))).isZero();
            assertThat(takeover).isLessThan(Duration.ofSeconds(60));
            assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
        } finally {
            processes.forEach(AppProcess::close);
        }
    }

    @Test
    void onAnEmbeddedH2FileAPushAfterAKilledRunTakesTheViewAtOnce() throws Exception {
        Path dir = Fixture.dir("15-takeover-h2");
        Path data = dir.resolve("h2data");
        Files.createDirectories(data);
        String url = "jdbc:h2:file:" + data.resolve("viewpush").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS items");
            s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, payload VARCHAR(200) NOT NULL,"
                    + " last_pushed TIMESTAMP(3) WITH TIME ZONE)");
            s.execute("INSERT INTO items (id, payload) SELECT x, 'row ' || x FROM SYSTEM_RANGE(1, 30)");
        }
        List<AppProcess> processes = new ArrayList<>();
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            CountDownLatch inFlight = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger seen = new AtomicInteger();
            receiver.script(req -> seen.getAndIncrement() == 0
                    ? FaultyReceiver.Action.of(FaultyReceiver.Kind.DROP).before(() -> {
                        inFlight.countDown();
                        await(release);
                    })
                    : FaultyReceiver.Action.ok());
            Files.writeString(dir.resolve("push.yaml"), """
                    database: {url: '%s', user: sa}
                    server: {host: 127.0.0.1, port: 0}
                    engine: %s
                    views:
                      - name: items
                        table: items
                        key: id
                        fields: {id: id, payload: payload, last pushed: last_pushed}
                        filters: ['{last pushed} is empty']
                        push: {url: '%s', stamp: last pushed, minInterval: 0, retry: {attempts: 1}, secret: '${HOOK_SECRET}'}
                    """.formatted(url, ENGINE, receiver.url("items")));
            AppProcess run = AppProcess.start(dir, "holder-run", Fixture.options(), "run", "-c", "push.yaml");
            processes.add(run);
            Fixture.await(inFlight, run, Duration.ofSeconds(90), "the holder's POST arrived");
            run.kill();
            Instant killedAt = Instant.now();
            release.countDown();

            AppProcess push = AppProcess.start(dir, "push-taker", Fixture.options(), "push", "-c", "push.yaml", "items");
            processes.add(push);
            assertThat(push.await(Duration.ofSeconds(90))).as("the push takes the dead process's lease at once:\n%s%s",
                    push.out(), push.err()).isZero();
            Duration takeover = Duration.between(killedAt, firstAfter(receiver, killedAt));

            Set<Long> stamped = new HashSet<>();
            List<Long> keys = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, last_pushed IS NOT NULL FROM items")) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                    if (rs.getBoolean(2)) {
                        stamped.add(rs.getLong(1));
                    }
                }
            }
            Ledger ledger = new Ledger().add("items", new Ledger.TableState(keys.stream().mapToLong(Long::longValue).toArray(),
                    stamped), receiver.exchanges());
            Secrets.Scan scan = Fixture.secrets().scan(CrashRecoveryIT.logs(processes));
            Report.add("15. SIGKILL of the holder: push takes over (H2 file)", ledger, scan, "run killed in flight, then"
                    + " push (a new JVM) delivered " + millis(takeover) + " after the kill, on its first try (leaseTtl 60s)");
            assertThat(ledger.lost()).as("%s", ledger).isZero();
            assertThat(stamped).hasSize(30);
            assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
        } finally {
            processes.forEach(AppProcess::close);
        }
    }

    /** @return when the first request answered 2xx that arrived after {@code t} arrived, or null */
    private static Instant firstAfter(FaultyReceiver receiver, Instant t) {
        return receiver.exchanges().stream().filter(x -> x.delivered() && x.received().isAfter(t))
                .map(FaultyReceiver.Exchange::received).min(Instant::compareTo).orElse(null);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(120, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never let the receiver go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String millis(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }

    /** min / median / max of the takeover times. */
    static String summary(List<Duration> times) {
        List<Duration> sorted = new ArrayList<>(times);
        sorted.sort(null);
        return "min " + millis(sorted.get(0)) + ", median " + millis(sorted.get(sorted.size() / 2)) + ", max "
                + millis(sorted.get(sorted.size() - 1)) + " (" + sorted.size() + " takeovers)";
    }
}
