package io.viewpush.jdbc;

import io.viewpush.port.RowCursor;
import io.viewpush.port.StorageException;
import io.viewpush.view.Row;
import org.jooq.Cursor;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Streams a view's rows from an open jOOQ cursor. Owns its connection, which runs a read-only
 * transaction with autocommit off: PostgreSQL only honours the fetch size that way.
 */
final class JdbcRowCursor implements RowCursor {
    private final Connection connection;
    private final Cursor<Record> cursor;
    private final Function<Record, Row> mapper;
    private final String what;
    private final Runnable onClose;
    private boolean closed;

    /** @param onClose run once when the cursor closes */
    JdbcRowCursor(Connection connection, Cursor<Record> cursor, Function<Record, Row> mapper, String what,
                  Runnable onClose) {
        this.connection = connection;
        this.cursor = cursor;
        this.mapper = mapper;
        this.what = what;
        this.onClose = onClose;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        try {
            return cursor.hasNext();
        } catch (DataAccessException e) {
            throw Errors.storage(what, e);
        }
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows");
        }
        try {
            return mapper.apply(cursor.fetchNext());
        } catch (DataAccessException e) {
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
            cursor.close();
        } catch (DataAccessException e) {
            failure = Errors.storage("closing the cursor of " + what, e);
        }
        endRead(connection, what, failure);
    }

    /**
     * Ends a streaming read: rolls its transaction back (nothing was written), restores autocommit
     * and always closes (returns) the connection.
     *
     * @param failure what already failed while closing the cursor, thrown in preference
     * @throws StorageException when anything failed
     */
    static void endRead(Connection connection, String what, StorageException failure) {
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
