package io.viewpush.app.reliability;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 8: a soak. 50 views, steady inserts, 5% of requests failing: nothing lost; the heap after
 * a full collection flat from start to end; the journal pruned to its configured size; no thread,
 * file descriptor or database connection leak (counts printed). Short: 20 s; long: 10 minutes
 * ({@code -Dreliability.soak=10m}).
 */
class SoakIT {
    private static final int VIEWS = 50;
    private static final int KEEP = 5;
    private static final int POOL = 6;

    /** What the process held at one moment. */
    private record Sample(long atSeconds, int heapAfterFullGcMb, long threads, long fds, long connections) {
        @Override
        public String toString() {
            return atSeconds + "s: heap " + heapAfterFullGcMb + " MB, " + threads + " threads, " + fds + " fds, "
                    + connections + " connections";
        }
    }

    @Test
    void fiftyViewsForMinutesWithFailingReceiversLoseNothingAndLeakNothing() {
        Duration soak = Scale.duration("soak", "20s", "10m");
        Pg.Db db = Fixture.sharedPg().createDatabase("s8_soak");
        Path dir = Fixture.dir("8-soak");
        List<String> tables = new ArrayList<>();
        for (int i = 1; i <= VIEWS; i++) {
            tables.add("k" + i);
            Fixture.table(db, "k" + i);
        }
        SplittableRandom random = new SplittableRandom(Scale.SEED);
        AppProcess app = null;
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            receiver.script(req -> {
                int roll;
                synchronized (random) {
                    roll = random.nextInt(100);
                }
                return switch (roll) {
                    case 0, 1 -> FaultyReceiver.Action.answer(500);
                    case 2 -> FaultyReceiver.Action.of(FaultyReceiver.Kind.RESET);
                    case 3 -> FaultyReceiver.Action.of(FaultyReceiver.Kind.TIMEOUT);
                    case 4 -> FaultyReceiver.Action.tooMany(1);
                    default -> FaultyReceiver.Action.ok();
                };
            });
            Fixture.Config config = new Fixture.Config(db).engine("{workers: 4, pollInterval: 500ms, leaseTtl: 10s, "
                    + "shutdownTimeout: 10s, journalMaxAttemptsPerView: " + KEEP + ", journalPruneInterval: 2s, "
                    + "journalRetention: 1h}");
            for (String t : tables) {
                config.view(t, t, receiver.url(t), "maxRows: 50, timeout: 2s, retry: {attempts: 2, initialBackoff: 200ms, "
                        + "maxBackoff: 1s, maxRetryAfter: 5s}, backoffInitial: 500ms, backoffMax: 3s");
            }
            config.write(dir.resolve("push.yaml"));
            Path gc = dir.resolve("gc.log");
            app = AppProcess.start(dir, "run", Fixture.options().heap("-Xmx128m").jvm("-Xlog:gc:file=" + gc),
                    "run", "-c", "push.yaml");
            app.awaitApi(Duration.ofSeconds(60));
            List<Sample> samples = new ArrayList<>();
            long started = System.nanoTime();
            try (Fixture.Inserter inserter = new Fixture.Inserter(db, tables, 100, Scale.SEED)) {
                // warm up for a tenth of the soak, then sample five times
                AppProcess.sleep(soak.toMillis() / 10);
                samples.add(sample(app, db, gc, started));
                for (int i = 1; i <= 4; i++) {
                    AppProcess.sleep(soak.toMillis() * 9 / 10 / 4);
                    samples.add(sample(app, db, gc, started));
                }
                assertThat(inserter.rows()).as("rows inserted throughout").isPositive();
            }
            Fixture.await(Duration.ofSeconds(180), "every row is stamped", () -> Fixture.unstamped(db, tables) == 0);
            AppProcess.sleep(3000);
            samples.add(sample(app, db, gc, started));
            long kept = db.count("SELECT count(*) FROM viewpush_push_attempt");
            long maxKept = db.count("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM viewpush_push_attempt "
                    + "GROUP BY view_name) c");
            long pushesLogged = occurrences(app.err(), "push: view '");
            assertThat(app.stop(Duration.ofSeconds(30))).as(app.err()).isZero();

            Ledger ledger = new Ledger();
            for (String t : tables) {
                ledger.add(t, Fixture.state(db, t), receiver.exchanges(t));
            }
            Secrets.Scan scan = Fixture.secrets().scan(app.logs());
            Sample first = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            Report.add("8. soak", ledger, scan, VIEWS + " views, " + soak.toSeconds() + " s, 5% failures; heap after full GC "
                    + samples.stream().map(s -> s.heapAfterFullGcMb() + "").toList() + " MB; threads "
                    + samples.stream().map(s -> s.threads() + "").toList() + "; fds "
                    + samples.stream().map(s -> s.fds() + "").toList() + "; connections "
                    + samples.stream().map(s -> s.connections() + "").toList() + "; journal " + kept + " attempts kept (at most "
                    + maxKept + " per view) of " + pushesLogged + " pushes logged; seed " + Scale.SEED);

            assertThat(ledger.lost()).as("%s", ledger).isZero();
            assertThat(ledger.duplicated()).as("%s", ledger).isZero();
            assertThat(ledger.resentSameId()).isEqualTo(ledger.resent());
            assertThat(ledger.idMismatches()).isZero();
            assertThat(last.heapAfterFullGcMb()).as("heap after a full GC, start to end: %s", samples)
                    .isLessThanOrEqualTo(first.heapAfterFullGcMb() + 10);
            assertThat(last.threads()).as("threads, start to end: %s", samples).isLessThanOrEqualTo(first.threads() + 4);
            assertThat(last.fds()).as("file descriptors, start to end: %s", samples).isLessThanOrEqualTo(first.fds() + 10);
            assertThat(samples).as("database connections never beyond the pool").allSatisfy(s ->
                    assertThat(s.connections()).isLessThanOrEqualTo(POOL));
            assertThat(maxKept).as("the journal is pruned to its size (plus what one prune interval adds)")
                    .isLessThanOrEqualTo(KEEP + 40);
            assertThat(pushesLogged).as("more pushes happened than the journal keeps").isGreaterThan(kept);
            assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    private static Sample sample(AppProcess app, Pg.Db db, Path gc, long started) {
        int fullBefore = GcLog.read(gc).fullAfters().size();
        app.jcmd("GC.run");
        // the heap after the collection just forced: its line in the GC log, not an earlier one
        Fixture.await(Duration.ofSeconds(10), "the forced full collection is in the GC log",
                () -> GcLog.read(gc).fullAfters().size() > fullBefore);
        long pid = app.pid();
        long threads;
        long fds;
        try (Stream<String> status = Files.lines(Path.of("/proc/" + pid + "/status"));
             Stream<Path> fd = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            threads = status.filter(l -> l.startsWith("Threads:")).mapToLong(l -> Long.parseLong(l.substring(8).trim()))
                    .findFirst().orElse(-1);
            fds = fd.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Sample((System.nanoTime() - started) / 1_000_000_000L, GcLog.read(gc).lastFullAfter(), threads, fds,
                db.connections());
    }

    private static long occurrences(String text, String what) {
        long n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
