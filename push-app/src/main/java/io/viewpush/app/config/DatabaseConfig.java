package io.viewpush.app.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code database} section: where the views' tables are, and where ViewPush keeps its own
 * tables (journal, leases; prefixed {@code viewpush_}).
 *
 * @param url      the JDBC URL ({@code jdbc:postgresql:…} or {@code jdbc:h2:…})
 * @param user     the user, if any
 * @param password the password, if any; never printed
 * @param init     a SQL file run once at start-up, before anything else (optional)
 * @param poolSize the most connections the pool opens; default {@link #DEFAULT_POOL_SIZE}
 * @param embedded true when this is the default embedded H2 database (no {@code database} section)
 * @param timeZone the time zone of ViewPush's database sessions, in which timestamps without time
 *                 zone and dates are read, compared with {@code now()} and stamped; default (empty):
 *                 the database's own zone (PostgreSQL: its {@code ALTER DATABASE}/{@code ALTER ROLE
 *                 ... SET timezone}, else the server's {@code timezone} when readable, else UTC; H2:
 *                 the JVM's), never merely the JVM's
 */
public record DatabaseConfig(String url, Optional<String> user, Optional<String> password, Optional<Path> init,
                             int poolSize, boolean embedded, Optional<ZoneId> timeZone) {
    /** Default {@link #poolSize()}: 10 connections. */
    public static final int DEFAULT_POOL_SIZE = 10;
    /** The directory of the default embedded database, relative to the working directory. */
    public static final String EMBEDDED_DIRECTORY = "viewpush-data";
    /**
     * The settings of every embedded database's URL. {@code WRITE_DELAY=0}: a commit is written to the
     * file before it returns; with H2's default (500 ms) commits live only in memory until a background
     * thread writes them, so a process killed with SIGKILL (or by the OOM killer) loses stamps and
     * receipts that were already acknowledged. {@code DB_CLOSE_ON_EXIT=FALSE}: the pool, not H2's own
     * shutdown hook, closes the file, after the engine has stopped.
     */
    public static final String EMBEDDED_SETTINGS = ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    /** The default database: an embedded H2 file database under {@code ./viewpush-data}. */
    public static final String EMBEDDED_URL = "jdbc:h2:file:./" + EMBEDDED_DIRECTORY + "/viewpush" + EMBEDDED_SETTINGS;
    /** The user of the embedded database. */
    public static final String EMBEDDED_USER = "sa";

    public DatabaseConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(timeZone, "timeZone");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1");
        }
    }

    /** A database section without {@code timeZone}: the sessions use the database's own zone. */
    public DatabaseConfig(String url, Optional<String> user, Optional<String> password, Optional<Path> init,
                          int poolSize, boolean embedded) {
        this(url, user, password, init, poolSize, embedded, Optional.empty());
    }

    /** @return the default embedded H2 database under {@code ./viewpush-data}, with an optional init file */
    public static DatabaseConfig embedded(Optional<Path> init) {
        return new DatabaseConfig(EMBEDDED_URL, Optional.of(EMBEDDED_USER), Optional.of(""), init, DEFAULT_POOL_SIZE, true);
    }

    /** @return an embedded H2 file database in {@code directory} (the demo uses one of its own) */
    public static DatabaseConfig embeddedIn(Path directory) {
        String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve("viewpush") + EMBEDDED_SETTINGS;
        return new DatabaseConfig(url, Optional.of(EMBEDDED_USER), Optional.of(""), Optional.empty(), DEFAULT_POOL_SIZE, true);
    }

    /** @return true for a PostgreSQL URL */
    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user.orElse("-") + ", password=" + (password.isPresent() ? "***" : "-")
                + ", init=" + init.map(Path::toString).orElse("-") + ", poolSize=" + poolSize
                + ", timeZone=" + timeZone.map(ZoneId::getId).orElse("-") + "]";
    }
}
