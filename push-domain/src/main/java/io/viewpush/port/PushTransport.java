package io.viewpush.port;

import io.viewpush.push.Delivery;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import java.util.Iterator;

/**
 * Port: sends one batch of rows to the view's receiver, as the view's push policy says (URL,
 * format, signature, timeout, retries), and reports what happened.
 */
public interface PushTransport extends AutoCloseable {

    /**
     * Sends the batch. Consumes {@code rows} exactly once, to the end, in order, before or while the
     * first request is made; a retry re-sends the same bytes with the same idempotency key. Never
     * holds the whole batch in memory.
     *
     * @param view the view, with a push policy
     * @param rows the batch's rows, possibly more than fit in memory
     * @return delivered, or failed with the reason (receiver errors, timeouts and connection errors
     *         are failures, not exceptions)
     * @throws StorageException        when reading {@code rows} fails (propagated as is)
     * @throws io.viewpush.PushException when the rows cannot be encoded (the message names the field)
     */
    Delivery send(View view, Iterator<Row> rows);

    /** Releases connections; idempotent. */
    @Override
    void close();
}
