package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import io.viewpush.push.StampResult;
import io.viewpush.view.View;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL: each full chunk goes to a private temporary file ({@link KeySpill}) as the two
 * text-array literals its stamping statement binds; {@link #commit()} then stamps chunk after chunk
 * ({@code UPDATE ... FROM unnest(...)}, {@code chunk} rows per statement, the chunk kept in memory
 * last) in ONE transaction that first locks and checks the lease and plans generically. The
 * database writes nothing but the stamps: no scratch rows to insert, join and delete. A small batch
 * in memory is stamped with the lease check in one statement. The file is deleted when the batch is
 * stamped or closed.
 */
final class PostgreSqlStampBatch extends JdbcStampBatch {
    /** The most rows stamped in the one-statement path (PostgreSQL, a batch in memory). */
    static final int ONE_STATEMENT_MAX_ROWS = 1_000;

    private final java.nio.file.Path spillDirectory;
    /** The chunks kept out of memory on PostgreSQL, if the batch outgrew it. */
    private KeySpill fileSpill;
    /** Where the chunks are stamped ahead ({@link JdbcPushStore.Builder#stampAhead}); null: they are not. */
    private final java.util.concurrent.Executor aheadExecutor;
    /** The chunks stamped ahead so far, once the batch outgrew memory; null: none (or given up). */
    private Ahead ahead;

    /**
     * @param aheadExecutor where the full chunks are stamped while the batch is still read and sent
     *                      ({@link JdbcPushStore.Builder#stampAhead}); null: they are stamped by {@link #commit()}
     */
    PostgreSqlStampBatch(DSLContext ctx, java.nio.file.Path spillDirectory, Leases leases, View view, Mapping mapping,
                         LeaseToken lease, long batchId, Object stampValue, int chunk,
                         java.util.concurrent.Executor aheadExecutor) {
        super(ctx, leases, view, mapping, lease, batchId, stampValue, chunk);
        this.spillDirectory = spillDirectory;
        this.aheadExecutor = aheadExecutor;
    }

    /** Appends the kept chunk to the spill file (created on the first one) as its stamping statement's literals. */
    @Override
    void flush() {
        if (keys.isEmpty()) {
            return;
        }
        try {
            if (fileSpill == null) {
                fileSpill = KeySpill.create(spillDirectory);
            }
            String micros = modifiedMicros();
            List<String> keyLiterals = keyLiterals();
            String modifiedLiteral = micros != null ? micros
                    : modifiedField.isPresent() ? SqlText.pgArrayLiteral(modified) : null;
            fileSpill.append(keys.size(), keyLiterals, modifiedLiteral, micros != null);
            if (aheadExecutor != null) {
                if (ahead == null) {
                    ahead = new Ahead();
                }
                ahead.submit(keyLiterals, modifiedLiteral, micros != null);
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw Errors.storage("recording the rows sent by view '" + view.name() + "' in a file in " + spillDirectory, e);
        }
        clearKept();
    }

    /** @return the kept chunk's key values as text-array literals, one per key field */
    private List<String> keyLiterals() {
        List<String> literals = new ArrayList<>();
        for (List<Object> column : keptKeyColumns()) {
            literals.add(SqlText.pgArrayLiteral(column));
        }
        return literals;
    }

    @Override
    public StampResult commit() {
        requireOpen();
        if (ahead != null) {
            Optional<Long> stampedAhead = commitAhead();
            if (stampedAhead.isPresent()) {
                committed = true;
                closeSpill();
                return new StampResult(stampedAhead.get(), added - stampedAhead.get());
            }
        }
        // a small batch in memory: the lease check and the stamp in one statement; a larger one in the
        // transaction below, which plans generically (see stampFromLiterals): in one statement the
        // custom plan sees thousands of keys and scans the whole table instead of probing its key
        boolean fromMemory = fileSpill == null && added <= ONE_STATEMENT_MAX_ROWS;
        long stamped;
        try {
            if (fromMemory && added > 0) {
                stamped = stampFencedInOneStatement();
                committed = true;
                return new StampResult(stamped, added - stamped);
            }
            stamped = ctx.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                // the lease check and the generic plans (see stampFromLiterals) in one round trip
                PostgreSqlDialect.checkHeldPlanningGenerically(tx, lease);
                return stampFromLiterals(tx);
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
        RenderedStamp r = mapping.renderedOnce(Rendering.FENCED_STAMP, this::render);
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

    /** A stamp statement of a view, rendered with named parameters ({@link #P_VIEW} ...) in their order. */
    private record RenderedStamp(String sql, List<String> params) {
    }

    /** The stamp statements rendered once per mapping ({@link Mapping#renderedOnce}). */
    private enum Rendering {
        FENCED_STAMP, CHUNK_STAMP, CHUNK_STAMP_MICROS
    }
    private static final String P_VIEW = "viewpush_view";
    private static final String P_OWNER = "viewpush_owner";
    private static final String P_FENCE = "viewpush_fence";
    private static final String P_STAMP = "viewpush_stamp";
    private static final String P_KEYS = "viewpush_keys";
    private static final String P_MODIFIED = "viewpush_modified";
    private static final Pattern NAMED_PARAM = Pattern.compile(":(viewpush_[a-z]+[0-9]*)|:(\\d+)");

    /** @return the parameter of the text array of the key's {@code i}-th field ({@link #P_KEYS} for the first) */
    private static String keysParam(int i) {
        return i == 0 ? P_KEYS : P_KEYS + (i + 1);
    }

    /** @return which key field a parameter of {@link #keysParam} is for, or -1 when it is not one */
    private static int keysIndex(String param) {
        if (param.equals(P_KEYS)) {
            return 0;
        }
        return param.startsWith(P_KEYS) && param.length() > P_KEYS.length()
                ? Integer.parseInt(param.substring(P_KEYS.length())) - 1 : -1;
    }

    /**
     * The lease check and the stamp as one statement (see {@link #stampFencedInOneStatement}): the
     * lease row locked {@code FOR KEY SHARE} in a materialized CTE, the database's time read after
     * the lock, the update joined with the row that says the token still holds the lease unexpired.
     */
    @SuppressWarnings("unchecked")
    private RenderedStamp render() {
        String stampField = view.push().orElseThrow().stampField();
        Field<Object> stampColumn = (Field<Object>) mapping.column(stampField, SqlTypes.of(mapping.type(stampField)));
        List<Field<?>> keyParams = new ArrayList<>();
        for (int i = 0; i < keyTypes.size(); i++) {
            keyParams.add(DSL.param(keysParam(i), SQLDataType.VARCHAR.array()));
        }
        org.jooq.Table<?> rows = unnested(keyParams,
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
        return new RenderedStamp(ctx.render(query), List.copyOf(params));
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
                int k = keysIndex(param);
                if (k < 1) {
                    throw new IllegalStateException("unknown parameter " + param);
                }
                ps.setArray(i, c.createArrayOf("varchar", SqlText.of(moreKeys.get(k - 1))));
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
        if (keys.isEmpty()
                || (fileSpill == null && added <= ONE_STATEMENT_MAX_ROWS)) {
            return;
        }
        preparedLiterals = chunkLiterals();
    }

    /**
     * @return the in-memory chunk as {modified literal or null, "micros" or null, key literal, more
     *         key literals ...}
     */
    private String[] chunkLiterals() {
        String micros = modifiedMicros();
        List<String> out = new ArrayList<>();
        out.add(micros != null ? micros : modifiedField.isPresent() ? SqlText.pgArrayLiteral(modified) : null);
        out.add(micros != null ? "micros" : null);
        out.addAll(keyLiterals());
        return out.toArray(new String[0]);
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
        // (set for the transaction by the lease check: PostgreSqlDialect#checkHeldPlanningGenerically)
        if (fileSpill != null) {
            try {
                fileSpill.forEach(c -> n[0] += stampChunk(tx, c.keys(), c.modified(), c.micros()));
            } catch (java.io.IOException e) {
                throw Errors.storage("reading back the rows sent by view '" + view.name() + "' from " + fileSpill.file(), e);
            }
        }
        n[0] += stampKeptChunk(tx);
        return n[0];
    }

    /** Stamps the chunk still in memory (its literals built by {@link #seal()} when they were), if any. */
    private int stampKeptChunk(DSLContext tx) {
        if (keys.isEmpty()) {
            return 0;
        }
        String[] literals = preparedLiterals != null ? preparedLiterals : chunkLiterals();
        return stampChunk(tx, java.util.Arrays.asList(literals).subList(2, literals.length), literals[0], literals[1] != null);
    }

    /**
     * PostgreSQL: stamps one chunk given as text-array literals, with the view's chunk statement
     * rendered once (plain JDBC: building and rendering it with jOOQ for every chunk of every batch
     * cost more of the stamping thread's CPU than binding it).
     */
    private int stampChunk(DSLContext tx, List<String> keyLiterals, String modifiedLiteral, boolean micros) {
        // modified values as text, or as microseconds since the epoch
        RenderedStamp r = micros ? mapping.renderedOnce(Rendering.CHUNK_STAMP_MICROS, () -> renderChunkStamp(true))
                : mapping.renderedOnce(Rendering.CHUNK_STAMP, () -> renderChunkStamp(false));
        return tx.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(r.sql())) {
                for (int i = 0; i < r.params().size(); i++) {
                    String param = r.params().get(i);
                    switch (param) {
                        case P_STAMP:
                            ps.setObject(i + 1, stampValue);
                            break;
                        case P_MODIFIED:
                            ps.setString(i + 1, modifiedLiteral);
                            break;
                        default:
                            int k = keysIndex(param);
                            if (k < 0) {
                                throw new IllegalStateException("unknown parameter " + param);
                            }
                            ps.setString(i + 1, keyLiterals.get(k));
                    }
                }
                return ps.executeUpdate();
            }
        });
    }

    /** The chunk stamp of {@link #stampChunk} with named parameters ({@link #P_STAMP} ...) in their order. */
    @SuppressWarnings("unchecked")
    private RenderedStamp renderChunkStamp(boolean micros) {
        String stampField = view.push().orElseThrow().stampField();
        Field<Object> stampColumn = (Field<Object>) mapping.column(stampField, SqlTypes.of(mapping.type(stampField)));
        List<Field<?>> keyTexts = new ArrayList<>();
        for (int i = 0; i < keyTypes.size(); i++) {
            keyTexts.add(DSL.field("cast({0} as text[])", SQLDataType.VARCHAR.array(),
                    DSL.param(keysParam(i), SQLDataType.VARCHAR)));
        }
        Field<?> modifiedTexts = modifiedField.isEmpty() ? null : DSL.field(micros ? "cast({0} as int8[])"
                : "cast({0} as text[])", SQLDataType.VARCHAR.array(), DSL.param(P_MODIFIED, SQLDataType.VARCHAR));
        org.jooq.Query query = stampStatement(ctx, unnested(keyTexts, modifiedTexts, micros),
                DSL.param(P_STAMP, stampColumn.getDataType()), null);
        return rendered(query);
    }


    /**
     * @param sent  the sent rows as the scratch table's columns
     * @param stamp the stamp value
     * @param also  a table joined in as well (it must have a row for anything to be stamped), or null
     */
    private org.jooq.RowCountQuery stampStatement(DSLContext tx, org.jooq.Table<?> sent, Field<Object> stamp,
                                                  org.jooq.Table<?> also) {
        return tx.update(mapping.table()).set(Map.of(stampColumn(), stamp))
                .from(also == null ? List.of(sent) : List.of(sent, also)).where(matchesSent());
    }

    /**
     * Ends the stamping ahead: waits for its chunks, checks again that the lease is held unexpired,
     * stamps the chunk still in memory and commits, all in the transaction the chunks were stamped in.
     *
     * @return the rows stamped; empty when stamping ahead failed (it is rolled back: the batch is then
     *         stamped from its spill file as without stamping ahead; stamping a row again that an
     *         uncertain commit did stamp gives it the same value)
     * @throws LeaseLostException when the lease is no longer held: nothing was stamped
     */
    private Optional<Long> commitAhead() {
        Ahead a = ahead;
        ahead = null;
        try {
            long n = a.stamped.join();
            PostgreSqlDialect.checkHeldPlanningGenerically(a.tx, lease);
            n += stampKeptChunk(a.tx);
            a.connection.commit();
            a.end(false);
            return Optional.of(n);
        } catch (LeaseLostException e) {
            a.end(true);
            throw e;
        } catch (RuntimeException | SQLException e) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            org.slf4j.LoggerFactory.getLogger(JdbcPushStore.class).warn(
                    "view '{}': stamping ahead failed ({}); the batch is stamped now instead", view.name(), cause.toString());
            a.end(true);
            return Optional.empty();
        }
    }

    /**
     * The chunks stamped ahead ({@link JdbcPushStore.Builder#stampAhead}): one connection of the
     * store's and one transaction, begun with the lease check (the lease row locked {@code FOR KEY
     * SHARE} until it ends, so no other engine takes the lease over meanwhile), in which each full
     * chunk is stamped as soon as it is spilled, one statement after the other on the store's
     * background threads. Nothing of it is visible to anyone else before {@link #commitAhead()}
     * commits it; {@link #close()} without a commit rolls it back.
     */
    private final class Ahead {
        /** The most chunks waiting for their statement; the reading thread waits beyond that. */
        private static final int BACKLOG = 4;
        private final java.util.concurrent.Semaphore backlog = new java.util.concurrent.Semaphore(BACKLOG);
        /** The rows stamped so far, when the chunks submitted so far are stamped; chained one after the other. */
        private volatile java.util.concurrent.CompletableFuture<Long> stamped =
                java.util.concurrent.CompletableFuture.completedFuture(0L);
        /** Opened by the first chunk's task; used by one task at a time, then by commitAhead after join. */
        private Connection connection;
        private DSLContext tx;

        /** Queues a chunk's statement after the ones before it; waits while {@link #BACKLOG} are queued. */
        void submit(List<String> keyLiterals, String modifiedLiteral, boolean micros) {
            if (stamped.isCompletedExceptionally()) {
                return;
            }
            try {
                backlog.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stamped = stamped.thenCompose(n -> java.util.concurrent.CompletableFuture.failedFuture(e));
                return;
            }
            try {
                stamped = stamped.handleAsync((n, failure) -> {
                    try {
                        if (failure != null) {
                            throw failure instanceof java.util.concurrent.CompletionException c
                                    ? c : new java.util.concurrent.CompletionException(failure);
                        }
                        if (tx == null) {
                            begin();
                        }
                        return n + stampChunk(tx, keyLiterals, modifiedLiteral, micros);
                    } finally {
                        backlog.release();
                    }
                }, aheadExecutor);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                backlog.release();
                stamped = stamped.thenCompose(n -> java.util.concurrent.CompletableFuture.failedFuture(e));
            }
        }

        private void begin() {
            connection = ctx.configuration().connectionProvider().acquire();
            try {
                connection.setAutoCommit(false);
            } catch (SQLException e) {
                throw Errors.storage("beginning to stamp the rows sent by view '" + view.name() + "'", e);
            }
            tx = DSL.using(connection, ctx.dialect(), ctx.settings());
            PostgreSqlDialect.checkHeldPlanningGenerically(tx, lease);
        }

        /**
         * Ends it once its queued statements are done (at once when nothing is queued), rolling back
         * when asked, and gives the connection back; does not wait.
         */
        void end(boolean rollback) {
            stamped.handleAsync((n, failure) -> {
                if (connection != null) {
                    try {
                        if (rollback) {
                            connection.rollback();
                        }
                    } catch (SQLException e) {
                        // the transaction ends with the connection: nothing of it was committed
                    } finally {
                        ctx.configuration().connectionProvider().release(connection);
                        connection = null;
                        tx = null;
                    }
                }
                return null;
            }, Runnable::run);
        }
    }

    /** Deletes the spill file, if any. */
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

    /** @return the spill file while the batch has one (for tests) */
    Optional<java.nio.file.Path> spillFile() {
        return Optional.ofNullable(fileSpill).map(KeySpill::file);
    }


    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ahead != null) {
            ahead.end(true);
            ahead = null;
        }
        preparedLiterals = null;
        clearKept();
        closeSpill();
    }
}
