package io.viewpush.jdbc;

import io.viewpush.port.LeaseHolder;
import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.SQLStateClass;
import org.jooq.impl.DSL;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

import static io.viewpush.jdbc.Tables.Lease.ACQUIRED_AT;
import static io.viewpush.jdbc.Tables.Lease.EXPIRES_AT;
import static io.viewpush.jdbc.Tables.Lease.FENCE;
import static io.viewpush.jdbc.Tables.Lease.HOLDER_HOST;
import static io.viewpush.jdbc.Tables.Lease.HOLDER_PID;
import static io.viewpush.jdbc.Tables.Lease.HOLDER_SESSION;
import static io.viewpush.jdbc.Tables.Lease.OWNER;
import static io.viewpush.jdbc.Tables.Lease.TABLE;
import static io.viewpush.jdbc.Tables.Lease.VIEW;

/**
 * Row leases: one row per view, locked ({@code SELECT ... FOR UPDATE}; see {@link Strength}) by
 * every change, so two engines can never both take it. Every time is the database's own clock, so JVM clock skew
 * between engines cannot break a lease; the fence grows with every acquisition. Each lease names
 * its holder, and a holder that is known to be gone is taken over before its lease expires (see
 * {@link LeaseHolders}).
 */
final class Leases {
    private static final OffsetDateTime NEVER = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final Dialect dialect;
    /** PostgreSQL: the store's session whose advisory lock shows it lives; null elsewhere. */
    private final LeaseHolders.Session session;
    /** H2 opened by this process alone: a lease of another process was left by one that ended. */
    private final boolean otherProcessesAreGone;

    Leases(Dialect dialect) {
        this(dialect, null, false);
    }

    Leases(Dialect dialect, LeaseHolders.Session session, boolean otherProcessesAreGone) {
        this.dialect = dialect;
        this.session = session;
        this.otherProcessesAreGone = otherProcessesAreGone;
    }

    /**
     * The lease row as read under lock, with the database's time.
     *
     * @param holderSession what shows the holder lives (see {@link LeaseHolders}); null when not read or not known
     */
    record Held(String owner, long fence, OffsetDateTime expiresAt, OffsetDateTime now, Long holderSession) {
        boolean unexpired() {
            return expiresAt.isAfter(now);
        }
    }

    /**
     * @return what this store writes as a lease's {@code holder_session}: its PostgreSQL session's
     *         lock key (the session opened first if needed), else this process's number
     */
    long holderSession() {
        if (session == null) {
            return LeaseHolders.PROCESS;
        }
        try {
            return session.key();
        } catch (java.sql.SQLException e) {
            throw new DataAccessException("opening the connection that shows other engines this one is alive: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The store's session turned out to have lost the lock of {@code lostKey} after {@code token} was
     * taken with it: a new session is opened, and the lease is made to name it (if the token still
     * holds it), so other engines do not take a live holder's view over.
     */
    void replaceSession(DSLContext ctx, LeaseToken token, long lostKey) {
        if (session == null) {
            return;
        }
        long key;
        try {
            key = session.replace(lostKey);
        } catch (java.sql.SQLException e) {
            throw new DataAccessException("opening the connection that shows other engines this one is alive: "
                    + e.getMessage(), e);
        }
        ctx.update(TABLE).set(HOLDER_SESSION, key)
                .where(VIEW.eq(token.view()).and(OWNER.eq(token.owner())).and(FENCE.eq(token.fence())))
                .execute();
    }

    /** Ends the store's session, if any: its leases are free to take at once. */
    void close() {
        if (session != null) {
            session.close();
        }
    }

    /** @return whether the holder of this lease row is known to be gone (H2 opened by one process: another process's lease) */
    private boolean holderGone(Held held) {
        return otherProcessesAreGone && (held.holderSession() == null || held.holderSession() != LeaseHolders.PROCESS);
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
    enum Strength {
        TAKE_OVER, RENEW, FENCED_WRITE
    }

    private Optional<Held> lock(DSLContext tx, String view, Strength strength) {
        return dialect.lock(tx, view, strength);
    }

    /** Takes the lease if it is free, expired or already the owner's (see {@link Dialect#tryAcquire}). */
    Optional<LeaseToken> tryAcquire(DSLContext ctx, String view, String owner, Duration ttl) {
        return dialect.tryAcquire(this, ctx, view, owner, ttl);
    }

    /** Extends the lease if the token still holds it (see {@link Dialect#renewNow}). */
    boolean renewNow(DSLContext ctx, LeaseToken token, Duration ttl) {
        return dialect.renewNow(this, ctx, token, ttl);
    }

    /** In a transaction: takes the lease if it is free, expired, already the owner's or its holder is gone. */
    Optional<LeaseToken> tryAcquireLocked(DSLContext tx, String view, String owner, Duration ttl) {
        long mySession = holderSession();
        Held held = lock(tx, view, Strength.TAKE_OVER).orElseThrow(() -> new IllegalStateException("no lease row for view '" + view + "'"));
        if (held.owner() != null && !held.owner().equals(owner) && held.unexpired() && !holderGone(held)) {
            return Optional.empty();
        }
        long fence = held.fence() + 1;
        tx.update(TABLE)
                .set(OWNER, owner)
                .set(FENCE, fence)
                .set(EXPIRES_AT, held.now().plus(ttl))
                .set(ACQUIRED_AT, held.now())
                .set(HOLDER_HOST, LeaseHolders.host())
                .set(HOLDER_PID, LeaseHolders.PID)
                .set(HOLDER_SESSION, mySession)
                .where(VIEW.eq(view))
                .execute();
        return Optional.of(new LeaseToken(view, owner, fence));
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

    /** @return who holds the view's lease now, if anybody holds an unexpired one */
    Optional<LeaseHolder> holder(DSLContext ctx, String view) {
        return ctx.select(OWNER, ACQUIRED_AT, EXPIRES_AT, HOLDER_HOST, HOLDER_PID, dialect.now())
                .from(TABLE).where(VIEW.eq(view)).and(OWNER.isNotNull())
                .fetchOptional()
                .filter(r -> r.value3().isAfter(r.value6()))
                .map(r -> new LeaseHolder(r.value1(), Optional.ofNullable(r.value4()),
                        r.value5() == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(r.value5()),
                        r.value2() == null ? Optional.empty() : Optional.of(r.value2().toInstant()),
                        r.value3().toInstant()));
    }

    static boolean matches(Held held, LeaseToken token) {
        return Objects.equals(held.owner(), token.owner()) && held.fence() == token.fence();
    }
}
