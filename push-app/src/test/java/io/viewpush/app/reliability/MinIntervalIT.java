package io.viewpush.app.reliability;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 16: the minimum interval is what the receiver sees. Under {@code run} (minInterval 3s),
 * the first push's read is held up 1.5 s by a lock on the table (as a slow read would be), so its
 * request leaves 1.5 s after the push started; rows inserted right after it make the next push due
 * at once. The receiver's arrival times of the two pushes' requests must be at least 3 s apart (they
 * were 1.5 s apart when the interval ran between push starts).
 */
class MinIntervalIT {
    private static final String TABLE = "t16";
    private static final Duration MIN = Duration.ofSeconds(3);

    @Test
    void twoPushesNeverReachTheReceiverCloserTogetherThanTheMinimumInterval() throws Exception {
        Pg.Db db = Fixture.sharedPg().createDatabase("s16_min_interval");
        Path dir = Fixture.dir("16-min-interval");
        Fixture.table(db, TABLE);
        List<AppProcess> processes = new ArrayList<>();
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            receiver.script(req -> FaultyReceiver.Action.ok());
            new Fixture.Config(db).engine("{pollInterval: 200ms, leaseTtl: 30s, shutdownTimeout: 10s}")
                    .rawView("  - name: " + TABLE + "\n    table: " + TABLE + "\n    key: id\n"
                            + "    fields: {id: id, payload: payload, last pushed: last_pushed}\n"
                            + "    filters: ['{last pushed} is empty']\n"
                            + "    push: {url: '" + receiver.url(TABLE) + "', stamp: last pushed, minInterval: 3s,"
                            + " maxRows: 1000, retry: {attempts: 1}, secret: '${HOOK_SECRET}'}\n")
                    .write(dir.resolve("push.yaml"));
            AppProcess run = AppProcess.start(dir, "run", Fixture.options(), "run", "-c", "push.yaml");
            processes.add(run);
            run.awaitApi(Duration.ofSeconds(90));
            AppProcess.sleep(500);

            // the first push: its read waits for this transaction, which also brings its rows
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("LOCK TABLE " + TABLE + " IN ACCESS EXCLUSIVE MODE");
                s.execute("INSERT INTO " + TABLE + " (payload) SELECT 'first ' || g FROM generate_series(1, 20) g");
                AppProcess.sleep(1500);
                c.commit();
            }
            Fixture.await(Duration.ofSeconds(30), "the first push arrives", () -> receiver.exchanges().size() >= 1);
            Fixture.insert(db, TABLE, 20); // due at once: only the interval holds the second push back
            Fixture.await(Duration.ofSeconds(30), "the second push arrives", () -> receiver.exchanges().size() >= 2);
            Fixture.await(Duration.ofSeconds(30), "every row is stamped", () -> Fixture.unstamped(db, List.of(TABLE)) == 0);
            assertThat(run.stop(Duration.ofSeconds(30))).isZero();

            List<FaultyReceiver.Exchange> x = receiver.exchanges();
            Instant first = x.get(0).received();
            Instant second = x.get(1).received();
            Duration gap = Duration.between(first, second);
            Ledger ledger = new Ledger().add(TABLE, Fixture.state(db, TABLE), x);
            Secrets.Scan scan = Fixture.secrets().scan(CrashRecoveryIT.logs(processes));
            Report.add("16. minInterval at the receiver", ledger, scan, String.format(java.util.Locale.ROOT,
                    "minInterval 3s, the first push's read held up 1.5 s: its request and the next push's arrived"
                            + " %.2f s apart", gap.toMillis() / 1000.0));
            assertThat(x.get(0).delivered()).isTrue();
            assertThat(gap).as("the first requests of two pushes, as the receiver saw them").isGreaterThanOrEqualTo(MIN);
            assertThat(ledger.lost()).isZero();
            assertThat(scan.hits()).isZero();
        } finally {
            processes.forEach(AppProcess::close);
        }
    }
}
