package io.viewpush.port;

import io.viewpush.expression.Snapshot;
import io.viewpush.view.View;

/** Port: stamps the rows of delivered batches, never losing an update made after they were read. */
public interface RowStamper {

    /**
     * Begins a batch of rows to stamp on delivery. Called before the batch's rows are taken from
     * the cursor, but after that cursor was opened: the stamp must not be later than the cursor's
     * start, or a change made between the two would be lost for a view without a modified field.
     *
     * @param view     the view, which must have a push policy
     * @param snapshot the push's snapshot
     * @param lease    the lease the push holds; the stamp is refused if it is lost meanwhile
     * @return an empty batch
     * @throws StorageException when the database fails
     */
    StampBatch begin(View view, Snapshot snapshot, LeaseToken lease);
}
