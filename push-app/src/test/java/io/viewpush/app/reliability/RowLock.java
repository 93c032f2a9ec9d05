package io.viewpush.app.reliability;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Holds row locks on a table in an open transaction, so that the engine's stamp of those rows waits:
 * the way to stop a push exactly between the receiver's 2xx and the stamp's commit.
 */
final class RowLock implements AutoCloseable {
    private final Pg.Db db;
    private final Connection c;

    RowLock(Pg.Db db, String table) {
        this.db = db;
        try {
            c = db.connect();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT id FROM " + table + " FOR UPDATE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until one of the engine's statements waits for a lock: its stamp UPDATE is blocked by ours. */
    int awaitBlockedStamp(Duration timeout) {
        Fixture.await(timeout, "the engine's stamp waits for the row lock", () -> blockedPid() > 0);
        return blockedPid();
    }

    private int blockedPid() {
        return db.query("SELECT pid FROM pg_stat_activity WHERE usename = '" + db.name() + "' AND wait_event_type = 'Lock' "
                        // the stamp is a plain UPDATE, or (a batch kept in memory, on PostgreSQL) one statement
                        // whose CTE viewpush_stamped updates the rows after checking the lease
                        + "AND (query ILIKE 'update%' OR query ILIKE '%viewpush_stamped as (update%')").stream().mapToInt(r -> ((Number) r.get("pid")).intValue())
                .findFirst().orElse(-1);
    }

    /** Rolls back; the connection may already be gone (the server restarted). */
    void closeQuietly() {
        try (c) {
            c.rollback();
        } catch (SQLException e) {
            // the server cut it: the lock is gone with it
        }
    }

    @Override
    public void close() {
        try (c) {
            c.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
