package io.viewpush.jdbc;

import io.viewpush.port.RowCursor;
import io.viewpush.port.StorageException;
import io.viewpush.view.Row;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.NoSuchElementException;

/**
 * Streams a view's rows straight from a JDBC result set (the SQL rendered once, see
 * {@link RenderedQueries}, or a page after a key built by jOOQ), each row read by
 * {@link ViewSql#toRow(ResultSet)}. Owns its
 * connection, which runs a read-only transaction with autocommit off: PostgreSQL only honours the
 * fetch size that way.
 */
final class ResultSetRowCursor implements RowCursor {
    private final Connection connection;
    private final Statement statement;
    private final ResultSet rs;
    private final ViewSql sql;
    private final String what;
    private final Runnable onClose;
    private Boolean ahead;
    private boolean closed;

    /** @param onClose run once when the cursor closes */
    ResultSetRowCursor(Connection connection, Statement statement, ResultSet rs, ViewSql sql, String what,
                       Runnable onClose) {
        this.connection = connection;
        this.onClose = onClose;
        this.statement = statement;
        this.rs = rs;
        this.sql = sql;
        this.what = what;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        if (ahead == null) {
            try {
                ahead = rs.next();
            } catch (SQLException e) {
                throw Errors.storage(what, e);
            }
        }
        return ahead;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows");
        }
        ahead = null;
        try {
            return sql.toRow(rs);
        } catch (SQLException e) {
            throw Errors.storage(what, e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.run();
        StorageException failure = null;
        try {
            try {
                rs.close();
            } finally {
                statement.close();
            }
        } catch (SQLException e) {
            failure = Errors.storage("closing the cursor of " + what, e);
        }
        // the connection is closed even when the rollback fails (it used to stay out of the pool then)
        endRead(connection, what, failure);
    }

    /**
     * Ends a streaming read: rolls its transaction back (nothing was written), restores autocommit
     * and always closes (returns) the connection.
     *
     * @param failure what already failed while closing the cursor, thrown in preference
     * @throws StorageException when anything failed
     */
    private static void endRead(Connection connection, String what, StorageException failure) {
        try {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } finally {
                connection.close();
            }
        } catch (SQLException e) {
            if (failure == null) {
                failure = Errors.storage("closing the cursor of " + what, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
