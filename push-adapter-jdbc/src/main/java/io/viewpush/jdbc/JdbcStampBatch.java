package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.StampBatch;
import io.viewpush.port.StorageException;
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

import java.math.BigDecimal;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A batch of sent rows waiting for the receiver's answer. The keys (and modified values) of the
 * rows are kept in memory up to {@code chunk} rows; beyond that, as they stream out, they go into
 * the scratch table {@code viewpush_stamp_row} in inserts of {@code chunk} rows (so memory stays
 * bounded however many rows are sent). {@link #commit()} then stamps them with ONE set-based
 * statement, in the same transaction that checks the lease: joined with the scratch table, or, on
 * PostgreSQL when the batch never outgrew memory, with the kept values themselves (unnested
 * arrays), which spares writing and deleting the scratch rows.
 */
final class JdbcStampBatch implements StampBatch {
    /** Rows per VALUES insert where the scratch rows cannot be sent as arrays. */
    private static final int VALUES_ROWS = 1000;

    private static final CompletableFuture<Void> NOTHING_PENDING = CompletableFuture.completedFuture(null);

    private final DSLContext ctx;
    private final Executor writer;
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
    /** Whether rows went to the scratch table (and the batch's row to {@code viewpush_stamp_batch}). */
    private boolean spilled;
    /** The chunk being written to the scratch table in the background, if any. */
    private CompletableFuture<Void> pendingWrite = NOTHING_PENDING;
    private boolean committed;
    private boolean closed;

    /** @param writer runs the scratch table's inserts while the batch's next rows stream */
    JdbcStampBatch(DSLContext ctx, Executor writer, Leases leases, View view, Mapping mapping, LeaseToken lease,
                   long batchId, Object stampValue, int chunk) {
        this.ctx = ctx;
        this.writer = writer;
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
        if (keys.size() >= chunk) {
            flush();
        }
        keys.add(row.key());
        modifiedField.ifPresent(m -> modified.add(row.get(m)));
        added++;
    }

    /**
     * Hands the kept rows to the scratch table: written in the background while the next chunk
     * streams (the database inserts while this thread encodes), at most one chunk in flight, so
     * memory holds at most two chunks. A failed write fails the next add or the commit.
     */
    private void flush() {
        awaitWrite();
        if (keys.isEmpty()) {
            return;
        }
        try {
            if (!spilled) {
                // marks the scratch rows for discarding should this engine die before commit or close
                ctx.insertInto(Tables.StampBatch.TABLE, Tables.StampBatch.BATCH_ID, Tables.StampBatch.VIEW)
                        .values(batchId, view.name())
                        .execute();
                spilled = true;
            }
        } catch (DataAccessException e) {
            throw Errors.storage("recording the rows sent by view '" + view.name() + "'", e);
        }
        List<Object> k = new ArrayList<>(keys);
        List<Object> m = new ArrayList<>(modified);
        keys.clear();
        modified.clear();
        pendingWrite = CompletableFuture.runAsync(() -> write(k, m), writer);
    }

    private void write(List<Object> k, List<Object> m) {
        if (mapping.dialect() == Dialect.POSTGRESQL) {
            insertUnnested(k, m);
        } else {
            for (int from = 0; from < k.size(); from += VALUES_ROWS) {
                insertValues(k, m, from, Math.min(k.size(), from + VALUES_ROWS));
            }
        }
    }

    /** Waits for the chunk being written, if any. */
    private void awaitWrite() {
        CompletableFuture<Void> write = pendingWrite;
        pendingWrite = NOTHING_PENDING;
        try {
            write.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof StorageException) {
                throw (StorageException) cause;
            }
            throw Errors.storage("recording the rows sent by view '" + view.name() + "'", cause);
        }
    }

    /**
     * PostgreSQL: one statement with three bind values whatever the chunk's size (see
     * {@link #kept()}). A VALUES list of {@code chunk} rows costs far more to render, bind and
     * parse than the rows cost to insert.
     */
    private void insertUnnested(List<Object> k, List<Object> m) {
        List<Field<?>> columns = new ArrayList<>(List.of(Tables.StampRow.BATCH_ID, Tables.StampRow.column('k', keyType)));
        if (modifiedType != null) {
            columns.add(Tables.StampRow.column('m', modifiedType));
        }
        org.jooq.Table<?> kept = kept(k, m);
        List<Field<?>> selected = new ArrayList<>(List.of(DSL.val(batchId)));
        selected.addAll(List.of(kept.fields()));
        ctx.insertInto(Tables.StampRow.TABLE, columns).select(DSL.select(selected).from(kept)).execute();
    }

    /**
     * PostgreSQL: the kept keys and modified values as a table with the scratch table's column
     * names: sent as text arrays (two bind values) and cast back to the scratch columns' types in
     * SQL. Exact: every value's text form (as the temporal binding writes it) reads back as the
     * same value.
     */
    private org.jooq.Table<?> kept(List<Object> keyValues, List<Object> modifiedValues) {
        Field<?> k = Tables.StampRow.column('k', keyType);
        List<Field<?>> cast = new ArrayList<>(List.of(DSL.field(DSL.name("t", "k"), String.class).cast(k.getDataType()).as(k.getName())));
        org.jooq.Table<?> arrays;
        if (modifiedType != null) {
            Field<?> m = Tables.StampRow.column('m', modifiedType);
            cast.add(DSL.field(DSL.name("t", "m"), String.class).cast(m.getDataType()).as(m.getName()));
            arrays = DSL.table("unnest({0}, {1})", DSL.val(texts(keyValues)), DSL.val(texts(modifiedValues)))
                    .as("t", "k", "m");
        } else {
            arrays = DSL.table("unnest({0})", DSL.val(texts(keyValues))).as("t", "k");
        }
        return DSL.select(cast).from(arrays).asTable(Tables.StampRow.ALIAS);
    }

    private static String[] texts(List<Object> values) {
        String[] texts = new String[values.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = text(values.get(i));
        }
        return texts;
    }

    /** The value as PostgreSQL reads it back exactly when cast to the column's type; null stays null. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        }
        if (value instanceof Temporal) {
            return TemporalBinding.text((Temporal) value);
        }
        return value.toString(); // text as it is; a boolean as true / false
    }

    /** Other databases: a multi-row VALUES insert of kept rows {@code from} (inclusive) to {@code to}. */
    private void insertValues(List<Object> k, List<Object> m, int from, int to) {
        List<Field<?>> columns = new ArrayList<>(List.of(Tables.StampRow.BATCH_ID, Tables.StampRow.column('k', keyType)));
        if (modifiedType != null) {
            columns.add(Tables.StampRow.column('m', modifiedType));
        }
        InsertValuesStepN<?> insert = ctx.insertInto(Tables.StampRow.TABLE, columns);
        for (int i = from; i < to; i++) {
            List<Field<?>> values = new ArrayList<>(3);
            values.add(DSL.val(batchId));
            values.add(bind(k.get(i), columns.get(1)));
            if (modifiedType != null) {
                values.add(bind(m.get(i), columns.get(2)));
            }
            insert = insert.values(values);
        }
        insert.execute();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Field<?> bind(Object value, Field<?> column) {
        return DSL.val(value, (org.jooq.DataType) column.getDataType());
    }

    @Override
    public StampResult commit() {
        requireOpen();
        if (spilled || mapping.dialect() != Dialect.POSTGRESQL) {
            flush();
            awaitWrite();
        }
        long stamped;
        try {
            stamped = ctx.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                leases.checkHeld(tx, lease);
                int n = added == 0 ? 0 : stamp(tx);
                if (spilled) {
                    deleteRows(tx);
                }
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

        org.jooq.Table<?> s;
        if (spilled) {
            Field<?> scratchKey = Tables.StampRow.column('k', keyType);
            List<Field<?>> selected = new ArrayList<>(List.of(scratchKey));
            modifiedField.ifPresent(m -> selected.add(Tables.StampRow.column('m', modifiedType)));
            // H2's MERGE needs each target row matched once; PostgreSQL's UPDATE ... FROM stamps a row once anyway
            SelectConditionStep<Record> rows = (mapping.dialect() == Dialect.H2 ? DSL.selectDistinct(selected)
                    : DSL.select(selected)).from(Tables.StampRow.TABLE).where(Tables.StampRow.BATCH_ID.eq(batchId));
            s = rows.asTable(Tables.StampRow.ALIAS);
        } else {
            s = kept(keys, modified);
        }

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
        try {
            awaitWrite(); // before the rows are deleted, not after
        } catch (StorageException e) {
            // its rows, if any went in, are deleted below all the same
        }
        if (!committed && spilled) {
            try {
                deleteRows(ctx);
            } catch (DataAccessException e) {
                throw Errors.storage("discarding the stamp batch of view '" + view.name() + "'", e);
            }
        }
    }
}
