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
 * @param embedded true when this is the embedded PostgreSQL (no {@code database.url}); its {@code url}
 *                 is then {@link #EMBEDDED_SCHEME} and the directory, until the app has started it
 * @param timeZone the time zone of ViewPush's database sessions, in which timestamps without time
 *                 zone and dates are read, compared with {@code now()} and stamped; default (empty):
 *                 the database's own zone (PostgreSQL: its {@code ALTER DATABASE}/{@code ALTER ROLE
 *                 ... SET timezone}, else the server's {@code timezone} when readable, else UTC; H2:
 *                 the JVM's), never merely the JVM's
 * @param stampAhead on PostgreSQL, whether a push of more rows than one stamping statement holds
 *                   stamps them while they are still read and sent, in a transaction that commits only
 *                   once the request succeeded; default false (see the README's {@code database.stampAhead})
 */
public record DatabaseConfig(String url, Optional<String> user, Optional<String> password, Optional<Path> init,
                             int poolSize, boolean embedded, Optional<ZoneId> timeZone, boolean stampAhead) {
    /** Default {@link #poolSize()}: 10 connections. */
    public static final int DEFAULT_POOL_SIZE = 10;
    /** The directory of the default embedded database, relative to the working directory. */
    public static final String EMBEDDED_DIRECTORY = "viewpush-data";
    /**
     * How the {@link #url()} of the embedded PostgreSQL begins; the directory follows. Not a JDBC URL:
     * the app starts (or joins) the server in that directory and connects to it.
     */
    public static final String EMBEDDED_SCHEME = "embedded-postgresql:";
    /**
     * The default database: a PostgreSQL started from its Maven artifact by the app, its data under
     * {@code ./viewpush-data} (in {@code postgres/}).
     */
    public static final String EMBEDDED_URL = EMBEDDED_SCHEME + "./" + EMBEDDED_DIRECTORY;
    /**
     * The settings for an H2 file database ({@code database.url: jdbc:h2:file:…}), the default before
     * PostgreSQL: {@code WRITE_DELAY=0}: a commit is written to the file before it returns; with H2's
     * default (500 ms) commits live only in memory until a background thread writes them, so a process
     * killed with SIGKILL (or by the OOM killer) loses stamps and receipts that were already
     * acknowledged. {@code DB_CLOSE_ON_EXIT=FALSE}: the pool, not H2's own shutdown hook, closes the
     * file, after the engine has stopped.
     */
    public static final String H2_SETTINGS = ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    /** The user of an H2 file database made by {@link #h2In(Path)}. */
    public static final String H2_USER = "sa";

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

    /** A database section without {@code stampAhead}: a batch is stamped after its request. */
    public DatabaseConfig(String url, Optional<String> user, Optional<String> password, Optional<Path> init,
                          int poolSize, boolean embedded, Optional<ZoneId> timeZone) {
        this(url, user, password, init, poolSize, embedded, timeZone, false);
    }

    /** A database section without {@code timeZone}: the sessions use the database's own zone. */
    public DatabaseConfig(String url, Optional<String> user, Optional<String> password, Optional<Path> init,
                          int poolSize, boolean embedded) {
        this(url, user, password, init, poolSize, embedded, Optional.empty());
    }

    /** @return the default embedded PostgreSQL under {@code ./viewpush-data}, with an optional init file */
    public static DatabaseConfig embedded(Optional<Path> init) {
        return new DatabaseConfig(EMBEDDED_URL, Optional.empty(), Optional.empty(), init, DEFAULT_POOL_SIZE, true);
    }

    /** @return the embedded PostgreSQL with its data in {@code directory} (the demo uses one of its own) */
    public static DatabaseConfig embeddedIn(Path directory) {
        return new DatabaseConfig(EMBEDDED_SCHEME + directory.toAbsolutePath(), Optional.empty(), Optional.empty(),
                Optional.empty(), DEFAULT_POOL_SIZE, true);
    }

    /** @return an H2 file database in {@code directory}, with {@link #H2_SETTINGS} (the option that is not crash-proof) */
    public static DatabaseConfig h2In(Path directory) {
        String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve("viewpush") + H2_SETTINGS;
        return new DatabaseConfig(url, Optional.of(H2_USER), Optional.of(""), Optional.empty(), DEFAULT_POOL_SIZE, false);
    }

    /**
     * @return the directory of the embedded PostgreSQL while it is not started yet (relative paths
     *         resolve against the working directory); empty for any other database
     */
    public Optional<Path> embeddedDirectory() {
        return embedded && url.startsWith(EMBEDDED_SCHEME) ? Optional.of(Path.of(url.substring(EMBEDDED_SCHEME.length())))
                : Optional.empty();
    }

    /** @return true for PostgreSQL: a {@code jdbc:postgresql:} URL or the embedded PostgreSQL */
    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:") || url.startsWith(EMBEDDED_SCHEME);
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user.orElse("-") + ", password=" + (password.isPresent() ? "***" : "-")
                + ", init=" + init.map(Path::toString).orElse("-") + ", poolSize=" + poolSize
                + ", timeZone=" + timeZone.map(ZoneId::getId).orElse("-") + "]";
    }
}
