package io.viewpush.app.bench;

import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigLoader;
import io.viewpush.engine.ViewPush;
import io.viewpush.port.PushListener;
import io.viewpush.push.PushAttempt;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One measured run in its own JVM (started by {@link Bench} with the heap the scenario needs):
 * a warm-up on a small table, then the timed push; prints one {@code RESULT key=value ...} line.
 *
 * <ul>
 *   <li>{@code hand jdbc=URL receiver=URL warmReceiver=URL maxRows=N [keys=uuid] [summary=join|subquery]}:
 *       the hand-written pipeline on {@code orders} (with {@code summary}: the orders of scenario (8),
 *       their lookups and the sum of their lines read as it says);</li>
 *   <li>{@code viewpush config=FILE maxRows=N}: ViewPush, wired by the app's {@link Assembly} from
 *       the config, one {@code pushNow} of the view {@code orders};</li>
 *   <li>{@code split config=FILE}: the ViewPush push again, timed port by port ({@link TimedPorts});</li>
 *   <li>{@code handProcess jdbc=URL receiver=URL}: the hand-written pipeline as a whole process, the
 *       way an operator would run such a program: no warm-up, one push of {@code orders} in one request;</li>
 *   <li>{@code small config=FILE jdbc=URL receiver=URL pushes=N warmup=N rows=N seed=N}: both,
 *       alternating, N small pushes each of {@code rows} changed rows, in one warm JVM.</li>
 * </ul>
 */
public final class BenchChild {
    static final String TABLE = "orders";
    static final String WARM_TABLE = "orders_warm";
    static final String VIEW = "orders";
    static final String WARM_VIEW = "warm-up";
    /** The order lines of scenario (8), referring to {@link #TABLE}, and those of {@link #WARM_TABLE}. */
    static final String LINES = "order_lines";
    static final String WARM_LINES = "order_lines_warm";

    private BenchChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            a.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        switch (args[0]) {
            case "hand":
                hand(a);
                break;
            case "viewpush":
                viewPush(a);
                break;
            case "split":
                split(a);
                break;
            case "handProcess":
                handProcess(a);
                break;
            case "small":
                small(a);
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "postgres", "postgres");
    }

    private static void hand(Map<String, String> a) throws Exception {
        int maxRows = Integer.parseInt(a.get("maxRows"));
        HeapWatch heap = new HeapWatch();
        try (Connection read = connect(a.get("jdbc")); Connection stamp = connect(a.get("jdbc"))) {
            boolean uuidKeys = "uuid".equals(a.get("keys"));
            String summary = a.get("summary"); // scenario (8): its lookups and summary, read as this says
            HandWrittenPipeline.Summary how = summary == null ? null
                    : HandWrittenPipeline.Summary.valueOf(summary.toUpperCase(Locale.ROOT));
            (how != null ? HandWrittenPipeline.lookups(read, stamp, a.get("warmReceiver"), WARM_TABLE, WARM_LINES, how)
                    : new HandWrittenPipeline(read, stamp, a.get("warmReceiver"), WARM_TABLE, uuidKeys)).push(maxRows);
            HandWrittenPipeline pipeline = how != null
                    ? HandWrittenPipeline.lookups(read, stamp, a.get("receiver"), TABLE, LINES, how)
                    : new HandWrittenPipeline(read, stamp, a.get("receiver"), TABLE, uuidKeys);
            heap.reset();
            long cpu0 = Proc.cpuMillis(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            HandWrittenPipeline.Outcome o = pipeline.push(maxRows);
            long nanos = System.nanoTime() - t0;
            long cpu = Proc.cpuMillis(ProcessHandle.current().pid()) - cpu0;
            result("rows", o.rows(), "bytes", o.bytes(), "requests", o.requests(), "wallMs", nanos / 1e6,
                    "cpuMs", cpu, "stampMs", o.stampNanos() / 1e6, "peakHeap", settledPeak(heap),
                    "peakRss", Proc.peakRss("self"));
        }
    }

    private static void handProcess(Map<String, String> a) throws Exception {
        try (Connection read = connect(a.get("jdbc")); Connection stamp = connect(a.get("jdbc"))) {
            HandWrittenPipeline.Outcome o = new HandWrittenPipeline(read, stamp, a.get("receiver"), TABLE).push(0);
            result("rows", o.rows(), "bytes", o.bytes(), "requests", o.requests());
        }
    }

    private static void viewPush(Map<String, String> a) throws Exception {
        HeapWatch heap = new HeapWatch();
        try (Assembly assembly = Assembly.open(ConfigLoader.load(Path.of(a.get("config"))), PushListener.NONE)) {
            ViewPush engine = assembly.engine();
            check(engine.pushNow(WARM_VIEW), PushAttempt.Status.SUCCESS);
            heap.reset();
            long cpu0 = Proc.cpuMillis(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            PushAttempt attempt = engine.pushNow(VIEW);
            long nanos = System.nanoTime() - t0;
            long cpu = Proc.cpuMillis(ProcessHandle.current().pid()) - cpu0;
            check(attempt, PushAttempt.Status.SUCCESS);
            if (attempt.rowsStamped() != attempt.rowsSent()) {
                throw new IllegalStateException("stamped " + attempt.rowsStamped() + " of " + attempt.rowsSent() + " rows");
            }
            result("rows", attempt.rowsSent(), "bytes", attempt.bytes(), "requests", attempt.batches(),
                    "wallMs", nanos / 1e6, "cpuMs", cpu, "peakHeap", settledPeak(heap), "peakRss", Proc.peakRss("self"));
        }
    }

    /**
     * The ViewPush push again, with the app's store and transport wrapped by {@link TimedPorts} in
     * an engine built as the app builds it: where the time goes (a diagnostic, not the headline).
     */
    private static void split(Map<String, String> a) throws Exception {
        AppConfig config = ConfigLoader.load(Path.of(a.get("config")));
        TimedPorts timed = new TimedPorts();
        try (Assembly assembly = Assembly.open(config, PushListener.NONE);
             ViewPush engine = ViewPush.builder()
                     .store(timed.store(assembly.store()))
                     .transport(timed.transport(assembly.transport()))
                     .views(config.views())
                     .workers(config.engine().workers())
                     .pollInterval(config.engine().pollInterval())
                     .leaseTtl(config.engine().leaseTtl())
                     .shutdownTimeout(config.engine().shutdownTimeout())
                     .build()) {
            check(engine.pushNow(WARM_VIEW), PushAttempt.Status.SUCCESS);
            timed.readNanos.set(0);
            timed.sendNanos.set(0);
            timed.stampNanos.set(0);
            timed.openNanos.set(0);
            long t0 = System.nanoTime();
            PushAttempt attempt = check(engine.pushNow(VIEW), PushAttempt.Status.SUCCESS);
            long nanos = System.nanoTime() - t0;
            result("rows", attempt.rowsSent(), "wallMs", nanos / 1e6, "openMs", timed.openNanos.get() / 1e6,
                    "readMs", timed.readNanos.get() / 1e6,
                    "encodeSendMs", (timed.sendNanos.get() - timed.readNanos.get()) / 1e6,
                    "stampMs", timed.stampNanos.get() / 1e6);
        }
    }

    private static PushAttempt check(PushAttempt a, PushAttempt.Status expected) {
        if (a.status() != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + a);
        }
        return a;
    }

    private static long settledPeak(HeapWatch heap) throws InterruptedException {
        Thread.sleep(200); // GC notifications arrive on their own thread
        return heap.peak();
    }

    /**
     * Small pushes, both pipelines in this one JVM, alternating which goes first: before each push
     * {@code rows} random orders change (not timed); the push is timed from its call to its return
     * (rows read, POSTed, stamped and committed).
     */
    private static void small(Map<String, String> a) throws Exception {
        int pushes = Integer.parseInt(a.get("pushes"));
        int warmup = Integer.parseInt(a.get("warmup"));
        int rows = Integer.parseInt(a.get("rows"));
        long tableRows = Long.parseLong(a.get("tableRows"));
        long seed = Long.parseLong(a.get("seed"));
        SplittableRandom random = new SplittableRandom(seed);
        List<Double> hand = new ArrayList<>();
        List<Double> guardedTimes = new ArrayList<>();
        List<Double> vp = new ArrayList<>();
        try (Assembly assembly = Assembly.open(ConfigLoader.load(Path.of(a.get("config"))), PushListener.NONE);
             Connection read = connect(a.get("jdbc")); Connection stamp = connect(a.get("jdbc"));
             Connection writer = connect(a.get("jdbc"));
             Connection guardRead = connect(a.get("jdbc")); Connection guardStamp = connect(a.get("jdbc"));
             Connection guard = connect(a.get("jdbc"));
             PreparedStatement change = writer.prepareStatement(
                     "UPDATE " + TABLE + " SET last_modified = clock_timestamp() WHERE id = ANY(?)")) {
            ViewPush engine = assembly.engine();
            HandWrittenPipeline pipeline = new HandWrittenPipeline(read, stamp, a.get("receiver"), TABLE);
            HandWrittenPipeline guarded = new HandWrittenPipeline(guardRead, guardStamp, a.get("receiver"), TABLE)
                    .guarded(guard, VIEW, "bench-hand");
            for (int i = 0; i < warmup + pushes; i++) {
                for (int turn = 0; turn < 3; turn++) {
                    int which = (i + turn) % 3; // 0 hand-written, 1 the same with a lease and a journal, 2 ViewPush
                    boolean isHand = which != 2;
                    Long[] ids = new Long[rows];
                    for (int r = 0; r < rows; r++) {
                        ids[r] = 1 + random.nextLong(tableRows);
                    }
                    change.setArray(1, writer.createArrayOf("int8", ids));
                    change.executeUpdate();
                    long t0 = System.nanoTime();
                    long sent;
                    if (isHand) {
                        sent = (which == 0 ? pipeline : guarded).push(0).rows();
                    } else {
                        PushAttempt attempt = check(engine.pushNow(VIEW), PushAttempt.Status.SUCCESS);
                        sent = attempt.rowsSent();
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (sent < 1 || sent > rows) {
                        throw new IllegalStateException((isHand ? "hand-written" : "ViewPush") + " sent " + sent
                                + " rows, expected up to " + rows);
                    }
                    if (i >= warmup) {
                        (which == 0 ? hand : which == 1 ? guardedTimes : vp).add(ms);
                    }
                }
            }
        }
        for (String impl : List.of("hand", "guarded", "viewpush")) {
            Stats s = Stats.of(impl.equals("hand") ? hand : impl.equals("guarded") ? guardedTimes : vp);
            result("impl", impl, "count", s.count(), "meanMs", s.mean(), "p50Ms", s.p50(), "p95Ms", s.p95(),
                    "p99Ms", s.p99(), "maxMs", s.max());
        }
    }

    private static void result(Object... kv) {
        StringBuilder sb = new StringBuilder("RESULT");
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            sb.append(' ').append(kv[i]).append('=')
                    .append(v instanceof Double ? String.format(Locale.ROOT, "%.3f", (Double) v) : v);
        }
        System.out.println(sb);
        System.out.flush();
    }
}
