package io.viewpush.jdbc;

import io.viewpush.port.RowCursor;
import io.viewpush.view.Row;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** The rows of a small page, already read (its connection is back in the pool). */
final class LoadedRowCursor implements RowCursor {
    private final Iterator<Row> rows;
    private boolean closed;

    LoadedRowCursor(List<Row> rows) {
        this.rows = rows.iterator();
    }

    @Override
    public boolean hasNext() {
        return !closed && rows.hasNext();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows");
        }
        return rows.next();
    }

    @Override
    public void close() {
        closed = true;
    }
}
