package io.viewpush.app.reliability;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 1: {@code run} killed with SIGKILL while a POST is in flight, and again between the
 * receiver's 2xx and the stamp's commit; restarted each time: every row delivered, none lost; the
 * batch re-sent after each kill carries the {@code webhook-id} it had before. The long version adds
 * many kills at random moments.
 */
class CrashRecoveryIT {
    private static final String TABLE = "orders";

    @Test
    void sigkillDuringAPostAndBetweenTheAnswerAndTheStampLosesNothing() throws Exception {
        Pg.Db db = Fixture.sharedPg().createDatabase("s1_crash");
        Path dir = Fixture.dir("1-crash");
        Fixture.table(db, TABLE);
        Fixture.insert(db, TABLE, 120);
        AtomicReference<AppProcess> current = new AtomicReference<>();
        AtomicInteger phase = new AtomicInteger();
        CountDownLatch killedInFlight = new CountDownLatch(1);
        CountDownLatch killedBeforeStamp = new CountDownLatch(1);
        AtomicReference<String> blockedStamp = new AtomicReference<>();
        AtomicReference<java.time.Instant> secondKill = new AtomicReference<>();
        List<AppProcess> processes = new ArrayList<>();

        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            receiver.script(req -> switch (phase.getAndIncrement()) {
                // the first request: the process dies while the POST waits for its answer
                case 0 -> FaultyReceiver.Action.of(FaultyReceiver.Kind.DROP).before(() -> {
                    current.get().kill();
                    killedInFlight.countDown();
                });
                // the next one is answered 200; the stamp is held up by our row locks; then the process dies
                case 1 -> {
                    RowLock[] lock = new RowLock[1];
                    yield FaultyReceiver.Action.ok()
                            .before(() -> lock[0] = new RowLock(db, TABLE))
                            .after(() -> {
                                try (RowLock l = lock[0]) {
                                    int pid = l.awaitBlockedStamp(Duration.ofSeconds(30));
                                    blockedStamp.set("backend " + pid + " was waiting to stamp");
                                    current.get().kill();
                                    secondKill.set(java.time.Instant.now());
                                }
                                killedBeforeStamp.countDown();
                            });
                }
                default -> FaultyReceiver.Action.ok();
            });
            Path config = new Fixture.Config(db)
                    .engine("{pollInterval: 200ms, leaseTtl: 3s, shutdownTimeout: 10s}")
                    .view(TABLE, TABLE, receiver.url(TABLE), "maxRows: 50, retry: {attempts: 1}, backoffInitial: 500ms, backoffMax: 2s")
                    .write(dir.resolve("push.yaml"));

            try (Fixture.Inserter inserter = new Fixture.Inserter(db, List.of(TABLE), 20, Scale.SEED)) {
                current.set(start(dir, "run-1", processes));
                Fixture.await(killedInFlight, current.get(), Duration.ofSeconds(90), "the first POST arrived");
                assertThat(current.get().isAlive()).isFalse();

                current.set(start(dir, "run-2", processes));
                Fixture.await(killedBeforeStamp, current.get(), Duration.ofSeconds(90), "the second POST was answered");
                assertThat(current.get().isAlive()).isFalse();

                current.set(start(dir, "run-3", processes));
                AppProcess.sleep(2000);
                assertThat(inserter.rows()).as("rows inserted throughout").isPositive();
            }
            Fixture.await(Duration.ofSeconds(90), "every row is stamped", () -> Fixture.unstamped(db, List.of(TABLE)) == 0);
            assertThat(current.get().stop(Duration.ofSeconds(30))).as("clean stop").isZero();

            Ledger ledger = new Ledger().add(TABLE, Fixture.state(db, TABLE), receiver.exchanges());
            Secrets.Scan scan = Fixture.secrets().scan(logs(processes));
            // what run-2 had delivered when it died: the batch whose stamp waited, and the next one,
            // sent while that stamp was pending (stamping is pipelined one batch behind)
            long answeredByTheKilled = receiver.exchanges().stream()
                    .filter(x -> x.delivered() && x.received().isBefore(secondKill.get()))
                    .flatMapToLong(x -> java.util.Arrays.stream(x.keys())).distinct().count();
            Report.add("1. SIGKILL in flight + before stamp", ledger, scan, "2 kills, 3 starts; " + blockedStamp.get()
                    + " at the kill; seed " + Scale.SEED);

            assertThat(ledger.lost()).as("%s", ledger).isZero();
            // The stamp that waited was, on PostgreSQL, one statement already with the database (the
            // lease check and the update, in autocommit): it commits when our row locks go, dead engine
            // or not (its batch was answered 2xx, and its lease row lock kept any take-over waiting),
            // so its 50 rows may or may not come again; every other batch answered before the kill does.
            assertThat(ledger.duplicated()).as("only the batches answered 2xx before the kill are sent twice: %s", ledger)
                    .isLessThanOrEqualTo(answeredByTheKilled)
                    .isGreaterThanOrEqualTo(answeredByTheKilled - 50);
            assertThat(ledger.maxDeliveries()).isEqualTo(2);
            assertThat(ledger.resent()).as("the dropped batch and the answered one were both sent again").isGreaterThanOrEqualTo(2);
            assertThat(ledger.resentSameId()).as("re-sent batches keep their webhook-id: %s", ledger).isEqualTo(ledger.resent());
            assertThat(ledger.idMismatches()).isZero();
            assertThat(ledger.foreign()).isZero();
            assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
        } finally {
            processes.forEach(AppProcess::close);
        }
    }

    @Test
    void manySigkillsAtRandomMomentsLoseNothing() {
        int kills = Scale.count("crash.kills", 1, 25);
        SplittableRandom random = new SplittableRandom(Scale.SEED);
        Pg.Db db = Fixture.sharedPg().createDatabase("s1_random_kills");
        Path dir = Fixture.dir("1-random-kills");
        List<String> tables = List.of("a", "b", "c");
        tables.forEach(t -> {
            Fixture.table(db, t);
            Fixture.insert(db, t, 200);
        });
        List<AppProcess> processes = new ArrayList<>();
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            SplittableRandom answers = random.split();
            receiver.script(req -> {
                int delay;
                synchronized (answers) {
                    delay = answers.nextInt(300);
                }
                return FaultyReceiver.Action.ok().before(() -> AppProcess.sleep(delay));
            });
            Fixture.Config config = new Fixture.Config(db).engine("{pollInterval: 200ms, leaseTtl: 3s, shutdownTimeout: 10s}");
            tables.forEach(t -> config.view(t, t, receiver.url(t), "maxRows: 40, retry: {attempts: 1}, backoffInitial: 500ms, backoffMax: 2s"));
            config.write(dir.resolve("push.yaml"));
            AppProcess app;
            try (Fixture.Inserter inserter = new Fixture.Inserter(db, tables, 60, Scale.SEED)) {
                for (int i = 1; i <= kills; i++) {
                    app = start(dir, "run-" + i, processes);
                    AppProcess.sleep(500 + random.nextInt(2500));
                    app.kill();
                }
                app = start(dir, "run-" + (kills + 1), processes);
                AppProcess.sleep(2000);
                assertThat(inserter.rows()).as("rows inserted throughout").isPositive();
            }
            Fixture.await(Duration.ofSeconds(120), "every row is stamped", () -> Fixture.unstamped(db, tables) == 0);
            assertThat(app.stop(Duration.ofSeconds(30))).isZero();

            Ledger ledger = new Ledger();
            tables.forEach(t -> ledger.add(t, Fixture.state(db, t), receiver.exchanges(t)));
            Secrets.Scan scan = Fixture.secrets().scan(logs(processes));
            Report.add("1. SIGKILL at random moments", ledger, scan, kills + " kills, 3 views, receiver answers in 0-300 ms; seed "
                    + Scale.SEED);
            assertThat(ledger.lost()).as("%s", ledger).isZero();
            assertThat(ledger.duplicated()).as("at most two batches per view and kill (one stamping, one answered) are sent twice: %s", ledger)
                    .isLessThanOrEqualTo((long) kills * tables.size() * 2 * 40);
            assertThat(ledger.resentSameId()).isEqualTo(ledger.resent());
            assertThat(ledger.idMismatches()).isZero();
            assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
        } finally {
            processes.forEach(AppProcess::close);
        }
    }

    private static AppProcess start(Path dir, String name, List<AppProcess> processes) {
        AppProcess p = AppProcess.start(dir, name, Fixture.options(), "run", "-c", "push.yaml");
        processes.add(p);
        return p;
    }

    static List<Path> logs(List<AppProcess> processes) {
        List<Path> logs = new ArrayList<>();
        processes.forEach(p -> logs.addAll(p.logs()));
        return logs;
    }
}
