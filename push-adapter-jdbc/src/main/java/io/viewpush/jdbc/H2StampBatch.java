package io.viewpush.jdbc;

import io.viewpush.port.LeaseToken;
import io.viewpush.port.StampBatch;
import io.viewpush.port.StorageException;
import io.viewpush.push.StampResult;
import io.viewpush.view.View;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * H2: beyond {@code chunk} rows, the rows go to the scratch table {@code viewpush_stamp_row},
 * {@code chunk} rows per statement, written in the background while the next rows stream, and
 * {@link #commit()} stamps them with ONE {@code MERGE} in the transaction that locks and checks the
 * lease.
 *
 * <p>A composite key does not fit the scratch table (one key column per type): its chunks go to a
 * private temporary file ({@link KeySpill}) instead, and {@link #commit()} stamps chunk after chunk
 * with a {@code MERGE} from the unnested key arrays, all in the transaction that checks the lease.
 */
final class H2StampBatch extends JdbcStampBatch {
    private static final CompletableFuture<Void> NOTHING_PENDING = CompletableFuture.completedFuture(null);

    private final Executor writer;
    private final java.nio.file.Path spillDirectory;
    /** A composite key's chunks kept out of memory, if the batch outgrew it. */
    private KeySpill fileSpill;
    /** Whether rows went to the scratch table (and the batch's row to {@code viewpush_stamp_batch}): H2 only. */
    private boolean spilled;
    /** The chunk being written to the scratch table in the background, if any. */
    private CompletableFuture<Void> pendingWrite = NOTHING_PENDING;

    /** @param writer runs the scratch table's inserts while the batch's next rows stream */
    H2StampBatch(DSLContext ctx, Executor writer, java.nio.file.Path spillDirectory, Leases leases, View view,
                 Mapping mapping, LeaseToken lease, long batchId, Object stampValue, int chunk) {
        super(ctx, leases, view, mapping, lease, batchId, stampValue, chunk);
        this.writer = writer;
        this.spillDirectory = spillDirectory;
    }

    /** A composite key's kept chunk to the spill file, as one text-array literal per key field. */
    private void flushToFile() {
        if (keys.isEmpty()) {
            return;
        }
        try {
            if (fileSpill == null) {
                fileSpill = KeySpill.create(spillDirectory);
            }
            List<String> literals = new ArrayList<>();
            for (List<Object> column : keptKeyColumns()) {
                literals.add(SqlText.pgArrayLiteral(column));
            }
            fileSpill.append(keys.size(), literals, modifiedField.isPresent() ? SqlText.pgArrayLiteral(modified) : null,
                    false);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw Errors.storage("recording the rows sent by view '" + view.name() + "' in a file in " + spillDirectory, e);
        }
        clearKept();
    }

    /** A composite key: stamps the spilled chunks, then the chunk in memory, one MERGE each. */
    private long stampComposite(DSLContext tx) {
        long[] n = {0};
        if (fileSpill != null) {
            try {
                fileSpill.forEach(c -> {
                    List<String[]> columns = new ArrayList<>();
                    for (String literal : c.keys()) {
                        columns.add(SqlText.parsePgArrayLiteral(literal));
                    }
                    n[0] += stamp(tx, unnestedArrays(columns,
                            c.modified() == null ? null : SqlText.parsePgArrayLiteral(c.modified())));
                });
            } catch (java.io.IOException e) {
                throw Errors.storage("reading back the rows sent by view '" + view.name() + "' from " + fileSpill.file(), e);
            }
        }
        if (!keys.isEmpty()) {
            List<String[]> columns = new ArrayList<>();
            for (List<Object> column : keptKeyColumns()) {
                columns.add(SqlText.of(column));
            }
            n[0] += stamp(tx, unnestedArrays(columns, modifiedField.isPresent() ? SqlText.of(modified) : null));
        }
        return n[0];
    }

    private org.jooq.Table<?> unnestedArrays(List<String[]> keyColumns, String[] modifiedTexts) {
        List<Field<?>> keyTexts = new ArrayList<>();
        for (String[] column : keyColumns) {
            keyTexts.add(DSL.val(column, SQLDataType.VARCHAR.array()));
        }
        return unnested(keyTexts, modifiedTexts == null ? null : DSL.val(modifiedTexts, SQLDataType.VARCHAR.array()),
                false);
    }

    private void closeSpill() {
        KeySpill f = fileSpill;
        fileSpill = null;
        if (f != null) {
            try {
                f.close();
            } catch (java.io.UncheckedIOException e) {
                org.slf4j.LoggerFactory.getLogger(JdbcPushStore.class).warn("view '{}': {}", view.name(), e.getMessage());
            }
        }
    }

    /**
     * Hands the kept rows to the scratch table: written in the background while the next chunk
     * streams (the database inserts while this thread encodes), at most one chunk in flight, so
     * memory holds at most two chunks. A failed write fails the next add or the commit.
     */
    @Override
    void flush() {
        if (composite()) {
            flushToFile();
            return;
        }
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
        clearKept();
        pendingWrite = CompletableFuture.runAsync(() -> write(k, m), writer);
    }

    /**
     * Writes keys (and modified values) in ONE statement: each column's values travel as one text
     * array, unnested and cast back to the column's type by the database. Text is the
     * zone-independent, exact form of every value type; two bind values whatever the chunk size.
     */
    private void write(List<Object> k, List<Object> m) {
        List<Field<?>> columns = new ArrayList<>(List.of(Tables.StampRow.BATCH_ID, Tables.StampRow.column('k', keyType)));
        if (modifiedType != null) {
            columns.add(Tables.StampRow.column('m', modifiedType));
        }
        org.jooq.Table<?> rows = unnested(k, m);
        List<Field<?>> values = new ArrayList<>(List.of(DSL.val(batchId)));
        values.addAll(List.of(rows.fields()));
        try {
            ctx.insertInto(Tables.StampRow.TABLE).columns(columns).select(DSL.select(values).from(rows)).execute();
        } catch (DataAccessException e) {
            throw Errors.storage("recording the rows sent by view '" + view.name() + "'", e);
        }
    }

    /**
     * @return the keys (and modified values) as a table with the scratch table's columns (named
     *         and typed as there), from text arrays unnested and cast back by the database
     */
    private org.jooq.Table<?> unnested(List<Object> k, List<Object> m) {
        return unnested(DSL.val(SqlText.of(k), SQLDataType.VARCHAR.array()),
                modifiedType == null ? null : DSL.val(SqlText.of(m), SQLDataType.VARCHAR.array()), false);
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


    @Override
    public void seal() {
        requireOpen();
        sealed = true;
    }

    @Override
    public StampResult commit() {
        requireOpen();
        if (composite()) {
            long stamped;
            try {
                stamped = ctx.transactionResult(cfg -> {
                    DSLContext tx = cfg.dsl();
                    leases.checkHeld(tx, lease);
                    return added == 0 ? 0L : stampComposite(tx);
                });
            } catch (DataAccessException e) {
                throw Errors.storage("stamping the rows sent by view '" + view.name() + "'", e);
            }
            committed = true;
            closeSpill();
            return new StampResult(stamped, added - stamped);
        }
        flush();
        awaitWrite();
        long stamped;
        try {
            stamped = ctx.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                leases.checkHeld(tx, lease);
                long n = added == 0 ? 0 : stamp(tx, scratchRows());
                if (spilled) {
                    deleteRows(tx);
                }
                return n;
            });
        } catch (DataAccessException e) {
            throw Errors.storage("stamping the rows sent by view '" + view.name() + "'", e);
        }
        committed = true;
        return new StampResult(stamped, added - stamped);
    }

    /** The scratch rows of this batch (H2), each key once: H2's MERGE needs each target row matched once. */
    private org.jooq.Table<?> scratchRows() {
        Field<?> scratchKey = Tables.StampRow.column('k', keyType);
        List<Field<?>> selected = new ArrayList<>(List.of(scratchKey));
        modifiedField.ifPresent(m -> selected.add(Tables.StampRow.column('m', modifiedType)));
        SelectConditionStep<Record> rows = DSL.selectDistinct(selected).from(Tables.StampRow.TABLE)
                .where(Tables.StampRow.BATCH_ID.eq(batchId));
        return rows.asTable(Tables.StampRow.ALIAS);
    }


    /** One set-based statement: stamp each row of {@code s} that exists and still has the modified value sent. */
    private int stamp(DSLContext tx, org.jooq.Table<?> s) {
        return tx.mergeInto(mapping.table()).using(s).on(matchesSent()).whenMatchedThenUpdate()
                .set(Map.of(stampColumn(), DSL.val(stampValue, stampColumn().getDataType()))).execute();
    }

    private void deleteRows(DSLContext c) {
        c.deleteFrom(Tables.StampRow.TABLE).where(Tables.StampRow.BATCH_ID.eq(batchId)).execute();
        c.deleteFrom(Tables.StampBatch.TABLE).where(Tables.StampBatch.BATCH_ID.eq(batchId)).execute();
    }


    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        clearKept();
        closeSpill();
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
