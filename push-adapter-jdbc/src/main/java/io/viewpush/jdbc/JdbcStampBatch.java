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
import org.jooq.InsertValuesStepN;
import org.jooq.Record;
import org.jooq.SelectConditionStep;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A batch of sent rows waiting for the receiver's answer. Rows go, as they stream out, into the
 * scratch table {@code viewpush_stamp_row} in multi-row inserts of {@code chunk} rows (so memory
 * stays bounded however many rows are sent); {@link #commit()} then stamps them with ONE set-based
 * statement joined with that table, in the same transaction that checks the lease.
 */
final class JdbcStampBatch implements StampBatch {
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
        if (!row.columns().equals(view.columns())) {
            throw new IllegalArgumentException("the row is not a row of view '" + view.name() + "'");
        }
        keys.add(row.key());
        modifiedField.ifPresent(m -> modified.add(row.get(m)));
        added++;
        if (keys.size() >= chunk) {
            flush();
        }
    }

    private void flush() {
        if (keys.isEmpty()) {
            return;
        }
        List<Field<?>> columns = new ArrayList<>(List.of(Tables.StampRow.BATCH_ID, Tables.StampRow.column('k', keyType)));
        if (modifiedType != null) {
            columns.add(Tables.StampRow.column('m', modifiedType));
        }
        try {
            InsertValuesStepN<?> insert = ctx.insertInto(Tables.StampRow.TABLE, columns);
            for (int i = 0; i < keys.size(); i++) {
                List<Field<?>> values = new ArrayList<>(3);
                values.add(DSL.val(batchId));
                values.add(bind(keys.get(i), columns.get(1)));
                if (modifiedType != null) {
                    values.add(bind(modified.get(i), columns.get(2)));
                }
                insert = insert.values(values);
            }
            insert.execute();
        } catch (DataAccessException e) {
            throw Errors.storage("recording the rows sent by view '" + view.name() + "'", e);
        }
        keys.clear();
        modified.clear();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Field<?> bind(Object value, Field<?> column) {
        return DSL.val(value, (org.jooq.DataType) column.getDataType());
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
            return tx.update(mapping.table()).set(java.util.Map.of(stampColumn, stamp)).from(s).where(match).execute();
        }
        return tx.mergeInto(mapping.table()).using(s).on(match).whenMatchedThenUpdate().set(java.util.Map.of(stampColumn, stamp)).execute();
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
