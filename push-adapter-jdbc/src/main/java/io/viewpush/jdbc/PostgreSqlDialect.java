package io.viewpush.jdbc;

import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.view.View;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;
import org.jooq.SQLDialect;
import org.jooq.SelectForUpdateStep;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static io.viewpush.jdbc.Tables.Lease.EXPIRES_AT;
import static io.viewpush.jdbc.Tables.Lease.FENCE;
import static io.viewpush.jdbc.Tables.Lease.OWNER;
import static io.viewpush.jdbc.Tables.Lease.TABLE;
import static io.viewpush.jdbc.Tables.Lease.VIEW;

/**
 * PostgreSQL: what it allows beyond the plain statements, each saving round trips (see the
 * benchmarks): the lease taken, renewed and checked in one statement each; a manual push's lease
 * and first read in one round trip; the last attempt recorded with the lease's release in one
 * statement; large batches' keys spilled to a file and stamped with generic plans.
 */
final class PostgreSqlDialect extends Dialect {
    private static final Set<String> TEXT_TYPES = Set.of("text", "varchar", "bpchar", "char", "name");

    @Override
    SQLDialect jooq() {
        return SQLDialect.POSTGRES;
    }

    @Override
    String label() {
        return "PostgreSQL";
    }

    @Override
    String migrations() {
        return JdbcPushStore.MIGRATIONS_POSTGRESQL;
    }

    @Override
    int maxFractionDigits() {
        return 6;
    }

    /** The {@code "C"} collation compares UTF-8 bytes. */
    @Override
    Field<?> codePointOrder(Field<String> text) {
        return text.collate(DSL.collation(DSL.quotedName("C")));
    }

    /** A cast of char(n) to text drops the padding; its output function (format's %s) keeps it. */
    @Override
    Field<String> characterAsStored(Field<?> column) {
        return DSL.field("case when {0} is null then null else format('%s', {0}) end", org.jooq.impl.SQLDataType.VARCHAR,
                column);
    }

    /** PostgreSQL breaks a tie of UTC times by the offset; the epoch of a timetz is its UTC time in seconds, unwrapped. */
    @Override
    Field<?> timeWithTimeZoneOrder(Field<?> time) {
        return DSL.field("extract(epoch from {0})", java.math.BigDecimal.class, time);
    }

    @Override
    Field<OffsetDateTime> now() {
        return DSL.field("clock_timestamp()", SqlTypes.TIMESTAMP_TZ);
    }

    @Override
    Field<LocalDateTime> localNow() {
        return DSL.field("cast(clock_timestamp() as timestamp)", SqlTypes.TIMESTAMP);
    }

    /** Only the built-in text types: a domain or an extension's type may compare otherwise. */
    /**
     * PostgreSQL writes through a view that is automatically updatable or has INSTEAD OF triggers
     * ({@code pg_relation_is_updatable}, {@code pg_column_is_updatable}); never a materialized view.
     */
    @Override
    Optional<String> whyViewNotWritable(Connection connection, String schema, String view, String kind,
                                        java.util.List<String> columns) throws SQLException {
        if (kind.equalsIgnoreCase("MATERIALIZED VIEW")) {
            return Optional.of("'" + view + "' is a materialized view, which PostgreSQL never updates: a pull-only view"
                    + " may read it; to push or write fields, point the view at the table it is computed from");
        }
        // an enabled INSTEAD OF UPDATE row trigger (tgtype: row 1, update 16, instead 64) writes every column
        // the way it chooses; pg_column_is_updatable would call its columns fixed unless there is a DELETE one too
        try (PreparedStatement ps = connection.prepareStatement("select (pg_relation_is_updatable(c.oid, true) & 4) <> 0,"
                + " a.attname, pg_column_is_updatable(c.oid, a.attnum, true),"
                + " exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgenabled <> 'D'"
                + " and (t.tgtype & 81) = 81)"
                + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped"
                + " where n.nspname = ? and c.relname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, view);
            boolean updatable = false;
            java.util.List<String> fixed = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    updatable = rs.getBoolean(1);
                    if (columns.contains(rs.getString(2)) && !rs.getBoolean(3) && !rs.getBoolean(4)) {
                        fixed.add(rs.getString(2));
                    }
                }
            }
            if (!updatable) {
                return Optional.of("'" + view + "' is a view PostgreSQL cannot update (it is not automatically updatable:"
                        + " it joins, groups, uses DISTINCT, set operations or the like, and has no INSTEAD OF UPDATE"
                        + " trigger): a pull-only view may read it; to push or write fields, point the view at its table,"
                        + " or give the database view an INSTEAD OF UPDATE trigger");
            }
            if (!fixed.isEmpty()) {
                return Optional.of("the column" + (fixed.size() == 1 ? " " : "s ") + String.join(", ", fixed) + " of view '"
                        + view + "' cannot be updated (computed, not a plain column of its table): write a plain column,"
                        + " or give the database view an INSTEAD OF UPDATE trigger");
            }
            return Optional.empty();
        }
    }

    /** The session's search path as PostgreSQL resolves it ({@code current_schemas(false)}: existing schemas only). */
    @Override
    java.util.List<String> searchPath(Connection connection) throws SQLException {
        java.util.List<String> path = new java.util.ArrayList<>();
        try (java.sql.Statement st = connection.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select unnest(current_schemas(false))")) {
            while (rs.next()) {
                path.add(rs.getString(1));
            }
        }
        return path;
    }

    @Override
    boolean isPlainText(String typeName) {
        return !isCaseInsensitiveText(typeName) && TEXT_TYPES.contains(typeName);
    }

    @Override
    java.time.ZoneId sessionZone(Connection connection) throws SQLException {
        try (java.sql.Statement st = connection.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT current_setting('TimeZone')")) {
            if (!rs.next()) {
                throw new SQLException("the database did not say its session's time zone");
            }
            return zone(rs.getString(1));
        } catch (java.time.DateTimeException e) {
            // a zone Java does not know by that name (a POSIX string such as '<+03>-03'): its offset now
            try (java.sql.Statement st = connection.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT cast(extract(timezone from now()) as integer)")) {
                rs.next();
                return java.time.ZoneOffset.ofTotalSeconds(rs.getInt(1));
            }
        }
    }

    @Override
    ColumnTypes columnTypes() {
        return COLUMN_TYPES;
    }

    private static final ColumnTypes COLUMN_TYPES = new PostgreSqlColumnTypes();

    @Override
    String foldUnquoted(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    String castType(ValueType type) {
        switch (type) {
            case TEXT:
                return "text";
            case NUMBER:
                return "numeric";
            case BOOLEAN:
                return "boolean";
            case TIMESTAMP:
                return "timestamp(6)";
            case TIMESTAMP_TZ:
                return "timestamp(6) with time zone";
            case DATE:
                return "date";
            case UUID:
                return "uuid";
            default:
                throw new IllegalArgumentException("unknown type " + type);
        }
    }

    /** PostgreSQL counts a column's size in characters (code points). */
    @Override
    long textLength(String text) {
        return text.codePointCount(0, text.length());
    }

    // ---- leases ----

    /** One round trip: the row locked in a materialized CTE, the database's time read in the outer query, after the lock. */
    @Override
    Optional<Leases.Held> lock(DSLContext tx, String view, Leases.Strength strength) {
        SelectForUpdateStep<Record3<String, Long, OffsetDateTime>> select = DSL.select(OWNER, FENCE, EXPIRES_AT)
                .from(TABLE).where(VIEW.eq(view));
        CommonTableExpression<Record3<String, Long, OffsetDateTime>> locked = DSL.name("viewpush_locked")
                .asMaterialized(strength == Leases.Strength.TAKE_OVER ? select.forUpdate()
                        : strength == Leases.Strength.RENEW ? select.forNoKeyUpdate() : select.forKeyShare());
        return tx.with(locked)
                .select(locked.field(OWNER), locked.field(FENCE), locked.field(EXPIRES_AT), now())
                .from(locked)
                .fetchOptional(r -> new Leases.Held(r.value1(), r.value2(), r.value3(), r.value4(), null));
    }

    /**
     * PostgreSQL: takes the lease in ONE statement (one round trip, in autocommit): the row locked
     * {@code FOR UPDATE} in a materialized CTE (a take-over still waits for a fenced write's
     * {@code KEY SHARE} lock), the database's time read after the lock, the row updated only if the
     * lease is free, expired, already the owner's, or its holder's session is gone (its advisory lock
     * free to take: see {@link LeaseHolders}), naming this store as the holder. Answers whether the
     * row exists, the new fence, and whether this store's own session lost its lock (its lock free).
     */
    static final String ACQUIRE_IN_ONE_STATEMENT = "with viewpush_locked as materialized ("
            + "select owner, fence, expires_at, holder_session from viewpush_lease where view_name = ? for update), "
            + "viewpush_now as materialized (select clock_timestamp() as t from viewpush_locked), "
            + "viewpush_taken as (update viewpush_lease set owner = ?, fence = viewpush_locked.fence + 1, "
            + "expires_at = viewpush_now.t + cast(? as bigint) * interval '1 microsecond', acquired_at = viewpush_now.t, "
            + "holder_host = ?, holder_pid = ?, holder_session = ? "
            + "from viewpush_locked, viewpush_now where viewpush_lease.view_name = ? and (viewpush_locked.owner is null"
            + " or viewpush_locked.owner = ? or viewpush_locked.expires_at <= viewpush_now.t"
            + " or (viewpush_locked.holder_session is not null"
            + " and pg_try_advisory_xact_lock(viewpush_locked.holder_session))) "
            + "returning viewpush_lease.fence) "
            + "select (select count(*) from viewpush_locked), (select fence from viewpush_taken),"
            + " pg_try_advisory_xact_lock(cast(? as bigint))";

    /** In one statement, creating the view's lease row first only when it is missing. */
    @Override
    Optional<LeaseToken> tryAcquire(Leases leases, DSLContext ctx, String view, String owner, Duration ttl) {
        for (int attempt = 0; ; attempt++) {
            long session = leases.holderSession();
            // plain JDBC: the statement's text never changes, and jOOQ's parsing and rendering of it
            // cost more CPU than the database spends running it
            Acquired fence = ctx.connectionResult(c -> {
                try (PreparedStatement ps = c.prepareStatement(ACQUIRE_IN_ONE_STATEMENT)) {
                    bindAcquire(ps, view, owner, ttl, session);
                    try (ResultSet rs = ps.executeQuery()) {
                        return acquired(rs);
                    }
                }
            });
            if (fence.rowExists() || attempt > 0) {
                return token(leases, ctx, view, owner, session, fence);
            }
            leases.ensureRow(ctx, view); // the first push of this view in this database
        }
    }

    /** The token of a lease taken with {@code session}, after making it name a live session if that one was lost. */
    private static Optional<LeaseToken> token(Leases leases, DSLContext ctx, String view, String owner, long session,
                                              Acquired acquired) {
        if (acquired.fence().isEmpty()) {
            return Optional.empty();
        }
        LeaseToken token = new LeaseToken(view, owner, acquired.fence().get());
        if (acquired.sessionLost()) {
            leases.replaceSession(ctx, token, session);
        }
        return Optional.of(token);
    }

    /** Sets the parameters of {@link #ACQUIRE_IN_ONE_STATEMENT}, the first of the statement. */
    static void bindAcquire(PreparedStatement ps, String view, String owner, Duration ttl, long session) throws SQLException {
        ps.setString(1, view);
        ps.setString(2, owner);
        ps.setLong(3, micros(ttl));
        ps.setString(4, LeaseHolders.host());
        ps.setLong(5, LeaseHolders.PID);
        ps.setLong(6, session);
        ps.setString(7, view);
        ps.setString(8, owner);
        ps.setLong(9, session);
    }

    /** The parameters of {@link #ACQUIRE_IN_ONE_STATEMENT}. */
    static final int ACQUIRE_PARAMETERS = 9;

    /**
     * The answer of {@link #ACQUIRE_IN_ONE_STATEMENT}.
     *
     * @param rowExists   false when the view has no lease row yet
     * @param fence       empty when another owner holds the lease; else the new fence
     * @param sessionLost whether the store's own session no longer held its lock
     */
    record Acquired(boolean rowExists, Optional<Long> fence, boolean sessionLost) {
    }

    /** Reads the answer of {@link #ACQUIRE_IN_ONE_STATEMENT}. */
    static Acquired acquired(ResultSet rs) throws SQLException {
        rs.next();
        long rows = rs.getLong(1);
        long taken = rs.getLong(2);
        Optional<Long> fence = rs.wasNull() ? Optional.empty() : Optional.of(taken);
        boolean lost = rs.getBoolean(3);
        return new Acquired(rows > 0, rows == 0 ? Optional.empty() : fence, lost);
    }

    static long micros(Duration ttl) {
        long thousandYears = Duration.ofDays(365_250).getSeconds() * 1_000_000L;
        return ttl.getSeconds() >= thousandYears / 1_000_000L ? thousandYears // as good as never expiring
                : ttl.getSeconds() * 1_000_000L + ttl.getNano() / 1000;
    }

    /**
     * PostgreSQL: renews the lease in ONE statement (one round trip, in autocommit, instead of the
     * lock, the update and the commit): the row locked {@code FOR NO KEY UPDATE} in a materialized
     * CTE as {@link #renew(DSLContext, LeaseToken, Duration)} locks it, the database's time read
     * after the lock, the expiry moved only if the token's owner and fence still hold the row.
     * Answers how many rows were renewed (0 or 1).
     */
    static final String RENEW_IN_ONE_STATEMENT = "with viewpush_locked as materialized ("
            + "select owner, fence from viewpush_lease where view_name = ? for no key update), "
            + "viewpush_now as materialized (select clock_timestamp() as t from viewpush_locked), "
            + "viewpush_renewed as (update viewpush_lease set expires_at = viewpush_now.t"
            + " + cast(? as bigint) * interval '1 microsecond' "
            + "from viewpush_locked, viewpush_now where viewpush_lease.view_name = ? and viewpush_locked.owner = ?"
            + " and viewpush_locked.fence = ? returning 1) "
            + "select count(*) from viewpush_renewed";

    /** In one statement in autocommit. */
    @Override
    boolean renewNow(Leases leases, DSLContext ctx, LeaseToken token, Duration ttl) {
        // plain JDBC: the statement's text never changes (as for the acquisition)
        return ctx.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(RENEW_IN_ONE_STATEMENT)) {
                ps.setString(1, token.view());
                ps.setLong(2, micros(ttl));
                ps.setString(3, token.view());
                ps.setString(4, token.owner());
                ps.setLong(5, token.fence());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) == 1;
                }
            }
        });
    }

    /**
     * PostgreSQL, in the transaction of a fenced write: what {@link Leases#checkHeld} does (the lease row
     * locked {@code FOR KEY SHARE} in a materialized CTE, the database's time read after the lock)
     * and, in the same round trip, {@code SET LOCAL plan_cache_mode = force_generic_plan} for the
     * rest of the transaction ({@code set_config(..., true)}), which the stamping statements need.
     */
    static final String CHECK_HELD_PLANNING_GENERICALLY = "with viewpush_locked as materialized ("
            + "select owner, fence, expires_at from viewpush_lease where view_name = ? for key share) "
            + "select owner, fence, expires_at > clock_timestamp(),"
            + " set_config('plan_cache_mode', 'force_generic_plan', true) from viewpush_locked";

    /**
     * PostgreSQL, in the transaction of a fenced write: locks the lease row until the transaction
     * ends, checks that the token still holds an unexpired lease, and plans the transaction's later
     * statements generically; one round trip.
     *
     * @throws LeaseLostException when it does not; the caller's transaction must roll back
     */
    static void checkHeldPlanningGenerically(DSLContext tx, LeaseToken token) {
        boolean held = tx.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(CHECK_HELD_PLANNING_GENERICALLY)) {
                ps.setString(1, token.view());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    String owner = rs.getString(1);
                    long fence = rs.getLong(2);
                    boolean unexpired = rs.getBoolean(3);
                    return Objects.equals(owner, token.owner()) && fence == token.fence() && unexpired;
                }
            }
        });
        if (!held) {
            throw new LeaseLostException(token);
        }
    }

    // ---- a push's session ----

    /**
     * On PostgreSQL, when this store is also the row source and the view's read is rendered once (no
     * {@code now()}): the lease's statement and the read's first fetch sent together, in one round
     * trip. They run in one implicit transaction, the read after the lease is taken (the lease row
     * stays locked until the read is done; the read's start, the transaction's, is before it). A view
     * with more rows than one fetch is then streamed as {@link #open} does. On any failure, and for
     * a view without a lease row yet, the two steps one after the other (a failure of the read then
     * reported by the cursor, as a push reports a failed read).
     */
    @Override
    Optional<DefaultJdbcPushStore.Begun> tryAcquireAndRead(DefaultJdbcPushStore store, String owner, Duration ttl,
                                                           View view, Snapshot snapshot) {
        Optional<LeaseToken> token;
        Optional<Pause> pause;
        DefaultJdbcPushStore.LoadedPage loaded;
        try (Connection c = store.dataSource().getConnection()) {
            Mapping mapping = store.mapping(c, view.definition());
            Optional<RenderedQueries.Rendered> first = RenderedQueries.get(view, mapping, snapshot, store.fetchSize() + 1L,
                    true, DSL.using(c, jooq(), store.settings()));
            if (first.isEmpty() || DefaultJdbcPushStore.hasWideFields(view)) {
                return inTwoSteps(store, owner, ttl, view);
            }
            long session = store.leases().holderSession();
            // the lease, then under it the view's pause and its first rows: one round trip
            try (PreparedStatement ps = c.prepareStatement(ACQUIRE_IN_ONE_STATEMENT + ";\n" + Pauses.SELECT_ONE + ";\n"
                    + first.get().text())) {
                bindAcquire(ps, view.name(), owner, ttl, session);
                ps.setString(ACQUIRE_PARAMETERS + 1, view.name());
                first.get().bind(ps, ACQUIRE_PARAMETERS + 1);
                ps.execute();
                Acquired acquired;
                try (ResultSet rs = ps.getResultSet()) {
                    acquired = acquired(rs);
                }
                if (!acquired.rowExists()) { // the first push of this view in this database: no lease row yet
                    return inTwoSteps(store, owner, ttl, view);
                }
                if (acquired.fence().isEmpty()) {
                    return Optional.empty();
                }
                Optional<LeaseToken> fence = token(store.leases(), store.ctx(), view.name(), owner, session, acquired);
                if (!ps.getMoreResults()) {
                    // not expected: the lease is this owner's now, and the steps below take it again
                    throw new SQLException("the pause read sent with the lease of view '" + view.name() + "' gave no answer");
                }
                try (ResultSet rs = ps.getResultSet()) {
                    pause = Pauses.paused(rs);
                }
                if (!ps.getMoreResults()) {
                    throw new SQLException("the read sent with the lease of view '" + view.name() + "' gave no rows");
                }
                token = fence;
                try (ResultSet rs = ps.getResultSet()) {
                    loaded = DefaultJdbcPushStore.readFirst(rs, first.get());
                }
            }
        } catch (SQLException | DataAccessException e) {
            // nothing was taken (the statements' one transaction rolled back): the two steps, which
            // report a failure each in its way (the lease's here, the read's when the session opens it)
            store.forget(view.definition());
            return inTwoSteps(store, owner, ttl, view);
        }
        if (loaded.rows().size() <= store.fetchSize()) {
            return Optional.of(new DefaultJdbcPushStore.Begun(token.get(), DefaultJdbcPushStore.loaded(loaded), pause));
        }
        return Optional.of(new DefaultJdbcPushStore.Begun(token.get(), null, pause)); // more than one fetch: the session streams it in its own transaction
    }

    private static Optional<DefaultJdbcPushStore.Begun> inTwoSteps(DefaultJdbcPushStore store, String owner, Duration ttl,
                                                                  View view) {
        return store.tryAcquire(view.name(), owner, ttl).map(t -> new DefaultJdbcPushStore.Begun(t, null, null));
    }

    /** ONE statement (see {@link Journal#recordAndRelease}): the release, the attempt and the history. */
    @Override
    void recordAndRelease(DefaultJdbcPushStore store, PushAttempt attempt, LeaseToken lease) {
        boolean held;
        try {
            held = store.journal().recordAndRelease(store.ctx(), attempt, lease);
        } catch (DataAccessException e) {
            throw Errors.storage("recording a push attempt of view '" + attempt.view() + "'", e);
        }
        if (!held) {
            throw new LeaseLostException(lease);
        }
        store.maybePrune(attempt.view());
    }

    @Override
    JdbcStampBatch newBatch(DefaultJdbcPushStore store, View view, Mapping mapping, LeaseToken lease, long batchId,
                            Object stampValue, int chunk) {
        return new PostgreSqlStampBatch(store.ctx(), store.spillDirectory(), store.leases(), view, mapping, lease,
                batchId, stampValue, chunk, store.stampAhead() ? store.scratchWriter() : null);
    }

    @Override
    ValueFunctions valueFunctions() {
        return ValueFunctions.POSTGRESQL;
    }

    /** PostgreSQL: {@code FOR SHARE} in the correlated subqueries of a calculated modified value. */
    @Override
    boolean locksRelatedRowsWhenStamping() {
        return true;
    }
}
