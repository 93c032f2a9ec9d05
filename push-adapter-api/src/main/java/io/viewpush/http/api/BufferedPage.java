package io.viewpush.http.api;

import io.viewpush.json.RowJsonWriter;
import io.viewpush.port.RowCursor;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A pull's page with a limit, read once: the first {@code limit} rows of a read of one row more,
 * written as the JSON array the streamed page would be (the same {@link RowJsonWriter}, byte for
 * byte) into memory, and whether a row follows them (the page's {@code Link} names its last key,
 * which must be known before the first byte is sent). A page whose JSON would pass
 * {@code maxBytes} is not held: {@link #read} gives up, and the caller reads it the other way
 * (find where the page ends, then stream it up to there), so memory stays bounded whatever the
 * limit.
 */
final class BufferedPage {
    private static final int CHUNK = 64 * 1024;

    private final List<byte[]> chunks;
    private final int lastChunkLength;
    private final Optional<RowKey> next;
    private final RowsEntity.Unencodable unencodable;
    private final long rows;

    private BufferedPage(List<byte[]> chunks, int lastChunkLength, Optional<RowKey> next,
                         RowsEntity.Unencodable unencodable, long rows) {
        this.chunks = chunks;
        this.lastChunkLength = lastChunkLength;
        this.next = next;
        this.unencodable = unencodable;
        this.rows = rows;
    }

    /**
     * Reads and writes up to {@code limit} rows of {@code cursor} (a read of {@code limit + 1} rows),
     * then looks whether another follows. Does not close the cursor.
     *
     * @return the page, or empty when its JSON passed {@code maxBytes} (the rows read so far are dropped)
     */
    static Optional<BufferedPage> read(View view, RowCursor cursor, long limit, int maxBytes) {
        Chunks out = new Chunks(maxBytes);
        Limited rows = new Limited(cursor, limit);
        RowsEntity.Unencodable unencodable = new RowsEntity.Unencodable();
        long written;
        try {
            written = RowJsonWriter.create().writeArrayMarking(view, rows, out, unencodable);
        } catch (Chunks.Full full) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("writing into memory failed", e); // memory does not fail with an IOException
        }
        Optional<RowKey> next = written == limit && cursor.hasNext() ? Optional.of(rows.last.rowKey()) : Optional.empty();
        return Optional.of(new BufferedPage(out.chunks, out.length, next, unencodable, written));
    }

    /** @return the key the next page starts after, when a row follows this page */
    Optional<RowKey> next() {
        return next;
    }

    long rows() {
        return rows;
    }

    RowsEntity.Unencodable unencodable() {
        return unencodable;
    }

    void writeTo(OutputStream out) throws IOException {
        for (int i = 0; i < chunks.size(); i++) {
            out.write(chunks.get(i), 0, i == chunks.size() - 1 ? lastChunkLength : CHUNK);
        }
    }

    /** The first {@code limit} rows of a cursor, remembering the last one handed out. */
    private static final class Limited implements Iterator<Row> {
        private final RowCursor cursor;
        private final long limit;
        private long taken;
        private Row last;

        Limited(RowCursor cursor, long limit) {
            this.cursor = cursor;
            this.limit = limit;
        }

        @Override
        public boolean hasNext() {
            return taken < limit && cursor.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            taken++;
            last = cursor.next();
            return last;
        }
    }

    /** Bytes in chunks of {@value #CHUNK} (no copy as they grow), at most a given number of them. */
    private static final class Chunks extends OutputStream {
        /** The page's JSON passed the bound. */
        static final class Full extends IOException {
            Full() {
                super("the page is larger than the memory a page may hold");
            }

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this; // an expected outcome, thrown once per large page: no stack to record
            }
        }

        private final int max;
        private final List<byte[]> chunks = new ArrayList<>();
        private int length = CHUNK;
        private long total;

        Chunks(int max) {
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (total + len > max) {
                throw new Full();
            }
            total += len;
            while (len > 0) {
                if (length == CHUNK) {
                    chunks.add(new byte[CHUNK]);
                    length = 0;
                }
                int n = Math.min(len, CHUNK - length);
                System.arraycopy(b, off, chunks.get(chunks.size() - 1), length, n);
                length += n;
                off += n;
                len -= n;
            }
        }
    }
}
