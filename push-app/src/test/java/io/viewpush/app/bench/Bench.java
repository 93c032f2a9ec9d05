package io.viewpush.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The performance suite (issue 5): starts its own PostgreSQL and a discarding receiver, generates
 * the data, runs each scenario next to a plain hand-written streaming pipeline in the same run,
 * and prints one table (also written to {@code push-app/target/bench-report.md}).
 *
 * <pre>
 * mvn -B -ntp -Pbench -pl push-app -am verify                      # full size
 * mvn -B -ntp -Pbench -pl push-app -am verify -Dbench.rows=50000 -Dbench.idle.seconds=10   # a quick look
 * </pre>
 *
 * Scenarios: (1) one push of {@code bench.rows} rows in one request; (2) the same in requests of
 * {@code bench.maxRows}; (3) {@code bench.small.pushes} small pushes of {@code bench.small.rows}
 * rows; (4) {@code bench.idle.views} views with nothing to send under {@code run} for
 * {@code bench.idle.seconds}; (5) change-to-delivery latency under {@code run}. Pushes (1) and (2)
 * run in child JVMs with {@code -Xmx}{@code bench.heap}; (4) and (5) run the shaded jar; (7) runs the
 * shaded jar's {@code push} as a whole process, as an operator does, next to the hand-written
 * pipeline as a whole process, at each of {@code bench.process.rows} (0: nothing to send).
 */
public final class Bench {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final Pattern API_PORT = Pattern.compile("API on http://127\\.0\\.0\\.1:(\\d+)");

    private final Settings settings;
    private final BenchDatabase db;
    private final DiscardingReceiver receiver;
    private final DiscardingReceiver warmReceiver;
    private final Report report;

    private Bench(Settings settings, BenchDatabase db, DiscardingReceiver receiver, DiscardingReceiver warmReceiver) {
        this.settings = settings;
        this.db = db;
        this.receiver = receiver;
        this.warmReceiver = warmReceiver;
        this.report = new Report(settings);
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.fromSystemProperties();
        Files.createDirectories(s.work());
        log("ViewPush benchmark: " + s);
        log("load average at start: " + loadAverage());
        try (BenchDatabase db = new BenchDatabase(s.synchronousCommit());
             DiscardingReceiver receiver = new DiscardingReceiver();
             DiscardingReceiver warm = new DiscardingReceiver()) {
            Bench bench = new Bench(s, db, receiver, warm);
            bench.report.environment(db.query("SHOW server_version").get(0).get(0).toString(), loadAverage());
            bench.run();
        }
    }

    private void run() throws Exception {
        if (settings.runs("1")) {
            bigPush("1", 0);
        }
        if (settings.runs("2")) {
            bigPush("2", settings.maxRows());
        }
        if (settings.runs("3")) {
            smallPushes();
        }
        if (settings.runs("4")) {
            idleViews();
        }
        if (settings.runs("5")) {
            latency("1s", false);
            latency("0", true);
            latency("0", false);
        }
        if (settings.runs("6")) {
            bigPush("6", 0);
        }
        if (settings.runs("7")) {
            for (long rows : settings.processRows()) {
                wholeProcess(rows);
            }
            runToServing();
        }
        if (settings.runs("8")) {
            bigPush("8", 0);
            lookupIdleCheck();
        }
        if (settings.runs("9")) {
            new PullBench(settings, db, report).run();
        }
        report.loadAtEnd(loadAverage());
        String text = report.render();
        System.out.println();
        System.out.println(text);
        Files.createDirectories(settings.report().toAbsolutePath().getParent());
        Files.writeString(settings.report(), text);
        log("report written to " + settings.report().toAbsolutePath());
    }

    // ---- (1) and (2): one big push, hand-written and ViewPush side by side ----

    private void bigPush(String scenario, int maxRows) throws Exception {
        boolean documents = scenario.equals("6");
        boolean lookups = scenario.equals("8");
        String label = "(" + scenario + ") " + settings.rows() + (documents ? " rows (uuid key, jsonb)"
                : lookups ? " rows with two lookups and a summary" : " rows") + ", maxRows " + maxRows;
        Path config = (lookups ? new BenchConfig(db).views()
                .lookupView(BenchChild.WARM_VIEW, BenchChild.WARM_TABLE, BenchChild.WARM_LINES, warmReceiver.url(), maxRows)
                .lookupView(BenchChild.VIEW, BenchChild.TABLE, BenchChild.LINES, receiver.url(), maxRows)
                : documents ? new BenchConfig(db).views()
                .documentView(BenchChild.WARM_VIEW, BenchChild.WARM_TABLE, warmReceiver.url(), maxRows)
                .documentView(BenchChild.VIEW, BenchChild.TABLE, receiver.url(), maxRows)
                : new BenchConfig(db).views()
                .view(BenchChild.WARM_VIEW, BenchChild.WARM_TABLE, warmReceiver.url(), "1s", maxRows, -1)
                .view(BenchChild.VIEW, BenchChild.TABLE, receiver.url(), "1s", maxRows, -1))
                .write(settings.work().resolve("push-" + scenario + ".yaml"));
        Map<String, List<Map<String, String>>> runs = new LinkedHashMap<>();
        runs.put("hand", new ArrayList<>());
        runs.put("viewpush", new ArrayList<>());
        for (int rep = 0; rep < settings.repeat(); rep++) {
            List<String> order = rep % 2 == 0 ? List.of("hand", "viewpush") : List.of("viewpush", "hand");
            for (String impl : order) {
                log(label + ": " + impl + ", run " + (rep + 1) + " of " + settings.repeat() + ": generating data");
                generate(scenario);
                receiver.reset();
                List<String> hand = new ArrayList<>(List.of("hand", "jdbc=" + db.url(), "receiver=" + receiver.url(),
                        "warmReceiver=" + warmReceiver.url(), "maxRows=" + maxRows, "keys=" + (documents ? "uuid" : "bigint")));
                if (lookups) {
                    hand.add("summary=" + settings.lookupSummary());
                }
                List<String> args = impl.equals("hand")
                        ? hand
                        : List.of("viewpush", "config=" + config, "maxRows=" + maxRows);
                db.sql("SELECT pg_stat_statements_reset()");
                long server0 = db.serverCpuMillis();
                long self0 = Proc.cpuMillis(ProcessHandle.current().pid());
                Map<String, String> r = child("push-" + scenario + "-" + impl + "-" + (rep + 1), settings.heap(), args).get(0);
                log(label + ": " + impl + ": CPU during the run: PostgreSQL " + (db.serverCpuMillis() - server0)
                        + " ms, the pushing JVM " + r.get("cpuMs") + " ms, this JVM (the receiver) "
                        + (Proc.cpuMillis(ProcessHandle.current().pid()) - self0) + " ms, wall " + r.get("wallMs") + " ms");
                for (List<Object> st : db.query("SELECT calls, total_exec_time, query FROM pg_stat_statements"
                        + " ORDER BY total_exec_time DESC LIMIT 3")) {
                    log(label + ": " + impl + ": PostgreSQL " + st.get(1) + " ms in " + st.get(0) + " calls of "
                            + ((String) st.get(2)).replaceAll("\\s+", " "));
                }
                long left = db.scalar("SELECT count(*) FROM " + BenchChild.TABLE + " WHERE " + BenchDatabase.NEEDS_PUSHING);
                if (left != 0 || Long.parseLong(r.get("rows")) != settings.rows()
                        || receiver.bytes() != Long.parseLong(r.get("bytes"))
                        || receiver.requests() != Long.parseLong(r.get("requests"))) {
                    throw new IllegalStateException(impl + " did not deliver and stamp every row exactly: " + r
                            + ", rows still needing a push " + left + ", receiver got " + receiver.requests()
                            + " requests, " + receiver.bytes() + " bytes");
                }
                log(label + ": " + impl + ": " + r);
                runs.get(impl).add(r);
            }
        }
        Map<String, String> split = null;
        if (settings.split()) {
            log(label + ": ViewPush timed port by port: generating data");
            generate(scenario);
            split = child("push-" + scenario + "-split", settings.heap(), List.of("split", "config=" + config)).get(0);
            log(label + ": split " + split);
        }
        report.bigPush(scenario, label, maxRows, runs.get("hand"), runs.get("viewpush"), split);
    }

    // ---- (7) whole processes: the jar's push command and a hand-written program, JVM start included ----

    private void wholeProcess(long rows) throws Exception {
        String label = "(7) " + (rows == 0 ? "nothing to send (" + settings.processIdleRows() + " rows, all pushed)"
                : rows + " rows, one request") + ", whole process";
        Path config = new BenchConfig(db).views()
                .view(BenchChild.VIEW, BenchChild.TABLE, receiver.url(), "1s", 0, -1)
                .write(settings.work().resolve("process-" + rows + ".yaml"));
        Path archive = settings.jar().resolveSibling("push-app.jsa");
        List<String> impls = new ArrayList<>(List.of("hand", "viewpush"));
        if (Files.exists(archive)) {
            impls.add("viewpush-cds");
        } else {
            log(label + ": no " + archive + " (built with the jar unless -Dcds.skip): ViewPush runs without it only");
        }
        Path launcher = settings.jar().resolveSibling("viewpush");
        if (Files.isExecutable(launcher)) {
            impls.add("viewpush-launcher");
        }
        Map<String, List<Map<String, String>>> runs = new LinkedHashMap<>();
        impls.forEach(i -> runs.put(i, new ArrayList<>()));
        for (int rep = 0; rep < settings.repeat(); rep++) {
            List<String> order = new ArrayList<>(impls);
            java.util.Collections.rotate(order, rep);
            for (String impl : order) {
                db.orders(BenchChild.TABLE, rows == 0 ? settings.processIdleRows() : rows, rows == 0);
                receiver.reset();
                List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + settings.heap()));
                cmd.addAll(processJvmArgs());
                Map<String, String> env = Map.of();
                if (impl.equals("viewpush-launcher")) {
                    // as an operator runs it: the launcher's own flags (the archive; the serial collector unless
                    // bench.process.jvmArgs chooses one), the heap and any extra flags through JAVA_OPTS
                    cmd = new ArrayList<>(List.of(launcher.toAbsolutePath().toString(), "push", "-c", config.toString(),
                            BenchChild.VIEW));
                    env = Map.of("JAVA", java(), "JAVA_OPTS", String.join(" ", cmd(List.of("-Xmx" + settings.heap()))));
                } else if (impl.equals("hand")) {
                    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchChild.class.getName(),
                            "handProcess", "jdbc=" + db.url(), "receiver=" + receiver.url()));
                } else {
                    if (impl.equals("viewpush-cds")) {
                        cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off,cds+dynamic=off"));
                    }
                    cmd.addAll(List.of("-jar", settings.jar().toAbsolutePath().toString(), "push", "-c", config.toString(),
                            BenchChild.VIEW));
                }
                Map<String, String> r = timedProcess("process-" + rows + "-" + impl + "-" + (rep + 1), cmd, env);
                long left = db.scalar("SELECT count(*) FROM " + BenchChild.TABLE + " WHERE " + BenchDatabase.NEEDS_PUSHING);
                if (left != 0 || receiver.requests() != (rows == 0 ? 0 : 1)) {
                    throw new IllegalStateException(impl + " did not deliver and stamp every row: rows still needing a push "
                            + left + ", receiver got " + receiver.requests() + " requests");
                }
                r.put("rows", Long.toString(rows));
                r.put("bytes", Long.toString(receiver.bytes()));
                r.put("requests", Long.toString(receiver.requests()));
                log(label + ": " + impl + ", run " + (rep + 1) + ": " + r);
                runs.get(impl).add(r);
            }
        }
        report.wholeProcess(label, rows, runs);
    }

    /**
     * Extra JVM options for every process of (7), the hand-written program's included
     * ({@code -Dbench.process.jvmArgs="-XX:+UseSerialGC"}), so that a flag is measured on both.
     */
    private static List<String> cmd(List<String> first) {
        List<String> all = new ArrayList<>(first);
        all.addAll(processJvmArgs());
        return all;
    }

    private static List<String> processJvmArgs() {
        String extra = System.getProperty("bench.process.jvmArgs", "").trim();
        return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

    /**
     * (7) {@code run} from its start to its "ViewPush running: ... API on http://..." line (the API
     * serves from then on; the line is written after the server is bound and the engine started), with
     * one view over the orders of nothing to send, the API on a free port, {@code -Xmx}(bench.heap);
     * then stopped with SIGTERM. Plain and with the archive, rotating. Target: ≤ 1.5 s.
     */
    private void runToServing() throws Exception {
        String label = "(7) run: start to serving (one view, API on)";
        db.orders(BenchChild.TABLE, settings.processIdleRows(), true);
        Path config = new BenchConfig(db).views()
                .view(BenchChild.VIEW, BenchChild.TABLE, receiver.url(), "1s", 0, -1)
                .api()
                .write(settings.work().resolve("process-run.yaml"));
        Path archive = settings.jar().resolveSibling("push-app.jsa");
        List<String> impls = new ArrayList<>(List.of("viewpush"));
        if (Files.exists(archive)) {
            impls.add("viewpush-cds");
        }
        Map<String, List<Map<String, String>>> runs = new LinkedHashMap<>();
        impls.forEach(i -> runs.put(i, new ArrayList<>()));
        for (int rep = 0; rep < settings.repeat(); rep++) {
            List<String> order = new ArrayList<>(impls);
            java.util.Collections.rotate(order, rep);
            for (String impl : order) {
                List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + settings.heap()));
                cmd.addAll(processJvmArgs());
                if (impl.equals("viewpush-cds")) {
                    cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off,cds+dynamic=off"));
                }
                cmd.addAll(List.of("-jar", settings.jar().toAbsolutePath().toString(), "run", "-c", config.toString()));
                Path logFile = settings.work().resolve("process-run-" + impl + "-" + (rep + 1) + ".log");
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd).directory(settings.work().toFile()).redirectErrorStream(true).start();
                long serving = -1;
                try (java.io.BufferedReader out = new java.io.BufferedReader(
                        new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                     java.io.Writer log = Files.newBufferedWriter(logFile)) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (serving < 0 && API_PORT.matcher(line).find()) {
                            serving = System.nanoTime() - t0;
                            p.toHandle().destroy();
                        }
                        log.write(line);
                        log.write('\n');
                    }
                } finally {
                    if (!p.waitFor(60, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
                if (serving < 0) {
                    throw new IllegalStateException("run never said it serves, see " + logFile + "\n" + tail(logFile));
                }
                Map<String, String> r = new LinkedHashMap<>();
                r.put("wallMs", Double.toString(serving / 1e6));
                log(label + ": " + impl + ", run " + (rep + 1) + ": " + r);
                runs.get(impl).add(r);
            }
        }
        report.runToServing(label, runs);
    }

    /** Runs a command to its end: its wall time from start to exit, and its peak RSS (VmHWM, polled). */
    private Map<String, String> timedProcess(String name, List<String> cmd, Map<String, String> env) throws Exception {
        Path logFile = settings.work().resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(settings.work().toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String pid = Long.toString(p.pid());
        long peak = 0;
        long cpu = 0;
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            try {
                peak = Math.max(peak, Proc.peakRss(pid));
                cpu = Math.max(cpu, Proc.cpuMillis(p.pid())); // at most 20 ms short of the end
            } catch (RuntimeException gone) {
                // exited between the check and the read
            }
        }
        long nanos = System.nanoTime() - t0;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "), see " + logFile + "\n" + tail(logFile));
        }
        Map<String, String> r = new LinkedHashMap<>();
        r.put("wallMs", Double.toString(nanos / 1e6));
        r.put("peakRss", Long.toString(peak));
        r.put("cpuMs", Long.toString(cpu));
        return r;
    }

    /**
     * Fresh data for a big push: the orders of (1) and (2), the uuid-keyed documents of (6), or the
     * orders of (8) with their lines (and its customers and shops, made once).
     */
    private void generate(String scenario) {
        if (scenario.equals("8")) {
            db.lookupOrders(BenchChild.TABLE, BenchChild.LINES, settings.rows());
            db.lookupOrders(BenchChild.WARM_TABLE, BenchChild.WARM_LINES, settings.warmRows());
        } else if (scenario.equals("6")) {
            db.documents(BenchChild.TABLE, settings.rows());
            db.documents(BenchChild.WARM_TABLE, settings.warmRows());
        } else {
            db.orders(BenchChild.TABLE, settings.rows(), false);
            db.orders(BenchChild.WARM_TABLE, settings.warmRows(), false);
        }
    }

    // ---- (3) small pushes ----

    private void smallPushes() throws Exception {
        String label = "(3) " + settings.smallPushes() + " pushes of " + settings.smallRows() + " rows";
        log(label + ": generating data");
        db.orders(BenchChild.TABLE, settings.rows(), true);
        db.orders(BenchChild.WARM_TABLE, 10, true);
        Path config = new BenchConfig(db).views()
                .view(BenchChild.WARM_VIEW, BenchChild.WARM_TABLE, warmReceiver.url(), "1s", 0, -1)
                .view(BenchChild.VIEW, BenchChild.TABLE, receiver.url(), "1s", 0, -1)
                .write(settings.work().resolve("small.yaml"));
        db.guardTables(BenchChild.VIEW);
        db.sql("SELECT pg_stat_statements_reset()");
        List<Map<String, String>> r = child("small", "256m", List.of("small", "config=" + config, "jdbc=" + db.url(),
                "receiver=" + receiver.url(), "pushes=" + settings.smallPushes(), "warmup=" + settings.smallWarmup(),
                "rows=" + settings.smallRows(), "tableRows=" + settings.rows(), "seed=" + settings.seed()));
        Map<String, String> hand = r.stream().filter(m -> m.get("impl").equals("hand")).findFirst().orElseThrow();
        Map<String, String> vp = r.stream().filter(m -> m.get("impl").equals("viewpush")).findFirst().orElseThrow();
        Map<String, String> guarded = r.stream().filter(m -> m.get("impl").equals("guarded")).findFirst().orElseThrow();
        log(label + ": hand " + hand + ", hand with a lease and a journal " + guarded + ", ViewPush " + vp);
        for (List<Object> st : db.query("SELECT calls, total_exec_time, query FROM pg_stat_statements"
                + " ORDER BY total_exec_time DESC LIMIT 12")) {
            log(label + ": PostgreSQL " + st.get(1) + " ms in " + st.get(0) + " calls of " + shorten((String) st.get(2)));
        }
        report.small(label, hand, guarded, vp);
    }

    // ---- (4) idle views under run ----

    private void idleViews() throws Exception {
        int views = settings.idleViews();
        String label = "(4) " + views + " idle views, minInterval 1s, " + settings.idleSeconds() + " s";
        log(label + ": generating data");
        db.orders(BenchChild.TABLE, settings.rows(), true);
        BenchConfig c = new BenchConfig(db).api().views();
        for (int i = 0; i < views; i++) {
            c.view("idle " + i, BenchChild.TABLE, receiver.url(), "1s", 0, i % 1000);
        }
        Path config = c.write(settings.work().resolve("idle.yaml"));
        receiver.reset();
        try (RunningJar app = new RunningJar(settings, config, "idle")) {
            double startSeconds = app.awaitRunning();
            log(label + ": started (pid " + app.pid() + "), running " + startSeconds + " s after its start; settling for "
                    + settings.idleSettleSeconds() + " s");
            Thread.sleep(settings.idleSettleSeconds() * 1000L);
            db.sql("SELECT pg_stat_statements_reset()");
            long xact0 = db.scalar("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'postgres'");
            Map<Long, Long> backends0 = db.backendCpu();
            Map<String, Long> threads0 = Proc.threadCpuMillis(app.pid());
            long cpu0 = Proc.cpuMillis(app.pid());
            long t0 = System.nanoTime();
            Thread.sleep(settings.idleSeconds() * 1000L);
            long cpu1 = Proc.cpuMillis(app.pid());
            Map<String, Long> threads1 = Proc.threadCpuMillis(app.pid());
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<Long, Long> backends1 = db.backendCpu();
            long xact1 = db.scalar("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'postgres'");
            List<List<Object>> statements = db.query("SELECT calls, mean_exec_time, query FROM pg_stat_statements "
                    + "WHERE query NOT LIKE '%pg_stat%' ORDER BY calls DESC");
            long calls = statements.stream().mapToLong(row -> ((Number) row.get(0)).longValue()).sum();
            long pgCpu = 0;
            for (Map.Entry<Long, Long> e : backends1.entrySet()) {
                pgCpu += e.getValue() - backends0.getOrDefault(e.getKey(), 0L);
            }
            List<String> top = new ArrayList<>();
            for (List<Object> row : statements.subList(0, Math.min(5, statements.size()))) {
                top.add(String.format(Locale.ROOT, "%d calls, %.3f ms mean: %s", ((Number) row.get(0)).longValue(),
                        ((Number) row.get(1)).doubleValue(), shorten(row.get(2).toString())));
            }
            String plan = idleCheckPlan(statements, views);
            List<String> byThread = new ArrayList<>();
            threads1.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(6)
                    .forEach(e -> byThread.add(e.getKey() + " " + e.getValue() + " ms"));
            report.idle(label, views, seconds, cpu1 - cpu0, pgCpu, calls, xact1 - xact0, receiver.requests(), top, plan,
                    byThread);
            log(label + ": app CPU " + (cpu1 - cpu0) + " ms, PostgreSQL backends " + pgCpu + " ms, " + calls
                    + " statements in " + seconds + " s");
        }
    }

    /**
     * The plan of the idle check ("anything to send?") with the values it runs with: the check of all
     * the views at once (one array of values per parameter, as many as views), or one view's.
     */
    private String idleCheckPlan(List<List<Object>> statements, int views) {
        String together = statements.stream().map(r -> r.get(2).toString())
                .filter(q -> q.startsWith("select") && q.contains("viewpush_probe")).findFirst().orElse(null);
        if (together != null) {
            return explainWithArrays(together, views);
        }
        String check = statements.stream().map(r -> r.get(2).toString())
                .filter(q -> q.startsWith("select") && q.contains("fetch next")).findFirst().orElse(null);
        return check == null ? "(the idle check was not found in pg_stat_statements)" : explain(check, "true, 7, 1");
    }

    /**
     * {@code EXPLAIN ANALYZE} of the check of many views, each array parameter holding {@code views}
     * values as the idle views have them: {@code true} for a boolean, the view's shop (its number
     * modulo 1,000) for a number.
     */
    private String explainWithArrays(String check, int views) {
        try (Connection c = db.connect()) {
            try (var s = c.createStatement()) {
                s.execute("PREPARE idle_check AS " + check);
            }
            List<String> values = new ArrayList<>();
            try (var s = c.createStatement(); var rs = s.executeQuery(
                    "SELECT unnest(parameter_types)::text FROM pg_prepared_statements WHERE name = 'idle_check'")) {
                while (rs.next()) {
                    String type = rs.getString(1);
                    StringBuilder array = new StringBuilder("'{");
                    for (int v = 0; v < views; v++) {
                        array.append(v == 0 ? "" : ",").append(type.startsWith("boolean") ? "t" : String.valueOf(v % 1000));
                    }
                    values.add(array.append("}'::").append(type).toString());
                }
            }
            List<String> lines = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) "
                    + "EXECUTE idle_check(" + String.join(", ", values) + ")"); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return String.join("\n", lines);
        } catch (Exception e) {
            String m = String.valueOf(e.getMessage());
            return "(could not explain the idle check: " + (m.length() > 300 ? m.substring(0, 300) + "..." : m) + ")";
        }
    }

    /** {@code EXPLAIN ANALYZE} of a statement from pg_stat_statements, run with {@code values} for its parameters. */
    private String explain(String check, String values) {
        try (Connection c = db.connect()) {
            try (var s = c.createStatement()) {
                s.execute("PREPARE idle_check AS " + check);
            }
            List<String> lines = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) "
                    + "EXECUTE idle_check(" + values + ")"); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return String.join("\n", lines);
        } catch (Exception e) {
            return "(could not explain the idle check: " + e.getMessage() + ")";
        }
    }

    /**
     * (8), the idle check: the view of (8) under {@code run} over its orders once all of them are
     * pushed (and vacuumed, as autovacuum would after the push), {@code bench.lookups.idleSeconds};
     * the idle check's statement from pg_stat_statements, how long PostgreSQL took for it, and its
     * plan with the values it runs with: it must read the "needs pushing" index and nothing else
     * (the joins and the subquery are never executed when no row needs pushing).
     */
    private void lookupIdleCheck() throws Exception {
        String label = "(8) idle check of the view with two lookups and a summary";
        long left = db.scalar("SELECT count(*) FROM " + BenchChild.TABLE + " WHERE " + BenchDatabase.NEEDS_PUSHING);
        if (left != 0) {
            throw new IllegalStateException(label + ": " + left + " rows still need pushing");
        }
        db.sql("VACUUM (ANALYZE) " + BenchChild.TABLE);
        Path config = new BenchConfig(db).api().views()
                .lookupView(BenchChild.VIEW, BenchChild.TABLE, BenchChild.LINES, receiver.url(), 0)
                .write(settings.work().resolve("lookup-idle.yaml"));
        receiver.reset();
        int seconds = settings.lookupIdleSeconds();
        List<List<Object>> statements;
        try (RunningJar app = new RunningJar(settings, config, "lookup-idle")) {
            Thread.sleep(3000);
            db.sql("SELECT pg_stat_statements_reset()");
            Thread.sleep(seconds * 1000L);
            statements = db.query("SELECT calls, mean_exec_time, query FROM pg_stat_statements "
                    + "WHERE query LIKE 'select%fetch next%' AND query LIKE '%viewpush_j%' ORDER BY calls DESC");
        }
        if (statements.isEmpty() || receiver.requests() != 0) {
            throw new IllegalStateException(label + ": the idle check was not found in pg_stat_statements ("
                    + statements.size() + " statements) or something was pushed (" + receiver.requests() + " requests)");
        }
        String check = statements.get(0).get(2).toString();
        long calls = ((Number) statements.get(0).get(0)).longValue();
        double meanMs = ((Number) statements.get(0).get(1)).doubleValue();
        String plan = explain(check, parameterValues(check));
        log(label + ": " + calls + " calls, " + meanMs + " ms mean\n" + check + "\n" + plan);
        report.lookupIdle(label, seconds, calls, meanMs, check, plan);
    }

    /** Values for the parameters of the idle check of (8): its filter's {@code true} and its limit, 1. */
    private String parameterValues(String check) {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect()) {
            try (var s = c.createStatement()) {
                s.execute("PREPARE types_of AS " + check);
            }
            try (var s = c.createStatement(); var rs = s.executeQuery(
                    "SELECT unnest(parameter_types)::text FROM pg_prepared_statements WHERE name = 'types_of'")) {
                while (rs.next()) {
                    values.add(rs.getString(1).equals("boolean") ? "true" : "1");
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not prepare the idle check: " + e.getMessage(), e);
        }
        return String.join(", ", values);
    }

    // ---- (5) change-to-delivery latency under run ----

    private void latency(String minInterval, boolean wake) throws Exception {
        String label = "(5) latency, minInterval " + minInterval + (wake ? ", woken by the host" : ", polling");
        log(label + ": generating data");
        db.orders(BenchChild.TABLE, settings.rows(), true);
        BenchConfig views = new BenchConfig(db).api().views()
                .view(BenchChild.VIEW, BenchChild.TABLE, receiver.url(), minInterval, 0, -1);
        // beside it, views with nothing to send (of shops that have no orders), checked every second
        int idle = settings.latencyIdleViews();
        for (int i = 0; i < idle; i++) {
            views.view("idle " + i, BenchChild.TABLE, receiver.url(), "1s", 0, 1_000_000 + i);
        }
        if (idle > 0) {
            label += ", beside " + idle + " idle views";
        }
        Path config = views.write(settings.work().resolve("latency.yaml"));
        receiver.reset();
        receiver.track(true);
        HttpClient http = HttpClient.newHttpClient();
        Map<Long, Long> committed = new LinkedHashMap<>();
        List<CompletableFuture<HttpResponse<String>>> wakes = new ArrayList<>();
        try (RunningJar app = new RunningJar(settings, config, "latency-" + (minInterval.equals("0") ? "0s" : minInterval)
                + (wake ? "-woken" : "-polling"));
             Connection c = db.connect();
             PreparedStatement change = c.prepareStatement("UPDATE " + BenchChild.TABLE
                     + " SET last_modified = clock_timestamp() WHERE id = ?")) {
            app.awaitRunning();
            Thread.sleep(2000);
            URI push = URI.create("http://127.0.0.1:" + app.apiPort() + "/api/views/" + BenchChild.VIEW + "/push");
            long every = 1_000_000_000L / settings.latencyRate();
            long start = System.nanoTime();
            long measureFrom = start + settings.latencyWarmupSeconds() * 1_000_000_000L; // JIT and pools warm up first
            long end = measureFrom + settings.latencySeconds() * 1_000_000_000L;
            long n = 0;
            for (long next = start; next < end; next += every) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                long id = 1 + (n++ * 7919) % settings.rows(); // distinct rows spread over the table
                change.setLong(1, id);
                change.executeUpdate();
                if (next >= measureFrom) {
                    committed.put(id, System.nanoTime());
                }
                if (wake) {
                    wakes.add(http.sendAsync(HttpRequest.newBuilder(push).header("Authorization", "Bearer " + BenchConfig.ADMIN_KEY)
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!receiver.arrivals().keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            for (CompletableFuture<HttpResponse<String>> w : wakes) {
                HttpResponse<String> r = w.get(30, TimeUnit.SECONDS);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("the wake-up call answered " + r.statusCode() + ": " + r.body());
                }
            }
        } finally {
            receiver.track(false);
        }
        Map<Long, Long> arrived = receiver.arrivals();
        List<Double> ms = new ArrayList<>();
        int missing = 0;
        for (Map.Entry<Long, Long> e : committed.entrySet()) {
            Long at = arrived.get(e.getKey());
            if (at == null) {
                missing++;
            } else {
                ms.add((at - e.getValue()) / 1e6);
            }
        }
        Stats s = Stats.of(ms);
        log(label + ": " + s + ", missing " + missing);
        report.latency(label, minInterval, wake, s, missing, receiver.requests());
    }

    // ---- children ----

    /** Runs a {@link BenchChild} in a new JVM and returns its RESULT lines as maps. */
    private List<Map<String, String>> child(String name, String heap, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-Xms" + heap,
                "-Dorg.jooq.no-logo=true", "-Dorg.jooq.no-tips=true"));
        cmd.addAll(settings.childJvmArgs());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchChild.class.getName()));
        cmd.addAll(args);
        Path logFile = settings.work().resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(logFile.toFile()).start();
        List<Map<String, String>> results = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("RESULT ")) {
                    Map<String, String> m = new LinkedHashMap<>();
                    for (String kv : line.substring(7).split(" ")) {
                        int eq = kv.indexOf('=');
                        m.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    results.add(m);
                }
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0 || results.isEmpty()) {
            p.destroyForcibly();
            throw new IllegalStateException("child " + name + " failed (exit " + (p.isAlive() ? "-" : p.exitValue())
                    + "), see " + logFile + "\n" + out + tail(logFile));
        }
        return results;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String shorten(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ");
        return oneLine.length() > 160 ? oneLine.substring(0, 157) + "..." : oneLine;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void log(String message) {
        System.err.println(LocalDateTime.now().format(STAMP) + " bench: " + message);
    }

    /** {@code java -jar push-app.jar run -c CONFIG} as a subprocess, stopped with SIGTERM. */
    static final class RunningJar implements AutoCloseable {
        private final Process process;
        private final int apiPort;
        private final Path logFile;
        private final long started;

        RunningJar(Settings settings, Path config, String name) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + settings.runHeap()));
            cmd.addAll(settings.runJvmArgs());
            cmd.addAll(List.of("-jar", settings.jar().toAbsolutePath().toString(), "run", "-c", config.toString()));
            logFile = settings.work().resolve(name + "-run.log");
            started = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(settings.work().toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            pb.environment().put("VIEWPUSH_LOG_LEVEL", System.getProperty("bench.runLogLevel", "INFO"));
            process = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Integer port = null;
            while (port == null && System.nanoTime() < deadline && process.isAlive()) {
                Thread.sleep(200);
                Matcher m = API_PORT.matcher(Files.readString(logFile));
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            if (port == null) {
                process.destroyForcibly();
                throw new IllegalStateException("run did not start; see " + logFile + "\n" + tail(logFile));
            }
            apiPort = port;
        }

        long pid() {
            return process.pid();
        }

        /**
         * Waits for the engine's "running" line (after every view is bound and scheduled: with
         * thousands of views that is well after the API listens).
         *
         * @return seconds from the process's start to that line
         */
        double awaitRunning() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (System.nanoTime() < deadline && process.isAlive()) {
                if (Files.readString(logFile).contains("ViewPush running:")) {
                    return (System.nanoTime() - started) / 1e9;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("run did not report running; see " + logFile + "\n" + tail(logFile));
        }

        int apiPort() {
            return apiPort;
        }

        @Override
        public void close() throws Exception {
            process.toHandle().destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The suite's parameters, from system properties {@code bench.*}. */
    record Settings(long rows, int maxRows, int repeat, int warmRows, String heap, String runHeap, int smallPushes,
                    int smallWarmup, int smallRows, int idleViews, int idleSeconds, int idleSettleSeconds, int latencyIdleViews,
                    int latencySeconds, int latencyWarmupSeconds, int latencyRate, long seed,
                    boolean synchronousCommit, String scenarios, boolean split,
                    Path jar, Path work, Path report, List<String> childJvmArgs, List<String> runJvmArgs,
                    List<Long> processRows, long processIdleRows, String lookupSummary, int lookupIdleSeconds) {

        static Settings fromSystemProperties() {
            Path target = Path.of(System.getProperty("bench.target", "push-app/target"));
            String extra = System.getProperty("bench.childJvmArgs", "").trim();
            String runExtra = System.getProperty("bench.runJvmArgs", "").trim();
            return new Settings(
                    Long.getLong("bench.rows", 1_000_000L),
                    Integer.getInteger("bench.maxRows", 10_000),
                    Integer.getInteger("bench.repeat", 3),
                    Integer.getInteger("bench.warmRows", 20_000),
                    System.getProperty("bench.heap", "64m"),
                    System.getProperty("bench.runHeap", "256m"),
                    Integer.getInteger("bench.small.pushes", 1000),
                    Integer.getInteger("bench.small.warmup", 300),
                    Integer.getInteger("bench.small.rows", 10),
                    Integer.getInteger("bench.idle.views", 1000),
                    Integer.getInteger("bench.idle.seconds", 60),
                    Integer.getInteger("bench.idle.settle", 15),
                    Integer.getInteger("bench.latency.idleViews", 0),
                    Integer.getInteger("bench.latency.seconds", 30),
                    Integer.getInteger("bench.latency.warmup", 10),
                    Integer.getInteger("bench.latency.rate", 5),
                    Long.getLong("bench.seed", 20240501L),
                    Boolean.parseBoolean(System.getProperty("bench.synchronousCommit", "false")),
                    System.getProperty("bench.scenarios", "1,2,3,4,5,6,7"),
                    Boolean.parseBoolean(System.getProperty("bench.split", "true")),
                    Path.of(System.getProperty("bench.jar", target.resolve("push-app.jar").toString())),
                    target.resolve("bench"),
                    Path.of(System.getProperty("bench.report", target.resolve("bench-report.md").toString())),
                    extra.isEmpty() ? List.of() : List.of(extra.split("\\s+")),
                    runExtra.isEmpty() ? List.of() : List.of(runExtra.split("\\s+")),
                    java.util.Arrays.stream(System.getProperty("bench.process.rows", "0,200000,1000000").split(","))
                            .map(String::trim).map(Long::parseLong).toList(),
                    Long.getLong("bench.process.idleRows", 200_000L),
                    System.getProperty("bench.lookups.hand", "join"),
                    Integer.getInteger("bench.lookups.idleSeconds", 10));
        }

        boolean runs(String scenario) {
            return List.of(scenarios.split(",")).contains(scenario);
        }

        @Override
        public String toString() {
            return "rows=" + rows + " maxRows=" + maxRows + " repeat=" + repeat + " heap=" + heap
                    + " small.pushes=" + smallPushes + " small.rows=" + smallRows + " idle.views=" + idleViews
                    + " idle.seconds=" + idleSeconds + " latency.seconds=" + latencySeconds + " latency.rate="
                    + latencyRate + "/s synchronousCommit=" + synchronousCommit
                    + " stampAhead=" + BenchConfig.stampAhead() + " scenarios=" + scenarios;
        }
    }
}
