package io.viewpush.app.reliability;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 5: the JVM in a time zone far from the database's, and a non-UTC database zone: the
 * same rows are pushed and stamped as with both in UTC. The host application writes in the
 * database's zone (as psql, triggers and {@code DEFAULT localtimestamp} do); four views cover
 * instants ({@code timestamptz}), wall-clock times ({@code timestamp}), dates and the
 * modified-since-pushed set-up on wall-clock columns.
 */
class TimeZoneIT {
    /** +14:00, as far ahead as zones go. */
    static final String FAR_JVM_ZONE = "Pacific/Kiritimati";
    /** -10:00 (-09:00 in summer): a day away from the JVM. */
    static final String FAR_DB_ZONE = "America/Adak";

    private static final Map<String, String> VIEWS = new LinkedHashMap<>();

    static {
        VIEWS.put("due instants", """
                    fields: {id: id, due at: due_at, pushed: pushed_at}
                    filters: ['{due at} <= now()', '{pushed} is empty']
                    push: {stamp: pushed""");
        VIEWS.put("due wall clock", """
                    fields: {id: id, due local: due_local, pushed: pushed_local}
                    filters: ['{due local} <= now()', '{pushed} is empty']
                    push: {stamp: pushed""");
        VIEWS.put("due days", """
                    fields: {id: id, due day: due_day, pushed: pushed_day}
                    filters: ['{due day} <= now()', '{pushed} is empty']
                    push: {stamp: pushed""");
        VIEWS.put("modified since pushed", """
                    fields: {id: id, last modified: last_modified, pushed: pushed_mod}
                    calculations: {needs pushing: '{last modified} > {pushed}'}
                    filters: ['{needs pushing} = true']
                    push: {stamp: pushed, modified: last modified""");
    }

    /** What one run saw. */
    private record Outcome(Map<String, List<Set<Long>>> pushed, Map<String, Set<Long>> stamped,
                           Map<String, Double> stampAgeSeconds, Secrets.Scan scan, Ledger ledger) {
    }

    @Test
    void theSameRowsArePushedAndStampedWhateverTheJvmAndDatabaseZones() {
        Outcome utc = run("utc", "UTC", "UTC");
        Outcome far = run("far", FAR_JVM_ZONE, FAR_DB_ZONE);

        Map<String, List<Set<Long>>> truth = new LinkedHashMap<>();
        // rows 1..7 are due 3 steps before now .. 3 steps after; 2 and 5 change after the first push
        truth.put("due instants", List.of(Set.of(1L, 2L, 3L, 4L)));
        truth.put("due wall clock", List.of(Set.of(1L, 2L, 3L, 4L)));
        truth.put("due days", List.of(Set.of(1L, 2L, 3L, 4L)));
        truth.put("modified since pushed", List.of(Set.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), Set.of(2L, 5L)));
        long missedUtc = missed(truth, utc.pushed());
        long missedFar = missed(truth, far.pushed());
        String compared = VIEWS.keySet().stream().map(v -> v + " " + far.pushed().get(v)).collect(Collectors.joining("; "));
        Report.add("5. time zones: both UTC", utc.ledger(), utc.scan(), "JVM UTC, database UTC: " + missedUtc + " due pushes missed (rows 2 and 5 change after their push, "
                + "so they are rightly pushed twice); pushed "
                + VIEWS.keySet().stream().map(v -> v + " " + utc.pushed().get(v)).collect(Collectors.joining("; ")));
        Report.add("5. time zones: far apart", far.ledger(), far.scan(), "JVM " + FAR_JVM_ZONE + ", database "
                + FAR_DB_ZONE + ": " + missedFar + " due pushes missed; pushed " + compared + "; stamp age " + far.stampAgeSeconds());

        assertThat(utc.pushed()).as("both in UTC").isEqualTo(truth);
        assertThat(far.pushed()).as("JVM in %s, database in %s: the same pushes as both in UTC", FAR_JVM_ZONE, FAR_DB_ZONE)
                .isEqualTo(utc.pushed());
        assertThat(far.stamped()).as("the same rows stamped").isEqualTo(utc.stamped());
        for (Outcome o : List.of(utc, far)) {
            assertThat(o.stampAgeSeconds()).as("each stamp is the database's time of the push, in its own zone")
                    .allSatisfy((view, age) -> assertThat(Math.abs(age)).isLessThan(300.0));
            assertThat(o.ledger().lost()).as("%s", o.ledger()).isZero();
            assertThat(o.scan().hits()).as("secrets in the logs: %s", o.scan().examples()).isZero();
        }
    }

    private Outcome run(String name, String jvmZone, String dbZone) {
        Pg.Db db = Fixture.sharedPg().createDatabase("s5_" + name);
        Path dir = Fixture.dir("5-time-" + name);
        db.sql("ALTER DATABASE " + db.name() + " SET timezone = '" + dbZone + "'");
        host(db, dbZone,
                "CREATE TABLE tasks (id bigint PRIMARY KEY, due_at timestamptz NOT NULL, due_local timestamp(6) NOT NULL, "
                        + "due_day date NOT NULL, last_modified timestamp(6) NOT NULL DEFAULT localtimestamp, "
                        + "pushed_at timestamptz, pushed_local timestamp(6), pushed_day timestamptz, pushed_mod timestamp(6))",
                "ALTER TABLE tasks OWNER TO " + db.name(),
                "INSERT INTO tasks (id, due_at, due_local, due_day) SELECT k + 4, now() + k * interval '40 minutes', "
                        + "localtimestamp + k * interval '40 minutes', current_date + k FROM generate_series(-3, 3) k");
        AppProcess app = null;
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            Fixture.Config config = new Fixture.Config(db).engine("{pollInterval: 200ms, leaseTtl: 5s, shutdownTimeout: 10s}");
            VIEWS.forEach((view, yaml) -> config.rawView("  - name: " + view + "\n    table: tasks\n    key: id\n"
                    + yaml.lines().map(l -> "    " + l).collect(Collectors.joining("\n")) + ", url: '" + receiver.url(view.replace(' ', '-')) + "', minInterval: 0, retry: {attempts: 1}}\n"));
            config.write(dir.resolve("push.yaml"));
            app = AppProcess.start(dir, "run", Fixture.options().jvm("-Duser.timezone=" + jvmZone).env("TZ", jvmZone),
                    "run", "-c", "push.yaml");
            app.awaitApi(Duration.ofSeconds(60));
            settle(receiver, Set.of(1L, 2L, 3L, 4L), "modified-since-pushed");
            host(db, dbZone, "UPDATE tasks SET last_modified = localtimestamp WHERE id IN (2, 5)");
            settle(receiver, Set.of(2L, 5L), "modified-since-pushed");
            assertThat(app.stop(Duration.ofSeconds(30))).as(app.err()).isZero();

            Map<String, List<Set<Long>>> pushed = new LinkedHashMap<>();
            Map<String, Set<Long>> stamped = new LinkedHashMap<>();
            Map<String, Double> ages = new LinkedHashMap<>();
            Ledger ledger = new Ledger();
            Map<String, String> stampColumns = Map.of("due instants", "pushed_at", "due wall clock", "pushed_local",
                    "due days", "pushed_day", "modified since pushed", "pushed_mod");
            for (String view : VIEWS.keySet()) {
                List<FaultyReceiver.Exchange> xs = receiver.exchanges(view.replace(' ', '-'));
                List<Set<Long>> sets = new ArrayList<>();
                xs.stream().filter(FaultyReceiver.Exchange::delivered)
                        .forEach(x -> sets.add(new TreeSet<>(Arrays.stream(x.keys()).boxed().toList())));
                pushed.put(view, sets);
                String column = stampColumns.get(view);
                Set<Long> s = new TreeSet<>();
                db.query("SELECT id FROM tasks WHERE " + column + " IS NOT NULL").forEach(r -> s.add(((Number) r.get("id")).longValue()));
                stamped.put(view, s);
                // the stamp's distance from the database's own clock, read as the host reads it
                Object age = hostQuery(db, dbZone, "SELECT extract(epoch FROM (" + (column.equals("pushed_local")
                        || column.equals("pushed_mod") ? "localtimestamp" : "now()") + " - max(" + column + "))) FROM tasks");
                ages.put(view, age == null ? Double.NaN : ((Number) age).doubleValue());
                long[] due = view.equals("modified since pushed") ? new long[]{1, 2, 3, 4, 5, 6, 7} : new long[]{1, 2, 3, 4};
                ledger.add(view, new Ledger.TableState(due, s), xs);
            }
            return new Outcome(pushed, stamped, ages, Fixture.secrets().scan(app.logs()), ledger);
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    /** @return rows a push of the truth holds that the corresponding push did not deliver (lost updates) */
    private static long missed(Map<String, List<Set<Long>>> truth, Map<String, List<Set<Long>>> pushed) {
        long n = 0;
        for (Map.Entry<String, List<Set<Long>>> e : truth.entrySet()) {
            List<Set<Long>> got = pushed.getOrDefault(e.getKey(), List.of());
            for (int i = 0; i < e.getValue().size(); i++) {
                Set<Long> want = new TreeSet<>(e.getValue().get(i));
                if (i < got.size()) {
                    want.removeAll(got.get(i));
                }
                n += want.size();
            }
        }
        return n;
    }

    /** Waits (at most 20 s) until the view got these rows, then a little longer for anything more. */
    private static void settle(FaultyReceiver receiver, Set<Long> keys, String view) {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            List<FaultyReceiver.Exchange> xs = receiver.exchanges(view);
            if (!xs.isEmpty() && xs.get(xs.size() - 1).delivered()
                    && Arrays.stream(xs.get(xs.size() - 1).keys()).boxed().collect(Collectors.toSet()).containsAll(keys)) {
                break;
            }
            AppProcess.sleep(200);
        }
        AppProcess.sleep(2000);
    }

    /** SQL as the host application: a session in the database's own zone. */
    private static void host(Pg.Db db, String zone, String... statements) {
        String[] all = new String[statements.length + 1];
        all[0] = "SET TIME ZONE '" + zone + "'";
        System.arraycopy(statements, 0, all, 1, statements.length);
        db.sql(all);
    }

    private static Object hostQuery(Pg.Db db, String zone, String sql) {
        try (var c = db.connect(); var s = c.createStatement()) {
            s.execute("SET TIME ZONE '" + zone + "'");
            try (var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getObject(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
