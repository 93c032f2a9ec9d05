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
     * no later than the start of the read the rows came from (its session's), in the column's own type and precision, such that a
     * row modified after its read always compares as modified after the stamp.
     *
     * @return how many rows were stamped and skipped
     * @throws LeaseLostException when the lease the batch began with is no longer held: nothing is stamped
     * @throws StorageException   when the database fails: nothing is stamped
     */
    StampResult commit();

    /**
     * Ends the batch: no row is added after this. Called once the receiver accepted the batch, on
     * the thread that sent it, before {@link #commit()} (which may run on another thread, while the
     * next batch streams): whatever the commit needs from the rows is settled here. Stamps nothing.
     * {@link #commit()} seals a batch that was not sealed.
     *
     * @throws StorageException when the rows cannot be kept: the batch is then not stamped
     */
    void seal();

    /** Discards the batch without stamping (if not committed); idempotent. */
    @Override
    void close();
}
