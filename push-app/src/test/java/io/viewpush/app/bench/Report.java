package io.viewpush.app.bench;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Collects the scenarios' figures and renders them as one Markdown report, ratios and targets included. */
final class Report {
    private final Bench.Settings settings;
    private final List<String> pushRows = new ArrayList<>();
    private final List<String> smallRows = new ArrayList<>();
    private final List<String> idleRows = new ArrayList<>();
    private final List<String> latencyRows = new ArrayList<>();
    private final List<String> processRows = new ArrayList<>();
    private final List<String> pullRows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();
    private double handSingleWall = Double.NaN;
    private String environment = "";
    private String loadAtEnd = "";

    Report(Bench.Settings settings) {
        this.settings = settings;
    }

    void environment(String postgres, String load) {
        environment = "Run " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + " on "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", PostgreSQL " + postgres + " (zonky, 127.0.0.1, synchronous_commit "
                + (settings.synchronousCommit() ? "on" : "off") + "); load average at start " + load;
    }

    void loadAtEnd(String load) {
        loadAtEnd = load;
    }

    void bigPush(String scenario, String label, int maxRows, List<Map<String, String>> hand, List<Map<String, String>> vp,
                 Map<String, String> split) {
        Figures h = Figures.median(hand);
        Figures v = Figures.median(vp);
        double ratio = v.wallMs / h.wallMs;
        if (maxRows == 0) {
            handSingleWall = h.wallMs;
        }
        pushRows.add(row(label, "hand-written", h, "", ""));
        double limit = scenario.equals("1") || scenario.equals("6") ? 1.1 : scenario.equals("8") ? 1.2 : 0.8;
        String target = "≤ " + limit + "x";
        pushRows.add(row(label, "**ViewPush**", v, fmt(ratio, 2) + "x", target + (ratio <= limit ? " ✅" : " ❌")));
        targets.add(label + ": ViewPush " + fmt(ratio, 2) + "x the hand-written pipeline (target " + target + ")"
                + (ratio <= limit ? " — met" : " — MISSED"));
        if (maxRows > 0 && !Double.isNaN(handSingleWall)) {
            notes.add(label + ": ViewPush takes " + fmt(v.wallMs / handSingleWall, 2)
                    + "x the wall time of the hand-written single-request push of (1).");
        }
        notes.add(label + ", each run (s): hand-written " + walls(hand) + "; ViewPush " + walls(vp)
                + "; CPU of the pushing JVM (s, median): hand-written " + fmt(Figures.med(hand, "cpuMs") / 1000, 2)
                + ", ViewPush " + fmt(Figures.med(vp, "cpuMs") / 1000, 2));
        notes.add(label + ", hand-written: stamping " + fmt(Figures.med(hand, "stampMs") / 1000, 2) + " s of "
                + fmt(h.wallMs / 1000, 2) + " s (reading, encoding and sending the rest)");
        if (split != null) {
            notes.add(label + ", ViewPush timed port by port (one more run): wall " + sec(split, "wallMs") + " s = reading rows "
                    + "(cursor, row mapping, recording them for the stamp) " + sec(split, "readMs") + " s + encoding, "
                    + "spooling (idempotency key) and sending " + sec(split, "encodeSendMs") + " s + stamping "
                    + sec(split, "stampMs") + " s" + (maxRows > 0 ? " (on its own thread, overlapping the next batch)" : "")
                    + " + opening the view " + sec(split, "openMs") + " s + lease, journal and the rest");
        }
    }

    private static String sec(Map<String, String> m, String key) {
        return fmt(Double.parseDouble(m.get(key)) / 1000, 2);
    }

    private static String walls(List<Map<String, String>> runs) {
        return runs.stream().map(r -> fmt(Double.parseDouble(r.get("wallMs")) / 1000, 2)).collect(Collectors.joining(", "));
    }

    private static String row(String label, String impl, Figures f, String ratio, String target) {
        return "| " + label + " | " + impl + " | " + f.rows + " | " + mb(f.bytes) + " | " + f.requests + " | "
                + fmt(f.wallMs / 1000, 2) + " | " + String.format(Locale.ROOT, "%,.0f", f.rows / (f.wallMs / 1000))
                + " | " + mb(f.peakHeap) + " | " + mb(f.peakRss) + " | " + ratio + " | " + target + " |";
    }

    /** @param guarded the hand-written pipeline with a lease and a journal ({@link HandWrittenPipeline#guarded}) */
    void small(String label, Map<String, String> hand, Map<String, String> guarded, Map<String, String> vp) {
        double meanRatio = d(vp, "meanMs") / d(hand, "meanMs");
        double medianRatio = d(vp, "p50Ms") / d(hand, "p50Ms");
        smallRows.add("| " + label + " | hand-written | " + hand.get("count") + " | " + fmt(d(hand, "meanMs"), 2) + " | "
                + fmt(d(hand, "p50Ms"), 2) + " | " + fmt(d(hand, "p95Ms"), 2) + " | | |");
        smallRows.add("| " + label + " | hand-written with a lease and a journal | " + guarded.get("count") + " | "
                + fmt(d(guarded, "meanMs"), 2) + " | " + fmt(d(guarded, "p50Ms"), 2) + " | " + fmt(d(guarded, "p95Ms"), 2)
                + " | " + fmt(d(guarded, "meanMs") / d(hand, "meanMs"), 2) + "x / "
                + fmt(d(guarded, "p50Ms") / d(hand, "p50Ms"), 2) + "x | |");
        notes.add(label + ": ViewPush / the hand-written pipeline with a lease and a journal: mean "
                + fmt(d(vp, "meanMs") / d(guarded, "meanMs"), 2) + "x, median " + fmt(d(vp, "p50Ms") / d(guarded, "p50Ms"), 2) + "x");
        boolean met = meanRatio <= 1.2 && medianRatio <= 1.2;
        smallRows.add("| " + label + " | **ViewPush** | " + vp.get("count") + " | " + fmt(d(vp, "meanMs"), 2) + " | "
                + fmt(d(vp, "p50Ms"), 2) + " | " + fmt(d(vp, "p95Ms"), 2) + " | " + fmt(meanRatio, 2) + "x / "
                + fmt(medianRatio, 2) + "x | ≤ 1.2x" + (met ? " ✅" : " ❌") + " |");
        targets.add(label + ": ViewPush mean " + fmt(meanRatio, 2) + "x, median " + fmt(medianRatio, 2)
                + "x the hand-written small push (target ≤ 1.2x)" + (met ? " — met" : " — MISSED"));
    }

    void idle(String label, int views, double seconds, long appCpuMs, long pgCpuMs, long statements, long transactions,
              long pushes, List<String> top, String plan, List<String> byThread) {
        double appCore = appCpuMs / (seconds * 1000) * 100;
        double pgCore = pgCpuMs / (seconds * 1000) * 100;
        boolean met = appCore < 10;
        idleRows.add("| " + views + " | " + fmt(seconds, 0) + " | " + fmt(appCore, 1) + " % | " + fmt(pgCore, 1) + " % | "
                + fmt(statements / seconds, 0) + " | " + fmt(transactions / seconds, 0) + " | " + pushes + " | < 10 %"
                + (met ? " ✅" : " ❌") + " |");
        targets.add(label + ": the app used " + fmt(appCore, 1) + " % of one core (target < 10 %)"
                + (met ? " — met" : " — MISSED") + "; PostgreSQL's backends " + fmt(pgCore, 1) + " %");
        notes.add(label + ", the app's CPU by thread (ms in " + fmt(seconds, 0) + " s): " + String.join(", ", byThread));
        notes.add(label + ", most frequent statements:\n" + top.stream().map(t -> "    - " + t).collect(Collectors.joining("\n")));
        notes.add(label + ", plan of the idle check (one view's values):\n\n```\n" + plan + "\n```");
    }

    /**
     * (8)'s idle check: met when its plan reads the "needs pushing" index and never reads a related
     * table (no sequential scan anywhere; the joined tables and the subquery never executed).
     */
    void lookupIdle(String label, int seconds, long calls, double meanMs, String sql, String plan) {
        boolean indexed = plan.contains("Index Scan using orders_needs_pushing")
                || plan.contains("Index Only Scan using orders_needs_pushing");
        boolean noSeqScan = !plan.contains("Seq Scan");
        boolean relatedUnread = plan.lines().filter(l -> l.contains(" on customers") || l.contains(" on shops")
                || l.contains(" on order_lines")).allMatch(l -> l.contains("never executed"));
        boolean met = indexed && noSeqScan && relatedUnread;
        targets.add(label + ": " + calls + " checks in " + seconds + " s, " + fmt(meanMs, 3) + " ms each in PostgreSQL; "
                + "plan " + (indexed ? "reads the needs-pushing index" : "does NOT read the needs-pushing index")
                + (noSeqScan ? ", no sequential scan" : ", with a sequential scan")
                + (relatedUnread ? ", related tables never read" : ", related tables read")
                + " (target: an index lookup only)" + (met ? " — met" : " — MISSED"));
        notes.add(label + ", the statement (from pg_stat_statements):\n\n```sql\n" + sql + "\n```");
        notes.add(label + ", its plan (EXPLAIN ANALYZE, BUFFERS, with the values it runs with):\n\n```\n" + plan + "\n```");
    }

    void latency(String label, String minInterval, boolean wake, Stats s, int missing, long requests) {
        double limit = minInterval.equals("1s") ? 1500 : wake ? 300 : Double.NaN;
        String target = Double.isNaN(limit) ? "(none; polling every engine.pollInterval = 1 s)"
                : "p99 < " + fmt(limit, 0) + " ms" + (s.p99() < limit && missing == 0 ? " ✅" : " ❌");
        latencyRows.add("| " + label + " | " + s.count() + " | " + requests + " | " + fmt(s.p50(), 0) + " | "
                + fmt(s.p99(), 0) + " | " + fmt(s.max(), 0) + " | " + missing + " | " + target + " |");
        if (!Double.isNaN(limit)) {
            targets.add(label + ": p50 " + fmt(s.p50(), 0) + " ms, p99 " + fmt(s.p99(), 0) + " ms (target p99 < "
                    + fmt(limit, 0) + " ms)" + (s.p99() < limit && missing == 0 ? " — met" : " — MISSED"));
        }
    }

    void wholeProcess(String label, long rows, Map<String, List<Map<String, String>>> runs) {
        double hand = Figures.med(runs.get("hand"), "wallMs");
        double handRss = Figures.med(runs.get("hand"), "peakRss");
        String headline = runs.containsKey("viewpush-launcher") ? "viewpush-launcher"
                : runs.containsKey("viewpush-cds") ? "viewpush-cds" : "viewpush";
        for (Map.Entry<String, List<Map<String, String>>> e : runs.entrySet()) {
            double wall = Figures.med(e.getValue(), "wallMs");
            double rss = Figures.med(e.getValue(), "peakRss");
            String impl = switch (e.getKey()) {
                case "hand" -> "hand-written";
                case "viewpush" -> "ViewPush, java -jar";
                case "viewpush-cds" -> "ViewPush, java -XX:SharedArchiveFile=push-app.jsa -jar";
                default -> "**ViewPush, target/viewpush (the archive and, for push, -XX:+UseSerialGC)**";
            };
            String ratio = e.getKey().equals("hand") ? "" : fmt(wall / hand, 2) + "x / " + fmt(rss / handRss, 2) + "x";
            String target = "";
            if (e.getKey().equals(headline)) {
                boolean rssMet = rss / handRss <= 1.3;
                if (rows == 0) {
                    boolean met = wall <= 1000;
                    target = "≤ 1.0 s" + (met ? " ✅" : " ❌");
                    targets.add(label + ": ViewPush " + fmt(wall / 1000, 2) + " s wall, JVM start included (target ≤ 1.0 s)"
                            + (met ? " — met" : " — MISSED") + "; the hand-written program " + fmt(hand / 1000, 2) + " s");
                } else {
                    double limit = rows >= 1_000_000 ? 1.1 : 1.15;
                    boolean met = wall / hand <= limit;
                    target = "≤ " + limit + "x, RSS ≤ 1.3x" + (met && rssMet ? " ✅" : " ❌");
                    targets.add(label + ": ViewPush " + fmt(wall / hand, 2) + "x the hand-written program (target ≤ "
                            + limit + "x)" + (met ? " — met" : " — MISSED") + "; peak RSS " + fmt(rss / handRss, 2)
                            + "x (target ≤ 1.3x)" + (rssMet ? " — met" : " — MISSED"));
                }
            }
            processRows.add("| " + label + " | " + impl + " | " + e.getValue().get(0).get("requests") + " | "
                    + mb(Long.parseLong(e.getValue().get(0).get("bytes"))) + " | " + fmt(wall / 1000, 2) + " | "
                    + mb((long) rss) + " | " + ratio + " | " + target + " |");
            notes.add(label + ", " + impl + ", each run (s): " + walls(e.getValue()) + "; CPU of the process (s): "
                    + e.getValue().stream().map(r -> fmt(Double.parseDouble(r.getOrDefault("cpuMs", "0")) / 1000, 2))
                    .collect(Collectors.joining(", ")));
        }
    }

    /** (7) {@code run} from its start to its serving line, median of the runs. */
    void runToServing(String label, Map<String, List<Map<String, String>>> runs) {
        for (Map.Entry<String, List<Map<String, String>>> e : runs.entrySet()) {
            double wall = Figures.med(e.getValue(), "wallMs");
            boolean headline = e.getKey().equals(runs.containsKey("viewpush-cds") ? "viewpush-cds" : "viewpush");
            String impl = e.getKey().equals("viewpush") ? "ViewPush, java -jar"
                    : "**ViewPush, java -XX:SharedArchiveFile=push-app.jsa -jar**";
            String target = "";
            if (headline) {
                boolean met = wall <= 1500;
                target = "≤ 1.5 s" + (met ? " ✅" : " ❌");
                targets.add(label + ": ViewPush " + fmt(wall / 1000, 2) + " s to its serving line, JVM start included"
                        + " (target ≤ 1.5 s)" + (met ? " — met" : " — MISSED"));
            }
            processRows.add("| " + label + " | " + impl + " | – | – | " + fmt(wall / 1000, 2) + " | – | | " + target + " |");
            notes.add(label + ", " + impl + ", each run (s): " + walls(e.getValue()));
        }
    }

    /**
     * (9): the pull API whole and paged, each next to PostgreSQL producing the same JSON itself
     * ({@code postgres-*}: COPY through pgjdbc; {@code psql-whole}: psql to /dev/null, when present).
     */
    void pull(String label, int pageRows, Map<String, List<Map<String, String>>> runs, List<String> checks) {
        for (String kind : List.of("whole", "paged")) {
            List<Map<String, String>> pg = runs.get("postgres-" + kind);
            List<Map<String, String>> vp = runs.get("viewpush-" + kind);
            List<Map<String, String>> psql = runs.get("psql-" + kind);
            double pgWall = Figures.med(pg, "wallMs");
            double vpWall = Figures.med(vp, "wallMs");
            double ratio = vpWall / pgWall;
            double limit = kind.equals("whole") ? 1.2 : 1.5;
            String what = label + (kind.equals("whole") ? ", whole (one GET)" : ", in pages of " + pageRows);
            pullRows.add(pullRow(what, "PostgreSQL: COPY (json_agg) TO STDOUT, pgjdbc CopyManager", pg, "", ""));
            String vsPsql = "";
            if (psql != null && !psql.isEmpty()) {
                double psqlWall = Figures.med(psql, "wallMs");
                pullRows.add(pullRow(what, "PostgreSQL: the same COPY through psql to /dev/null", psql, "", ""));
                vsPsql = "; " + fmt(vpWall / psqlWall, 2) + "x psql to /dev/null";
                notes.add(what + ", psql to /dev/null, each run (s): " + walls(psql));
            }
            String target = "≤ " + limit + "x";
            pullRows.add(pullRow(what, "**ViewPush** `GET /api/views/{view}`" + (kind.equals("paged") ? "?limit=" + pageRows
                    + ", following `Link`" : ""), vp, fmt(ratio, 2) + "x", target + (ratio <= limit ? " ✅" : " ❌")));
            targets.add(what + ": ViewPush " + fmt(ratio, 2) + "x PostgreSQL producing the same JSON (target " + target + ")"
                    + (ratio <= limit ? " — met" : " — MISSED") + vsPsql);
            notes.add(what + ", each run (s): PostgreSQL " + walls(pg) + "; ViewPush " + walls(vp));
        }
        checks.forEach(c -> notes.add(label + ", the same JSON: " + c));
    }

    private static String pullRow(String label, String by, List<Map<String, String>> runs, String ratio, String target) {
        Map<String, String> first = runs.get(0);
        double wall = Figures.med(runs, "wallMs");
        long rows = Long.parseLong(first.get("rows"));
        double appCpu = Figures.med(runs, "appCpuMs");
        double pgCpu = Figures.med(runs, "pgCpuMs");
        return "| " + label + " | " + by + " | " + first.get("requests") + " | " + (rows < 0 ? "" : rows) + " | "
                + (rows < 0 ? "" : mb(Long.parseLong(first.get("bytes")))) + " | " + fmt(wall / 1000, 2) + " | "
                + (appCpu < 0 ? "" : fmt(appCpu / 1000, 2)) + " | " + (pgCpu < 0 ? "" : fmt(pgCpu / 1000, 2)) + " | "
                + ratio + " | " + target + " |";
    }

    String render() {
        StringBuilder sb = new StringBuilder("# ViewPush benchmark\n\n");
        sb.append(environment).append("; at the end ").append(loadAtEnd).append(".\n\n");
        sb.append("Parameters: ").append(settings).append(".\n\n");
        if (!pushRows.isEmpty()) {
            sb.append("## Big pushes (child JVMs, -Xmx").append(settings.heap()).append("; median of ")
                    .append(settings.repeat()).append(" runs each, alternating)\n\n")
                    .append("| scenario | pipeline | rows | body | requests | wall s | rows/s | peak heap | peak RSS | ViewPush / hand | target |\n")
                    .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            pushRows.forEach(r -> sb.append(r).append('\n'));
            sb.append('\n');
        }
        if (!smallRows.isEmpty()) {
            sb.append("## Small pushes (one warm JVM, both pipelines alternating; ms per push: select, POST, stamp, commit)\n\n")
                    .append("| scenario | pipeline | pushes | mean ms | median ms | p95 ms | ViewPush / hand (mean / median) | target |\n")
                    .append("|---|---|---:|---:|---:|---:|---:|---|\n");
            smallRows.forEach(r -> sb.append(r).append('\n'));
            sb.append('\n');
        }
        if (!idleRows.isEmpty()) {
            sb.append("## Idle views under `run` (shaded jar, -Xmx").append(settings.runHeap()).append(")\n\n")
                    .append("| views | seconds | app CPU (of one core) | PostgreSQL backends CPU | statements/s | transactions/s | pushes | target |\n")
                    .append("|---:|---:|---:|---:|---:|---:|---:|---|\n");
            idleRows.forEach(r -> sb.append(r).append('\n'));
            sb.append('\n');
        }
        if (!latencyRows.isEmpty()) {
            sb.append("## Change-to-delivery latency under `run` (commit of a changed row → its arrival at the receiver; ")
                    .append(settings.latencyRate()).append(" changes/s for ").append(settings.latencySeconds()).append(" s)\n\n")
                    .append("| variant | rows | requests | p50 ms | p99 ms | max ms | missing | target |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|---|\n");
            latencyRows.forEach(r -> sb.append(r).append('\n'));
            sb.append('\n');
        }
        if (!processRows.isEmpty()) {
            sb.append("## Whole processes (the jar's `push` and a hand-written program, each started as its own JVM with -Xmx")
                    .append(settings.heap()).append(", JVM start included; median of ").append(settings.repeat())
                    .append(" runs each, in rotating order)\n\n")
                    .append("| scenario | program | requests | body | wall s | peak RSS | ViewPush / hand (wall / RSS) | target |\n")
                    .append("|---|---|---:|---:|---:|---:|---:|---|\n");
            processRows.forEach(r -> sb.append(r).append('\n'));
            sb.append('\n');
        }
        if (!pullRows.isEmpty()) {
            sb.append("## Pull API (the jar's `run`, -Xmx").append(settings.runHeap()).append(", against PostgreSQL producing ")
                    .append("the same JSON; median of ").append(settings.repeat()).append(" runs each, alternating)\n\n")
                    .append("| scenario | by | requests | rows | body | wall s | app CPU s | PostgreSQL CPU s | ViewPush / PostgreSQL | target |\n")
                    .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            pullRows.forEach(r -> sb.append(r).append('\n'));
            sb.append('\n');
        }
        sb.append("## Targets\n\n");
        targets.forEach(t -> sb.append("- ").append(t).append('\n'));
        if (!notes.isEmpty()) {
            sb.append("\n## Details\n\n");
            notes.forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        return sb.toString();
    }

    private static double d(Map<String, String> m, String key) {
        return Double.parseDouble(m.get(key));
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String mb(long bytes) {
        return fmt(bytes / 1e6, 1) + " MB";
    }

    /** One run's figures; {@link #median} takes each figure's median over the runs. */
    private record Figures(long rows, long bytes, long requests, double wallMs, long peakHeap, long peakRss) {
        static Figures median(List<Map<String, String>> runs) {
            return new Figures(Long.parseLong(runs.get(0).get("rows")), Long.parseLong(runs.get(0).get("bytes")),
                    Long.parseLong(runs.get(0).get("requests")), med(runs, "wallMs"), (long) med(runs, "peakHeap"),
                    (long) med(runs, "peakRss"));
        }

        static double med(List<Map<String, String>> runs, String key) {
            return Stats.median(runs.stream().map(r -> Double.parseDouble(r.get(key))).collect(Collectors.toList()));
        }
    }
}
