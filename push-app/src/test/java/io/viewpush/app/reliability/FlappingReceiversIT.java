package io.viewpush.app.reliability;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 3: 20 views with continuous inserts, receivers failing about 30% of requests at random
 * (500, 429 with Retry-After, no answer until the push times out, a reset in the middle of the
 * upload): every row delivered and stamped, and no row stamped unless a 2xx answered a request that
 * contained it. Short: 10 s of inserts; long: 3 minutes.
 */
class FlappingReceiversIT {
    static final int VIEWS = 20;

    @Test
    void twentyViewsAgainstReceiversFailingAThirdOfTheTimeDeliverAndStampEveryRow() {
        Duration inserting = Scale.duration("flapping", "10s", "3m");
        Pg.Db db = Fixture.sharedPg().createDatabase("s3_flapping");
        Path dir = Fixture.dir("3-flapping");
        List<String> tables = new ArrayList<>();
        for (int i = 1; i <= VIEWS; i++) {
            tables.add("v" + i);
            Fixture.table(db, "v" + i);
        }
        SplittableRandom random = new SplittableRandom(Scale.SEED);
        Map<String, Integer> faults = new TreeMap<>();
        AppProcess app = null;
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            receiver.script(req -> {
                int roll;
                synchronized (random) {
                    roll = random.nextInt(100);
                }
                FaultyReceiver.Action a;
                if (roll < 10) {
                    a = FaultyReceiver.Action.answer(500);
                } else if (roll < 16) {
                    a = FaultyReceiver.Action.tooMany(1);
                } else if (roll < 21) {
                    a = FaultyReceiver.Action.of(FaultyReceiver.Kind.TIMEOUT);
                } else if (roll < 30) {
                    a = FaultyReceiver.Action.of(FaultyReceiver.Kind.RESET);
                } else {
                    a = FaultyReceiver.Action.ok();
                }
                synchronized (faults) {
                    faults.merge(a.kind() == FaultyReceiver.Kind.ANSWER ? Integer.toString(a.status())
                            : a.kind().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
                }
                return a;
            });
            Fixture.Config config = new Fixture.Config(db).engine("{workers: 4, pollInterval: 200ms, leaseTtl: 10s, shutdownTimeout: 10s}");
            String push = "maxRows: 25, timeout: 2s, retry: {attempts: 3, initialBackoff: 200ms, maxBackoff: 1s, "
                    + "maxRetryAfter: 5s}, backoffInitial: 500ms, backoffMax: 3s";
            for (String t : tables) {
                // every other view's URL carries credentials, which must never be logged
                String url = receiver.url(t);
                if (t.hashCode() % 2 == 0) {
                    url = url.replace("http://", "http://" + Fixture.URL_USER + ":" + Fixture.URL_PASSWORD + "@");
                }
                config.view(t, t, url, push);
            }
            config.write(dir.resolve("push.yaml"));
            app = AppProcess.start(dir, "run", Fixture.options(), "run", "-c", "push.yaml");
            app.awaitApi(Duration.ofSeconds(60));
            try (Fixture.Inserter inserter = new Fixture.Inserter(db, tables, 100, Scale.SEED)) {
                AppProcess.sleep(inserting.toMillis());
                assertThat(inserter.rows()).as("rows inserted throughout").isPositive();
            }
            Fixture.await(Duration.ofSeconds(180), "every row is stamped", () -> Fixture.unstamped(db, tables) == 0);
            assertThat(app.stop(Duration.ofSeconds(30))).as(app.err()).isZero();

            Ledger ledger = new Ledger();
            for (String t : tables) {
                ledger.add(t, Fixture.state(db, t), receiver.exchanges(t));
            }
            Secrets.Scan scan = Fixture.secrets().scan(app.logs());
            Report.add("3. flapping receivers", ledger, scan, VIEWS + " views, " + inserting.toSeconds()
                    + " s of inserts, answers " + faults + " (" + percent(ledger.failedRequests(), ledger.requests())
                    + " failed); seed " + Scale.SEED);
            assertThat(ledger.lost()).as("%s", ledger).isZero();
            assertThat(ledger.duplicated()).as("no 2xx was ever lost on its way, so nothing is sent twice: %s", ledger).isZero();
            assertThat(ledger.foreign()).isZero();
            assertThat(ledger.resentSameId()).as("%s", ledger).isEqualTo(ledger.resent());
            assertThat(ledger.idMismatches()).isZero();
            assertThat(ledger.failedRequests()).as("the receivers did fail").isGreaterThan(ledger.requests() / 6);
            assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "0%" : Math.round(100.0 * part / whole) + "%";
    }
}
