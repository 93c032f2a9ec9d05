package io.viewpush.app.reliability;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 6: a 1,000,000-row view pushed in one request by {@code push} under {@code -Xmx64m} to a
 * receiver that reads at about 5 MB/s: it completes, every row is delivered and stamped, and the
 * heap after each collection stays flat (the child JVM's GC log). The lease lasts 1 s, far less than
 * the request: it is renewed while the rows are sent, or the stamp would be refused. Short: 100,000 rows.
 */
class MillionRowsIT {
    private static final long RATE = 5_000_000;

    @Test
    void aMillionRowsUnder64MegabytesToASlowReceiverCompleteWithAFlatHeap() {
        int rows = Scale.count("rows", 100_000, 1_000_000);
        Pg.Db db = Fixture.sharedPg().createDatabase("s6_million");
        Path dir = Fixture.dir("6-million");
        Fixture.table(db, "big");
        Fixture.insert(db, "big", rows);
        db.sql("VACUUM ANALYZE big");
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id").throttle(RATE)) {
            // a lease much shorter than the push: it must be renewed while the one request is sent
            new Fixture.Config(db).noApiKeys().engine("{leaseTtl: 1s}")
                    .view("big", "big", receiver.url("big"), "timeout: 30m, retry: {attempts: 1}")
                    .write(dir.resolve("push.yaml"));
            Path gc = dir.resolve("gc.log");
            long started = System.nanoTime();
            AppProcess push = AppProcess.start(dir, "push", Fixture.options().heap("-Xmx64m")
                    .jvm("-Xlog:gc:file=" + gc), "push", "-c", "push.yaml", "big");
            int exit = push.await(Duration.ofMinutes(30));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(exit).as(push.out() + push.err()).isZero();

            Ledger ledger = new Ledger().add("big", Fixture.state(db, "big"), receiver.exchanges());
            Secrets.Scan scan = Fixture.secrets().scan(push.logs());
            GcLog log = GcLog.read(gc);
            long bytes = receiver.exchanges().stream().mapToLong(FaultyReceiver.Exchange::bytes).sum();
            long uploadMillis = receiver.exchanges().stream().mapToLong(x ->
                    Duration.between(x.received(), x.finished()).toMillis()).sum();
            Report.add("6. 1M rows, -Xmx64m, 5 MB/s", ledger, scan, String.format(java.util.Locale.ROOT,
                    "%,d rows, %.1f MB in %d request(s) at %.1f MB/s, %d s in all; heap after GC max %d MB "
                            + "(first third %d, last third %d) over %d collections", rows, bytes / 1e6,
                    ledger.requests(), bytes / 1e3 / Math.max(1, uploadMillis), took.toSeconds(), log.maxAfter(),
                    log.maxAfter(0, 1 / 3.0), log.maxAfter(2 / 3.0, 1), log.collections()));

            assertThat(push.out()).contains("success: " + rows + " rows in 1 batch");
            assertThat(bytes / 1e3 / Math.max(1, uploadMillis)).as("the receiver read at about 5 MB/s, no faster")
                    .isLessThan(5.5);
            assertThat(ledger.lost()).as("%s", ledger).isZero();
            assertThat(ledger.delivered()).isEqualTo(rows);
            assertThat(ledger.stamped()).isEqualTo(rows);
            assertThat(ledger.duplicated()).isZero();
            assertThat(log.collections()).as("the GC log was written").isPositive();
            assertThat(log.maxAfter()).as("heap after GC stays well inside 64 MB").isLessThan(48);
            assertThat(log.maxAfter(2 / 3.0, 1)).as("the heap after GC does not grow from the first third of the push to the last")
                    .isLessThanOrEqualTo(log.maxAfter(0, 1 / 3.0) + 12);
            assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
        }
    }
}
