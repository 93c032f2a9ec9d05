package io.viewpush.jdbc;

import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.LeasedRead;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.RowSource;
import io.viewpush.port.StampBatch;
import io.viewpush.port.StorageException;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import io.viewpush.push.PushPolicy;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.ResultQuery;
import org.jooq.SelectField;
import org.jooq.SelectSeekStep1;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The {@link JdbcPushStore}: wires the schema reader, the SQL translation, stamping, the journal and the leases. */
final class DefaultJdbcPushStore implements JdbcPushStore {
    private static final System.Logger LOG = System.getLogger(JdbcPushStore.class.getName());
    /** Stamp batches older than this were abandoned by a crashed engine; their rows are discarded when pruning. */
    static final Duration ABANDONED_BATCH_AGE = Duration.ofDays(1);

    private final DataSource dataSource;
    private final Dialect dialect;
    private final DSLContext ctx;
    private final Settings settings;
    private final Schema schema;
    private final Leases leases;
    private final Journal journal;
    private final int fetchSize;
    private final int stampBatchSize;
    private final java.nio.file.Path spillDirectory;
    private final Duration journalRetention;
    private final int journalMaxAttemptsPerView;
    private final Duration journalPruneInterval;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> lastPrune = new ConcurrentHashMap<>();
    /**
     * Each view's mapping, read from the database's metadata once (the engine bound the view's
     * types once too) instead of twice per push and once per idle check: the catalog queries cost
     * more than the view's own query. Forgotten when the view's SQL fails, so a table that changed
     * is introspected again and a mismatch is reported by name. Keyed by the definition's identity.
     */
    private final Map<ViewDefinition, Mapping> mappings = Collections.synchronizedMap(new WeakHashMap<>());
    private final RenderedQueries renderedQueries = new RenderedQueries();
    private static final AtomicInteger SCRATCH_THREADS = new AtomicInteger();
    /** Writes large stamp batches' rows to the scratch table while their next rows stream (daemon threads, idle ones end). */
    private static final Executor SCRATCH_WRITER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "viewpush-scratch-" + SCRATCH_THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final ReadStarts readStarts = new ReadStarts();

    DefaultJdbcPushStore(JdbcPushStore.Builder b) {
        this.dataSource = b.dataSource;
        try (Connection c = dataSource.getConnection()) {
            this.dialect = Dialect.of(c);
        } catch (SQLException e) {
            throw Errors.storage("connecting to detect the database", e);
        }
        this.settings = new Settings().withExecuteLogging(false).withRenderFormatted(false);
        this.ctx = DSL.using(dataSource, dialect.jooq(), settings);
        this.schema = new Schema(dialect);
        this.leases = new Leases(dialect);
        this.journal = new Journal(leases);
        this.fetchSize = b.fetchSize;
        this.stampBatchSize = b.stampBatchSize;
        this.spillDirectory = b.spillDirectory;
        this.journalRetention = b.journalRetention;
        this.journalMaxAttemptsPerView = b.journalMaxAttemptsPerView;
        this.journalPruneInterval = b.journalPruneInterval;
        this.clock = b.clock;
    }

    @Override
    public String databaseName() {
        return dialect.label();
    }

    @Override
    public void migrate() {
        try {
            Flyway.configure(JdbcPushStore.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(dialect.migrations())
                    .table(SCHEMA_HISTORY_TABLE)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw Errors.storage("applying ViewPush's migrations", e);
        }
    }

    // ---- ViewSchema ----

    @Override
    public Map<String, ValueType> fieldTypes(ViewDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        try (Connection c = dataSource.getConnection()) {
            return schema.fieldTypes(c, definition);
        } catch (SQLException e) {
            throw Errors.storage("reading the table of view '" + definition.name() + "'", e);
        }
    }

    private Mapping mapping(DSLContext dsl, ViewDefinition definition) {
        Mapping known = mappings.get(definition);
        return known != null ? known : dsl.connectionResult(c -> mapping(c, definition));
    }

    private Mapping mapping(Connection c, ViewDefinition definition) throws SQLException {
        Mapping known = mappings.get(definition);
        if (known != null) {
            return known;
        }
        Mapping mapping = schema.mapping(c, definition);
        mappings.put(definition, mapping);
        return mapping;
    }

    // ---- RowSource ----

    @Override
    public RowCursor open(View view, Snapshot snapshot, Page page) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(page, "page");
        String what = "reading view '" + view.name() + "'";
        Connection c = null;
        try {
            c = dataSource.getConnection();
            Mapping mapping = mapping(c, view.definition());
            DSLContext dsl = DSL.using(c, dialect.jooq(), settings);
            // A page that fits in one fetch (the engine's "anything to send?" probe reads one row) is
            // one statement in autocommit, which also reads its own start (see readFirst). A larger
            // page (a push reads every row) is first read that way too, one fetch and one row more:
            // when that is all of it (a small push), the read is one round trip, with no transaction
            // to begin and roll back; otherwise it is streamed in a transaction, from its first row.
            boolean small = page.limit() > 0 && page.limit() <= fetchSize;
            long firstFetch = small ? page.limit() : fetchSize + 1L;
            ViewSql sql;
            Optional<RenderedQueries.Rendered> first = page.after().isEmpty()
                    ? renderedQueries.get(view, mapping, snapshot, firstFetch, true, dsl) : Optional.empty();
            LoadedPage loaded;
            if (first.isPresent()) {
                sql = first.get().sql();
                loaded = readFirst(c, first.get());
            } else {
                sql = new ViewSql(view, mapping, snapshot);
                List<SelectField<?>> fields = new ArrayList<>(sql.select());
                fields.addAll(ViewSql.STATEMENT_START);
                // read as the rendered path reads, through ViewSql.toRow(ResultSet): it keeps a value
                // no field type has (a numeric NaN) to its row rather than failing the whole page
                try (ResultSet rs = dsl.select(fields).from(mapping.table()).where(where(sql, page))
                        .orderBy(sql.keyOrder()).limit(firstFetch).fetchResultSet()) {
                    loaded = readFirst(rs, sql);
                }
            }
            if (small || loaded.rows().size() <= fetchSize) {
                c.close();
                return loaded(view, loaded.rows(), loaded.start());
            }
            Optional<RenderedQueries.Rendered> rendered = page.after().isEmpty()
                    ? renderedQueries.get(view, mapping, snapshot, page.limit(), false, dsl) : Optional.empty();
            SelectSeekStep1<Record, ?> select = null;
            if (rendered.isPresent()) {
                sql = rendered.get().sql();
            } else {
                select = dsl.select(sql.select()).from(mapping.table()).where(where(sql, page)).orderBy(sql.keyOrder());
            }
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            Record2<OffsetDateTime, LocalDateTime> started = dsl.select(dialect.now(), dialect.localNow()).fetchSingle();
            ReadStarts.Start start = new ReadStarts.Start(started.value1(), started.value2());
            if (rendered.isPresent()) {
                PreparedStatement ps = rendered.get().prepare(c);
                ps.setFetchSize(fetchSize);
                ResultSet rs = ps.executeQuery();
                return new ResultSetRowCursor(c, ps, rs, sql, what, readStarts.opened(view.name(), start));
            }
            ResultQuery<Record> query = page.limit() > 0 ? select.limit(page.limit()) : select;
            // read by ViewSql.toRow(ResultSet) like every other read, not by jOOQ's record mapping:
            // it keeps a value no field type has (a numeric NaN) to its row instead of failing the read
            ResultSet rs = query.fetchSize(fetchSize).fetchResultSet();
            return new ResultSetRowCursor(c, rs.getStatement(), rs, sql, what, readStarts.opened(view.name(), start));
        } catch (SQLException | DataAccessException e) {
            mappings.remove(view.definition());
            closeQuietly(c, e);
            throw Errors.storage(what, e);
        } catch (RuntimeException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    private static Condition where(ViewSql sql, Page page) {
        Condition where = sql.filters();
        return page.after().isPresent() ? where.and(sql.keyAfter(page.after().get())) : where;
    }

    /** Rows read at once, and the start of the statement that read them (null when there were none). */
    private record LoadedPage(List<Row> rows, ReadStarts.Start start) {
    }

    /**
     * Reads a page at once in autocommit, with its statement's start ({@link ViewSql#STATEMENT_START}:
     * no later than its snapshot), which counts as a read start (see {@link ReadStarts}) until the
     * caller closes the cursor, as a cursor still open would.
     */
    private static LoadedPage readFirst(Connection c, RenderedQueries.Rendered r) throws SQLException {
        try (PreparedStatement ps = r.prepare(c); ResultSet rs = ps.executeQuery()) {
            return readFirst(rs, r.sql());
        }
    }

    private static LoadedPage readFirst(ResultSet rs, ViewSql sql) throws SQLException {
        List<Row> rows = new ArrayList<>();
        ReadStarts.Start start = null;
        int n = sql.select().size();
        while (rs.next()) {
            rows.add(sql.toRow(rs));
            if (start == null) {
                start = new ReadStarts.Start(rs.getObject(n + 1, OffsetDateTime.class),
                        rs.getObject(n + 2, LocalDateTime.class));
            }
        }
        return new LoadedPage(rows, start);
    }

    private RowCursor loaded(View view, List<Row> rows, ReadStarts.Start start) {
        return new LoadedRowCursor(rows, start == null ? () -> { } : readStarts.opened(view.name(), start));
    }

    private static void closeQuietly(Connection c, Throwable failure) {
        if (c == null) {
            return;
        }
        try {
            try {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            } finally {
                c.close();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    // ---- RowStamper ----

    @Override
    public StampBatch begin(View view, Snapshot snapshot, LeaseToken lease) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(lease, "lease");
        PushPolicy policy = view.push().orElseThrow(() ->
                new IllegalArgumentException("view '" + view.name() + "' has no push policy, so nothing is stamped"));
        if (!lease.view().equals(view.name())) {
            throw new IllegalArgumentException("the lease is for view '" + lease.view() + "', not '" + view.name() + "'");
        }
        try {
            Mapping mapping = mapping(ctx, view.definition());
            String stampField = policy.stampField();
            Schema.Column column = mapping.column(stampField);
            int digits = column.decimalDigits() == null ? dialect.maxFractionDigits()
                    : Math.min(Math.max(column.decimalDigits(), 0), dialect.maxFractionDigits());
            // rows of this batch come from a read still open (the engine begins a batch after it opened
            // its cursor): its start, taken by the database's clock before now, is the stamp's base,
            // with no round trip for the database's time; without an open read, the time now
            Optional<ReadStarts.Start> reading = readStarts.earliest(view.name());
            ReadStarts.Start base;
            if (reading.isPresent()) {
                base = reading.get();
            } else {
                Record2<OffsetDateTime, LocalDateTime> now = ctx.select(dialect.now(), dialect.localNow()).fetchSingle();
                base = new ReadStarts.Start(now.value1(), now.value2());
            }
            Object stamp = mapping.type(stampField) == ValueType.TIMESTAMP
                    ? Stamps.floorMinusOneUnit(base.local(), digits)
                    : Stamps.floorMinusOneUnit(base.instant().withOffsetSameInstant(ZoneOffset.UTC), digits);
            long batchId = random.nextLong() & Long.MAX_VALUE;
            return new JdbcStampBatch(ctx, SCRATCH_WRITER, spillDirectory, leases, view, mapping, lease, batchId, stamp, stampBatchSize);
        } catch (DataAccessException e) {
            mappings.remove(view.definition());
            throw Errors.storage("beginning a stamp batch of view '" + view.name() + "'", e);
        }
    }

    // ---- RowUpdater ----

    @Override
    public Optional<Row> update(View view, Object key, Map<String, Object> values, Snapshot snapshot) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(snapshot, "snapshot");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!view.writable().contains(e.getKey())) {
                throw new IllegalArgumentException("field '" + e.getKey() + "' of view '" + view.name()
                        + "' is not writable (writable: " + view.writable() + ")");
            }
        }
        try {
            return ctx.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                Mapping mapping = mapping(tx, view.definition());
                ViewSql sql = new ViewSql(view, mapping, snapshot);
                Condition inView = sql.keyEquals(key).and(sql.filters());
                if (values.isEmpty()) {
                    if (!tx.fetchExists(DSL.selectOne().from(mapping.table()).where(inView))) {
                        return Optional.<Row>empty();
                    }
                } else {
                    Map<Field<?>, Field<?>> set = new LinkedHashMap<>();
                    for (Map.Entry<String, Object> e : values.entrySet()) {
                        set.put(mapping.column(e.getKey(), SqlTypes.of(mapping.type(e.getKey()))),
                                Writes.value(view, mapping, e.getKey(), e.getValue()));
                    }
                    if (tx.update(mapping.table()).set(set).where(inView).execute() == 0) {
                        return Optional.<Row>empty();
                    }
                }
                try (ResultSet rs = tx.select(sql.select()).from(mapping.table()).where(sql.keyEquals(key))
                        .orderBy(sql.keyOrder()).limit(1).fetchResultSet()) {
                    return rs.next() ? Optional.of(sql.toRow(rs)) : Optional.<Row>empty();
                }
            });
        } catch (DataAccessException e) {
            if (e.sqlStateClass() == org.jooq.exception.SQLStateClass.C22_DATA_EXCEPTION) {
                // the database refused a value for its column (out of range, too long): the caller's
                // mistake, not the database failing
                throw new IllegalArgumentException("a value of " + values.keySet().stream().map(f -> "'" + f + "'")
                        .collect(java.util.stream.Collectors.joining(", ")) + " does not fit its column in view '"
                        + view.name() + "': " + Errors.reason(e));
            }
            mappings.remove(view.definition());
            throw Errors.storage("updating a row of view '" + view.name() + "'", e);
        }
    }

    // ---- PushJournal ----

    @Override
    public void record(PushAttempt attempt, LeaseToken lease) {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(lease, "lease");
        if (!lease.view().equals(attempt.view())) {
            throw new IllegalArgumentException("the lease is for view '" + lease.view() + "', the attempt for view '"
                    + attempt.view() + "'");
        }
        try {
            ctx.transaction(cfg -> journal.record(cfg.dsl(), attempt, lease));
        } catch (DataAccessException e) {
            throw Errors.storage("recording a push attempt of view '" + attempt.view() + "'", e);
        }
        maybePrune(attempt.view());
    }

    /** On PostgreSQL one statement (see {@link Journal#recordAndRelease}); elsewhere {@link #record} only. */
    @Override
    public boolean recordAndRelease(PushAttempt attempt, LeaseToken lease) {
        if (dialect != Dialect.POSTGRESQL) {
            record(attempt, lease);
            return false;
        }
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(lease, "lease");
        if (!lease.view().equals(attempt.view())) {
            throw new IllegalArgumentException("the lease is for view '" + lease.view() + "', the attempt for view '"
                    + attempt.view() + "'");
        }
        boolean held;
        try {
            held = journal.recordAndRelease(ctx, attempt, lease);
        } catch (DataAccessException e) {
            throw Errors.storage("recording a push attempt of view '" + attempt.view() + "'", e);
        }
        if (!held) {
            throw new LeaseLostException(lease);
        }
        maybePrune(attempt.view());
        return true;
    }

    @Override
    public PushHistory history(String view) {
        Objects.requireNonNull(view, "view");
        try {
            return journal.history(ctx, view);
        } catch (DataAccessException e) {
            throw Errors.storage("reading the push history of view '" + view + "'", e);
        }
    }

    @Override
    public List<PushAttempt> recent(String view, int limit) {
        Objects.requireNonNull(view, "view");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 or more, not " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        try {
            return journal.recent(ctx, view, limit);
        } catch (DataAccessException e) {
            throw Errors.storage("reading the push attempts of view '" + view + "'", e);
        }
    }

    private void maybePrune(String view) {
        Instant now = clock.instant();
        Instant last = lastPrune.get(view);
        if (last != null && now.isBefore(last.plus(journalPruneInterval))) {
            return;
        }
        lastPrune.put(view, now);
        try {
            journal.prune(ctx, now, journalRetention, journalMaxAttemptsPerView, Optional.of(view));
            discardAbandonedBatches();
        } catch (DataAccessException e) {
            // the attempt is recorded; pruning is retried after the next interval
            LOG.log(System.Logger.Level.WARNING, "pruning the push journal of view '" + view + "' failed: "
                    + Errors.reason(e));
        }
    }

    @Override
    public int pruneJournal() {
        try {
            int deleted = journal.prune(ctx, clock.instant(), journalRetention, journalMaxAttemptsPerView, Optional.empty());
            discardAbandonedBatches();
            return deleted;
        } catch (DataAccessException e) {
            throw Errors.storage("pruning the push journal", e);
        }
    }

    private void discardAbandonedBatches() {
        OffsetDateTime cutoff = ctx.select(dialect.now()).fetchSingle().value1().minus(ABANDONED_BATCH_AGE);
        ctx.deleteFrom(Tables.StampRow.TABLE)
                .where(Tables.StampRow.BATCH_ID.in(DSL.select(Tables.StampBatch.BATCH_ID).from(Tables.StampBatch.TABLE)
                        .where(Tables.StampBatch.CREATED_AT.lt(cutoff))))
                .execute();
        ctx.deleteFrom(Tables.StampBatch.TABLE).where(Tables.StampBatch.CREATED_AT.lt(cutoff)).execute();
    }

    // ---- ViewLease ----

    @Override
    public Optional<LeaseToken> tryAcquire(String view, String owner, Duration ttl) {
        Objects.requireNonNull(view, "view");
        requireOwner(owner);
        requireTtl(ttl);
        try {
            return leases.tryAcquire(ctx, view, owner, ttl);
        } catch (DataAccessException e) {
            throw Errors.storage("acquiring the lease of view '" + view + "'", e);
        }
    }

    /**
     * On PostgreSQL, when this store is also the row source and the view's read is rendered once (no
     * {@code now()}): the lease's statement and the read's first fetch sent together, in one round
     * trip. They run in one implicit transaction, the read after the lease is taken (the lease row
     * stays locked until the read is done; the read's start, the transaction's, is before it). A view
     * with more rows than one fetch is then streamed as {@link #open} does. On any failure, and for
     * a view without a lease row yet, the two steps one after the other.
     */
    @Override
    public Optional<LeasedRead> tryAcquireAndOpen(String owner, Duration ttl, RowSource rows, View view,
                                                  Snapshot snapshot) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(snapshot, "snapshot");
        requireOwner(owner);
        requireTtl(ttl);
        if (rows != this || dialect != Dialect.POSTGRESQL) {
            return JdbcPushStore.super.tryAcquireAndOpen(owner, ttl, rows, view, snapshot);
        }
        Optional<LeaseToken> token;
        LoadedPage loaded;
        try (Connection c = dataSource.getConnection()) {
            Mapping mapping = mapping(c, view.definition());
            Optional<RenderedQueries.Rendered> first = renderedQueries.get(view, mapping, snapshot, fetchSize + 1L, true,
                    DSL.using(c, dialect.jooq(), settings));
            if (first.isEmpty()) {
                return JdbcPushStore.super.tryAcquireAndOpen(owner, ttl, rows, view, snapshot);
            }
            try (PreparedStatement ps = c.prepareStatement(Leases.ACQUIRE_IN_ONE_STATEMENT + ";\n" + first.get().text())) {
                Leases.bindAcquire(ps, view.name(), owner, ttl);
                first.get().bind(ps, Leases.ACQUIRE_PARAMETERS);
                ps.execute();
                Optional<Long> fence;
                try (ResultSet rs = ps.getResultSet()) {
                    fence = Leases.acquired(rs);
                }
                if (fence == null) { // the first push of this view in this database: no lease row yet
                    return JdbcPushStore.super.tryAcquireAndOpen(owner, ttl, rows, view, snapshot);
                }
                if (fence.isEmpty()) {
                    return Optional.empty();
                }
                if (!ps.getMoreResults()) {
                    // not expected: the lease is this owner's now, and the steps below take it again
                    throw new SQLException("the read sent with the lease of view '" + view.name() + "' gave no rows");
                }
                token = Optional.of(new LeaseToken(view.name(), owner, fence.get()));
                try (ResultSet rs = ps.getResultSet()) {
                    loaded = readFirst(rs, first.get().sql());
                }
            }
        } catch (SQLException | DataAccessException e) {
            // nothing was taken (the statements' one transaction rolled back): the two steps, which
            // report a failure each in its way (the lease's by exception, the read's by the cursor)
            mappings.remove(view.definition());
            return JdbcPushStore.super.tryAcquireAndOpen(owner, ttl, rows, view, snapshot);
        }
        RowCursor cursor;
        if (loaded.rows().size() <= fetchSize) {
            cursor = loaded(view, loaded.rows(), loaded.start());
        } else {
            try {
                cursor = open(view, snapshot, Page.ALL); // more than one fetch: streamed in its own transaction
            } catch (StorageException e) {
                cursor = RowCursor.failing(e); // reported by the read, as the port says: the caller records it and releases
            }
        }
        return Optional.of(new LeasedRead(token.get(), cursor));
    }


    @Override
    public boolean renew(LeaseToken token, Duration ttl) {
        Objects.requireNonNull(token, "token");
        requireTtl(ttl);
        try {
            return leases.renewNow(ctx, token, ttl);
        } catch (DataAccessException e) {
            throw Errors.storage("renewing the lease of view '" + token.view() + "'", e);
        }
    }

    @Override
    public void release(LeaseToken token) {
        Objects.requireNonNull(token, "token");
        try {
            leases.release(ctx, token);
        } catch (DataAccessException e) {
            throw Errors.storage("releasing the lease of view '" + token.view() + "'", e);
        }
    }

    private static void requireOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("the lease owner must not be blank");
        }
    }

    private static void requireTtl(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the lease time to live must be more than zero, not " + ttl);
        }
    }

    // ---- PushStore ----

    @Override
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "JdbcPushStore[" + dialect.label() + "]";
    }
}
