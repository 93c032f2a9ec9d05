package io.viewpush.port;

import io.viewpush.push.Delivery;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import java.util.Iterator;

/**
 * Port: sends one batch of a view's rows to the view's receiver, and reports what happened. Where
 * the receiver is and how the batch travels (for HTTP: URL, format, signature, timeout, retries)
 * is the transport's own configuration of the view; the view's {@link io.viewpush.push.PushPolicy}
 * says only what every transport shares (which field is stamped, how many rows per batch, …).
 *
 * <p>Every transport passes the transport-neutral contract suite of the {@code viewpush-testing}
 * artifact: a batch is delivered whole or reported failed, the same batch carries the same id, a
 * failure is a value and not an exception, and every row is consumed.
 */
public interface PushTransport extends AutoCloseable {

    /**
     * Checks that this transport can push the view (for HTTP: that it has a target for it, with a
     * usable URL and secrets). The engine calls it for every view with a push policy when it is
     * built, so that a view the transport cannot push is reported then, not at its first push. The
     * default accepts every view.
     *
     * @param view a view with a push policy
     * @throws IllegalArgumentException naming the view and what is missing or wrong
     */
    default void check(View view) {
    }

    /**
     * Sends the batch. Consumes {@code rows} exactly once, to the end, in order; a retry re-sends the
     * same batch with the same idempotency key ({@link Delivery#webhookId()}), and the same rows of
     * the same view always get the same key. Never holds the whole batch in memory unless the
     * receiver itself does.
     *
     * @param view the view, with a push policy
     * @param rows the batch's rows, possibly more than fit in memory
     * @return delivered (the whole batch was taken), or failed with the reason (receiver errors,
     *         timeouts and connection errors are failures, not exceptions)
     * @throws StorageException        when reading {@code rows} fails (propagated as is)
     * @throws io.viewpush.PushException when the rows cannot be encoded (the message names the field)
     */
    Delivery send(View view, Iterator<Row> rows);

    /** Releases connections; idempotent. */
    @Override
    void close();
}
