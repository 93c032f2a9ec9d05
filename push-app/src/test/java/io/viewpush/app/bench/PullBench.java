package io.viewpush.app.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario (9), the pull API: {@code GET /api/views/{view}} of every row of the orders view, served
 * by the shaded jar's {@code run}, next to PostgreSQL producing the same JSON itself
 * ({@code COPY (SELECT json_agg(json_build_object(...) ORDER BY id) ...) TO STDOUT}, read by pgjdbc's
 * {@link CopyManager} into a counting sink); once whole, once in pages of {@code bench.pull.pageRows}
 * (the API's own paging, following its {@code Link} header; PostgreSQL by key, {@code id > last ORDER
 * BY id LIMIT n}, {@code json_agg} a page). Both clients run in the suite's JVM and do the same with
 * what they read: count its bytes and its objects (a row is one flat object, so its {@code '{'}).
 * The view is pull-only (no push policy: {@code run} only serves it) and every order needs pushing,
 * so it holds every order. {@code bench.repeat} runs each, alternating which goes first, medians
 * reported; every run must return every row. Before them, the first page of each is parsed and
 * compared value by value (numbers by value, timestamps as instants), and one warm-up paging of
 * five pages each.
 */
final class PullBench {
    static final String VIEW = "orders";
    /** The view's row as {@code json_build_object}: the same names, in the view's order, the same values. */
    static final String ROW_OBJECT = "json_build_object('id', id, 'shop', shop, 'customer', customer, 'amount', amount, "
            + "'created', created_at, 'last modified [auto]', last_modified, 'last pushed', last_pushed, "
            + "'needs pushing', " + BenchDatabase.NEEDS_PUSHING + ")";
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>;\\s*rel=\"next\"");

    private final Bench.Settings settings;
    private final BenchDatabase db;
    private final Report report;
    private final int pageRows = Integer.getInteger("bench.pull.pageRows", 10_000);
    private final String psql = System.getProperty("bench.psql", "psql");

    PullBench(Bench.Settings settings, BenchDatabase db, Report report) {
        this.settings = settings;
        this.db = db;
        this.report = report;
    }

    void run() throws Exception {
        long rows = settings.rows();
        String label = "(9) pull of " + rows + " rows";
        Bench.log(label + ": generating data");
        db.orders(BenchChild.TABLE, rows, false);
        long expected = db.scalar("SELECT count(*) FROM " + BenchChild.TABLE + " WHERE " + BenchDatabase.NEEDS_PUSHING);
        Path config = new BenchConfig(db).api().views().pullView(VIEW, BenchChild.TABLE)
                .write(settings.work().resolve("pull.yaml"));
        boolean withPsql = psqlAvailable();
        if (!withPsql) {
            Bench.log(label + ": no '" + psql + "' on this machine (-Dbench.psql=PATH): the psql reference run is left out");
        }
        Map<String, List<Map<String, String>>> runs = new LinkedHashMap<>();
        for (String k : List.of("viewpush-whole", "postgres-whole", "psql-whole", "viewpush-paged", "postgres-paged")) {
            runs.put(k, new ArrayList<>());
        }
        List<String> checks;
        try (Bench.RunningJar app = new Bench.RunningJar(settings, config, "pull"); Connection c = db.connect()) {
            String base = "http://127.0.0.1:" + app.apiPort();
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            checks = verify(base, c);
            Bench.log(label + ": first pages compared: " + checks);
            viewpushPaged(base, app.pid(), 5);
            postgresPaged(copy, 5);
            for (int rep = 0; rep < settings.repeat(); rep++) {
                List<String> order = rep % 2 == 0 ? List.of("viewpush", "postgres") : List.of("postgres", "viewpush");
                for (String kind : List.of("whole", "paged")) {
                    List<String> impls = new ArrayList<>(order);
                    if (kind.equals("whole") && withPsql) {
                        impls.add(rep % 2 == 0 ? impls.size() : 0, "psql");
                    }
                    for (String impl : impls) {
                        Map<String, String> r = switch (impl + "-" + kind) {
                            case "viewpush-whole" -> viewpushWhole(base, app.pid());
                            case "postgres-whole" -> postgresWhole(copy);
                            case "psql-whole" -> psqlWhole();
                            case "viewpush-paged" -> viewpushPaged(base, app.pid(), Long.MAX_VALUE);
                            default -> postgresPaged(copy, Long.MAX_VALUE);
                        };
                        if (!impl.equals("psql") && Long.parseLong(r.get("rows")) != expected) {
                            throw new IllegalStateException(label + ", " + impl + " " + kind + ": " + r.get("rows")
                                    + " rows, not " + expected + ": " + r);
                        }
                        Bench.log(label + ", " + impl + " " + kind + ", run " + (rep + 1) + ": " + r);
                        runs.get(impl + "-" + kind).add(r);
                    }
                }
            }
        }
        report.pull(label, pageRows, runs, checks);
    }

    // ---- ViewPush: GET /api/views/orders, whole and paged ----

    private Map<String, String> viewpushWhole(String base, long pid) throws Exception {
        long cpu0 = Proc.cpuMillis(pid);
        Map<Long, Long> pg0 = db.backendCpu();
        long t0 = System.nanoTime();
        Body body = get(base + "/api/views/" + VIEW);
        long nanos = System.nanoTime() - t0;
        return result(nanos, body.sink.objects, body.sink.bytes, 1, Proc.cpuMillis(pid) - cpu0, pg0);
    }

    /** Follows the API's {@code Link: <…>; rel="next"} from the first page to the last, or {@code maxPages}. */
    private Map<String, String> viewpushPaged(String base, long pid, long maxPages) throws Exception {
        long cpu0 = Proc.cpuMillis(pid);
        Map<Long, Long> pg0 = db.backendCpu();
        long t0 = System.nanoTime();
        String url = base + "/api/views/" + VIEW + "?limit=" + pageRows;
        long rows = 0;
        long bytes = 0;
        long pages = 0;
        while (url != null && pages < maxPages) {
            Body body = get(url);
            pages++;
            rows += body.sink.objects;
            bytes += body.sink.bytes;
            url = body.next == null ? null : base + body.next;
        }
        long nanos = System.nanoTime() - t0;
        return result(nanos, rows, bytes, pages, Proc.cpuMillis(pid) - cpu0, pg0);
    }

    private record Body(CountingSink sink, String next) {
    }

    /** A GET with the bench's key; the body read to its end into a counting sink. */
    private static Body get(String url) throws IOException {
        return get(url, false);
    }

    private static Body get(String url, boolean keep) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestProperty("Authorization", "Bearer " + BenchConfig.ADMIN_KEY);
        c.setReadTimeout(300_000);
        int status = c.getResponseCode();
        if (status != 200) {
            InputStream err = c.getErrorStream();
            throw new IllegalStateException("GET " + url + " answered " + status + ": "
                    + (err == null ? "" : new String(err.readAllBytes(), StandardCharsets.UTF_8)));
        }
        CountingSink sink = new CountingSink(keep);
        try (InputStream in = c.getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sink.write(buffer, 0, n);
            }
        }
        String link = c.getHeaderField("Link");
        String next = null;
        if (link != null) {
            Matcher m = NEXT.matcher(link);
            if (!m.find()) {
                throw new IllegalStateException("GET " + url + ": a Link header without rel=\"next\": " + link);
            }
            next = m.group(1);
        }
        return new Body(sink, next);
    }

    // ---- PostgreSQL: the same JSON from COPY ... TO STDOUT ----

    private Map<String, String> postgresWhole(CopyManager copy) throws Exception {
        Map<Long, Long> pg0 = db.backendCpu();
        CountingSink sink = new CountingSink(false);
        long t0 = System.nanoTime();
        copy.copyOut("COPY (SELECT json_agg(" + ROW_OBJECT + " ORDER BY id) FROM " + BenchChild.TABLE + " WHERE "
                + BenchDatabase.NEEDS_PUSHING + ") TO STDOUT", sink);
        long nanos = System.nanoTime() - t0;
        return result(nanos, sink.objects, sink.bytes, 1, -1, pg0);
    }

    /**
     * Pages by key: each page's {@code json_agg}, its last key and its row count in one COPY row
     * ({@code json \t max(id) \t count}); the next page starts after that key; a page with fewer
     * rows than asked for is the last.
     */
    private Map<String, String> postgresPaged(CopyManager copy, long maxPages) throws Exception {
        Map<Long, Long> pg0 = db.backendCpu();
        long t0 = System.nanoTime();
        long rows = 0;
        long bytes = 0;
        long pages = 0;
        String after = null;
        while (pages < maxPages) {
            CountingSink sink = new CountingSink(false);
            copy.copyOut("COPY (SELECT json_agg(" + ROW_OBJECT + " ORDER BY id), max(id), count(*) FROM (SELECT * FROM "
                    + BenchChild.TABLE + " WHERE " + BenchDatabase.NEEDS_PUSHING + (after == null ? "" : " AND id > " + after)
                    + " ORDER BY id LIMIT " + pageRows + ") AS page) TO STDOUT", sink);
            pages++;
            String[] tail = sink.tail().trim().split("\t");
            long count = Long.parseLong(tail[tail.length - 1]);
            rows += count;
            bytes += sink.bytes;
            if (count < pageRows) {
                break;
            }
            after = tail[tail.length - 2];
        }
        long nanos = System.nanoTime() - t0;
        return result(nanos, rows, bytes, pages, -1, pg0);
    }

    /** The issue's own yardstick: {@code psql -c "COPY (...) TO STDOUT"} with its output to /dev/null. */
    private Map<String, String> psqlWhole() throws Exception {
        Map<Long, Long> pg0 = db.backendCpu();
        long t0 = System.nanoTime();
        Process p = psqlProcess("COPY (SELECT json_agg(" + ROW_OBJECT + " ORDER BY id) FROM " + BenchChild.TABLE
                + " WHERE " + BenchDatabase.NEEDS_PUSHING + ") TO STDOUT").start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("psql failed (exit " + (p.isAlive() ? "-" : p.exitValue()) + "): "
                    + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        long nanos = System.nanoTime() - t0;
        Map<String, String> r = result(nanos, -1, -1, 1, -1, pg0);
        r.put("pgCpuMs", "-1"); // psql's backend has ended: its CPU cannot be read any more
        return r;
    }

    private ProcessBuilder psqlProcess(String command) {
        ProcessBuilder pb = new ProcessBuilder(psql, "-X", "-q", "-h", "127.0.0.1", "-p", Integer.toString(db.port()),
                "-U", "postgres", "-d", "postgres", "-c", command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PGPASSWORD", "postgres");
        return pb;
    }

    private boolean psqlAvailable() {
        try {
            Process p = psqlProcess("SELECT 1").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    // ---- the same values ----

    /**
     * The first page from each, parsed and compared row by row and value by value: the same field
     * names in the same order; numbers equal as decimals, timestamps as instants (PostgreSQL writes
     * the session's offset, {@code +00:00}, the row JSON {@code Z}), everything else equal.
     *
     * @return what was compared, and each side's bytes a row, for the report
     */
    private List<String> verify(String base, Connection c) throws Exception {
        Body body = get(base + "/api/views/" + VIEW + "?limit=" + pageRows, true);
        byte[] viewpush = body.sink.kept();
        String postgres;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT json_agg(" + ROW_OBJECT
                + " ORDER BY id) FROM (SELECT * FROM " + BenchChild.TABLE + " WHERE " + BenchDatabase.NEEDS_PUSHING
                + " ORDER BY id LIMIT " + pageRows + ") AS page")) {
            rs.next();
            postgres = rs.getString(1);
        }
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
        List<?> vp = mapper.readValue(viewpush, List.class);
        List<?> pg = mapper.readValue(postgres, List.class);
        if (vp.size() != pg.size() || vp.size() != Math.min(pageRows, settings.rows())) {
            throw new IllegalStateException("(9): the first pages differ in length: ViewPush " + vp.size() + " rows, "
                    + "PostgreSQL " + pg.size());
        }
        for (int i = 0; i < vp.size(); i++) {
            Map<?, ?> a = (Map<?, ?>) vp.get(i);
            Map<?, ?> b = (Map<?, ?>) pg.get(i);
            if (!new ArrayList<>(a.keySet()).equals(new ArrayList<>(b.keySet()))) {
                throw new IllegalStateException("(9): row " + i + " has other fields: ViewPush " + a.keySet()
                        + ", PostgreSQL " + b.keySet());
            }
            for (Object k : a.keySet()) {
                if (!same(a.get(k), b.get(k))) {
                    throw new IllegalStateException("(9): row " + i + ", field '" + k + "': ViewPush " + a.get(k)
                            + ", PostgreSQL " + b.get(k));
                }
            }
        }
        byte[] pgBytes = postgres.getBytes(StandardCharsets.UTF_8);
        List<String> checks = new ArrayList<>();
        checks.add("the first " + vp.size() + " rows of each parsed and compared value by value: the same");
        checks.add(String.format(java.util.Locale.ROOT, "bytes a row on that page: ViewPush %.1f, PostgreSQL %.1f",
                viewpush.length / (double) vp.size(), pgBytes.length / (double) pg.size()));
        checks.add("first row, ViewPush: `" + firstObject(new String(viewpush, StandardCharsets.UTF_8)) + "`");
        checks.add("first row, PostgreSQL: `" + firstObject(postgres) + "`");
        return checks;
    }

    private static String firstObject(String json) {
        int open = json.indexOf('{');
        int close = json.indexOf('}', open);
        return json.substring(open, close + 1);
    }

    private static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number && b instanceof Number) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        if (a instanceof String && b instanceof String && !a.equals(b)) {
            try {
                return OffsetDateTime.parse((String) a).toInstant().equals(OffsetDateTime.parse((String) b).toInstant());
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return a.equals(b);
    }

    // ---- measuring ----

    private Map<String, String> result(long nanos, long rows, long bytes, long requests, long appCpuMs,
                                       Map<Long, Long> pg0) {
        Map<Long, Long> pg1 = db.backendCpu();
        long pgCpu = 0;
        for (Map.Entry<Long, Long> e : pg1.entrySet()) {
            pgCpu += e.getValue() - pg0.getOrDefault(e.getKey(), 0L);
        }
        Map<String, String> r = new LinkedHashMap<>();
        r.put("wallMs", Double.toString(nanos / 1e6));
        r.put("rows", Long.toString(rows));
        r.put("bytes", Long.toString(bytes));
        r.put("requests", Long.toString(requests));
        r.put("appCpuMs", Long.toString(appCpuMs));
        r.put("pgCpuMs", Long.toString(pgCpu));
        return r;
    }

    /**
     * Counts the bytes written to it and the {@code '{'} among them (one a row: the rows are flat
     * objects whose text holds none), keeps the last 64 bytes (a COPY row's tail) and, when asked to,
     * up to 16 MB of the bytes themselves (for the first page's comparison).
     */
    static final class CountingSink extends OutputStream {
        private static final int KEEP = 16 * 1024 * 1024;
        long bytes;
        long objects;
        private final byte[] tail = new byte[64];
        private java.io.ByteArrayOutputStream kept;

        CountingSink(boolean keep) {
            kept = keep ? new java.io.ByteArrayOutputStream() : null;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
            long n = 0;
            for (int i = off, end = off + len; i < end; i++) {
                if (b[i] == '{') {
                    n++;
                }
            }
            objects += n;
            if (len >= tail.length) {
                System.arraycopy(b, off + len - tail.length, tail, 0, tail.length);
            } else {
                System.arraycopy(tail, len, tail, 0, tail.length - len);
                System.arraycopy(b, off, tail, tail.length - len, len);
            }
            if (kept != null) {
                if (kept.size() + len > KEEP) {
                    kept = null;
                } else {
                    kept.write(b, off, len);
                }
            }
        }

        /** The last (up to) 64 bytes as text. */
        String tail() {
            int n = (int) Math.min(bytes, tail.length);
            return new String(tail, tail.length - n, n, StandardCharsets.UTF_8);
        }

        byte[] kept() {
            if (kept == null) {
                throw new IllegalStateException("not kept, or more than " + KEEP + " bytes");
            }
            return kept.toByteArray();
        }
    }
}
