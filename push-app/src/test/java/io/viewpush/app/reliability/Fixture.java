package io.viewpush.app.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What every scenario shares: one PostgreSQL server for the whole suite (scenario 2 starts its own,
 * to restart it), a directory per scenario for configs and logs, the standard table and view, a
 * config writer, an inserter, waiting, counting and reporting.
 */
final class Fixture {
    private static Pg shared;

    /** The API keys and webhook secret every config carries: they must never appear in a log. */
    static final String ADMIN_KEY = "admin-Key-4f0c2b7e91d3a6c8";
    static final String PARTNER_KEY = "partner-Key-9b8e1d2c3f4a5b6c";
    static final String HOOK_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "hook-Secret-5e6f7a8b9c0d".getBytes(StandardCharsets.UTF_8));
    static final String URL_USER = "pusher";
    static final String URL_PASSWORD = "url-Pass-3d2c1b0a9f8e";

    private Fixture() {
    }

    /** The suite's PostgreSQL server, started on first use, stopped when the test JVM ends. */
    static synchronized Pg sharedPg() {
        if (shared == null) {
            shared = Pg.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.close(), "reliability-pg-stop"));
        }
        return shared;
    }

    /** A fresh directory for one scenario run, under {@code target/reliability}. */
    static Path dir(String name) {
        try {
            Path d = Report.DIR.resolve(name).toAbsolutePath();
            if (Files.exists(d)) {
                try (var walk = Files.walk(d)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The secrets every config carries, with the encodings a leak would take. */
    static Secrets secrets() {
        return new Secrets().add(Pg.PASSWORD, ADMIN_KEY, PARTNER_KEY, HOOK_SECRET, HOOK_SECRET.substring(6),
                URL_PASSWORD, URL_USER + ":" + URL_PASSWORD);
    }

    /** The standard table: a key, a payload and the stamp column; nothing else. */
    static void table(Pg.Db db, String table) {
        db.sql("DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload text NOT NULL, "
                        + "last_pushed timestamptz)",
                "ALTER TABLE " + table + " OWNER TO " + db.name());
    }

    /** Inserts {@code n} rows into the table in one statement. */
    static void insert(Pg.Db db, String table, int n) {
        db.sql("INSERT INTO " + table + " (payload) SELECT 'row ' || g || ' ' || md5(g::text) FROM generate_series(1, "
                + n + ") g");
    }

    /** A config file being written. */
    static final class Config {
        private final StringBuilder views = new StringBuilder();
        private final Pg.Db db;
        private String engine = "{pollInterval: 200ms, leaseTtl: 5s, shutdownTimeout: 10s}";
        private boolean apiKeys = true;

        Config(Pg.Db db) {
            this.db = db;
        }

        Config engine(String inlineYaml) {
            this.engine = inlineYaml;
            return this;
        }

        /**
         * The standard view over the standard table: every row never pushed ({@code {last pushed} is
         * empty}), signed, pushed at most every {@code 0} (as soon as there are rows).
         *
         * @param push extra keys of the push section, inline YAML without braces (e.g. {@code maxRows: 50})
         */
        Config view(String name, String table, String url, String push) {
            views.append("  - name: ").append(name).append('\n')
                    .append("    table: ").append(table).append('\n')
                    .append("    key: id\n")
                    .append("    fields: {id: id, payload: payload, last pushed: last_pushed}\n")
                    .append("    filters: ['{last pushed} is empty']\n")
                    .append("    push: {url: '").append(url).append("', stamp: last pushed, minInterval: 0, secret: '${HOOK_SECRET}'")
                    .append(push.isEmpty() ? "" : ", " + push).append("}\n");
            return this;
        }

        /** Any view, as YAML lines of a list item. */
        Config rawView(String yaml) {
            views.append(yaml);
            return this;
        }

        Config noApiKeys() {
            apiKeys = false;
            return this;
        }

        Path write(Path file) {
            StringBuilder y = new StringBuilder(db.yaml())
                    .append("server: {host: 127.0.0.1, port: 0}\n");
            if (apiKeys) {
                y.append("api:\n  keys:\n")
                        .append("    - {name: ops, key: '${ADMIN_KEY}', views: ['*'], admin: true}\n")
                        .append("    - {name: partner, key: '${PARTNER_KEY}', views: ['*']}\n");
            }
            y.append("engine: ").append(engine).append('\n').append("views:\n").append(views);
            try {
                Files.writeString(file, y.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }
    }

    /** The environment every process gets: the secrets the config refers to. */
    static AppProcess.Options options() {
        AppProcess.Options o = new AppProcess.Options();
        o.env("HOOK_SECRET", HOOK_SECRET).env("ADMIN_KEY", ADMIN_KEY).env("PARTNER_KEY", PARTNER_KEY);
        return o;
    }

    /** Inserts rows into tables at random, in small transactions, on its own thread, until stopped. */
    static final class Inserter implements AutoCloseable {
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong rows = new AtomicLong();
        private volatile Throwable failure;

        /**
         * @param tables      where to insert
         * @param perSecond   about how many rows per second in all
         * @param seed        the random choices
         */
        Inserter(Pg.Db db, List<String> tables, int perSecond, long seed) {
            thread = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                long started = System.nanoTime();
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    while (running.get()) {
                        String table = tables.get(random.nextInt(tables.size()));
                        int n = 1 + random.nextInt(5);
                        try {
                            s.execute("INSERT INTO " + table + " (payload) SELECT 'ins ' || g || ' ' || md5(random()::text) "
                                    + "FROM generate_series(1, " + n + ") g");
                            rows.addAndGet(n);
                        } catch (SQLException e) {
                            if (!running.get()) {
                                break;
                            }
                            throw e;
                        }
                        long due = started + rows.get() * 1_000_000_000L / perSecond;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    failure = e;
                }
            }, "inserter");
            thread.setDaemon(true);
            thread.start();
        }

        long rows() {
            return rows.get();
        }

        /** Stops inserting; rethrows what failed. */
        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw new AssertionError("the inserter failed", failure);
            }
        }
    }

    /** Inserts on reconnecting connections: the server may restart under it (scenario 2). */
    static final class ResilientInserter implements AutoCloseable {
        private final Thread thread;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicBoolean paused = new AtomicBoolean();
        private final AtomicLong failures = new AtomicLong();

        ResilientInserter(Pg.Db db, List<String> tables, int perSecond, long seed) {
            thread = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                long period = Math.max(1, 1000L / perSecond);
                while (running.get()) {
                    try (Connection c = db.connect(); Statement s = c.createStatement()) {
                        while (running.get()) {
                            String table = tables.get(random.nextInt(tables.size()));
                            if (!paused.get()) {
                                s.execute("INSERT INTO " + table + " (payload) VALUES ('ins ' || md5(random()::text))");
                            }
                            Thread.sleep(period);
                        }
                    } catch (SQLException e) {
                        failures.incrementAndGet();
                        sleepQuietly(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "resilient-inserter");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops or resumes inserting. */
        void pause(boolean value) {
            paused.set(value);
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until {@code done}, polling; fails with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier done) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            sleepQuietly(200);
        }
    }

    /** Waits for the latch while the process lives; fails at once when it died. */
    static void await(java.util.concurrent.CountDownLatch latch, AppProcess app, Duration timeout, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        try {
            while (!latch.await(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (!app.isAlive()) {
                    if (latch.getCount() == 0) {
                        return;
                    }
                    throw new AssertionError(app.name() + " ended before " + what + ":\n" + app.err());
                }
                if (System.nanoTime() > end) {
                    throw new AssertionError("timed out after " + timeout + " waiting until " + what + ":\n" + app.err());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** @return how many rows of these tables are not stamped yet */
    static long unstamped(Pg.Db db, List<String> tables) {
        long n = 0;
        for (String t : tables) {
            n += db.count("SELECT count(*) FROM " + t + " WHERE last_pushed IS NULL");
        }
        return n;
    }

    /** The table's keys and which rows are stamped. */
    static Ledger.TableState state(Pg.Db db, String table) {
        List<Long> keys = new ArrayList<>();
        Set<Long> stamped = new HashSet<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT id, last_pushed IS NOT NULL FROM " + table)) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                    if (rs.getBoolean(2)) {
                        stamped.add(rs.getLong(1));
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Ledger.TableState(keys.stream().mapToLong(Long::longValue).toArray(), stamped);
    }
}
