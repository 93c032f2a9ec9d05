package io.viewpush.http.api;

import io.viewpush.http.json.RowJsonWriter;
import io.viewpush.port.RowCursor;
import io.viewpush.view.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pull response: the view's rows streamed from the cursor straight into the (chunked) response,
 * one row at a time, through the same {@link RowJsonWriter} as the push payload. Memory does not
 * grow with the view. When the cursor fails half way (the database, or text that cannot be JSON),
 * the failure reaches the server, which resets the connection, so the client sees a broken response
 * rather than a short array that looks whole; the cause is logged. The cursor, and the pull slot it
 * holds, are released however the response ends.
 */
final class RowsEntity {
    private static final Logger LOG = LoggerFactory.getLogger(RowsEntity.class);

    private final View view;
    private final RowCursor cursor;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    RowsEntity(View view, RowCursor cursor, Runnable onClose) {
        this.view = view;
        this.cursor = cursor;
        this.onClose = onClose;
    }

    void writeTo(OutputStream out) throws IOException {
        try {
            long rows = RowJsonWriter.create().writeArray(view, cursor, out);
            LOG.debug("pulled {} rows of view '{}'", rows, view.name());
        } catch (IOException e) {
            LOG.debug("the client of a pull of view '{}' went away: {}", view.name(), e.toString());
            throw e;
        } catch (RuntimeException e) {
            LOG.error("a pull of view '{}' failed after its first rows were sent; the connection was reset",
                    view.name(), e);
            throw new IOException("the pull of view '" + view.name() + "' failed", e);
        } finally {
            close();
        }
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                cursor.close();
            } finally {
                onClose.run();
            }
        }
    }
}
