package io.viewpush.port;

import io.viewpush.view.Row;

import java.util.Iterator;

/**
 * Rows of a view streamed in key order; holds database resources until closed. Not thread-safe.
 * {@link #hasNext()} and {@link #next()} throw {@link StorageException} when the database fails.
 */
public interface RowCursor extends Iterator<Row>, AutoCloseable {

    /** Releases the cursor's resources; idempotent. */
    @Override
    void close();

    /**
     * @param failure why the rows cannot be read
     * @return a cursor whose reads throw {@code failure}: a read that failed to open, reported where
     *         its rows are read (see {@link ViewLease#tryAcquireAndOpen})
     */
    static RowCursor failing(StorageException failure) {
        java.util.Objects.requireNonNull(failure, "failure");
        return new RowCursor() {
            @Override
            public boolean hasNext() {
                throw failure;
            }

            @Override
            public Row next() {
                throw failure;
            }

            @Override
            public void close() {
            }
        };
    }
}
