package io.viewpush.jdbc;

import io.viewpush.port.LeaseToken;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import org.jooq.DSLContext;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import static io.viewpush.jdbc.Tables.Attempt;
import static io.viewpush.jdbc.Tables.History;
import static io.viewpush.jdbc.Tables.Lease;

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
        Binds b = new Binds();
        String start = b.add(DSL.val(seconds(a.startedAt()), History.LAST_START));
        String startNano = b.add(DSL.val(a.startedAt().getNano(), History.LAST_START_NANO));
        String sql = "with viewpush_released as (update viewpush_lease set owner = null, expires_at = clock_timestamp()"
                + " where view_name = " + b.add(DSL.val(lease.view(), Lease.VIEW))
                + " and owner = " + b.add(DSL.val(lease.owner(), Lease.OWNER))
                + " and fence = " + b.add(DSL.val(lease.fence(), Lease.FENCE))
                + " and expires_at > clock_timestamp() returning view_name), "
                + "viewpush_recorded as (insert into viewpush_push_attempt (view_name, trigger_kind, started_at,"
                + " started_nano, finished_at, finished_nano, status, rows_sent, rows_stamped, rows_skipped, batches,"
                + " bytes, http_status, reason, webhook_ids) select "
                + String.join(", ",
                    b.add(DSL.val(a.view(), Attempt.VIEW)), b.add(DSL.val(a.trigger().name(), Attempt.TRIGGER)),
                    start, startNano,
                    b.add(DSL.val(seconds(a.finishedAt()), Attempt.FINISHED_AT)),
                    b.add(DSL.val(a.finishedAt().getNano(), Attempt.FINISHED_NANO)),
                    b.add(DSL.val(a.status().name(), Attempt.STATUS)), b.add(DSL.val(a.rowsSent(), Attempt.ROWS_SENT)),
                    b.add(DSL.val(a.rowsStamped(), Attempt.ROWS_STAMPED)),
                    b.add(DSL.val(a.rowsSkipped(), Attempt.ROWS_SKIPPED)), b.add(DSL.val(a.batches(), Attempt.BATCHES)),
                    b.add(DSL.val(a.bytes(), Attempt.BYTES)),
                    b.add(DSL.val(a.httpStatus().isPresent() ? a.httpStatus().getAsInt() : null, Attempt.HTTP_STATUS)),
                    b.add(DSL.val(a.reason(), Attempt.REASON)),
                    b.add(DSL.val(String.join(ID_SEPARATOR, a.webhookIds()), Attempt.WEBHOOK_IDS)))
                + " from viewpush_released), "
                + "viewpush_history as (" + historyUpsert(a, b, start, startNano) + ") "
                + "select count(*) from viewpush_released";
        return ctx.resultQuery(sql, b.parts.toArray(new QueryPart[0])).fetchSingle().get(0, Long.class) > 0;
    }

    /** The history's upsert: only the columns {@link PushHistory#after} changes for this attempt's status. */
    private static String historyUpsert(PushAttempt a, Binds b, String start, String startNano) {
        String view = b.add(DSL.val(a.view(), History.VIEW));
        switch (a.status()) {
            case SUCCESS:
                return "insert into viewpush_push_history (view_name, last_start, last_start_nano, last_success,"
                        + " last_success_nano, consecutive_failures) select " + view + ", " + start + ", " + startNano
                        + ", " + start + ", " + startNano + ", 0 from viewpush_released"
                        + " on conflict (view_name) do update set last_start = excluded.last_start,"
                        + " last_start_nano = excluded.last_start_nano, last_success = excluded.last_success,"
                        + " last_success_nano = excluded.last_success_nano, consecutive_failures = 0";
            case FAILED:
            case PARTIAL:
                return "insert into viewpush_push_history (view_name, last_start, last_start_nano, last_failure,"
                        + " last_failure_nano, last_failure_reason, consecutive_failures) select " + view + ", " + start
                        + ", " + startNano + ", " + start + ", " + startNano + ", "
                        + b.add(DSL.val(a.reason(), History.LAST_FAILURE_REASON)) + ", 1 from viewpush_released"
                        + " on conflict (view_name) do update set last_start = excluded.last_start,"
                        + " last_start_nano = excluded.last_start_nano, last_failure = excluded.last_failure,"
                        + " last_failure_nano = excluded.last_failure_nano,"
                        + " last_failure_reason = excluded.last_failure_reason,"
                        + " consecutive_failures = viewpush_push_history.consecutive_failures + 1";
            default:
                return "insert into viewpush_push_history (view_name, consecutive_failures) select " + view
                        + ", 0 from viewpush_released on conflict (view_name) do nothing";
        }
    }

    /** The bind values of a plain SQL template, each referred to as {@code {n}}. */
    private static final class Binds {
        final List<QueryPart> parts = new ArrayList<>();

        String add(QueryPart part) {
            parts.add(part);
            return "{" + (parts.size() - 1) + "}";
        }
    }

    PushHistory history(DSLContext ctx, String view) {
        return read(ctx, view).orElse(PushHistory.none(view));
    }

    private Optional<PushHistory> read(DSLContext ctx, String view) {
        return ctx.select(History.LAST_START, History.LAST_START_NANO, History.LAST_SUCCESS, History.LAST_SUCCESS_NANO,
                        History.LAST_FAILURE, History.LAST_FAILURE_NANO, History.LAST_FAILURE_REASON,
                        History.CONSECUTIVE_FAILURES)
                .from(History.TABLE)
                .where(History.VIEW.eq(view))
                .fetchOptional(r -> new PushHistory(view,
                        instant(r.value1(), r.value2()),
                        instant(r.value3(), r.value4()),
                        instant(r.value5(), r.value6()),
                        Optional.ofNullable(r.value7()),
                        r.value8()));
    }

    List<PushAttempt> recent(DSLContext ctx, String view, int limit) {
        return ctx.select(Attempt.VIEW, Attempt.TRIGGER, Attempt.STARTED_AT, Attempt.STARTED_NANO, Attempt.FINISHED_AT,
                        Attempt.FINISHED_NANO, Attempt.STATUS, Attempt.ROWS_SENT, Attempt.ROWS_STAMPED,
                        Attempt.ROWS_SKIPPED, Attempt.BATCHES, Attempt.BYTES, Attempt.HTTP_STATUS, Attempt.REASON,
                        Attempt.WEBHOOK_IDS)
                .from(Attempt.TABLE)
                .where(Attempt.VIEW.eq(view))
                .orderBy(Attempt.ID.desc())
                .limit(limit)
                .fetch(Journal::attempt);
    }

    private static PushAttempt attempt(Record r) {
        Integer http = r.get(Attempt.HTTP_STATUS);
        String ids = r.get(Attempt.WEBHOOK_IDS);
        return new PushAttempt(r.get(Attempt.VIEW),
                PushAttempt.Trigger.valueOf(r.get(Attempt.TRIGGER)),
                instant(r.get(Attempt.STARTED_AT), r.get(Attempt.STARTED_NANO)).orElseThrow(),
                instant(r.get(Attempt.FINISHED_AT), r.get(Attempt.FINISHED_NANO)).orElseThrow(),
                PushAttempt.Status.valueOf(r.get(Attempt.STATUS)),
                r.get(Attempt.ROWS_SENT), r.get(Attempt.ROWS_STAMPED), r.get(Attempt.ROWS_SKIPPED),
                r.get(Attempt.BATCHES), r.get(Attempt.BYTES),
                http == null ? OptionalInt.empty() : OptionalInt.of(http),
                r.get(Attempt.REASON),
                ids == null || ids.isEmpty() ? List.of() : Arrays.stream(ids.split(ID_SEPARATOR, -1)).collect(Collectors.toList()));
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
