package io.viewpush.port;

import io.viewpush.expression.Snapshot;
import io.viewpush.view.View;

/**
 * Port: reads the rows of a view, with its filters and calculations applied exactly as
 * {@link View#includes} and {@link View#computeRow} define them, in key order, streaming (never
 * the whole view in memory).
 */
public interface RowSource {

    /**
     * Opens a cursor over the view's rows as of {@code snapshot} ({@code now()} is its time). A
     * value the database holds that has no form in its field's type (a numeric NaN) is put in its
     * row as an {@link io.viewpush.view.Uncarriable}, so that the read goes on; the engine holds such
     * a row back from pushes.
     *
     * @param view     the view
     * @param snapshot the push's snapshot
     * @param page     which rows ({@link Page#ALL} for a push)
     * @return an open cursor the caller must close
     * @throws StorageException when the database fails
     */
    RowCursor open(View view, Snapshot snapshot, Page page);
}
