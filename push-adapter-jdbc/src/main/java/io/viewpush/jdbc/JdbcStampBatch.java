package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.StampBatch;
import io.viewpush.push.StampResult;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectConditionStep;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A batch of sent rows waiting for the receiver's answer. Rows go, as they stream out, into the
 * scratch table {@code viewpush_stamp_row}, {@code chunk} rows per statement (so memory stays
 * bounded however many rows are sent); {@link #commit()} then stamps them with ONE set-based
 * statement joined with that table ({@code UPDATE ... FROM} on PostgreSQL, {@code MERGE} on H2),
 * in the transaction that locks and checks the lease.
 */
final class JdbcStampBatch implements StampBatch {
    /** Batches at least this large refresh the scratch table's statistics before the stamp. */
    static final long ANALYZE_FROM_ROWS = 50_000;

    private final DSLContext ctx;
    private final Leases leases;
    private final View view;
    private final Mapping mapping;
    private final LeaseToken lease;
    private final long batchId;
    private final Object stampValue;
    private final int chunk;
    private final ValueType keyType;
    private final Optional<String> modifiedField;
    private final ValueType modifiedType;
    private final List<Object> keys = new ArrayList<>();
    private final List<Object> modified = new ArrayList<>();
    private long added;
    private boolean committed;
    private boolean closed;

    JdbcStampBatch(DSLContext ctx, Leases leases, View view, Mapping mapping, LeaseToken lease, long batchId,
                   Object stampValue, int chunk) {
        this.ctx = ctx;
        this.leases = leases;
        this.view = view;
        this.mapping = mapping;
        this.lease = lease;
        this.batchId = batchId;
        this.stampValue = stampValue;
        this.chunk = chunk;
        this.keyType = view.typeOf(view.keyField());
        this.modifiedField = view.push().orElseThrow().modifiedField();
        this.modifiedType = modifiedField.map(view::typeOf).orElse(null);
    }

    /** @return the value the rows get: the database's time at begin, floored to the column's precision, minus one unit */
    Object stampValue() {
        return stampValue;
    }

    @Override
    public void add(Row row) {
        requireOpen();
        if (row.columns() != view.columns() && !row.columns().equals(view.columns())) {
            throw new IllegalArgumentException("the row is not a row of view '" + view.name() + "'");
        }
        keys.add(row.key());
        modifiedField.ifPresent(m -> modified.add(row.get(m)));
        added++;
        if (keys.size() >= chunk) {
            flush();
        }
    }

    /**
     * Writes the buffered keys (and modified values) in ONE statement: each column's values travel
     * as one text array, unnested and cast back to the column's type by the database. Text is the
     * zone-independent, exact form of every value type; two bind values whatever the chunk size.
     */
    private void flush() {
        if (keys.isEmpty()) {
            return;
        }
        Dialect dialect = mapping.dialect();
        List<Field<?>> columns = new ArrayList<>(List.of(Tables.StampRow.BATCH_ID, Tables.StampRow.column('k', keyType)));
        List<Field<?>> values = new ArrayList<>(List.of(DSL.val(batchId),
                castText(dialect, DSL.field(DSL.name("viewpush_u", "k"), SQLDataType.VARCHAR), keyType)));
        Field<String[]> keyTexts = DSL.val(SqlText.of(keys), SQLDataType.VARCHAR.array());
        org.jooq.Table<?> unnest;
        if (modifiedType == null) {
            unnest = DSL.table("unnest({0}) as {1}({2})", keyTexts, DSL.name("viewpush_u"), DSL.name("k"));
        } else {
            columns.add(Tables.StampRow.column('m', modifiedType));
            values.add(castText(dialect, DSL.field(DSL.name("viewpush_u", "m"), SQLDataType.VARCHAR), modifiedType));
            Field<String[]> modifiedTexts = DSL.val(SqlText.of(modified), SQLDataType.VARCHAR.array());
            unnest = DSL.table("unnest({0}, {1}) as {2}({3}, {4})", keyTexts, modifiedTexts, DSL.name("viewpush_u"),
                    DSL.name("k"), DSL.name("m"));
        }
        try {
            ctx.insertInto(Tables.StampRow.TABLE).columns(columns).select(DSL.select(values).from(unnest)).execute();
        } catch (DataAccessException e) {
            throw Errors.storage("recording the rows sent by view '" + view.name() + "'", e);
        }
        keys.clear();
        modified.clear();
    }

    /** {@code cast(text as <the scratch column's type>)}: exact, and never through the JVM's time zone. */
    private static Field<?> castText(Dialect dialect, Field<String> text, ValueType type) {
        return DSL.field("cast({0} as " + SqlText.castType(dialect, type) + ")", SqlTypes.of(type), text);
    }

    @Override
    public StampResult commit() {
        requireOpen();
        flush();
        long stamped;
        try {
            stamped = ctx.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                leases.checkHeld(tx, lease);
                if (mapping.dialect() == Dialect.POSTGRESQL && added >= ANALYZE_FROM_ROWS) {
                    // let the planner see how many rows the batch has: a hash join, not a million index probes
                    tx.execute("analyze {0}", Tables.StampRow.TABLE);
                }
                int n = added == 0 ? 0 : stamp(tx);
                deleteRows(tx);
                return (long) n;
            });
        } catch (DataAccessException e) {
            throw Errors.storage("stamping the rows sent by view '" + view.name() + "'", e);
        }
        committed = true;
        return new StampResult(stamped, added - stamped);
    }

    /** One set-based statement: stamp each recorded row that exists and still has the modified value sent. */
    @SuppressWarnings("unchecked")
    private int stamp(DSLContext tx) {
        String stampField = view.push().orElseThrow().stampField();
        Field<Object> stampColumn = (Field<Object>) mapping.column(stampField, SqlTypes.of(mapping.type(stampField)));
        Field<Object> stamp = DSL.val(stampValue, stampColumn.getDataType());

        Field<?> scratchKey = Tables.StampRow.column('k', keyType);
        List<Field<?>> selected = new ArrayList<>(List.of(scratchKey));
        modifiedField.ifPresent(m -> selected.add(Tables.StampRow.column('m', modifiedType)));
        // H2's MERGE needs each target row matched once; PostgreSQL's UPDATE ... FROM stamps a row once anyway
        SelectConditionStep<Record> rows = (mapping.dialect() == Dialect.H2 ? DSL.selectDistinct(selected)
                : DSL.select(selected)).from(Tables.StampRow.TABLE).where(Tables.StampRow.BATCH_ID.eq(batchId));
        org.jooq.Table<Record> s = rows.asTable(Tables.StampRow.ALIAS);

        Condition match = ((Field<Object>) mapping.value(view.keyField()))
                .eq((Field<Object>) mapping.inColumnType(view.keyField(), Tables.StampRow.aliased('k', keyType)));
        if (modifiedField.isPresent()) {
            String m = modifiedField.get();
            match = match.and(((Field<Object>) mapping.value(m))
                    .isNotDistinctFrom((Field<Object>) mapping.inColumnType(m, Tables.StampRow.aliased('m', modifiedType))));
        }
        if (mapping.dialect() == Dialect.POSTGRESQL) {
            return tx.update(mapping.table()).set(Map.of(stampColumn, stamp)).from(s).where(match).execute();
        }
        return tx.mergeInto(mapping.table()).using(s).on(match).whenMatchedThenUpdate().set(Map.of(stampColumn, stamp))
                .execute();
    }

    private void deleteRows(DSLContext c) {
        c.deleteFrom(Tables.StampRow.TABLE).where(Tables.StampRow.BATCH_ID.eq(batchId)).execute();
        c.deleteFrom(Tables.StampBatch.TABLE).where(Tables.StampBatch.BATCH_ID.eq(batchId)).execute();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the stamp batch of view '" + view.name() + "' is closed");
        }
        if (committed) {
            throw new IllegalStateException("the stamp batch of view '" + view.name() + "' was already committed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        keys.clear();
        modified.clear();
        if (!committed) {
            try {
                deleteRows(ctx);
            } catch (DataAccessException e) {
                throw Errors.storage("discarding the stamp batch of view '" + view.name() + "'", e);
            }
        }
    }
}
