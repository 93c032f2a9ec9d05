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
}
