package io.viewpush.port;

import io.viewpush.expression.Snapshot;
import io.viewpush.view.View;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

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

    /**
     * The engine's "anything to send?" check of many due views at once: for each view, whether it
     * has a row as of {@code snapshot}, that is whether {@code open(view, snapshot, Page.first(1))}
     * would find one. A store may answer for many views in one statement (the JDBC store asks once
     * for every view of one table whose filters differ only in their values), which is what lets an
     * engine watch thousands of idle views.
     *
     * <p>A view the store could not check (its SQL failed) is left out of the answer: the caller
     * checks it on its own and so learns why. When it could check none of them (the database is
     * down), it throws, and the caller reports each view's check as failed.
     *
     * <p>The default checks each view in turn through {@link #open}.
     *
     * @param views    the views to check
     * @param snapshot the check's snapshot ({@code now()} is its time)
     * @return by view name, whether the view has a row to send; the views that could be checked
     * @throws StorageException when no view could be checked
     */
    default Map<String, Boolean> hasRows(Collection<View> views, Snapshot snapshot) {
        Map<String, Boolean> found = new HashMap<>();
        RuntimeException first = null;
        for (View view : views) {
            try (RowCursor probe = open(view, snapshot, Page.first(1))) {
                found.put(view.name(), probe.hasNext());
            } catch (RuntimeException e) {
                first = first == null ? e : first; // left out: its own check reports it
            }
        }
        if (found.isEmpty() && first != null) {
            throw first;
        }
        return found;
    }
}
