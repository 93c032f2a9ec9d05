package io.viewpush.http.api;

import io.viewpush.json.RowJsonWriter;
import io.viewpush.port.RowCursor;
import io.viewpush.view.Carriable;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pull response: the view's rows streamed from the cursor straight into the (chunked) response,
 * one row at a time, through the same {@link RowJsonWriter} as the push payload. Memory does not
 * grow with the view. A row holding a value the row JSON cannot carry (text that is not valid
 * Unicode, a number too wide to write plainly) is still written, with that value as {@code null}
 * and a last member {@value RowJsonWriter#UNENCODABLE_MEMBER} naming its fields, so the array is
 * never cut short and a paging client keeps its place; such rows are logged, once per pull, by key.
 * When the cursor fails half way (the database), the connection is reset, so the client sees a
 * broken response rather than a short array that looks whole; the cause is logged. The cursor, and
 * the pull slot it holds, are released however the response ends.
 */
final class RowsEntity {
    private static final Logger LOG = LoggerFactory.getLogger(RowsEntity.class);

    private final View view;
    private final RowCursor cursor;
    private final BufferedPage page;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    RowsEntity(View view, RowCursor cursor, Runnable onClose) {
        this.view = view;
        this.cursor = cursor;
        this.page = null;
        this.onClose = onClose;
    }

    /** A page read already, held in memory ({@link BufferedPage}); its cursor is closed. */
    RowsEntity(View view, BufferedPage page, Runnable onClose) {
        this.view = view;
        this.cursor = null;
        this.page = page;
        this.onClose = onClose;
    }

    void writeTo(OutputStream out) throws IOException {
        try {
            Unencodable unencodable;
            long rows;
            if (page != null) {
                page.writeTo(out);
                unencodable = page.unencodable();
                rows = page.rows();
            } else {
                unencodable = new Unencodable();
                rows = RowJsonWriter.create().writeArrayMarking(view, cursor, out, unencodable);
            }
            LOG.debug("pulled {} rows of view '{}'", rows, view.name());
            if (unencodable.count > 0) {
                LOG.warn("a pull of view '{}' wrote {} row{} with values the row JSON cannot carry as null, marked"
                                + " with \"{}\": {}{}", view.name(), unencodable.count, unencodable.count == 1 ? "" : "s",
                        RowJsonWriter.UNENCODABLE_MEMBER, String.join("; ", unencodable.first),
                        unencodable.count > unencodable.first.size()
                                ? "; and " + (unencodable.count - unencodable.first.size()) + " more" : "");
            }
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

    /** The rows a pull marked: counted, the first few kept by key and fields for the log line. */
    static final class Unencodable implements RowJsonWriter.Marked {
        private static final int LISTED = 10;
        private final List<String> first = new ArrayList<>();
        private long count;

        @Override
        public void marked(Row row, List<String> fields) {
            count++;
            if (first.size() < LISTED) {
                List<String> printable = new ArrayList<>();
                for (String f : fields) {
                    printable.add("'" + Carriable.printable(f) + "'");
                }
                first.add("key " + Carriable.keyText(row) + ", field" + (fields.size() == 1 ? " " : "s ")
                        + String.join(", ", printable));
            }
        }
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                if (cursor != null) {
                    cursor.close();
                }
            } finally {
                onClose.run();
            }
        }
    }
}
