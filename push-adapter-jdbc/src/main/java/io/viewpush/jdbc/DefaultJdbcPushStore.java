package io.viewpush.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseHolder;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.PushSession;
import io.viewpush.port.RejectedValueException;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.Replay;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
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
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The {@link JdbcPushStore}: wires the schema reader, the SQL translation, stamping, the journal and the leases. */
final class DefaultJdbcPushStore implements JdbcPushStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPushStore.class);
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
    private final boolean stampAhead;
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
    /**
     * Writes large stamp batches' rows to the scratch table while their next rows stream (H2; daemon
     * threads, idle ones end); created on first use, shut down by {@link #close()}.
     */
    private ExecutorService scratchWriter;
    private boolean closed;

    DefaultJdbcPushStore(JdbcPushStore.Builder b) {
        this.dataSource = b.dataSource;
        boolean singleProcess;
        try (Connection c = dataSource.getConnection()) {
            this.dialect = Dialect.of(c);
            singleProcess = dialect == Dialect.H2 && LeaseHolders.singleProcessH2(c.getMetaData().getURL());
        } catch (SQLException e) {
            throw Errors.storage("connecting to detect the database", e);
        }
        this.settings = new Settings().withExecuteLogging(false).withRenderFormatted(false);
        this.ctx = DSL.using(dataSource, dialect.jooq(), settings);
        this.schema = new Schema(dialect);
        this.leases = new Leases(dialect, dialect == Dialect.POSTGRESQL ? new LeaseHolders.Session(dataSource) : null,
                singleProcess);
        this.journal = new Journal(leases);
        this.fetchSize = b.fetchSize;
        this.stampBatchSize = b.stampBatchSize;
        this.spillDirectory = b.spillDirectory;
        this.stampAhead = b.stampAhead;
        this.journalRetention = b.journalRetention;
        this.journalMaxAttemptsPerView = b.journalMaxAttemptsPerView;
        this.journalPruneInterval = b.journalPruneInterval;
        this.clock = b.clock;
    }

    synchronized Executor scratchWriter() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
        if (scratchWriter == null) {
            AtomicInteger threads = new AtomicInteger();
            scratchWriter = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "viewpush-scratch-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return scratchWriter;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (scratchWriter != null) {
            scratchWriter.shutdown();
        }
        leases.close();
    }

    Leases leases() {
        return leases;
    }

    java.nio.file.Path spillDirectory() {
        return spillDirectory;
    }

    /** @return whether a PostgreSQL batch beyond one chunk stamps ahead ({@link JdbcPushStore.Builder#stampAhead}) */
    boolean stampAhead() {
        return stampAhead;
    }

    DSLContext ctx() {
        return ctx;
    }

    DataSource dataSource() {
        return dataSource;
    }

    Settings settings() {
        return settings;
    }

    int fetchSize() {
        return fetchSize;
    }

    /** The types whose single values may be megabytes: a view showing one is read a row at a time at first. */
    private static final java.util.Set<ValueType> WIDE = java.util.Set.of(ValueType.JSON, ValueType.ARRAY,
            ValueType.BYTES, ValueType.OTHER);

    /**
     * @return whether the view shows a field whose values may be megabytes each (json, arrays, binary,
     *         text forms): such a view is never read a whole fetch at once before its rows are known,
     *         and it is streamed with a fetch size that follows the size of its rows
     *         ({@link ResultSetRowCursor}), so that a 10 MB value takes one row's room, not a fetch's
     */
    static boolean hasWideFields(View view) {
        for (ValueType t : view.columns().types()) {
            if (WIDE.contains(t)) {
                return true;
            }
        }
        return false;
    }

    Journal journal() {
        return journal;
    }

    /** Reads each table's metadata once for all the views read together (see {@link Schema#keep}). */
    @Override
    public <T> T readingTogether(java.util.function.Supplier<T> reads) {
        try (Schema.Kept reading = schema.keep()) {
            return reads.get();
        }
    }

    /** Forgets the view's mapping after its SQL failed: the table may have changed. */
    void forget(ViewDefinition definition) {
        mappings.remove(definition);
    }

    @Override
    public String databaseName() {
        return dialect.label();
    }

    @Override
    public void migrate() {
        if (schemaIsCurrent()) {
            return;
        }
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

    /**
     * The newest of ViewPush's migrations (the same version number in both dialects' folders).
     * {@code MigrationCases} checks that it is the newest Flyway finds.
     */
    static final int LATEST_MIGRATION = 5;

    /**
     * Whether every one of ViewPush's migrations up to {@link #LATEST_MIGRATION} has been applied
     * and none failed: then {@link #migrate()} has nothing to do and skips Flyway, whose start (its
     * classes, the scan of the classpath for migrations, the history table's lock) was a large share
     * of a short command's start-up (docs/BENCHMARKS.md, start-up). One query; any doubt (no history
     * table yet, a failed migration, a newer one) leaves the work to Flyway.
     */
    private boolean schemaIsCurrent() {
        boolean[] applied = new boolean[LATEST_MIGRATION + 1];
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT \"version\", \"success\" FROM \""
                     + SCHEMA_HISTORY_TABLE + "\" WHERE \"version\" IS NOT NULL");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                int version;
                try {
                    version = Integer.parseInt(rs.getString(1));
                } catch (NumberFormatException e) {
                    return false;
                }
                if (!rs.getBoolean(2) || version > LATEST_MIGRATION) {
                    return false;
                }
                if (version >= 0) {
                    applied[version] = true;
                }
            }
        } catch (SQLException e) {
            return false;
        }
        for (int v = 1; v <= LATEST_MIGRATION; v++) {
            if (!applied[v]) {
                return false;
            }
        }
        return true;
    }

    // ---- ViewSchema ----

    @Override
    public Map<String, ValueType> fieldTypes(ViewDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        try (Connection c = dataSource.getConnection()) {
            Schema.Resolution r = schema.resolve(c, definition);
            if (!r.problems().isEmpty()) {
                throw new io.viewpush.view.InvalidViewException(r.problems());
            }
            // the view's first read maps it from what was just read, instead of reading the catalog again
            r.mapping().ifPresent(m -> mappings.putIfAbsent(definition, m));
            return r.types();
        } catch (SQLException e) {
            throw Errors.storage("reading the table of view '" + definition.name() + "'", e);
        }
    }

    @Override
    public Map<String, java.util.List<String>> enumLabels(ViewDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        try (Connection c = dataSource.getConnection()) {
            return schema.enumLabels(c, definition);
        } catch (SQLException e) {
            throw Errors.storage("reading the table of view '" + definition.name() + "'", e);
        }
    }

    private Mapping mapping(DSLContext dsl, ViewDefinition definition) {
        Mapping known = mappings.get(definition);
        return known != null ? known : dsl.connectionResult(c -> mapping(c, definition));
    }

    Mapping mapping(Connection c, ViewDefinition definition) throws SQLException {
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
        return openRead(view, snapshot, page).cursor();
    }

    /**
     * On PostgreSQL, views whose checks differ only in their values are checked in one statement each
     * ({@link ManyViews}); the rest (views that use {@code now()}, a group whose statement failed, every
     * view on H2) one by one, as {@link #open} reads them.
     */
    @Override
    public Map<String, Boolean> hasRows(Collection<View> views, Snapshot snapshot) {
        if (dialect != Dialect.POSTGRESQL || views.size() < 2) {
            return JdbcPushStore.super.hasRows(views, snapshot);
        }
        Map<String, Boolean> found = new HashMap<>();
        List<View> alone = new ArrayList<>();
        Map<ManyViews.Group, List<View>> groups = new LinkedHashMap<>();
        Map<ManyViews.Group, List<ManyViews.Check>> checks = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Schema.Kept reading = schema.keep()) {
            DSLContext dsl = DSL.using(c, dialect.jooq(), settings);
            for (View view : views) {
                Optional<ManyViews.Check> check;
                try {
                    check = ManyViews.check(view, mapping(c, view.definition()), snapshot, dsl);
                } catch (SQLException | RuntimeException e) {
                    check = Optional.empty(); // its own check reads its table again and says what is wrong
                }
                if (check.isEmpty()) {
                    alone.add(view);
                    continue;
                }
                ManyViews.Group g = check.get().group();
                groups.computeIfAbsent(g, k -> new ArrayList<>()).add(view);
                checks.computeIfAbsent(g, k -> new ArrayList<>()).add(check.get());
            }
            for (Map.Entry<ManyViews.Group, List<View>> group : groups.entrySet()) {
                List<View> members = group.getValue();
                List<ManyViews.Check> memberChecks = checks.get(group.getKey());
                List<Boolean> varying = ManyViews.varying(memberChecks);
                Object[] values = memberChecks.get(0).binds();
                List<Object> shared = new ArrayList<>();
                for (int k = 0; k < values.length; k++) {
                    shared.add(varying.get(k) ? "" : values[k]);
                }
                Optional<String> statement = members.size() < 2 ? Optional.empty() : groupStatements.computeIfAbsent(
                        List.of(group.getKey(), varying, shared), k -> ManyViews.statement(group.getKey(), varying, values));
                if (statement.isEmpty()) {
                    alone.addAll(members);
                    continue;
                }
                try {
                    Set<Integer> rows = ManyViews.withRows(c, statement.get(), memberChecks, varying);
                    for (int i = 0; i < members.size(); i++) {
                        found.put(members.get(i).name(), rows.contains(i));
                    }
                } catch (SQLException | DataAccessException e) {
                    // checked one by one: each view's own read says what is wrong with it
                    LOG.debug("checking {} views at once failed; checking them one by one", members.size(), e);
                    alone.addAll(members);
                }
            }
        } catch (SQLException e) {
            if (found.isEmpty()) {
                throw Errors.storage("checking " + views.size() + " views for rows to send", e);
            }
            return found; // left out: each view's own check reports it
        }
        try {
            found.putAll(JdbcPushStore.super.hasRows(alone, snapshot));
        } catch (RuntimeException e) {
            if (found.isEmpty()) {
                throw e;
            }
        }
        return found;
    }

    /**
     * Each group's statement, made once ({@link ManyViews#statement}) for the values its views do not
     * share; groups are few (one per kind of view).
     */
    private final Map<List<Object>, Optional<String>> groupStatements = new ConcurrentHashMap<>();

    /** An open read and when it started by the database's clock (null for a read that found no row). */
    record Read(RowCursor cursor, ReadStart start) {
    }

    /** Opens a read (see {@link #open}), with its start. */
    Read openRead(View view, Snapshot snapshot, Page page) {
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
            boolean wide = hasWideFields(view);
            ViewSql sql;
            Optional<RenderedQueries.Rendered> first = page.after().isEmpty() && page.upTo().isEmpty()
                    ? RenderedQueries.get(view, mapping, snapshot, firstFetch, true, dsl) : Optional.empty();
            LoadedPage loaded;
            if (wide && !small) {
                sql = first.isPresent() ? first.get().sql() : new ViewSql(view, mapping, snapshot);
                loaded = null; // streamed from its first row, a row at a time at first
            } else if (first.isPresent()) {
                sql = first.get().sql();
                loaded = readFirst(c, first.get());
            } else {
                sql = new ViewSql(view, mapping, snapshot);
                List<SelectField<?>> fields = new ArrayList<>(sql.select());
                fields.addAll(ViewSql.STATEMENT_START);
                // read as the rendered path reads, through ViewSql.toRow(ResultSet): it keeps a value
                // no field type has (a numeric NaN) to its row rather than failing the whole page
                try (ResultSet rs = dsl.select(fields).from(mapping.source()).where(where(sql, page))
                        .orderBy(sql.keyOrder()).limit(firstFetch).fetchResultSet()) {
                    loaded = readFirst(rs, sql);
                }
            }
            if (loaded != null && (small || loaded.rows().size() <= fetchSize)) {
                c.close();
                return loaded(loaded);
            }
            Optional<RenderedQueries.Rendered> rendered = page.after().isEmpty() && page.upTo().isEmpty()
                    ? RenderedQueries.get(view, mapping, snapshot, page.limit(), false, dsl) : Optional.empty();
            org.jooq.SelectLimitStep<Record> select = null;
            if (rendered.isPresent()) {
                sql = rendered.get().sql();
            } else {
                select = dsl.select(sql.select()).from(mapping.source()).where(where(sql, page)).orderBy(sql.keyOrder());
            }
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            Record2<OffsetDateTime, LocalDateTime> started = dsl.select(dialect.now(), dialect.localNow()).fetchSingle();
            ReadStart start = new ReadStart(started.value1(), started.value2());
            if (rendered.isPresent()) {
                PreparedStatement ps = rendered.get().prepare(c);
                ps.setFetchSize(wide ? 1 : fetchSize);
                ResultSet rs = ps.executeQuery();
                return new Read(new ResultSetRowCursor(c, ps, rs, sql, what, wide ? fetchSize : 0), start);
            }
            ResultQuery<Record> query = page.limit() > 0 ? select.limit(page.limit()) : select;
            // read by ViewSql.toRow(ResultSet) like every other read, not by jOOQ's record mapping:
            // it keeps a value no field type has (a numeric NaN) to its row instead of failing the read
            ResultSet rs = query.fetchSize(wide ? 1 : fetchSize).fetchResultSet();
            return new Read(new ResultSetRowCursor(c, rs.getStatement(), rs, sql, what, wide ? fetchSize : 0), start);
        } catch (SQLException | DataAccessException e) {
            forget(view.definition());
            closeQuietly(c, e);
            throw Errors.storage(what, e);
        } catch (RuntimeException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    static Condition where(ViewSql sql, Page page) {
        Condition where = sql.filters();
        where = page.after().isPresent() ? where.and(sql.keyAfter(page.after().get())) : where;
        return page.upTo().isPresent() ? where.and(sql.keyNotAfter(page.upTo().get())) : where;
    }

    /** Rows read at once, and the start of the statement that read them (null when there were none). */
    record LoadedPage(List<Row> rows, ReadStart start) {
    }

    /**
     * Reads a page at once in autocommit, with its statement's start ({@link ViewSql#STATEMENT_START}:
     * no later than its snapshot): the read's start.
     */
    private static LoadedPage readFirst(Connection c, RenderedQueries.Rendered r) throws SQLException {
        try (PreparedStatement ps = r.prepare(c); ResultSet rs = ps.executeQuery()) {
            return readFirst(rs, r.sql());
        }
    }

    static LoadedPage readFirst(ResultSet rs, RenderedQueries.Rendered r) throws SQLException {
        return readFirst(rs, r.sql());
    }

    private static LoadedPage readFirst(ResultSet rs, ViewSql sql) throws SQLException {
        List<Row> rows = new ArrayList<>();
        ReadStart start = null;
        int n = sql.select().size();
        while (rs.next()) {
            rows.add(sql.toRow(rs));
            if (start == null) {
                start = new ReadStart(rs.getObject(n + 1, OffsetDateTime.class),
                        rs.getObject(n + 2, LocalDateTime.class));
            }
        }
        return new LoadedPage(rows, start);
    }

    static Read loaded(LoadedPage page) {
        return new Read(new LoadedRowCursor(page.rows()), page.start());
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

    // ---- stamping ----

    /**
     * Begins a batch of rows of a read that started at {@code readStart} (null: the read found no
     * row, or there is none: the time now), stamped no later than that start: a row changed after
     * the read still compares as changed.
     */
    StampBatch batch(View view, LeaseToken lease, ReadStart readStart) {
        Objects.requireNonNull(view, "view");
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
            // rows of this batch come from the session's read: its start, taken by the database's clock,
            // is the stamp's base, with no round trip for the database's time
            ReadStart base = readStart;
            if (base == null) {
                Record2<OffsetDateTime, LocalDateTime> now = ctx.select(dialect.now(), dialect.localNow()).fetchSingle();
                base = new ReadStart(now.value1(), now.value2());
            }
            Object stamp = mapping.type(stampField) == ValueType.TIMESTAMP
                    ? Stamps.floorMinusOneUnit(base.local(), digits)
                    : Stamps.floorMinusOneUnit(base.instant().withOffsetSameInstant(ZoneOffset.UTC), digits);
            long batchId = random.nextLong() & Long.MAX_VALUE;
            return dialect.newBatch(this, view, mapping, lease, batchId, stamp, stampBatchSize);
        } catch (DataAccessException e) {
            forget(view.definition());
            throw Errors.storage("beginning a stamp batch of view '" + view.name() + "'", e);
        }
    }

    // ---- RowUpdater ----

    @Override
    public Optional<Row> update(View view, RowKey rowKey, Map<String, Object> values, Snapshot snapshot) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(rowKey, "key");
        RowKey key = rowKey;
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
                    if (!tx.fetchExists(DSL.selectOne().from(mapping.source()).where(inView))) {
                        return Optional.<Row>empty();
                    }
                } else {
                    Map<Field<?>, Field<?>> set = new LinkedHashMap<>();
                    for (Map.Entry<String, Object> e : values.entrySet()) {
                        set.put(mapping.column(e.getKey(), SqlTypes.of(mapping.type(e.getKey()))),
                                Writes.value(view, mapping, e.getKey(), e.getValue()));
                    }
                    if (tx.update(mapping.table()).set(set).where(mapping.onTableAlone(inView, view.keyFields())).execute() == 0) {
                        return Optional.<Row>empty();
                    }
                }
                try (ResultSet rs = tx.select(sql.select()).from(mapping.source()).where(sql.keyEquals(key))
                        .orderBy(sql.keyOrder()).limit(1).fetchResultSet()) {
                    return rs.next() ? Optional.of(sql.toRow(rs)) : Optional.<Row>empty();
                }
            });
        } catch (DataAccessException e) {
            if (e.sqlStateClass() == org.jooq.exception.SQLStateClass.C22_DATA_EXCEPTION
                    || e.sqlStateClass() == org.jooq.exception.SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION) {
                // the database refused a value for its column (out of range, too long): the caller's
                // mistake, not the database failing
                String field = values.size() == 1 ? values.keySet().iterator().next() : "";
                Mapping known = mappings.get(view.definition());
                String type = field.isEmpty() || known == null ? null : known.columnType(field).map(ColumnType::declared)
                        .orElseGet(() -> known.column(field).describe());
                String why = Errors.why(e, type);
                if (why != null && why.startsWith("it violates a check constraint:") && e.getCause() instanceof SQLException) {
                    try {
                        Optional<String> name = ctx.connectionResult(c -> dialect.nameOfViolatedCheck(c, (SQLException) e.getCause()));
                        if (name.isPresent()) {
                            why = "it violates the check constraint \"" + name.get() + "\"";
                        }
                    } catch (DataAccessException lookup) {
                        e.addSuppressed(lookup); // the condition the database gave stays the reason
                    }
                }
                throw new RejectedValueException(field,
                        "a value of " + values.keySet().stream().map(f -> "'" + f + "'")
                        .collect(java.util.stream.Collectors.joining(", ")) + " does not fit its column in view '"
                        + view.name() + "': " + Errors.reason(e), why);
            }
            forget(view.definition());
            throw Errors.storage("updating a row of view '" + view.name() + "'", e);
        }
    }

    // ---- PushJournal ----

    /** Records an attempt of a push that holds {@code lease}. */
    void record(PushAttempt attempt, LeaseToken lease) {
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

    /** Records a push's last attempt and releases its lease (see {@link Dialect#recordAndRelease}). */
    void recordAndRelease(PushAttempt attempt, LeaseToken lease) {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(lease, "lease");
        if (!lease.view().equals(attempt.view())) {
            throw new IllegalArgumentException("the lease is for view '" + lease.view() + "', the attempt for view '"
                    + attempt.view() + "'");
        }
        dialect.recordAndRelease(this, attempt, lease);
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

    /** The view's history and pause in one round trip (a due push's check under its lease). */
    Journal.HistoryAndPause historyAndPause(String view) {
        try {
            return journal.historyAndPause(ctx, view);
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

    void maybePrune(String view) {
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
            LOG.warn("pruning the push journal of view '{}' failed: {}", view, Errors.reason(e));
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

    // ---- ViewControl ----

    @Override
    public Optional<Pause> paused(String view) {
        Objects.requireNonNull(view, "view");
        try {
            return Pauses.paused(ctx, view);
        } catch (DataAccessException e) {
            throw Errors.storage("reading whether view '" + view + "' is paused", e);
        }
    }

    @Override
    public Map<String, Pause> pauses() {
        try {
            return Pauses.all(ctx);
        } catch (DataAccessException e) {
            throw Errors.storage("reading the paused views", e);
        }
    }

    @Override
    public Pause pause(Pause pause) {
        Objects.requireNonNull(pause, "pause");
        try {
            return Pauses.pause(ctx, pause);
        } catch (DataAccessException e) {
            throw Errors.storage("pausing view '" + pause.view() + "'", e);
        }
    }

    @Override
    public Optional<Pause> resume(String view) {
        Objects.requireNonNull(view, "view");
        try {
            return Pauses.resume(ctx, view);
        } catch (DataAccessException e) {
            throw Errors.storage("resuming view '" + view + "'", e);
        }
    }

    @Override
    public List<Replay> replays(String view, int limit) {
        Objects.requireNonNull(view, "view");
        if (limit <= 0) {
            return List.of();
        }
        try {
            return journal.replays(ctx, view, limit);
        } catch (DataAccessException e) {
            throw Errors.storage("reading the replays of view '" + view + "'", e);
        }
    }

    /** Keys per statement of a replay by keys. */
    private static final int REPLAY_KEYS_PER_STATEMENT = 500;

    /**
     * In one transaction that checks the lease: clears the stamp of the chosen rows whose stamp is
     * set (or counts them, for a dry run) and records the replay (see {@link PushSession#replay}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Replay replay(View view, LeaseToken lease, Snapshot snapshot, ReplaySelection which, boolean dryRun, String by) {
        PushPolicy policy = view.push().orElseThrow(() -> new IllegalArgumentException("view '" + view.name() + "' has no push policy"));
        String stampField = policy.stampField();
        try {
            return ctx.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                leases.checkHeld(tx, lease);
                Mapping mapping = mapping(tx, view.definition());
                ValueType type = mapping.type(stampField);
                Field<Object> stamp = (Field) mapping.column(stampField, SqlTypes.of(type));
                List<Condition> chosen = new ArrayList<>();
                if (which instanceof ReplaySelection.All) {
                    chosen.add(DSL.noCondition());
                } else if (which instanceof ReplaySelection.Since) {
                    chosen.add(stamp.ge((Field) DSL.val(bound(((ReplaySelection.Since) which).at(), type, snapshot),
                            SqlTypes.of(type))));
                } else {
                    ViewSql sql = new ViewSql(view, mapping, snapshot);
                    List<RowKey> keys = ((ReplaySelection.Keys) which).keys();
                    for (int i = 0; i < keys.size(); i += REPLAY_KEYS_PER_STATEMENT) {
                        chosen.add(DSL.or(keys.subList(i, Math.min(keys.size(), i + REPLAY_KEYS_PER_STATEMENT)).stream()
                                .map(sql::keyEquals).collect(java.util.stream.Collectors.toList())));
                    }
                }
                long rows = 0;
                for (Condition c : chosen) {
                    Condition where = stamp.isNotNull().and(c);
                    rows += dryRun ? tx.fetchCount(mapping.table(), where)
                            : tx.update(mapping.table()).set(stamp, (Object) null).where(where).execute();
                }
                Replay r = new Replay(view.name(), which.describe(), rows, dryRun, by, clock.instant());
                if (!dryRun) {
                    journal.recordReplay(tx, r);
                }
                return r;
            });
        } catch (DataAccessException e) {
            forget(view.definition());
            throw Errors.storage("replaying rows of view '" + view.name() + "'", e);
        }
    }

    /** The earliest stamp a replay since {@code at} clears, in the stamp column's type. */
    private static Object bound(Instant at, ValueType type, Snapshot snapshot) {
        switch (type) {
            case TIMESTAMP_TZ:
                return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
            case DATE:
                return LocalDateTime.ofInstant(at, snapshot.zone()).toLocalDate();
            default:
                return LocalDateTime.ofInstant(at, snapshot.zone());
        }
    }

    // ---- pushes ----

    @Override
    public Optional<PushSession> begin(View view, String owner, Duration ttl, Snapshot snapshot, boolean readAtOnce) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(snapshot, "snapshot");
        view.push().orElseThrow(() -> new IllegalArgumentException("view '" + view.name() + "' has no push policy"));
        requireOwner(owner);
        requireTtl(ttl);
        if (readAtOnce) {
            return dialect.tryAcquireAndRead(this, owner, ttl, view, snapshot)
                    .map(b -> new JdbcPushSession(this, view, b.token(), ttl, snapshot, b.read(), b.pause()));
        }
        return tryAcquire(view.name(), owner, ttl).map(t -> new JdbcPushSession(this, view, t, ttl, snapshot, null, null));
    }

    /** Takes a view's lease, if it is free or expired. */
    Optional<LeaseToken> tryAcquire(String view, String owner, Duration ttl) {
        Objects.requireNonNull(view, "view");
        requireOwner(owner);
        requireTtl(ttl);
        try {
            return leases.tryAcquire(ctx, view, owner, ttl);
        } catch (DataAccessException e) {
            throw Errors.storage("acquiring the lease of view '" + view + "'", e);
        }
    }

    @Override
    public Optional<LeaseHolder> leaseHolder(String view) {
        Objects.requireNonNull(view, "view");
        try {
            return leases.holder(ctx, view);
        } catch (DataAccessException e) {
            throw Errors.storage("reading who holds the lease of view '" + view + "'", e);
        }
    }

    /**
     * A lease taken and what was read with it: the view's read (null: the session opens it) and the
     * view's pause (null: not read with the lease, the session reads it when asked).
     */
    record Begun(LeaseToken token, Read read, Optional<Pause> pause) {
    }



    /** Extends a held lease; false when it was lost. */
    boolean renew(LeaseToken token, Duration ttl) {
        Objects.requireNonNull(token, "token");
        requireTtl(ttl);
        try {
            return leases.renewNow(ctx, token, ttl);
        } catch (DataAccessException e) {
            throw Errors.storage("renewing the lease of view '" + token.view() + "'", e);
        }
    }

    /** Releases a held lease; nothing happens if it was lost. */
    void release(LeaseToken token) {
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

    /** The time zone of a session of the data source (PostgreSQL's {@code TimeZone}, H2's {@code TIME ZONE}). */
    @Override
    public java.time.ZoneId sessionZone() {
        try (Connection c = dataSource.getConnection()) {
            return dialect.sessionZone(c);
        } catch (SQLException | java.time.DateTimeException e) {
            throw Errors.storage("reading the time zone of the database's sessions", e);
        }
    }

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
