package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.StampBatch;
import io.viewpush.port.StorageException;
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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A batch of sent rows waiting for the receiver's answer. The keys (and modified values) of the
 * rows are kept in memory up to {@code chunk} rows; beyond that, as they stream out, memory stays
 * bounded however many rows are sent:
 * <ul>
 *   <li>on PostgreSQL each full chunk goes to a private temporary file ({@link KeySpill}) as the
 *       two text-array literals its stamping statement binds; {@link #commit()} then stamps chunk
 *       after chunk ({@code UPDATE ... FROM unnest(...)}, {@code chunk} rows per statement, the
 *       chunk kept in memory last) in ONE transaction that first locks and checks the lease. The
 *       database writes nothing but the stamps: no scratch rows to insert, join and delete;</li>
 *   <li>on H2 the rows go to the scratch table {@code viewpush_stamp_row}, {@code chunk} rows per
 *       statement, written in the background while the next rows stream, and {@link #commit()}
 *       stamps them with ONE {@code MERGE} in the transaction that locks and checks the lease.</li>
 * </ul>
 * The file is deleted when the batch is stamped or closed.
 */
final class JdbcStampBatch implements StampBatch {
    private static final CompletableFuture<Void> NOTHING_PENDING = CompletableFuture.completedFuture(null);
    /** The most rows stamped in the one-statement path (PostgreSQL, a batch in memory). */
    static final int ONE_STATEMENT_MAX_ROWS = 1_000;

    private final DSLContext ctx;
    private final Executor writer;
    private final java.nio.file.Path spillDirectory;
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
    /** Whether rows went to the scratch table (and the batch's row to {@code viewpush_stamp_batch}): H2 only. */
    private boolean spilled;
    /** The chunks kept out of memory on PostgreSQL, if the batch outgrew it. */
    private KeySpill fileSpill;
    /** The chunk being written to the scratch table in the background, if any. */
    private CompletableFuture<Void> pendingWrite = NOTHING_PENDING;
    private boolean sealed;
    private boolean committed;
    private boolean closed;

    /**
     * @param writer         runs the scratch table's inserts (H2) while the batch's next rows stream
     * @param spillDirectory where the chunks beyond memory go on PostgreSQL
     */
    JdbcStampBatch(DSLContext ctx, Executor writer, java.nio.file.Path spillDirectory, Leases leases, View view,
                   Mapping mapping, LeaseToken lease, long batchId, Object stampValue, int chunk) {
        this.ctx = ctx;
        this.writer = writer;
        this.spillDirectory = spillDirectory;
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
        if (sealed) {
            throw new IllegalStateException("the stamp batch of view '" + view.name() + "' is sealed: no row is added");
        }
        if (row.columns() != view.columns() && !row.columns().equals(view.columns())) {
            throw new IllegalArgumentException("the row is not a row of view '" + view.name() + "'");
        }
        if (keys.size() >= chunk) {
            flush(); // before, not after: a batch of exactly chunk rows stays in memory
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
        if (mapping.dialect() == Dialect.POSTGRESQL) {
            spillToFile();
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
        keys.clear();
        modified.clear();
        pendingWrite = CompletableFuture.runAsync(() -> write(k, m), writer);
    }

    /** Appends the kept chunk to the spill file (created on the first one) as its stamping statement's literals. */
    private void spillToFile() {
        if (keys.isEmpty()) {
            return;
        }
        try {
            if (fileSpill == null) {
                fileSpill = KeySpill.create(spillDirectory);
            }
            String micros = modifiedMicros();
            fileSpill.append(keys.size(), SqlText.pgArrayLiteral(keys), micros != null ? micros
                    : modifiedField.isPresent() ? SqlText.pgArrayLiteral(modified) : null, micros != null);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw Errors.storage("recording the rows sent by view '" + view.name() + "' in a file in " + spillDirectory, e);
        }
        keys.clear();
        modified.clear();
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

    /** @return text arrays of keys (and modified values) unnested, cast back, named as the scratch table's columns */
    private org.jooq.Table<?> unnested(Field<?> keyTexts, Field<?> modifiedTexts, boolean micros) {
        Dialect dialect = mapping.dialect();
        Field<?> key = Tables.StampRow.column('k', keyType);
        List<Field<?>> values = new ArrayList<>(List.of(
                castText(dialect, DSL.field(DSL.name("viewpush_u", "k"), SQLDataType.VARCHAR), keyType).as(key.getName())));
        org.jooq.Table<?> unnest;
        if (modifiedTexts == null) {
            unnest = DSL.table("unnest({0}) as {1}({2})", keyTexts, DSL.name("viewpush_u"), DSL.name("k"));
        } else {
            Field<?> mod = Tables.StampRow.column('m', modifiedType);
            Field<?> m = micros
                    // exact: a whole number of microseconds below 2^53 is exact in the float8 the product is computed in
                    ? DSL.field("(" + (modifiedType == ValueType.TIMESTAMP_TZ ? "timestamptz" : "timestamp")
                            + " 'epoch' + {0} * interval '1 microsecond')", SqlTypes.of(modifiedType),
                            DSL.field(DSL.name("viewpush_u", "m"), SQLDataType.BIGINT))
                    : castText(dialect, DSL.field(DSL.name("viewpush_u", "m"), SQLDataType.VARCHAR), modifiedType);
            values.add(m.as(mod.getName()));
            unnest = DSL.table("unnest({0}, {1}) as {2}({3}, {4})", keyTexts, modifiedTexts, DSL.name("viewpush_u"),
                    DSL.name("k"), DSL.name("m"));
        }
        return DSL.select(values).from(unnest).asTable(Tables.StampRow.ALIAS);
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

    /** {@code cast(text as <the scratch column's type>)}: exact, and never through the JVM's time zone. */
    private static Field<?> castText(Dialect dialect, Field<String> text, ValueType type) {
        return DSL.field("cast({0} as " + SqlText.castType(dialect, type) + ")", SqlTypes.of(type), text);
    }

    @Override
    public StampResult commit() {
        requireOpen();
        boolean pg = mapping.dialect() == Dialect.POSTGRESQL;
        if (!pg) {
            flush();
            awaitWrite();
        }
        // a small batch in memory: the lease check and the stamp in one statement; a larger one in the
        // transaction below, which plans generically (see stampFromLiterals): in one statement the
        // custom plan sees thousands of keys and scans the whole table instead of probing its key
        boolean fromMemory = pg && fileSpill == null && added <= ONE_STATEMENT_MAX_ROWS;
        long stamped;
        try {
            if (fromMemory && added > 0) {
                stamped = stampFencedInOneStatement();
                committed = true;
                return new StampResult(stamped, added - stamped);
            }
            stamped = ctx.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                if (pg) {
                    // the lease check and the generic plans (see stampFromLiterals) in one round trip
                    leases.checkHeldPlanningGenerically(tx, lease);
                    return stampFromLiterals(tx);
                }
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
        closeSpill();
        return new StampResult(stamped, added - stamped);
    }

    /**
     * PostgreSQL, a batch kept in memory: the lease check and the stamp in ONE statement (one round
     * trip, atomic in autocommit, instead of the lock, the update and the commit). The lease row is
     * locked {@code FOR KEY SHARE} in a materialized CTE, as {@link Leases#checkHeld} locks it; the
     * database's time is read after the lock; the stamping update joins the one row that says the
     * token still holds the lease unexpired, so without it nothing is stamped.
     *
     * @throws LeaseLostException when the lease is no longer held: nothing was stamped
     */
    private long stampFencedInOneStatement() {
        RenderedStamp rendered = RENDERED_STAMPS.get(view);
        if (rendered == null || rendered.mapping() != mapping) {
            rendered = render();
            RENDERED_STAMPS.put(view, rendered);
        }
        RenderedStamp r = rendered;
        // plain JDBC with the statement rendered once per view: jOOQ's building and rendering of it
        // cost more CPU than the database spends running it for a small batch
        long[] counts = ctx.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(r.sql())) {
                for (int i = 0; i < r.params().size(); i++) {
                    bind(c, ps, i + 1, r.params().get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new long[]{rs.getLong(1), rs.getLong(2)};
                }
            }
        });
        if (counts[0] == 0) {
            throw new LeaseLostException(lease);
        }
        return counts[1];
    }

    /** The fenced in-memory stamp of a view, rendered with named parameters ({@link #P_VIEW} ...) in their order. */
    private record RenderedStamp(Mapping mapping, String sql, List<String> params) {
    }

    private static final Map<View, RenderedStamp> RENDERED_STAMPS = Collections.synchronizedMap(new WeakHashMap<>());
    private static final String P_VIEW = "viewpush_view";
    private static final String P_OWNER = "viewpush_owner";
    private static final String P_FENCE = "viewpush_fence";
    private static final String P_STAMP = "viewpush_stamp";
    private static final String P_KEYS = "viewpush_keys";
    private static final String P_MODIFIED = "viewpush_modified";
    private static final Pattern NAMED_PARAM = Pattern.compile(":(viewpush_[a-z]+)|:(\\d+)");

    /**
     * The lease check and the stamp as one statement (see {@link #stampFencedInOneStatement}): the
     * lease row locked {@code FOR KEY SHARE} in a materialized CTE, the database's time read after
     * the lock, the update joined with the row that says the token still holds the lease unexpired.
     */
    @SuppressWarnings("unchecked")
    private RenderedStamp render() {
        String stampField = view.push().orElseThrow().stampField();
        Field<Object> stampColumn = (Field<Object>) mapping.column(stampField, SqlTypes.of(mapping.type(stampField)));
        org.jooq.Table<?> rows = unnested(DSL.param(P_KEYS, SQLDataType.VARCHAR.array()),
                modifiedType == null ? null : DSL.param(P_MODIFIED, SQLDataType.VARCHAR.array()), false);
        org.jooq.Query update = stampStatement(ctx, rows, DSL.param(P_STAMP, stampColumn.getDataType()),
                DSL.table(DSL.name("viewpush_held")));
        org.jooq.ResultQuery<?> query = ctx.resultQuery("with viewpush_locked as materialized ("
                        + "select owner, fence, expires_at from viewpush_lease where view_name = {0} for key share), "
                        + "viewpush_held as materialized (select 1 as held from viewpush_locked"
                        + " where owner = {1} and fence = {2} and expires_at > clock_timestamp()), "
                        + "viewpush_stamped as ({3} returning 1) "
                        + "select (select count(*) from viewpush_held), (select count(*) from viewpush_stamped)",
                DSL.param(P_VIEW, Tables.Lease.VIEW.getDataType()), DSL.param(P_OWNER, Tables.Lease.OWNER.getDataType()),
                DSL.param(P_FENCE, Tables.Lease.FENCE.getDataType()), update);
        return rendered(query);
    }

    /** @return the query rendered once, with the names of its parameters ({@link #P_VIEW} ...) in their order */
    private RenderedStamp rendered(org.jooq.Query query) {
        List<String> params = new ArrayList<>();
        Matcher m = NAMED_PARAM.matcher(ctx.renderNamedParams(query));
        while (m.find()) {
            if (m.group(1) == null) {
                throw new IllegalStateException("the stamp of view '" + view.name() + "' has a bind value of its own: "
                        + ctx.render(query));
            }
            params.add(m.group(1));
        }
        return new RenderedStamp(mapping, ctx.render(query), List.copyOf(params));
    }

    private void bind(Connection c, PreparedStatement ps, int i, String param) throws SQLException {
        switch (param) {
            case P_VIEW:
                ps.setString(i, lease.view());
                break;
            case P_OWNER:
                ps.setString(i, lease.owner());
                break;
            case P_FENCE:
                ps.setLong(i, lease.fence());
                break;
            case P_STAMP:
                ps.setObject(i, stampValue);
                break;
            case P_KEYS:
                ps.setArray(i, c.createArrayOf("varchar", SqlText.of(keys)));
                break;
            case P_MODIFIED:
                ps.setArray(i, c.createArrayOf("varchar", SqlText.of(modified)));
                break;
            default:
                throw new IllegalStateException("unknown parameter " + param);
        }
    }

    /** @return the kept modified values as microseconds since the epoch, when they are date-times that allow it */
    private String modifiedMicros() {
        if (modifiedType != ValueType.TIMESTAMP_TZ && modifiedType != ValueType.TIMESTAMP) {
            return null;
        }
        return SqlText.pgMicrosLiteral(modified);
    }

    /** The in-memory chunk's literals, built by {@link #seal()} (null: not prepared). */
    private String[] preparedLiterals;

    /**
     * Ends the batch; on PostgreSQL, for a batch stamped by the transaction, builds the in-memory
     * chunk's text-array literals here, on the sending thread, so the stamping thread (which the
     * next batch may wait for) only binds them. Nothing is stamped.
     */
    @Override
    public void seal() {
        requireOpen();
        sealed = true;
        if (mapping.dialect() != Dialect.POSTGRESQL || keys.isEmpty()
                || (fileSpill == null && added <= ONE_STATEMENT_MAX_ROWS)) {
            return;
        }
        preparedLiterals = chunkLiterals();
    }

    /** @return the in-memory chunk as {key literal, modified literal or null, "micros" or null} */
    private String[] chunkLiterals() {
        String micros = modifiedMicros();
        return new String[]{SqlText.pgArrayLiteral(keys), micros != null ? micros
                : modifiedField.isPresent() ? SqlText.pgArrayLiteral(modified) : null, micros != null ? "micros" : null};
    }

    /** PostgreSQL: the chunks in the spill file, then the chunk in memory, one statement each. */
    private long stampFromLiterals(DSLContext tx) {
        long[] n = {0};
        if (added == 0) {
            return 0;
        }
        // A custom plan sees the chunk's 10,000 keys and picks a hash join that reads the WHOLE table
        // for every chunk (measured: 170-460 ms a chunk against 60 ms on a 200,000-row table); the
        // generic plan probes the key's index (and still hashes when there is no index to probe).
        // (set for the transaction by the lease check: Leases#checkHeldPlanningGenerically)
        if (fileSpill != null) {
            try {
                fileSpill.forEach(c -> n[0] += stampChunk(tx, c.keys(), c.modified(), c.micros()));
            } catch (java.io.IOException e) {
                throw Errors.storage("reading back the rows sent by view '" + view.name() + "' from " + fileSpill.file(), e);
            }
        }
        if (!keys.isEmpty()) {
            String[] literals = preparedLiterals != null ? preparedLiterals : chunkLiterals();
            n[0] += stampChunk(tx, literals[0], literals[1], literals[2] != null);
        }
        return n[0];
    }

    /**
     * PostgreSQL: stamps one chunk given as text-array literals, with the view's chunk statement
     * rendered once (plain JDBC: building and rendering it with jOOQ for every chunk of every batch
     * cost more of the stamping thread's CPU than binding it).
     */
    private int stampChunk(DSLContext tx, String keyLiteral, String modifiedLiteral, boolean micros) {
        RenderedStamp[] cached = RENDERED_CHUNK_STAMPS.get(view);
        if (cached == null || cached[0].mapping() != mapping) {
            // modified values as text, and as microseconds since the epoch
            cached = new RenderedStamp[]{renderChunkStamp(false), renderChunkStamp(true)};
            RENDERED_CHUNK_STAMPS.put(view, cached);
        }
        RenderedStamp r = cached[micros ? 1 : 0];
        return tx.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(r.sql())) {
                for (int i = 0; i < r.params().size(); i++) {
                    String param = r.params().get(i);
                    switch (param) {
                        case P_STAMP:
                            ps.setObject(i + 1, stampValue);
                            break;
                        case P_KEYS:
                            ps.setString(i + 1, keyLiteral);
                            break;
                        case P_MODIFIED:
                            ps.setString(i + 1, modifiedLiteral);
                            break;
                        default:
                            throw new IllegalStateException("unknown parameter " + param);
                    }
                }
                return ps.executeUpdate();
            }
        });
    }

    private static final Map<View, RenderedStamp[]> RENDERED_CHUNK_STAMPS = Collections.synchronizedMap(new WeakHashMap<>());

    /** The chunk stamp of {@link #stampChunk} with named parameters ({@link #P_STAMP} ...) in their order. */
    @SuppressWarnings("unchecked")
    private RenderedStamp renderChunkStamp(boolean micros) {
        String stampField = view.push().orElseThrow().stampField();
        Field<Object> stampColumn = (Field<Object>) mapping.column(stampField, SqlTypes.of(mapping.type(stampField)));
        Field<?> keyTexts = DSL.field("cast({0} as text[])", SQLDataType.VARCHAR.array(),
                DSL.param(P_KEYS, SQLDataType.VARCHAR));
        Field<?> modifiedTexts = modifiedField.isEmpty() ? null : DSL.field(micros ? "cast({0} as int8[])"
                : "cast({0} as text[])", SQLDataType.VARCHAR.array(), DSL.param(P_MODIFIED, SQLDataType.VARCHAR));
        org.jooq.Query query = stampStatement(ctx, unnested(keyTexts, modifiedTexts, micros),
                DSL.param(P_STAMP, stampColumn.getDataType()), null);
        return rendered(query);
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
    @SuppressWarnings("unchecked")
    private int stamp(DSLContext tx, org.jooq.Table<?> s) {
        String stampField = view.push().orElseThrow().stampField();
        Field<Object> stampColumn = (Field<Object>) mapping.column(stampField, SqlTypes.of(mapping.type(stampField)));
        return stampStatement(tx, s, DSL.val(stampValue, stampColumn.getDataType()), null).execute();
    }

    /**
     * @param sent  the sent rows as the scratch table's columns (null: from the scratch table or,
     *              on PostgreSQL for a batch in memory, the kept values)
     * @param stamp the stamp value
     * @param also  a table joined in as well on PostgreSQL (it must have a row for anything to be stamped), or null
     */
    @SuppressWarnings("unchecked")
    private org.jooq.RowCountQuery stampStatement(DSLContext tx, org.jooq.Table<?> sent, Field<Object> stamp,
                                                  org.jooq.Table<?> also) {
        String stampField = view.push().orElseThrow().stampField();
        Field<Object> stampColumn = (Field<Object>) mapping.column(stampField, SqlTypes.of(mapping.type(stampField)));

        org.jooq.Table<?> s = sent;
        Condition match = ((Field<Object>) mapping.value(view.keyField()))
                .eq((Field<Object>) mapping.inColumnType(view.keyField(), Tables.StampRow.aliased('k', keyType)));
        if (modifiedField.isPresent()) {
            String m = modifiedField.get();
            match = match.and(((Field<Object>) mapping.value(m))
                    .isNotDistinctFrom((Field<Object>) mapping.inColumnType(m, Tables.StampRow.aliased('m', modifiedType))));
        }
        if (mapping.dialect() == Dialect.POSTGRESQL) {
            return tx.update(mapping.table()).set(Map.of(stampColumn, stamp)).from(also == null ? List.of(s) : List.of(s, also))
                    .where(match);
        }
        return tx.mergeInto(mapping.table()).using(s).on(match).whenMatchedThenUpdate().set(Map.of(stampColumn, stamp));
    }

    private void deleteRows(DSLContext c) {
        c.deleteFrom(Tables.StampRow.TABLE).where(Tables.StampRow.BATCH_ID.eq(batchId)).execute();
        c.deleteFrom(Tables.StampBatch.TABLE).where(Tables.StampBatch.BATCH_ID.eq(batchId)).execute();
    }

    /** Deletes the spill file, if any. */
    private void closeSpill() {
        KeySpill f = fileSpill;
        fileSpill = null;
        if (f != null) {
            try {
                f.close();
            } catch (java.io.UncheckedIOException e) {
                System.getLogger(JdbcPushStore.class.getName()).log(System.Logger.Level.WARNING,
                        "view '" + view.name() + "': " + e.getMessage());
            }
        }
    }

    /** @return the spill file while the batch has one (for tests) */
    Optional<java.nio.file.Path> spillFile() {
        return Optional.ofNullable(fileSpill).map(KeySpill::file);
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
        preparedLiterals = null;
        keys.clear();
        modified.clear();
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
