package io.viewpush.engine;

import io.viewpush.port.RowCursor;
import io.viewpush.push.HeldBack;
import io.viewpush.push.HeldBackRow;
import io.viewpush.view.Carriable;
import io.viewpush.view.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * A push's rows without those the row JSON cannot carry ({@link Carriable}): each such row is
 * passed over (so it is neither sent nor stamped), counted, and the first
 * {@link HeldBack#MAX_LISTED} are kept by key and field. Looks one row ahead; holds no other row.
 * The engine reads every push through one; whatever shows what a push would send (a preview) uses
 * one too, so that it shows the same rows.
 */
public final class HoldingBack implements RowCursor {
    private final RowCursor rows;
    private final Consumer<HeldBackRow> onHeldBack;
    private final List<HeldBackRow> first = new ArrayList<>();
    private long count;
    private Row next;

    /**
     * @param rows       the view's rows, closed with this
     * @param onHeldBack told of each row held back (the listener), as it is passed over
     */
    public HoldingBack(RowCursor rows, Consumer<HeldBackRow> onHeldBack) {
        this.rows = rows;
        this.onHeldBack = onHeldBack;
    }

    @Override
    public boolean hasNext() {
        while (next == null && rows.hasNext()) {
            Row row = rows.next();
            int bad = Carriable.firstProblem(row);
            if (bad < 0) {
                next = row;
            } else {
                holdBack(row, bad);
            }
        }
        return next != null;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row row = next;
        next = null;
        return row;
    }

    private void holdBack(Row row, int field) {
        String name = row.columns().name(field);
        HeldBackRow held = new HeldBackRow(Carriable.keyText(row), Carriable.printable(name),
                Carriable.problem(row.columns().type(field), row.get(field)).orElseThrow());
        count++;
        if (first.size() < HeldBack.MAX_LISTED) {
            first.add(held);
        }
        onHeldBack.accept(held);
    }

    /** @return the rows held back so far */
    public HeldBack heldBack() {
        return count == 0 ? HeldBack.NONE : new HeldBack(count, first);
    }

    @Override
    public void close() {
        rows.close();
    }
}
