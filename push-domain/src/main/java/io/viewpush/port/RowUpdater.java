package io.viewpush.port;

import io.viewpush.expression.Snapshot;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;

import java.util.Map;
import java.util.Optional;

/** Port: the row update API's write: set writable fields of one row that is in the view. */
public interface RowUpdater {

    /**
     * Updates writable fields of the row with the given key, only if that row is in the view at
     * that moment (its filters hold, evaluated in the same transaction). Values are already
     * type-checked: each has the Java type of its field's type, or is {@code null} for empty.
     *
     * @param view     the view
     * @param key      the row's key, its values of the key fields' types
     * @param values   writable field name to new value
     * @param snapshot what {@code now()} stands for in the filters
     * @return the row as it is after the update (which may have left the view), or empty when no
     *         row with that key is in the view
     * @throws RejectedValueException when a value does not fit its column (too many decimals, too
     *                                long, out of range), naming the field as data; nothing is written
     * @throws StorageException when the database fails
     */
    Optional<Row> update(View view, RowKey key, Map<String, Object> values, Snapshot snapshot);
}
