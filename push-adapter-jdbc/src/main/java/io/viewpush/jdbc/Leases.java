package io.viewpush.jdbc;

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
    record Held(String owner, long fence, OffsetDateTime expiresAt, OffsetDateTime now) {
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

    /** In a transaction: takes the lease if it is free, expired or already the owner's. */
    Optional<LeaseToken> tryAcquireLocked(DSLContext tx, String view, String owner, Duration ttl) {
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

    static boolean matches(Held held, LeaseToken token) {
        return Objects.equals(held.owner(), token.owner()) && held.fence() == token.fence();
    }
}
