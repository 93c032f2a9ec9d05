package io.viewpush.jdbc;

import io.viewpush.port.RowCursor;
import io.viewpush.port.StorageException;
import io.viewpush.view.Row;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.NoSuchElementException;

/**
 * Streams a view's rows from a JDBC result set, each row read by {@link ViewSql#toRow(ResultSet)}:
 * the one way this adapter streams rows, whether the statement was rendered once
 * ({@link RenderedQueries}) or built by jOOQ for the read (a page after a key, a view using
 * {@code now()}). Owns its connection, which runs a read-only transaction with autocommit off:
 * PostgreSQL only honours the fetch size that way.
 */
final class ResultSetRowCursor implements RowCursor {
    private final Connection connection;
    private final AutoCloseable statement;
    private final ResultSet rs;
    private final ViewSql sql;
    private final String what;
    private Boolean ahead;
    private boolean closed;
    /** The fetch size to grow to when it follows the rows' size; 0: it does not (the statement's stays). */
    private final int maxFetch;
    private int fetch = 1;
    private long widest = 1;

    /**
     * The characters and bytes of the rows one fetch may hold when the fetch size follows the size of
     * the rows (4 M: a 16 MB-wide row is fetched alone, a row of 200 characters a thousand at a time).
     */
    static final long FETCH_BUDGET = 4L * 1024 * 1024;

    /** @param statement what produced {@code rs}, closed after it (a JDBC statement or a jOOQ cursor) */
    ResultSetRowCursor(Connection connection, AutoCloseable statement, ResultSet rs, ViewSql sql, String what) {
        this(connection, statement, rs, sql, what, 0);
    }

    /**
     * @param maxFetch when not 0, the statement fetches one row at first, and each row sets the fetch
     *                 size to as many rows as the widest row so far fits in {@link #FETCH_BUDGET}, at most
     *                 {@code maxFetch}: a view whose values may be megabytes each streams in little room
     */
    ResultSetRowCursor(Connection connection, AutoCloseable statement, ResultSet rs, ViewSql sql, String what,
                       int maxFetch) {
        this.connection = connection;
        this.statement = statement;
        this.rs = rs;
        this.sql = sql;
        this.what = what;
        this.maxFetch = maxFetch;
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
            Row row = sql.toRow(rs);
            if (maxFetch > 0) {
                follow(row);
            }
            return row;
        } catch (SQLException e) {
            throw Errors.storage(what, e);
        }
    }

    /** Sets the next fetches' size from the widest row so far (characters of text, bytes of binary values). */
    private void follow(Row row) throws SQLException {
        long width = 16;
        for (int i = 0; i < row.columns().size(); i++) {
            Object v = row.get(i);
            width += v instanceof String ? ((String) v).length() : v instanceof byte[] ? ((byte[]) v).length : 8;
        }
        if (width > widest) {
            widest = width;
        }
        int next = (int) Math.max(1, Math.min(maxFetch, FETCH_BUDGET / widest));
        if (next != fetch) {
            fetch = next;
            rs.setFetchSize(next);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        StorageException failure = null;
        try {
            try {
                rs.close();
            } finally {
                statement.close();
            }
        } catch (Exception e) {
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
