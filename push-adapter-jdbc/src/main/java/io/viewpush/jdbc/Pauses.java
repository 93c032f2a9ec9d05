package io.viewpush.jdbc;

import io.viewpush.push.Pause;
import org.jooq.DSLContext;
import org.jooq.Record6;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.SQLStateClass;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.viewpush.jdbc.Tables.PauseRow;

/**
 * Paused views: one row each in {@code viewpush_pause}, so that every engine on the database and
 * every restart sees the pause. The first pause of a view is kept; a resume deletes it.
 */
final class Pauses {
    private Pauses() {
    }

    static Optional<Pause> paused(DSLContext ctx, String view) {
        return ctx.select(PauseRow.VIEW, PauseRow.REASON, PauseRow.DETAIL, PauseRow.SINCE, PauseRow.SINCE_NANO, PauseRow.BY)
                .from(PauseRow.TABLE).where(PauseRow.VIEW.eq(view)).fetchOptional(Pauses::pause);
    }

    /**
     * The view's pause in plain SQL, for sending together with other statements in one round trip
     * (one parameter, the view's name); its answer is read with {@link #paused(ResultSet)}.
     */
    static final String SELECT_ONE = "select view_name, reason, detail, since, since_nano, paused_by"
            + " from viewpush_pause where view_name = ?";

    /** @return the pause in an answer of {@link #SELECT_ONE}, or empty when it has no row */
    static Optional<Pause> paused(ResultSet rs) throws SQLException {
        if (!rs.next()) {
            return Optional.empty();
        }
        Instant since = rs.getObject(4, OffsetDateTime.class).toInstant().plusNanos(rs.getInt(5));
        return Optional.of(new Pause(rs.getString(1), Pause.Reason.valueOf(rs.getString(2)), rs.getString(3), since,
                rs.getString(6)));
    }

    static Map<String, Pause> all(DSLContext ctx) {
        Map<String, Pause> out = new LinkedHashMap<>();
        ctx.select(PauseRow.VIEW, PauseRow.REASON, PauseRow.DETAIL, PauseRow.SINCE, PauseRow.SINCE_NANO, PauseRow.BY)
                .from(PauseRow.TABLE).orderBy(PauseRow.VIEW).fetch(Pauses::pause).forEach(p -> out.put(p.view(), p));
        return out;
    }

    /** Inserts the pause unless the view has one; returns the view's pause either way. */
    static Pause pause(DSLContext ctx, Pause p) {
        try {
            ctx.insertInto(PauseRow.TABLE)
                    .set(PauseRow.VIEW, p.view())
                    .set(PauseRow.REASON, p.reason().name())
                    .set(PauseRow.DETAIL, p.detail())
                    .set(PauseRow.SINCE, OffsetDateTime.ofInstant(p.since().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC))
                    .set(PauseRow.SINCE_NANO, p.since().getNano())
                    .set(PauseRow.BY, p.by())
                    .execute();
            return p;
        } catch (DataAccessException e) {
            if (e.sqlStateClass() != SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION) {
                throw e;
            }
            // paused already (perhaps by another engine at this moment): that pause stands
            return paused(ctx, p.view()).orElseGet(() -> pause(ctx, p));
        }
    }

    /** Deletes the view's pause; returns it, or empty when there was none. */
    static Optional<Pause> resume(DSLContext ctx, String view) {
        return ctx.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<Pause> p = paused(tx, view);
            if (p.isPresent() && tx.deleteFrom(PauseRow.TABLE).where(PauseRow.VIEW.eq(view)).execute() == 0) {
                return Optional.<Pause>empty(); // another engine resumed it meanwhile
            }
            return p;
        });
    }

    private static Pause pause(Record6<String, String, String, OffsetDateTime, Integer, String> r) {
        Instant since = r.value4().toInstant().plusNanos(r.value5());
        return new Pause(r.value1(), Pause.Reason.valueOf(r.value2()), r.value3(), since, r.value6());
    }
}
