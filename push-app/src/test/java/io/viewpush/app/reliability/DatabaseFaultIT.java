package io.viewpush.app.reliability;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 2: the engine's PostgreSQL connections terminated ({@code pg_terminate_backend}), and the
 * server restarted, during a read, during a stamp and while idle: the engine recovers by itself,
 * records each failure (a log line per failed push; the journal too once the database is back) and
 * loses nothing. The long version repeats the round of six faults.
 */
class DatabaseFaultIT {
    private static final String TABLE = "events";
    private static final long DOWN_MILLIS = 1500;

    private Pg pg;
    private Pg.Db db;
    private AppProcess app;
    private FaultyReceiver receiver;
    private final AtomicReference<IntConsumer> onBlockedStamp = new AtomicReference<>();
    private final List<String> faults = new ArrayList<>();

    @Test
    void terminatedConnectionsAndRestartsDuringReadStampAndIdleAreRecoveredFromAndRecordedWithoutLoss() {
        int rounds = Scale.count("db.rounds", 1, 5);
        try (Pg server = Pg.start()) {
            pg = server;
            db = pg.createDatabase("s2_db");
            Path dir = Fixture.dir("2-database");
            Fixture.table(db, TABLE);
            try (FaultyReceiver r = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
                receiver = r;
                receiver.script(req -> {
                    IntConsumer fault = onBlockedStamp.getAndSet(null);
                    if (fault != null) {
                        RowLock[] lock = new RowLock[1];
                        return FaultyReceiver.Action.ok()
                                .before(() -> lock[0] = new RowLock(db, TABLE))
                                .after(() -> {
                                    try {
                                        fault.accept(lock[0].awaitBlockedStamp(Duration.ofSeconds(30)));
                                    } finally {
                                        lock[0].closeQuietly();
                                    }
                                });
                    }
                    // slow enough that a push of many rows keeps its cursor open for seconds
                    return FaultyReceiver.Action.ok().before(() -> AppProcess.sleep(60));
                });
                new Fixture.Config(db)
                        .engine("{pollInterval: 200ms, leaseTtl: 5s, shutdownTimeout: 10s}")
                        .view(TABLE, TABLE, receiver.url(TABLE), "maxRows: 100, timeout: 10s, retry: {attempts: 1}, "
                                + "backoffInitial: 300ms, backoffMax: 2s")
                        .write(dir.resolve("push.yaml"));
                app = AppProcess.start(dir, "run", Fixture.options(), "run", "-c", "push.yaml");
                app.awaitApi(Duration.ofSeconds(60));
                try (Fixture.ResilientInserter inserter = new Fixture.ResilientInserter(db, List.of(TABLE), 20, Scale.SEED)) {
                    for (int round = 1; round <= rounds; round++) {
                        duringRead("terminate", () -> {
                            int[] killed = {0};
                            Fixture.await(Duration.ofSeconds(30), "a reading backend was terminated",
                                    () -> (killed[0] = db.terminate("select%from%" + TABLE + "%order by%")) > 0);
                        });
                        duringStamp("terminate", pid -> db.count("SELECT count(pg_terminate_backend(" + pid + "))"));
                        whileIdle(inserter, "terminate", () -> assertThat(db.terminate(null)).as("idle connections").isPositive());
                        duringRead("restart", () -> pg.restart(DOWN_MILLIS));
                        duringStamp("restart", pid -> pg.restart(DOWN_MILLIS));
                        whileIdle(inserter, "restart", () -> pg.restart(DOWN_MILLIS));
                    }
                }
                Fixture.await(Duration.ofSeconds(120), "every row is stamped", () -> Fixture.unstamped(db, List.of(TABLE)) == 0);
                long failedInJournal = db.count("SELECT count(*) FROM viewpush_push_attempt WHERE status IN ('FAILED', 'PARTIAL')");
                assertThat(app.stop(Duration.ofSeconds(30))).as(app.err()).isZero();

                Ledger ledger = new Ledger().add(TABLE, Fixture.state(db, TABLE), receiver.exchanges());
                Secrets.Scan scan = Fixture.secrets().scan(app.logs());
                Report.add("2. PostgreSQL faults", ledger, scan, rounds + " round(s) of " + faults.stream().distinct().count()
                        + " faults (" + String.join(", ", faults.stream().distinct().toList()) + ")"
                        + "; failed pushes logged: " + count(app.err(), "push: view '" + TABLE + "' failed")
                        + ", partial: " + count(app.err(), "push: view '" + TABLE + "' partial")
                        + "; failed or partial in the journal: " + failedInJournal + "; seed " + Scale.SEED);
                assertThat(ledger.lost()).as("%s", ledger).isZero();
                assertThat(ledger.duplicated()).as("only batches delivered when a fault hit their stamp: %s", ledger)
                        .isLessThanOrEqualTo(rounds * 6 * 2 * 100L);
                assertThat(ledger.resentSameId()).isEqualTo(ledger.resent());
                assertThat(ledger.idMismatches()).isZero();
                assertThat(failedInJournal).as("the failures during pushes are in the journal").isGreaterThanOrEqualTo(2L * rounds);
                assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    /** A push of many rows is under way (its cursor open) when the fault strikes. */
    private void duringRead(String kind, Runnable fault) {
        Fixture.insert(db, TABLE, 2000);
        Instant at = Instant.now();
        Fixture.await(Duration.ofSeconds(60), "a push is under way",
                () -> receiver.exchanges().stream().anyMatch(x -> x.received().isAfter(at)));
        int mark = app.err().length();
        fault.run();
        recovered(mark, kind + " during a read", true);
    }

    /** The receiver answered 200, the stamp waits for our row lock, and the fault strikes its backend. */
    private void duringStamp(String kind, IntConsumer fault) {
        int mark = app.err().length();
        CountDownLatch struck = new CountDownLatch(1);
        onBlockedStamp.set(pid -> {
            fault.accept(pid);
            struck.countDown();
        });
        Fixture.insert(db, TABLE, 300);
        Fixture.await(struck, app, Duration.ofSeconds(60), "the fault struck the stamp");
        recovered(mark, kind + " during a stamp", true);
    }

    /** Everything is stamped and the engine only checks the view now and then when the fault strikes. */
    private void whileIdle(Fixture.ResilientInserter inserter, String kind, Runnable fault) {
        inserter.pause(true);
        Fixture.await(Duration.ofSeconds(60), "every row is stamped", () -> Fixture.unstamped(db, List.of(TABLE)) == 0);
        AppProcess.sleep(1000);
        int mark = app.err().length();
        fault.run();
        AppProcess.sleep(DOWN_MILLIS);
        Fixture.insert(db, TABLE, 50);
        inserter.pause(false);
        // a terminated idle connection may be noticed by the pool's validation before any query fails
        String after = app.err().substring(mark);
        recovered(mark, kind + " while idle", kind.equals("restart") || after.contains("marked as broken"));
    }

    /**
     * The engine logged the failure as a failed (or partly failed) push naming the database, then
     * delivered again by itself.
     */
    private void recovered(int mark, String fault, boolean mustFail) {
        if (mustFail) {
            java.util.regex.Pattern failed = java.util.regex.Pattern.compile(
                    "push: view '" + TABLE + "' (failed|partial)[^\n]*database");
            Fixture.await(Duration.ofSeconds(60), "the fault '" + fault + "' is recorded as a failed push naming the database",
                    () -> failed.matcher(app.err().substring(mark)).find());
        }
        Instant now = Instant.now();
        Fixture.await(Duration.ofSeconds(90), "a push succeeds again after the fault '" + fault + "'",
                () -> receiver.exchanges().stream().anyMatch(x -> x.delivered() && x.received().isAfter(now)));
        faults.add(fault);
    }

    private static long count(String text, String what) {
        long n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
