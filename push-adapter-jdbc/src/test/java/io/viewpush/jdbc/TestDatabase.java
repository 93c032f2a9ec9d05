package io.viewpush.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh, real database for one test class: a new database on the one embedded PostgreSQL server
 * of this JVM, or a new in-memory H2 database.
 */
final class TestDatabase {
    /** The databases the adapter supports. */
    enum Kind { POSTGRESQL, H2 }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private final Kind kind;
    private final DataSource dataSource;
    private final String name;
    /** The database's connections before the pool, or null for a zoned database (its pool sets the zone). */
    private final DataSource plain;

    private TestDatabase(Kind kind, DataSource dataSource, String name) {
        this(kind, dataSource, name, null);
    }

    private TestDatabase(Kind kind, DataSource dataSource, String name, DataSource plain) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.name = name;
        this.plain = plain;
    }

    /**
     * @return a new connection pool on this database whose connections go through {@code wrap}
     *         (a statement counter sees every statement the pool itself sends too); the caller closes it
     */
    HikariDataSource pooledThrough(java.util.function.UnaryOperator<DataSource> wrap) {
        if (plain == null) {
            throw new IllegalStateException("a zoned test database has no plain data source");
        }
        return (HikariDataSource) pooled(wrap.apply(plain), name + "_wrapped_" + COUNTER.incrementAndGet());
    }

    static TestDatabase create(Kind kind) {
        return kind == Kind.POSTGRESQL ? postgres() : h2();
    }

    /**
     * @return a new database whose sessions run in the given time zone, set by each pooled
     *         connection's init SQL (pgjdbc would otherwise start every session in the JVM's zone)
     */
    static TestDatabase create(Kind kind, String sessionZone) {
        String name = "viewpush_test_" + COUNTER.incrementAndGet();
        DataSource plain;
        if (kind == Kind.H2) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
            ds.setUser("sa");
            plain = ds;
        } else {
            TestDatabase pg = postgres();
            name = pg.name;
            plain = server().getDatabase("postgres", name);
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(plain);
        config.setPoolName(name + "_zoned");
        config.setMaximumPoolSize(5);
        config.setMinimumIdle(0);
        config.setConnectionInitSql("SET TIME ZONE '" + sessionZone + "'");
        return new TestDatabase(kind, new HikariDataSource(config), name);
    }

    /** @return a new database on the shared server, UTF-8, with a natural-language (non-C) collation when available */
    static TestDatabase postgres() {
        String name = "viewpush_test_" + COUNTER.incrementAndGet();
        EmbeddedPostgres pg = server();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try {
                // a collation where 'a' < 'B', so tests prove the translation orders text by code point itself
                s.execute("CREATE DATABASE " + name + " ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C' TEMPLATE template0");
            } catch (SQLException noIcu) {
                s.execute("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        DataSource plain = pg.getDatabase("postgres", name);
        return new TestDatabase(Kind.POSTGRESQL, pooled(plain, name), name, plain);
    }

    /** A connection pool, as hosts use: also proves the store leaves pooled connections as it found them. */
    static DataSource pooled(DataSource plain, String name) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(plain);
        config.setPoolName(name);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(0);
        config.setIdleTimeout(10_000);
        return new HikariDataSource(config);
    }

    /** @return a new in-memory H2 database that lives until the JVM ends */
    static TestDatabase h2() {
        String name = "viewpush_test_" + COUNTER.incrementAndGet();
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        ds.setUser("sa");
        return new TestDatabase(Kind.H2, pooled(ds, name), name, ds);
    }

    /** @return a new H2 database in a file under {@code dir} */
    static TestDatabase h2File(Path dir) {
        return h2File(dir, "viewpush_test_" + COUNTER.incrementAndGet());
    }

    /** @return the H2 file database of that name under {@code dir}, opened anew (its own pool) */
    static TestDatabase h2File(Path dir, String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve(name).toAbsolutePath());
        ds.setUser("sa");
        return new TestDatabase(Kind.H2, pooled(ds, name), name);
    }

    /** Closes the connection pool; for an H2 file database that closes the database. */
    void close() {
        if (dataSource instanceof HikariDataSource) {
            ((HikariDataSource) dataSource).close();
        }
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                Path sockets = Files.createTempDirectory("viewpush-pg-sockets");
                server = EmbeddedPostgres.builder()
                        .setServerConfig("unix_socket_directories", sockets.toString())
                        .setServerConfig("max_connections", "300")
                        .start();
                EmbeddedPostgres started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        System.err.println("stopping embedded PostgreSQL failed: " + e);
                    }
                }));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /** @return the port of the shared PostgreSQL server (starting it if needed) */
    static int postgresPort() {
        return server().getPort();
    }

    Kind kind() {
        return kind;
    }

    DataSource dataSource() {
        return dataSource;
    }

    String name() {
        return name;
    }

    /** Runs statements in autocommit mode. */
    void execute(String... statements) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + String.join("; ", statements), e);
        }
    }

    /** @return the single value of a query */
    Object queryValue(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql, e);
        }
    }

    /** @return the single value of a query, read as {@code type} */
    <T> T queryValue(String sql, Class<T> type) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1, type) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql, e);
        }
    }

    /** @return the database session's local time now (what its own now() writes to a timestamp column) */
    java.time.LocalDateTime localNow() {
        return queryValue(kind == Kind.POSTGRESQL ? "SELECT CAST(clock_timestamp() AS TIMESTAMP)" : "SELECT LOCALTIMESTAMP(9)",
                java.time.LocalDateTime.class);
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }
}
