package io.viewpush.app.reliability;

import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.assembly.EmbeddedPostgresServer;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigLoader;
import io.viewpush.app.config.DatabaseConfig;
import io.viewpush.port.PushListener;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 13: the embedded default database (a config without {@code database}: PostgreSQL started
 * from the jar, its data in {@code ./viewpush-data}) under crashes.
 *
 * <p>First it is opened, migrated, written and closed again and again, the way every command opens
 * it (the server started, the pool, Flyway, the engine, the server stopped). Then {@code run} is
 * killed with SIGKILL while it stamps pushed rows and while receipts are written through the API:
 * every other time only the JVM (its PostgreSQL outlives it: the next {@code push} must join that
 * orphan and, leaving last, stop it), and every other time the JVM with its PostgreSQL, every
 * process of it at once, as when a machine or container dies (a stale {@code postmaster.pid}: the
 * next {@code push} must start it again, PostgreSQL replaying its log). After each kill a
 * {@code push} reopens the database and must stamp what is left, and the test reopens it to check
 * that every receipt the API answered 2xx and every stamp a finished {@code push} reported is still
 * there. Every statement has a deadline: a database left unwritable fails the scenario with the stuck
 * thread's stack instead of hanging the build (H2's MVStore, the default before, spun in
 * {@code CursorPos.traverseDown} at the 58th kill of the long run).
 *
 * <p>The last two tests keep measuring H2 (now an option, {@code database.url: jdbc:h2:file:…}) for
 * what it does survive: SIGKILL right after a commit, and amid concurrent transactions.
 */
class EmbeddedDefaultCrashIT {
    private static final int ROWS = 2_000;
    private static final Duration STATEMENT_DEADLINE = Duration.ofSeconds(60);
    /**
     * A whole {@code push} process (JVM start, server start or join, migrations, the push, the stop): on
     * the shared build machine at load 30 one took over 60 s without any statement waiting (its
     * thread dump showed classes loading), so its deadline is wider than a statement's.
     */
    private static final Duration PROCESS_DEADLINE = Duration.ofSeconds(300);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theDefaultDatabaseOpensMigratesWritesAndClosesEveryTime() throws Exception {
        int opens = Scale.count("embedded.opens", 10, 1000);
        Path dir = Fixture.dir("13-embedded-opens");
        Path data = dir.resolve(DatabaseConfig.EMBEDDED_DIRECTORY);
        DatabaseConfig db = DatabaseConfig.embeddedIn(data);
        createTable(data);
        AppConfig config = ConfigLoader.parse("""
                views:
                  - name: items
                    table: items
                    key: id
                    fields: {id: id, payload: payload, last pushed: last_pushed}
                """, "push.yaml", dir, Map.of()).withDatabase(db);
        Map<Long, String> written = new HashMap<>();
        java.util.concurrent.atomic.AtomicInteger serversStarted = new java.util.concurrent.atomic.AtomicInteger();
        long started = System.nanoTime();
        try (Deadline deadline = new Deadline("open-migrate-close")) {
            for (int i = 1; i <= opens; i++) {
                long id = 1 + (i * 7919L) % ROWS;
                String payload = "open " + i;
                int n = i;
                deadline.run("open " + n + " (start, open, migrate, write, close, stop)", () -> {
                    assertThat(postmaster(data)).as("no server before open %d", n).isEmpty();
                    try (Assembly a = Assembly.open(config, PushListener.NONE);
                         Connection c = a.dataSource().getConnection();
                         PreparedStatement ps = c.prepareStatement("UPDATE items SET payload = ? WHERE id = ?")) {
                        assertThat(postmaster(data)).as("open %d started a server", n).isPresent();
                        serversStarted.incrementAndGet();
                        ps.setString(1, payload);
                        ps.setLong(2, id);
                        assertThat(ps.executeUpdate()).as("open %d wrote its row", n).isEqualTo(1);
                        if (!c.getAutoCommit()) {
                            c.commit();
                        }
                    }
                    assertThat(postmaster(data)).as("open %d stopped its server on close", n).isEmpty();
                    return null;
                });
                written.put(id, payload);
            }
            Map<Long, String> found = deadline.run("the last reopen", () -> payloads(data, written.keySet()));
            assertThat(found).as("every write of every open is there").isEqualTo(written);
        }
        assertThat(serversStarted.get()).as("each open started its own server (process ids recur over 1,000 starts)")
                .isEqualTo(opens);
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        Report.addCases("13. embedded default: start/open/migrate/write/close/stop", Fixture.secrets().scan(List.of()),
                opens + " opens (each starting and stopping the embedded PostgreSQL), " + opens
                        + " writes, 0 failed, 0 hung (deadline " + STATEMENT_DEADLINE.toSeconds() + " s each), " + seconds
                        + " s, " + (seconds * 1000 / Math.max(1, opens)) + " ms per open");
    }

    @Test
    void sigkillsWhileStampingAndWritingReceiptsLoseNothingAndEveryReopenWrites() throws Exception {
        int kills = Scale.count("embedded.kills", 2, 200);
        SplittableRandom random = new SplittableRandom(Scale.SEED);
        Path dir = Fixture.dir("13-embedded-kills");
        Path url = dir.resolve(DatabaseConfig.EMBEDDED_DIRECTORY);
        createTable(url);
        Set<Long> needed = new HashSet<>(unstamped(url));
        long orphansJoined = 0;
        long crashRecoveries = 0;
        Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
        AtomicLong receipts = new AtomicLong();
        AtomicLong receiptsAcknowledged = new AtomicLong();
        List<AppProcess> processes = new ArrayList<>();
        long pushes = 0;
        long retriedForLease = 0;
        long started = System.nanoTime();
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id");
             Deadline deadline = new Deadline("reopen-check")) {
            receiver.script(req -> FaultyReceiver.Action.ok());
            java.nio.file.Files.writeString(dir.resolve("push.yaml"), """
                    server: {host: 127.0.0.1, port: 0}
                    api:
                      keys:
                        - {name: partner, key: '${PARTNER_KEY}', views: ['*']}
                    engine: {pollInterval: 200ms, leaseTtl: 2s, shutdownTimeout: 10s}
                    views:
                      - name: items
                        table: items
                        key: id
                        fields: {id: id, payload: payload, last pushed: last_pushed}
                        filters: ['{last pushed} is empty']
                        push: {url: '%s', stamp: last pushed, minInterval: 0, maxRows: 100, secret: '${HOOK_SECRET}'}
                      - name: receipts
                        table: items
                        key: id
                        fields: {id: id, receipt id: receipt_id}
                        writable: [receipt id]
                    """.formatted(receiver.url("items")));
            for (int i = 1; i <= kills; i++) {
                // before each run: reopen, unstamp 600 rows at random so the run has stamps to write (6 batches)
                List<Long> again = new ArrayList<>();
                for (int k = 0; k < 600; k++) {
                    again.add(1 + (long) random.nextInt(ROWS));
                }
                needed.addAll(again);
                int n = i;
                deadline.run("reopen " + n + " before run", () -> {
                    unstamp(url, again);
                    return null;
                });

                AppProcess run = AppProcess.start(dir, "run-" + i, Fixture.options(), "run", "-c", "push.yaml");
                processes.add(run);
                int port = run.awaitApi(PROCESS_DEADLINE);
                long postmaster = postmaster(url).orElseThrow(() -> new AssertionError("run started no server"));
                boolean machineDies = i % 2 == 0;
                try (Patcher patcher = new Patcher(port, receiver, acknowledged, receipts, receiptsAcknowledged)) {
                    AppProcess.sleep(300 + random.nextInt(2700));
                    if (machineDies) {
                        killServer(postmaster);
                    }
                    run.kill();
                    patcher.assertNoFailure();
                }
                if (machineDies) {
                    assertThat(url.resolve("postgres/postmaster.pid")).as("kill %d leaves a stale postmaster.pid", n).exists();
                } else {
                    assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
                            .as("kill %d: the server outlives the JVM that started it", n).isTrue();
                }

                // reopen with push: it must open, write, and stamp everything that is left
                int attempts = 0;
                while (true) {
                    attempts++;
                    AppProcess push = AppProcess.start(dir, "push-" + i + "-" + attempts, Fixture.options(),
                            "push", "-c", "push.yaml", "items");
                    processes.add(push);
                    int exit = awaitOrDump(push, PROCESS_DEADLINE);
                    if (exit == 1 && push.err().contains("another engine") && attempts < 5) {
                        // the killed run's lease (leaseTtl 2s) is not taken over at once yet
                        retriedForLease++;
                        AppProcess.sleep(2500);
                        continue;
                    }
                    assertThat(exit).as("push after kill %d exits 0:\n%s", n, push.err()).isZero();
                    if (machineDies) {
                        assertThat(push.err()).as("push %d started the server again", n).contains("started the embedded PostgreSQL");
                        crashRecoveries++;
                    } else {
                        assertThat(push.err()).as("push %d joined the orphan", n)
                                .contains("joined the embedded PostgreSQL already running on 127.0.0.1");
                        orphansJoined++;
                    }
                    assertThat(postmaster(url)).as("push %d, the last one out, stopped the server", n).isEmpty();
                    pushes++;
                    break;
                }
                deadline.run("reopen " + n + " after push", () -> {
                    assertThat(unstamped(url)).as("every stamp of the finished push %d is there", n).isEmpty();
                    assertReceipts(url, acknowledged);
                    return null;
                });
            }
            Ledger ledger = new Ledger().add("items", state(url, needed), receiver.exchanges());
            List<Path> logs = new ArrayList<>(CrashRecoveryIT.logs(processes));
            logs.add(url.resolve(EmbeddedPostgresServer.LOG_FILE));
            String password = java.nio.file.Files.readString(url.resolve("postgres").resolve(EmbeddedPostgresServer.PASSWORD_FILE)).strip();
            Secrets.Scan scan = Fixture.secrets().add(password).scan(logs);
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            Report.add("13. embedded default: SIGKILL while stamping + receipts", ledger, scan, kills + " kills of run ("
                    + orphansJoined + " of the JVM alone, its PostgreSQL joined by the next push and stopped; "
                    + crashRecoveries + " of the JVM and its PostgreSQL, started again from a stale postmaster.pid), "
                    + pushes + " pushes after them all exit 0 (" + retriedForLease + " waited for the dead lease), "
                    + (2 * kills) + " reopens checked, 0 hung (deadline " + PROCESS_DEADLINE.toSeconds() + " s per push, "
                    + STATEMENT_DEADLINE.toSeconds() + " s per check); receipts " + receipts.get() + " sent, "
                    + receiptsAcknowledged.get() + " acknowledged, 0 lost; " + seconds + " s; seed " + Scale.SEED);
            assertThat(ledger.lost()).as("%s", ledger).isZero();
            assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
            assertThat(receiptsAcknowledged.get()).as("receipts were written through the API").isPositive();
        } finally {
            processes.forEach(AppProcess::close);
            postmaster(url).ifPresent(EmbeddedDefaultCrashIT::killServer);
        }
    }

    @Test
    void aCommitH2AcknowledgedSurvivesSigkillRightAfterIt() throws Exception {
        int kills = Scale.count("embedded.ackKills", 3, 50);
        Path dir = Fixture.dir("13-embedded-ack-kills");
        String url = DatabaseConfig.h2In(dir.resolve(DatabaseConfig.EMBEDDED_DIRECTORY)).url();
        int lost = 0;
        for (int i = 1; i <= kills; i++) {
            Path out = dir.resolve("ack-" + i + ".out");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    CommitThenWait.class.getName(), url, Integer.toString(i))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                long end = System.nanoTime() + STATEMENT_DEADLINE.toNanos();
                while (!java.nio.file.Files.readString(out).contains("ACK " + i)) {
                    assertThat(p.isAlive()).as("the writer lives:\n%s", java.nio.file.Files.readString(out)).isTrue();
                    assertThat(System.nanoTime()).as("the writer acknowledged in time").isLessThan(end);
                    Thread.sleep(10);
                }
            } finally {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            try (Connection c = DriverManager.getConnection(url, DatabaseConfig.H2_USER, "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM acks WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                if (rs.getInt(1) != i) {
                    lost++;
                }
            }
        }
        Report.addCases("13. H2 option: SIGKILL right after a commit", Fixture.secrets().scan(List.of()),
                kills + " commits acknowledged, each followed by SIGKILL at once: " + lost + " lost");
        assertThat(lost).as("acknowledged commits lost to SIGKILL (of %d)", kills).isZero();
    }

    @Test
    void aKillAmidConcurrentTransactionsNeverLeavesARowThatNoWriteCanLock() throws Exception {
        // H2 is the option, no longer the default, because a kill can leave a row that no later write
        // can lock (docs/RELIABILITY.md, finding 7; seen again in the normal build's 5 kills): the
        // normal build would fail on H2's defect at random, so only the long suite measures it
        org.junit.jupiter.api.Assumptions.assumeTrue(Scale.LONG,
                "H2's own hang after a kill is measured by the long suite only: mvn -Preliability ...");
        int kills = Scale.count("embedded.writerKills", 5, 200);
        SplittableRandom random = new SplittableRandom(Scale.SEED);
        Path dir = Fixture.dir("13-embedded-writer-kills");
        String url = DatabaseConfig.h2In(dir.resolve(DatabaseConfig.EMBEDDED_DIRECTORY)).url();
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        for (int i = 1; i <= kills; i++) {
            Path out = dir.resolve("writers-" + i + ".out");
            Process writers = new ProcessBuilder(javaCommand, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                    ConcurrentWriters.class.getName(), "run", url)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                long end = System.nanoTime() + STATEMENT_DEADLINE.toNanos();
                while (!java.nio.file.Files.readString(out).contains("UP")) {
                    assertThat(writers.isAlive()).as("the writers live:\n%s", java.nio.file.Files.readString(out)).isTrue();
                    assertThat(System.nanoTime()).as("the writers started in time").isLessThan(end);
                    Thread.sleep(20);
                }
                Thread.sleep(200 + random.nextInt(2000));
            } finally {
                writers.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            Path checked = dir.resolve("check-" + i + ".out");
            Process check = new ProcessBuilder(javaCommand, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                    ConcurrentWriters.class.getName(), "check", url)
                    .redirectErrorStream(true).redirectOutput(checked.toFile()).start();
            if (!check.waitFor(STATEMENT_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS)) {
                check.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("the reopen after kill " + i + " did not end:\n" + java.nio.file.Files.readString(checked));
            }
            assertThat(check.exitValue()).as("reopen after kill %d of %d writes every table:\n%s", i, kills,
                    java.nio.file.Files.readString(checked)).isZero();
        }
        Report.addCases("13. H2 option: SIGKILL amid concurrent transactions", Fixture.secrets().scan(List.of()),
                kills + " kills of 4 writers (lease row, stamps, receipts, journal), " + kills
                        + " reopens wrote every table, 0 hung (deadline " + STATEMENT_DEADLINE.toSeconds() + " s); seed " + Scale.SEED);
    }

    /** 2,000 rows, a third of them never pushed. */
    private static void createTable(Path data) throws SQLException {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.open(data);
             Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, payload VARCHAR(200) NOT NULL,"
                    + " last_pushed TIMESTAMP(3) WITH TIME ZONE, receipt_id VARCHAR(40))");
            s.execute("INSERT INTO items (id, payload, last_pushed) SELECT x, 'row ' || x || ' ' || REPEAT('p', 100),"
                    + " CASE WHEN MOD(x, 3) = 0 THEN NULL ELSE CURRENT_TIMESTAMP END FROM generate_series(1, " + ROWS + ") x");
        }
    }

    /** The process id in a live {@code postmaster.pid} of the embedded directory, if any. */
    private static java.util.Optional<Long> postmaster(Path data) {
        Path file = data.resolve("postgres/postmaster.pid");
        try {
            if (!java.nio.file.Files.exists(file)) {
                return java.util.Optional.empty();
            }
            long pid = Long.parseLong(java.nio.file.Files.readAllLines(file).get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid);
        } catch (java.io.IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** SIGKILL to the postmaster and every process of it at once: the machine or container dies. */
    private static void killServer(long postmaster) {
        ProcessHandle.of(postmaster).ifPresent(pm -> {
            List<ProcessHandle> all = new ArrayList<>(pm.descendants().toList());
            all.add(pm);
            all.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    throw new AssertionError("process " + h.pid() + " of the embedded PostgreSQL did not die", e);
                }
            }
        });
    }

    private static Set<Long> unstamped(Path data) throws SQLException {
        Set<Long> keys = new HashSet<>();
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.open(data);
             Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM items WHERE last_pushed IS NULL")) {
            while (rs.next()) {
                keys.add(rs.getLong(1));
            }
        }
        return keys;
    }

    private static void unstamp(Path data, List<Long> keys) throws SQLException {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.open(data);
             Connection c = server.connect();
             PreparedStatement ps = c.prepareStatement("UPDATE items SET last_pushed = NULL WHERE id = ?")) {
            for (long k : keys) {
                ps.setLong(1, k);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Map<Long, String> payloads(Path data, Set<Long> keys) throws SQLException {
        Map<Long, String> found = new HashMap<>();
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.open(data);
             Connection c = server.connect();
             PreparedStatement ps = c.prepareStatement("SELECT payload FROM items WHERE id = ?")) {
            for (long k : keys) {
                ps.setLong(1, k);
                try (ResultSet rs = ps.executeQuery()) {
                    found.put(k, rs.next() ? rs.getString(1) : null);
                }
            }
        }
        return found;
    }

    /** Every receipt the API answered 2xx is there, or a later one sent for the same row. */
    private static void assertReceipts(Path data, Map<Long, Long> acknowledged) throws SQLException {
        Map<Long, String> found = new HashMap<>();
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.open(data);
             Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, receipt_id FROM items WHERE receipt_id IS NOT NULL")) {
            while (rs.next()) {
                found.put(rs.getLong(1), rs.getString(2));
            }
        }
        List<String> lost = new ArrayList<>();
        acknowledged.forEach((key, seq) -> {
            String value = found.get(key);
            if (value == null || Long.parseLong(value.substring(2)) < seq) {
                lost.add(key + ": acknowledged R-" + seq + ", found " + value);
            }
        });
        assertThat(lost).as("acknowledged receipts lost (of %d)", acknowledged.size()).isEmpty();
    }

    private static Ledger.TableState state(Path url, Set<Long> needed) throws SQLException {
        Set<Long> stamped = new HashSet<>(needed);
        stamped.removeAll(unstamped(url));
        return new Ledger.TableState(needed.stream().mapToLong(Long::longValue).toArray(), stamped);
    }

    private static int awaitOrDump(AppProcess p, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (p.isAlive() && System.nanoTime() < end) {
            AppProcess.sleep(100);
        }
        if (p.isAlive()) {
            String dump = p.jcmd("Thread.print");
            p.kill();
            throw new AssertionError(p.name() + " hung for " + timeout + ":\n" + dump + "\n" + p.err());
        }
        return p.await(Duration.ofSeconds(5));
    }

    /**
     * Writes receipts through the API for the rows the receiver got, one row at a time, while the
     * process lives; remembers each receipt the API answered 2xx (the values carry a sequence number,
     * so a later receipt of the same row may replace an acknowledged one).
     */
    private static final class Patcher implements AutoCloseable {
        private static final AtomicLong SEQUENCE = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        Patcher(int port, FaultyReceiver receiver, Map<Long, Long> acknowledged, AtomicLong sent, AtomicLong acked) {
            int from = receiver.exchanges().size();
            thread = new Thread(() -> {
                int next = from;
                try {
                    while (running.get()) {
                        List<FaultyReceiver.Exchange> all = receiver.exchanges();
                        if (next >= all.size()) {
                            Thread.sleep(20);
                            continue;
                        }
                        FaultyReceiver.Exchange x = all.get(next++);
                        if (!x.delivered() || x.keys() == null) {
                            continue;
                        }
                        for (int j = 0; j < x.keys().length && running.get(); j += 3) {
                            long key = x.keys()[j];
                            long seq = SEQUENCE.incrementAndGet();
                            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                            + "/api/views/receipts/rows/" + key))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + Fixture.PARTNER_KEY)
                                    .header("Content-Type", "application/json")
                                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"receipt id\":\"R-" + seq + "\"}"))
                                    .build();
                            sent.incrementAndGet();
                            HttpResponse<String> r;
                            try {
                                r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
                            } catch (java.io.IOException e) {
                                // the process was killed during the request: not acknowledged
                                continue;
                            }
                            if (r.statusCode() / 100 == 2) {
                                acknowledged.merge(key, seq, Math::max);
                                acked.incrementAndGet();
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "receipt-patcher");
            thread.setDaemon(true);
            thread.start();
        }

        void assertNoFailure() {
            if (failure.get() != null) {
                throw new AssertionError("the receipt writer failed", failure.get());
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(60_000);
        }
    }

    /** Runs each step on a worker thread with a deadline; a step past it fails with the worker's stack. */
    private static final class Deadline implements AutoCloseable {
        private final AtomicReference<Thread> worker = new AtomicReference<>();
        private final ExecutorService executor;

        Deadline(String name) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                worker.set(t);
                return t;
            });
        }

        <T> T run(String what, Callable<T> step) throws Exception {
            Future<T> f = executor.submit(step);
            try {
                return f.get(STATEMENT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                StringBuilder stack = new StringBuilder();
                for (StackTraceElement el : worker.get().getStackTrace()) {
                    stack.append("\n\tat ").append(el);
                }
                throw new AssertionError(what + " hung for " + STATEMENT_DEADLINE + ":" + stack);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception ex) {
                    throw ex;
                }
                throw (Error) e.getCause();
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
