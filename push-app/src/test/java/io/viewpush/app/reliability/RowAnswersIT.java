package io.viewpush.app.reliability;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 17: answers row by row ({@code push.response: rows}). A receiver answers every batch 200
 * with a JSON body that accepts and rejects its rows at random (and leaves some out); one answer in
 * ten is malformed (a key that was not in the batch). After each {@code push} the stamp column must
 * say exactly what the answers said: every row some well-formed answer accepted is stamped, every
 * other row of the view is not, and the rows outside the view (another kind) are untouched.
 */
class RowAnswersIT {
    private static final String TABLE = "t17";

    @Test
    void randomAcceptAndRejectPatternsAreWhatTheStampColumnShows() throws Exception {
        int rounds = Scale.count("rowAnswers.rounds", 4, 30);
        SplittableRandom random = new SplittableRandom(Scale.SEED);
        Pg.Db db = Fixture.sharedPg().createDatabase("s17_row_answers");
        Path dir = Fixture.dir("17-row-answers");
        db.sql("DROP TABLE IF EXISTS " + TABLE,
                "CREATE TABLE " + TABLE + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind text NOT NULL,"
                        + " payload text NOT NULL, last_pushed timestamptz)",
                "ALTER TABLE " + TABLE + " OWNER TO " + db.name(),
                "INSERT INTO " + TABLE + " (kind, payload) SELECT CASE WHEN g % 5 = 0 THEN 'other' ELSE 'order' END,"
                        + " 'row ' || g FROM generate_series(1, 400) g");
        Map<Long, String> others = others(db);
        Set<Long> accepted = java.util.Collections.synchronizedSet(new HashSet<>());
        Map<Long, Integer> rejectedTimes = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong requests = new AtomicLong();
        AtomicLong malformed = new AtomicLong();
        List<AppProcess> processes = new ArrayList<>();
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            receiver.script(req -> FaultyReceiver.Action.ok().json(keys -> {
                requests.incrementAndGet();
                synchronized (random) {
                    if (random.nextInt(10) == 0) {
                        malformed.incrementAndGet();
                        return "{\"accepted\": [999999]}"; // not a row of the batch: nothing of it is stamped
                    }
                    List<String> ok = new ArrayList<>();
                    List<String> no = new ArrayList<>();
                    Set<Long> acceptedHere = new HashSet<>();
                    for (long k : keys) {
                        int r = random.nextInt(10);
                        if (r < 5) {
                            ok.add(Long.toString(k));
                            acceptedHere.add(k);
                        } else if (r < 9) {
                            no.add("{\"key\": " + k + ", \"reason\": \"not now " + k + "\"}");
                            rejectedTimes.merge(k, 1, Integer::sum);
                        } // else: left out of the answer
                    }
                    accepted.addAll(acceptedHere);
                    return "{\"accepted\": [" + String.join(", ", ok) + "], \"rejected\": [" + String.join(", ", no) + "]}";
                }
            }));
            new Fixture.Config(db).engine("{pollInterval: 200ms, leaseTtl: 30s, shutdownTimeout: 10s}")
                    .rawView("  - name: " + TABLE + "\n    table: " + TABLE + "\n    key: id\n"
                            + "    fields: {id: id, kind: kind, payload: payload, last pushed: last_pushed}\n"
                            + "    filters: ['{last pushed} is empty', \"{kind} = 'order'\"]\n"
                            + "    push: {url: '" + receiver.url(TABLE) + "', stamp: last pushed, minInterval: 0,"
                            + " maxRows: 40, response: rows, retry: {attempts: 1}, secret: '${HOOK_SECRET}'}\n")
                    .write(dir.resolve("push.yaml"));
            List<Integer> exits = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                AppProcess push = AppProcess.start(dir, "push-" + round, Fixture.options(), "push", "-c", "push.yaml", TABLE);
                processes.add(push);
                int exit = push.await(Duration.ofSeconds(120));
                exits.add(exit);
                assertThat(exit).as("round %d: 0, or 1 when rows were rejected:\n%s", round, push.err()).isIn(0, 1);
                Set<Long> stamped = stamped(db);
                synchronized (random) {
                    assertThat(stamped).as("round %d: the stamped rows are exactly the accepted ones", round)
                            .isEqualTo(accepted);
                }
                assertThat(others(db)).as("rows outside the view are untouched").isEqualTo(others);
            }
            String lastOut = processes.get(processes.size() - 1).out();
            Secrets.Scan scan = Fixture.secrets().scan(CrashRecoveryIT.logs(processes));
            long rejected = rejectedTimes.values().stream().mapToLong(Integer::longValue).sum();
            Report.addCounts("17. answers row by row", 320, accepted.size(), stamped(db).size(), 0, 0, 1,
                    requests.get(), scan, rounds + " pushes of 320 rows in batches of 40, each row accepted (50%),"
                            + " rejected (40%) or left out (10%) at random, 1 answer in 10 malformed (" + malformed.get()
                            + "): stamped = accepted after every push; " + rejected + " rejections; 80 rows of another"
                            + " kind untouched; exits " + exits + "; seed " + Scale.SEED);
            assertThat(rejected).isPositive();
            assertThat(lastOut + processes.get(processes.size() - 1).err()).containsAnyOf("rejected by the receiver",
                    "malformed", "nothing to send");
            assertThat(scan.hits()).isZero();
        } finally {
            processes.forEach(AppProcess::close);
        }
    }

    private static Set<Long> stamped(Pg.Db db) throws Exception {
        Set<Long> s = new HashSet<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM " + TABLE + " WHERE last_pushed IS NOT NULL AND kind = 'order'")) {
            while (rs.next()) {
                s.add(rs.getLong(1));
            }
        }
        return s;
    }

    private static Map<Long, String> others(Pg.Db db) throws Exception {
        Map<Long, String> m = new HashMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, payload || '|' || coalesce(last_pushed::text, '-') FROM " + TABLE
                     + " WHERE kind <> 'order'")) {
            while (rs.next()) {
                m.put(rs.getLong(1), rs.getString(2));
            }
        }
        return m;
    }
}
