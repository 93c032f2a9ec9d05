package io.viewpush.http.api;

import io.viewpush.http.json.RowJsonWriter;
import io.viewpush.port.RowCursor;
import io.viewpush.view.View;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A pull response: the view's rows streamed from the cursor straight into the (chunked) response,
 * one row at a time, through the same {@link RowJsonWriter} as the push payload. Memory does not
 * grow with the view. When the cursor fails half way (the database, or text that cannot be JSON),
 * the connection is reset, so the client sees a broken response rather than a short array that
 * looks whole; the cause is logged.
 */
final class RowsEntity extends AbstractHttpEntity {
    private static final Logger LOG = LoggerFactory.getLogger(RowsEntity.class);

    private final View view;
    private final RowCursor cursor;

    RowsEntity(View view, RowCursor cursor) {
        super(ContentType.APPLICATION_JSON, null, true);
        this.view = view;
        this.cursor = cursor;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try {
            long rows = RowJsonWriter.create().writeArray(view, cursor, out);
            LOG.debug("pulled {} rows of view '{}'", rows, view.name());
        } catch (IOException e) {
            LOG.debug("the client of a pull of view '{}' went away: {}", view.name(), e.toString());
            Connections.abortCurrent();
            throw e;
        } catch (RuntimeException e) {
            LOG.error("a pull of view '{}' failed after its first rows were sent; the connection was reset",
                    view.name(), e);
            Connections.abortCurrent();
            throw new IOException("the pull of view '" + view.name() + "' failed", e);
        } finally {
            cursor.close();
        }
    }

    @Override
    public InputStream getContent() {
        throw new UnsupportedOperationException("rows are only streamed, with writeTo");
    }

    @Override
    public long getContentLength() {
        return -1;
    }

    @Override
    public boolean isStreaming() {
        return true;
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public void close() {
        cursor.close();
    }
}
