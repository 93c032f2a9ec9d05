package io.viewpush.jdbc;

import io.viewpush.port.LeaseToken;
import io.viewpush.push.HeldBack;
import io.viewpush.push.HeldBackRow;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import io.viewpush.push.Replay;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import static io.viewpush.jdbc.Tables.Attempt;
import static io.viewpush.jdbc.Tables.History;
import static io.viewpush.jdbc.Tables.ReplayRow;

/**
 * The push journal: attempts (pruned by age and by count per view) and each view's history. An
 * instant is stored as whole seconds ({@code timestamp(0) with time zone}, readable by people)
 * plus its nano-of-second, so it reads back exactly.
 */
final class Journal {
    private static final String ID_SEPARATOR = "\n";

    private final Leases leases;

    Journal(Leases leases) {
        this.leases = leases;
    }

    /** In a transaction: checks the lease, then writes the attempt and the view's new history. */
    void record(DSLContext tx, PushAttempt a, LeaseToken lease) {
        leases.checkHeld(tx, lease);
        tx.insertInto(Attempt.TABLE)
                .set(Attempt.VIEW, a.view())
                .set(Attempt.TRIGGER, a.trigger().name())
                .set(Attempt.STARTED_AT, seconds(a.startedAt()))
                .set(Attempt.STARTED_NANO, a.startedAt().getNano())
                .set(Attempt.FINISHED_AT, seconds(a.finishedAt()))
                .set(Attempt.FINISHED_NANO, a.finishedAt().getNano())
                .set(Attempt.STATUS, a.status().name())
                .set(Attempt.ROWS_SENT, a.rowsSent())
                .set(Attempt.ROWS_STAMPED, a.rowsStamped())
                .set(Attempt.ROWS_SKIPPED, a.rowsSkipped())
                .set(Attempt.BATCHES, a.batches())
                .set(Attempt.BYTES, a.bytes())
                .set(Attempt.HTTP_STATUS, a.httpStatus().isPresent() ? a.httpStatus().getAsInt() : null)
                .set(Attempt.REASON, a.reason())
                .set(Attempt.WEBHOOK_IDS, String.join(ID_SEPARATOR, a.webhookIds()))
                .set(Attempt.OUTCOME, a.outcome().name())
                .set(Attempt.ROWS_HELD_BACK, a.heldBack().count())
                .set(Attempt.HELD_BACK, heldBackText(a.heldBack()))
                .execute();
        Optional<PushHistory> before = read(tx, a.view());
        PushHistory after = before.orElse(PushHistory.none(a.view())).after(a);
        if (before.isPresent()) {
            if (!after.equals(before.get())) {
                tx.update(History.TABLE)
                        .set(History.LAST_START, seconds(after.lastStart()))
                        .set(History.LAST_START_NANO, nanos(after.lastStart()))
                        .set(History.LAST_SUCCESS, seconds(after.lastSuccess()))
                        .set(History.LAST_SUCCESS_NANO, nanos(after.lastSuccess()))
                        .set(History.LAST_FAILURE, seconds(after.lastFailure()))
                        .set(History.LAST_FAILURE_NANO, nanos(after.lastFailure()))
                        .set(History.LAST_FAILURE_REASON, after.lastFailureReason().orElse(null))
                        .set(History.CONSECUTIVE_FAILURES, after.consecutiveFailures())
                        .set(History.FAILING_SINCE, seconds(after.failingSince()))
                        .set(History.FAILING_SINCE_NANO, nanos(after.failingSince()))
                        .where(History.VIEW.eq(a.view()))
                        .execute();
            }
        } else {
            tx.insertInto(History.TABLE)
                    .set(History.VIEW, a.view())
                    .set(History.LAST_START, seconds(after.lastStart()))
                    .set(History.LAST_START_NANO, nanos(after.lastStart()))
                    .set(History.LAST_SUCCESS, seconds(after.lastSuccess()))
                    .set(History.LAST_SUCCESS_NANO, nanos(after.lastSuccess()))
                    .set(History.LAST_FAILURE, seconds(after.lastFailure()))
                    .set(History.LAST_FAILURE_NANO, nanos(after.lastFailure()))
                    .set(History.LAST_FAILURE_REASON, after.lastFailureReason().orElse(null))
                    .set(History.CONSECUTIVE_FAILURES, after.consecutiveFailures())
                    .set(History.FAILING_SINCE, seconds(after.failingSince()))
                    .set(History.FAILING_SINCE_NANO, nanos(after.failingSince()))
                    .execute();
        }
    }

    /**
     * PostgreSQL, ONE statement (one round trip, atomic in autocommit): releases the lease if the
     * token still holds it unexpired (the update locks its row, so a take-over waits), and only then
     * inserts the attempt and moves the view's history on, column by column as
     * {@link PushHistory#after} does (the history's other columns keep their values).
     *
     * @return whether the lease was held (and is now released, the attempt recorded)
     */
    boolean recordAndRelease(DSLContext ctx, PushAttempt a, LeaseToken lease) {
        String sql = a.status() == PushAttempt.Status.SUCCESS ? RECORD_SUCCESS_AND_RELEASE
                : a.status() == PushAttempt.Status.FAILED || a.status() == PushAttempt.Status.PARTIAL
                ? RECORD_FAILURE_AND_RELEASE : RECORD_AND_RELEASE;
        // plain JDBC: the statement's text is one of three constants, and jOOQ's parsing and
        // rendering of it cost more CPU than the database spends running it
        return ctx.connectionResult(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 0;
                ps.setString(++i, lease.view());
                ps.setString(++i, lease.owner());
                ps.setLong(++i, lease.fence());
                ps.setString(++i, a.view());
                ps.setString(++i, a.trigger().name());
                ps.setObject(++i, seconds(a.startedAt()));
                ps.setInt(++i, a.startedAt().getNano());
                ps.setObject(++i, seconds(a.finishedAt()));
                ps.setInt(++i, a.finishedAt().getNano());
                ps.setString(++i, a.status().name());
                ps.setLong(++i, a.rowsSent());
                ps.setLong(++i, a.rowsStamped());
                ps.setLong(++i, a.rowsSkipped());
                ps.setInt(++i, a.batches());
                ps.setLong(++i, a.bytes());
                if (a.httpStatus().isPresent()) {
                    ps.setInt(++i, a.httpStatus().getAsInt());
                } else {
                    ps.setNull(++i, Types.INTEGER);
                }
                ps.setString(++i, a.reason());
                ps.setString(++i, String.join(ID_SEPARATOR, a.webhookIds()));
                ps.setString(++i, a.outcome().name());
                ps.setLong(++i, a.heldBack().count());
                ps.setString(++i, heldBackText(a.heldBack()));
                ps.setString(++i, a.view());
                if (sql != RECORD_AND_RELEASE) {
                    ps.setObject(++i, seconds(a.startedAt()));
                    ps.setInt(++i, a.startedAt().getNano());
                }
                if (sql == RECORD_FAILURE_AND_RELEASE) {
                    ps.setString(++i, a.reason());
                }
                if (sql != RECORD_AND_RELEASE) {
                    ps.setObject(++i, seconds(a.intervalStart()));
                    ps.setInt(++i, a.intervalStart().getNano());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        });
    }

    /**
     * PostgreSQL: the release (only if the token still holds the lease unexpired; the update locks
     * the lease row, so a take-over waits), then, only if released, the attempt, then the history's
     * upsert ({@code %s}). Parameters: the lease's view, owner and fence; the attempt's 18 columns;
     * then the history's.
     */
    private static final String RECORD_AND_RELEASE_TEMPLATE = "with viewpush_released as ("
            + "update viewpush_lease set owner = null, expires_at = clock_timestamp()"
            + " where view_name = ? and owner = ? and fence = ? and expires_at > clock_timestamp() returning view_name), "
            + "viewpush_recorded as (insert into viewpush_push_attempt (view_name, trigger_kind, started_at,"
            + " started_nano, finished_at, finished_nano, status, rows_sent, rows_stamped, rows_skipped, batches,"
            + " bytes, http_status, reason, webhook_ids, outcome, rows_held_back, held_back) select ?, ?, cast(? as timestamptz), ?,"
            + " cast(? as timestamptz), ?, ?, ?, ?, ?, ?, ?, cast(? as integer), ?, ?, ?, ?, cast(? as text)"
            + " from viewpush_released), "
            + "viewpush_history as (%s) "
            + "select count(*) from viewpush_released";

    /**
     * A success moves the start (the attempt's {@link PushAttempt#intervalStart()}) and the success
     * (its start) on and resets the failures (see {@link PushHistory#after}).
     */
    private static final String RECORD_SUCCESS_AND_RELEASE = String.format(RECORD_AND_RELEASE_TEMPLATE,
            "insert into viewpush_push_history (view_name, last_start, last_start_nano, last_success,"
                    + " last_success_nano, consecutive_failures) select v, s, sn, t, n, 0"
                    + " from viewpush_released, (select cast(? as varchar) as v, cast(? as timestamptz) as t,"
                    + " cast(? as integer) as n, cast(? as timestamptz) as s, cast(? as integer) as sn) as a"
                    + " on conflict (view_name) do update set last_start = excluded.last_start,"
                    + " last_start_nano = excluded.last_start_nano, last_success = excluded.last_success,"
                    + " last_success_nano = excluded.last_success_nano, consecutive_failures = 0,"
                    + " failing_since = null, failing_since_nano = null");

    /** A failure moves the start and the failure on and counts it (see {@link PushHistory#after}). */
    private static final String RECORD_FAILURE_AND_RELEASE = String.format(RECORD_AND_RELEASE_TEMPLATE,
            "insert into viewpush_push_history (view_name, last_start, last_start_nano, last_failure,"
                    + " last_failure_nano, last_failure_reason, consecutive_failures, failing_since,"
                    + " failing_since_nano) select v, s, sn, t, n, r, 1, t, n"
                    + " from viewpush_released, (select cast(? as varchar) as v, cast(? as timestamptz) as t,"
                    + " cast(? as integer) as n, cast(? as text) as r, cast(? as timestamptz) as s,"
                    + " cast(? as integer) as sn) as a"
                    + " on conflict (view_name) do update set last_start = excluded.last_start,"
                    + " last_start_nano = excluded.last_start_nano, last_failure = excluded.last_failure,"
                    + " last_failure_nano = excluded.last_failure_nano,"
                    + " last_failure_reason = excluded.last_failure_reason,"
                    + " consecutive_failures = viewpush_push_history.consecutive_failures + 1,"
                    // the streak's first failure stays; a history from before V4 (failures, no start) takes this one
                    + " failing_since = case when viewpush_push_history.consecutive_failures > 0"
                    + " and viewpush_push_history.failing_since is not null"
                    + " then viewpush_push_history.failing_since else excluded.failing_since end,"
                    + " failing_since_nano = case when viewpush_push_history.consecutive_failures > 0"
                    + " and viewpush_push_history.failing_since is not null"
                    + " then viewpush_push_history.failing_since_nano else excluded.failing_since_nano end");

    /** Any other outcome leaves the history as it is (creating it, empty, for a view that has none). */
    private static final String RECORD_AND_RELEASE = String.format(RECORD_AND_RELEASE_TEMPLATE,
            "insert into viewpush_push_history (view_name, consecutive_failures) select cast(? as varchar), 0"
                    + " from viewpush_released on conflict (view_name) do nothing");

    PushHistory history(DSLContext ctx, String view) {
        return read(ctx, view).orElse(PushHistory.none(view));
    }

    private Optional<PushHistory> read(DSLContext ctx, String view) {
        return ctx.select(History.LAST_START, History.LAST_START_NANO, History.LAST_SUCCESS, History.LAST_SUCCESS_NANO,
                        History.LAST_FAILURE, History.LAST_FAILURE_NANO, History.LAST_FAILURE_REASON,
                        History.CONSECUTIVE_FAILURES, History.FAILING_SINCE, History.FAILING_SINCE_NANO)
                .from(History.TABLE)
                .where(History.VIEW.eq(view))
                .fetchOptional(r -> history(view, r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                        r.value6(), r.value7(), r.value8(), r.value9(), r.value10()));
    }

    private static PushHistory history(String view, OffsetDateTime lastStart, Integer lastStartNano,
                                       OffsetDateTime lastSuccess, Integer lastSuccessNano, OffsetDateTime lastFailure,
                                       Integer lastFailureNano, String reason, int failures,
                                       OffsetDateTime failingSince, Integer failingSinceNano) {
        Optional<Instant> failing = instant(failingSince, failingSinceNano);
        Optional<Instant> last = instant(lastFailure, lastFailureNano);
        return new PushHistory(view, instant(lastStart, lastStartNano), instant(lastSuccess, lastSuccessNano), last,
                Optional.ofNullable(reason), failures,
                // failures recorded before failing_since existed: the last one is the latest the streak began
                failures == 0 ? Optional.empty() : failing.isPresent() ? failing : last);
    }

    /** The view's history and its pause (null when not paused), read together. */
    record HistoryAndPause(PushHistory history, io.viewpush.push.Pause pause) {
    }

    /** Reads the view's history and whether it is paused in one statement (one round trip). */
    HistoryAndPause historyAndPause(DSLContext ctx, String view) {
        org.jooq.Table<?> one = DSL.selectOne().asTable("viewpush_one");
        org.jooq.Record r = ctx.select(History.LAST_START, History.LAST_START_NANO, History.LAST_SUCCESS,
                        History.LAST_SUCCESS_NANO, History.LAST_FAILURE, History.LAST_FAILURE_NANO,
                        History.LAST_FAILURE_REASON, History.CONSECUTIVE_FAILURES, History.FAILING_SINCE,
                        History.FAILING_SINCE_NANO, Tables.PauseRow.REASON, Tables.PauseRow.DETAIL, Tables.PauseRow.SINCE,
                        Tables.PauseRow.SINCE_NANO, Tables.PauseRow.BY)
                .from(one)
                .leftJoin(History.TABLE).on(DSL.field(DSL.name("viewpush_push_history", "view_name"), String.class).eq(view))
                .leftJoin(Tables.PauseRow.TABLE).on(DSL.field(DSL.name("viewpush_pause", "view_name"), String.class).eq(view))
                .fetchOne();
        Integer failures = r.get(History.CONSECUTIVE_FAILURES);
        PushHistory h = failures == null ? PushHistory.none(view)
                : history(view, r.get(History.LAST_START), r.get(History.LAST_START_NANO), r.get(History.LAST_SUCCESS),
                r.get(History.LAST_SUCCESS_NANO), r.get(History.LAST_FAILURE), r.get(History.LAST_FAILURE_NANO),
                r.get(History.LAST_FAILURE_REASON), failures, r.get(History.FAILING_SINCE), r.get(History.FAILING_SINCE_NANO));
        String reason = r.get(Tables.PauseRow.REASON);
        io.viewpush.push.Pause p = reason == null ? null : new io.viewpush.push.Pause(view,
                io.viewpush.push.Pause.Reason.valueOf(reason), r.get(Tables.PauseRow.DETAIL),
                instant(r.get(Tables.PauseRow.SINCE), r.get(Tables.PauseRow.SINCE_NANO)).orElseThrow(),
                r.get(Tables.PauseRow.BY));
        return new HistoryAndPause(h, p);
    }

    List<PushAttempt> recent(DSLContext ctx, String view, int limit) {
        return ctx.select(Attempt.VIEW, Attempt.TRIGGER, Attempt.STARTED_AT, Attempt.STARTED_NANO, Attempt.FINISHED_AT,
                        Attempt.FINISHED_NANO, Attempt.STATUS, Attempt.ROWS_SENT, Attempt.ROWS_STAMPED,
                        Attempt.ROWS_SKIPPED, Attempt.BATCHES, Attempt.BYTES, Attempt.HTTP_STATUS, Attempt.REASON,
                        Attempt.WEBHOOK_IDS, Attempt.OUTCOME, Attempt.ROWS_HELD_BACK, Attempt.HELD_BACK)
                .from(Attempt.TABLE)
                .where(Attempt.VIEW.eq(view))
                .orderBy(Attempt.ID.desc())
                .limit(limit)
                .fetch(Journal::attempt);
    }

    private static PushAttempt attempt(Record r) {
        Integer http = r.get(Attempt.HTTP_STATUS);
        String ids = r.get(Attempt.WEBHOOK_IDS);
        PushAttempt.Status status = PushAttempt.Status.valueOf(r.get(Attempt.STATUS));
        String outcome = r.get(Attempt.OUTCOME);
        return new PushAttempt(r.get(Attempt.VIEW),
                PushAttempt.Trigger.valueOf(r.get(Attempt.TRIGGER)),
                instant(r.get(Attempt.STARTED_AT), r.get(Attempt.STARTED_NANO)).orElseThrow(),
                instant(r.get(Attempt.FINISHED_AT), r.get(Attempt.FINISHED_NANO)).orElseThrow(),
                status,
                r.get(Attempt.ROWS_SENT), r.get(Attempt.ROWS_STAMPED), r.get(Attempt.ROWS_SKIPPED),
                r.get(Attempt.BATCHES), r.get(Attempt.BYTES),
                http == null ? OptionalInt.empty() : OptionalInt.of(http),
                r.get(Attempt.REASON),
                ids == null || ids.isEmpty() ? List.of() : Arrays.stream(ids.split(ID_SEPARATOR, -1)).collect(Collectors.toList()),
                outcome == null ? PushAttempt.Outcome.of(status) : PushAttempt.Outcome.valueOf(outcome),
                heldBack(r.get(Attempt.ROWS_HELD_BACK), r.get(Attempt.HELD_BACK)));
    }

    /**
     * The listed held-back rows, one per line as key, field and problem separated by tabs: neither
     * holds a tab or a line break (their text is {@link io.viewpush.view.Carriable#printable}).
     */
    private static String heldBackText(HeldBack h) {
        if (h.first().isEmpty()) {
            return null;
        }
        return h.first().stream().map(r -> r.key() + "\t" + r.field() + "\t" + r.problem())
                .collect(Collectors.joining(ID_SEPARATOR));
    }

    private static HeldBack heldBack(Long count, String text) {
        if (count == null || count == 0) {
            return HeldBack.NONE;
        }
        List<HeldBackRow> rows = text == null || text.isEmpty() ? List.of()
                : Arrays.stream(text.split(ID_SEPARATOR, -1)).map(line -> line.split("\t", 3))
                .map(p -> new HeldBackRow(p[0], p.length > 1 ? p[1] : "", p.length > 2 ? p[2] : ""))
                .collect(Collectors.toList());
        return new HeldBack(count, rows);
    }

    /** In the replay's transaction: records it. */
    void recordReplay(DSLContext tx, Replay r) {
        tx.insertInto(ReplayRow.TABLE)
                .set(ReplayRow.VIEW, r.view())
                .set(ReplayRow.AT, seconds(r.at()))
                .set(ReplayRow.AT_NANO, r.at().getNano())
                .set(ReplayRow.BY, r.by())
                .set(ReplayRow.SELECTION, r.selection())
                .set(ReplayRow.ROWS, r.rows())
                .execute();
    }

    /** @return the view's recent replays, newest first */
    List<Replay> replays(DSLContext ctx, String view, int limit) {
        return ctx.select(ReplayRow.VIEW, ReplayRow.SELECTION, ReplayRow.ROWS, ReplayRow.BY, ReplayRow.AT, ReplayRow.AT_NANO)
                .from(ReplayRow.TABLE)
                .where(ReplayRow.VIEW.eq(view))
                .orderBy(ReplayRow.ID.desc())
                .limit(limit)
                .fetch(r -> new Replay(r.value1(), r.value2(), r.value3(), false, r.value4(),
                        instant(r.value5(), r.value6()).orElseThrow()));
    }

    /**
     * Deletes attempts older than {@code retention} (by their start) and, for each view, all but the
     * newest {@code keep}. Runs in its own short statements, never inside a push's transaction.
     *
     * @param view the view to trim by count, or empty for every view
     * @return how many attempts were deleted
     */
    int prune(DSLContext ctx, Instant now, Duration retention, int keep, Optional<String> view) {
        int deleted = ctx.deleteFrom(Attempt.TABLE)
                .where(Attempt.STARTED_AT.lt(seconds(now.minus(retention))))
                .execute();
        List<String> views = view.map(List::of).orElseGet(() ->
                ctx.selectDistinct(Attempt.VIEW).from(Attempt.TABLE).fetch(Attempt.VIEW));
        for (String v : views) {
            Optional<Long> oldestKept = ctx.select(Attempt.ID).from(Attempt.TABLE)
                    .where(Attempt.VIEW.eq(v))
                    .orderBy(Attempt.ID.desc())
                    .offset(keep - 1)
                    .limit(1)
                    .fetchOptional(Attempt.ID);
            if (oldestKept.isPresent()) {
                deleted += ctx.deleteFrom(Attempt.TABLE)
                        .where(Attempt.VIEW.eq(v).and(Attempt.ID.lt(oldestKept.get())))
                        .execute();
            }
        }
        return deleted;
    }

    private static OffsetDateTime seconds(Instant i) {
        return OffsetDateTime.ofInstant(i.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
    }

    private static OffsetDateTime seconds(Optional<Instant> i) {
        return i.map(Journal::seconds).orElse(null);
    }

    private static Integer nanos(Optional<Instant> i) {
        return i.map(Instant::getNano).orElse(null);
    }

    private static Optional<Instant> instant(OffsetDateTime seconds, Integer nanos) {
        if (seconds == null) {
            return Optional.empty();
        }
        return Optional.of(seconds.toInstant().plusNanos(nanos == null ? 0 : nanos));
    }
}
