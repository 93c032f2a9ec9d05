package io.viewpush.port;

import io.viewpush.push.StampResult;
import io.viewpush.view.Row;

/**
 * The rows of one batch being sent, collected as they stream out, to be stamped if and only if the
 * receiver accepts the batch. May hold more rows than fit in memory (an adapter keeps them where it
 * scales). Not thread-safe; used by one push.
 */
public interface StampBatch extends AutoCloseable {

    /**
     * Records a row that is part of the batch, with the values that were sent.
     *
     * @throws StorageException when the rows cannot be recorded
     */
    void add(Row row);

    /**
     * Stamps the recorded rows: sets the stamp field of each one that still exists and, when the
     * policy has a modified field, still has the modified value that was sent. Rows that changed
     * are skipped, so they stay "needs pushing". The stamp value comes from the store's clock,
     * no later than the start of any read of the view still open (the cursor the rows came from
     * began before the batch did), in the column's own type and precision, such that a
     * row modified after its read always compares as modified after the stamp.
     *
     * @return how many rows were stamped and skipped
     * @throws LeaseLostException when the lease the batch began with is no longer held: nothing is stamped
     * @throws StorageException   when the database fails: nothing is stamped
     */
    StampResult commit();

    /**
     * Called once, after the batch's last row was added and the receiver accepted it, on the
     * thread that sent it, before {@link #commit()} runs (possibly on another thread): an adapter
     * may prepare here what its commit needs (for example the statements' values), so that the
     * stamping, which the next batch may be waiting for, does less. Stamps nothing; adds no row.
     * The default does nothing.
     *
     * @throws StorageException when the rows cannot be prepared: the batch is then not stamped
     */
    default void prepareCommit() {
    }

    /** Discards the batch without stamping (if not committed); idempotent. */
    @Override
    void close();
}
