package io.viewpush.jdbc;

import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Record3;
import org.jooq.SelectForUpdateStep;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.SQLStateClass;
import org.jooq.impl.DSL;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

import static io.viewpush.jdbc.Tables.Lease.ACQUIRED_AT;
import static io.viewpush.jdbc.Tables.Lease.EXPIRES_AT;
import static io.viewpush.jdbc.Tables.Lease.FENCE;
import static io.viewpush.jdbc.Tables.Lease.OWNER;
import static io.viewpush.jdbc.Tables.Lease.TABLE;
import static io.viewpush.jdbc.Tables.Lease.VIEW;

/**
 * Row leases: one row per view, locked ({@code SELECT ... FOR UPDATE}; see {@link Strength}) by
 * every change, so two engines can never both take it. Every time is the database's own clock, so JVM clock skew
 * between engines cannot break a lease; the fence grows with every acquisition.
 */
final class Leases {
    private static final OffsetDateTime NEVER = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final Dialect dialect;

    Leases(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The lease row as read under lock, with the database's time. */
    private record Held(String owner, long fence, OffsetDateTime expiresAt, OffsetDateTime now) {
        boolean unexpired() {
            return expiresAt.isAfter(now);
        }
    }

    /** Outside any transaction: creates the view's lease row if it does not exist yet; safe when engines race. */
    void ensureRow(DSLContext ctx, String view) {
        try {
            ctx.insertInto(TABLE, VIEW, FENCE, EXPIRES_AT)
                    .select(DSL.select(DSL.val(view), DSL.val(0L), DSL.val(NEVER, SqlTypes.TIMESTAMP_TZ))
                            .whereNotExists(DSL.selectOne().from(TABLE).where(VIEW.eq(view))))
                    .execute();
        } catch (DataAccessException e) {
            if (e.sqlStateClass() != SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION) {
                throw e;
            }
            // another engine inserted it at the same moment: that is all we wanted
        }
    }

    /**
     * How strongly a transaction locks the lease row. On PostgreSQL a fenced write holds a
     * {@code KEY SHARE} lock while it stamps (possibly for seconds): it still keeps any other
     * engine from taking the lease over ({@code FOR UPDATE} waits for it), but lets the holder
     * renew its own lease ({@code NO KEY UPDATE}) meanwhile, so the next batch of a push is not
     * held up behind the stamping of the previous one. Other databases lock {@code FOR UPDATE}.
     */
    private enum Strength {
        TAKE_OVER, RENEW, FENCED_WRITE
    }

    private Optional<Held> lock(DSLContext tx, String view, Strength strength) {
        SelectForUpdateStep<Record3<String, Long, OffsetDateTime>> select = DSL.select(OWNER, FENCE, EXPIRES_AT)
                .from(TABLE).where(VIEW.eq(view));
        if (dialect != Dialect.POSTGRESQL) {
            Optional<Record3<String, Long, OffsetDateTime>> row = tx.fetchOptional(select.forUpdate());
            if (row.isEmpty()) {
                return Optional.empty();
            }
            OffsetDateTime now = tx.select(dialect.now()).fetchSingle().value1();
            return Optional.of(new Held(row.get().value1(), row.get().value2(), row.get().value3(), now));
        }
        // one round trip: the database's time is read in the outer query, so after the lock is held
        CommonTableExpression<Record3<String, Long, OffsetDateTime>> locked = DSL.name("viewpush_locked")
                .asMaterialized(strength == Strength.TAKE_OVER ? select.forUpdate()
                        : strength == Strength.RENEW ? select.forNoKeyUpdate() : select.forKeyShare());
        return tx.with(locked)
                .select(locked.field(OWNER), locked.field(FENCE), locked.field(EXPIRES_AT), dialect.now())
                .from(locked)
                .fetchOptional(r -> new Held(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /**
     * PostgreSQL: takes the lease in ONE statement (one round trip, in autocommit): the row locked
     * {@code FOR UPDATE} in a materialized CTE (a take-over still waits for a fenced write's
     * {@code KEY SHARE} lock), the database's time read after the lock, the row updated only if the
     * lease is free, expired or already the owner's. Answers whether the row exists and the new fence.
     */
    static final String ACQUIRE_IN_ONE_STATEMENT = "with viewpush_locked as materialized ("
            + "select owner, fence, expires_at from viewpush_lease where view_name = ? for update), "
            + "viewpush_now as materialized (select clock_timestamp() as t from viewpush_locked), "
            + "viewpush_taken as (update viewpush_lease set owner = ?, fence = viewpush_locked.fence + 1, "
            + "expires_at = viewpush_now.t + cast(? as bigint) * interval '1 microsecond', acquired_at = viewpush_now.t "
            + "from viewpush_locked, viewpush_now where viewpush_lease.view_name = ? and (viewpush_locked.owner is null"
            + " or viewpush_locked.owner = ? or viewpush_locked.expires_at <= viewpush_now.t) "
            + "returning viewpush_lease.fence) "
            + "select (select count(*) from viewpush_locked), (select fence from viewpush_taken)";

    /**
     * Takes the lease if it is free, expired or already the owner's: on PostgreSQL in one statement
     * (creating the view's lease row first only when it is missing), elsewhere in a transaction.
     */
    Optional<LeaseToken> tryAcquire(DSLContext ctx, String view, String owner, Duration ttl) {
        if (dialect != Dialect.POSTGRESQL) {
            ensureRow(ctx, view);
            return ctx.transactionResult(cfg -> tryAcquireLocked(cfg.dsl(), view, owner, ttl));
        }
        for (int attempt = 0; ; attempt++) {
            // plain JDBC: the statement's text never changes, and jOOQ's parsing and rendering of it
            // cost more CPU than the database spends running it
            Optional<Long> fence = ctx.connectionResult(c -> {
                try (PreparedStatement ps = c.prepareStatement(ACQUIRE_IN_ONE_STATEMENT)) {
                    bindAcquire(ps, view, owner, ttl);
                    try (ResultSet rs = ps.executeQuery()) {
                        return acquired(rs);
                    }
                }
            });
            if (fence != null || attempt > 0) {
                return fence == null || fence.isEmpty() ? Optional.empty() : Optional.of(new LeaseToken(view, owner, fence.get()));
            }
            ensureRow(ctx, view); // the first push of this view in this database
        }
    }

    /** Sets the parameters of {@link #ACQUIRE_IN_ONE_STATEMENT}, the first five of the statement. */
    static void bindAcquire(PreparedStatement ps, String view, String owner, Duration ttl) throws SQLException {
        ps.setString(1, view);
        ps.setString(2, owner);
        ps.setLong(3, micros(ttl));
        ps.setString(4, view);
        ps.setString(5, owner);
    }

    /** The parameters of {@link #ACQUIRE_IN_ONE_STATEMENT}. */
    static final int ACQUIRE_PARAMETERS = 5;

    /**
     * Reads the answer of {@link #ACQUIRE_IN_ONE_STATEMENT}.
     *
     * @return null when the view has no lease row yet; empty when another owner holds the lease;
     *         else the new fence
     */
    static Optional<Long> acquired(ResultSet rs) throws SQLException {
        rs.next();
        long rows = rs.getLong(1);
        long taken = rs.getLong(2);
        return rows == 0 ? null : rs.wasNull() ? Optional.empty() : Optional.of(taken);
    }

    private static long micros(Duration ttl) {
        long thousandYears = Duration.ofDays(365_250).getSeconds() * 1_000_000L;
        return ttl.getSeconds() >= thousandYears / 1_000_000L ? thousandYears // as good as never expiring
                : ttl.getSeconds() * 1_000_000L + ttl.getNano() / 1000;
    }

    /** In a transaction: takes the lease if it is free, expired or already the owner's. */
    private Optional<LeaseToken> tryAcquireLocked(DSLContext tx, String view, String owner, Duration ttl) {
        Held held = lock(tx, view, Strength.TAKE_OVER).orElseThrow(() -> new IllegalStateException("no lease row for view '" + view + "'"));
        if (held.owner() != null && !held.owner().equals(owner) && held.unexpired()) {
            return Optional.empty();
        }
        long fence = held.fence() + 1;
        tx.update(TABLE)
                .set(OWNER, owner)
                .set(FENCE, fence)
                .set(EXPIRES_AT, held.now().plus(ttl))
                .set(ACQUIRED_AT, held.now())
                .where(VIEW.eq(view))
                .execute();
        return Optional.of(new LeaseToken(view, owner, fence));
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

    /**
     * Extends the lease if the token still holds it (nobody took it since): on PostgreSQL in one
     * statement in autocommit, elsewhere in a transaction.
     */
    boolean renewNow(DSLContext ctx, LeaseToken token, Duration ttl) {
        if (dialect != Dialect.POSTGRESQL) {
            return ctx.transactionResult(cfg -> renew(cfg.dsl(), token, ttl));
        }
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

    /** In a transaction: extends the lease if the token still holds it (nobody took it since). */
    boolean renew(DSLContext tx, LeaseToken token, Duration ttl) {
        Optional<Held> held = lock(tx, token.view(), Strength.RENEW);
        if (held.isEmpty() || !matches(held.get(), token)) {
            return false;
        }
        tx.update(TABLE).set(EXPIRES_AT, held.get().now().plus(ttl)).where(VIEW.eq(token.view())).execute();
        return true;
    }

    /** Releases the lease if the token still holds it. */
    void release(DSLContext ctx, LeaseToken token) {
        ctx.update(TABLE)
                .set(OWNER, (String) null)
                .set(EXPIRES_AT, dialect.now())
                .where(VIEW.eq(token.view()).and(OWNER.eq(token.owner())).and(FENCE.eq(token.fence())))
                .execute();
    }

    /**
     * In the transaction of a fenced write: locks the lease row until the transaction ends and
     * checks that the token still holds an unexpired lease.
     *
     * @throws LeaseLostException when it does not; the caller's transaction must roll back
     */
    void checkHeld(DSLContext tx, LeaseToken token) {
        Optional<Held> held = lock(tx, token.view(), Strength.FENCED_WRITE);
        if (held.isEmpty() || !matches(held.get(), token) || !held.get().unexpired()) {
            throw new LeaseLostException(token);
        }
    }

    /**
     * PostgreSQL, in the transaction of a fenced write: what {@link #checkHeld} does (the lease row
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
    void checkHeldPlanningGenerically(DSLContext tx, LeaseToken token) {
        if (dialect != Dialect.POSTGRESQL) {
            throw new IllegalStateException("generic plans are set up on PostgreSQL only");
        }
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

    private static boolean matches(Held held, LeaseToken token) {
        return Objects.equals(held.owner(), token.owner()) && held.fence() == token.fence();
    }
}
