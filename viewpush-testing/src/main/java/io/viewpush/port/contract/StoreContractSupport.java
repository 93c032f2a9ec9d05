package io.viewpush.port.contract;

import io.viewpush.expression.Snapshot;
import io.viewpush.port.Page;
import io.viewpush.port.PushStore;
import io.viewpush.port.RowCursor;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.BeforeEach;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** What the store contract suites share: the table, binding views, reading keys. */
public abstract class StoreContractSupport {
    /** A fixed past time to write as {@code last_modified}. */
    protected static final LocalDateTime T0 = LocalDateTime.of(2024, 3, 1, 12, 0, 0);

    /** @return the database under test; called once per test */
    protected abstract TestTables tables();

    /** The tables of this suite. */
    protected TestTables tables;
    /** The store under test. */
    protected PushStore store;

    @BeforeEach
    public void createContractTable() {
        tables = tables();
        store = tables.store();
        tables.createTable(ContractViews.TABLE, ContractViews.COLUMNS, "id");
    }

    /** @return the view bound with the types the store reports */
    protected View bind(ViewDefinition definition) {
        return definition.bind(store.fieldTypes(definition));
    }

    /** @return a snapshot at the current time, UTC */
    protected Snapshot now() {
        return new Snapshot(Instant.now(), ZoneOffset.UTC);
    }

    /** @return every row of the view now */
    protected List<Row> read(View view) {
        return read(view, Page.ALL);
    }

    /** @return the rows of the view now, of one page */
    protected List<Row> read(View view, Page page) {
        List<Row> out = new ArrayList<>();
        try (RowCursor c = store.open(view, now(), page)) {
            c.forEachRemaining(out::add);
        }
        return out;
    }

    /** @return the keys of the rows, as ints */
    protected static List<Integer> keys(List<Row> rows) {
        List<Integer> out = new ArrayList<>();
        rows.forEach(r -> out.add(((java.math.BigDecimal) r.key()).intValueExact()));
        return out;
    }
}
