package io.viewpush.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Who holds a lease, and what shows other engines that the holder still lives, so that a crashed
 * holder's views are taken over at once rather than after the lease's time to live. Every lease
 * row carries its holder's host and process id (for people) and a {@code holder_session}:
 * <ul>
 *   <li>PostgreSQL: the key of a session-level advisory lock that the holder's store keeps on a
 *   connection of its own ({@link Session}) from its first lease until it closes. PostgreSQL
 *   releases the lock when that session ends: the process died (SIGKILL, an OOM kill: the kernel
 *   closes its sockets), the store was closed, or the connection was cut. A taker that can take the
 *   lock itself ({@code pg_try_advisory_xact_lock}) knows the holder is gone. A holder that is only
 *   paused (SIGSTOP, a long GC) keeps its session, so its lease still runs out its time to live;
 *   either way the fence grows with the take-over, so the old holder can no longer stamp.</li>
 *   <li>H2: a number drawn once per process. A database opened by one process at a time (an
 *   embedded file or in-memory database, no server, no {@code AUTO_SERVER}) cannot have a live
 *   holder in another process: such a lease was left by a process that ended, and is taken at once.</li>
 * </ul>
 */
final class LeaseHolders {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPushStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** This process's host name, as a lease's holder tells it. */
    static final String HOST = hostName();
    /** This process's id. */
    static final long PID = ProcessHandle.current().pid();
    /** Drawn once per process: an H2 lease's {@code holder_session}. */
    static final long PROCESS = RANDOM.nextLong();

    private LeaseHolders() {
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? (env == null ? "unknown" : env) : name;
        } catch (java.io.IOException | SecurityException e) {
            return env == null || env.isBlank() ? "unknown" : env;
        }
    }

    /** @return the host name cut to what the column holds */
    static String host() {
        return HOST.length() > 255 ? HOST.substring(0, 255) : HOST;
    }

    /**
     * @return whether an H2 URL opens its database in this process only (embedded, without
     *         {@code AUTO_SERVER}), so that no other process can hold a lease in it while it is open
     */
    static boolean singleProcessH2(String url) {
        if (url == null) {
            return false;
        }
        String u = url.toLowerCase(Locale.ROOT).replace(" ", "");
        return u.startsWith("jdbc:h2:") && !u.startsWith("jdbc:h2:tcp:") && !u.startsWith("jdbc:h2:ssl:")
                && !u.contains(";auto_server=true");
    }

    /**
     * PostgreSQL: the connection a store keeps open from its first lease until it closes, holding a
     * session-level advisory lock on a random key, written as {@code holder_session} into every lease
     * the store takes. One per store; thread-safe.
     */
    static final class Session implements AutoCloseable {
        private final DataSource dataSource;
        private Connection connection;
        private long key;
        private boolean closed;

        Session(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * @return the key of the advisory lock this store's session holds, opening the session first
         *         if it is not open yet
         * @throws SQLException when the session cannot be opened
         */
        synchronized long key() throws SQLException {
            if (closed) {
                throw new IllegalStateException("the store is closed");
            }
            if (connection == null) {
                open();
            }
            return key;
        }

        private void open() throws SQLException {
            // a pool may hand out a connection that was cut the same way (it finds out on first use)
            for (int tries = 1; ; tries++) {
                try {
                    openOnce();
                    return;
                } catch (SQLException e) {
                    if (tries >= 3) {
                        throw e;
                    }
                }
            }
        }

        private void openOnce() throws SQLException {
            Connection c = dataSource.getConnection();
            try {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                for (int attempt = 0; ; attempt++) {
                    long candidate = RANDOM.nextLong();
                    try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
                        ps.setLong(1, candidate);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getBoolean(1)) {
                                connection = c;
                                key = candidate;
                                return;
                            }
                        }
                    }
                    if (attempt >= 10) {
                        throw new SQLException("no free advisory lock key for the lease session after " + attempt + " tries");
                    }
                }
            } catch (SQLException | RuntimeException e) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        /**
         * The session whose lock had this key no longer holds it (its connection was cut or
         * terminated): a new one is opened with a new key.
         *
         * @return the new key
         * @throws SQLException when the new session cannot be opened
         */
        synchronized long replace(long lostKey) throws SQLException {
            if (connection != null && key == lostKey) {
                LOG.warn("the connection that shows other engines this one is alive was lost; opening another");
                closeConnection(false);
            }
            return key();
        }

        /** Releases the lock (so the store's leases are free to take at once) and the connection; idempotent. */
        @Override
        public synchronized void close() {
            closed = true;
            closeConnection(true);
        }

        private void closeConnection(boolean unlock) {
            Connection c = connection;
            connection = null;
            if (c == null) {
                return;
            }
            try {
                if (unlock) {
                    // a pool keeps the connection, and with it the lock, unless it is released
                    try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?)")) {
                        ps.setLong(1, key);
                        ps.execute();
                    }
                }
            } catch (SQLException e) {
                // the session is gone, and its lock with it
            } finally {
                try {
                    c.close();
                } catch (SQLException e) {
                    LOG.debug("closing the lease session's connection: {}", e.toString());
                }
            }
        }
    }
}
