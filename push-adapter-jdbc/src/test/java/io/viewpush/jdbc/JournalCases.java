package io.viewpush.jdbc;

import io.viewpush.port.LeaseToken;
import io.viewpush.push.PushAttempt;
import io.viewpush.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal beyond the contract: exact instants, retention by count and by age, abandoned batches. */
abstract class JournalCases extends StoreCases {
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

    JournalCases(TestDatabase.Kind kind) {
        super(kind);
    }

    private static PushAttempt attempt(String view, Instant start, String reason) {
        return new PushAttempt(view, PushAttempt.Trigger.WAKE, start, start.plusNanos(1_500_000_001L),
                PushAttempt.Status.PARTIAL, 5, 2, 1, 2, 999, OptionalInt.empty(), reason, List.of("a", "b,c", ""));
    }

    @Test
    void instantsAndEveryFieldReadBackExactly() {
        LeaseToken lease = lease("exact");
        PushAttempt a = new PushAttempt("exact", PushAttempt.Trigger.WAKE, Instant.parse("2024-06-01T11:59:59.999999999Z"),
                Instant.parse("2024-06-01T12:00:01.123456789Z"), PushAttempt.Status.PARTIAL, 5, 2, 1, 2, 999,
                OptionalInt.empty(), "timeout after 30 s; 'quoted' \"text\" 😀", List.of("msg_1", "msg,2"));
        store.record(a, lease);

        assertThat(store.recent("exact", 5)).containsExactly(a);
        assertThat(store.history("exact").lastFailure()).contains(a.startedAt());
        assertThat(store.history("exact").lastFailureReason()).contains(a.reason());
    }

    @Test
    void theHistorysStartIsWhenThePushsFirstRequestWasAnsweredBothWhenRecordedAndWhenRecordedWithTheRelease() {
        Instant answered = NOW.plusMillis(700);
        PushAttempt success = new PushAttempt("interval", PushAttempt.Trigger.SCHEDULE, NOW, NOW.plusSeconds(1),
                PushAttempt.Status.SUCCESS, 1, 1, 0, 1, 10, OptionalInt.of(200), "200 OK", List.of("msg_1"),
                PushAttempt.Outcome.DELIVERED, io.viewpush.push.HeldBack.NONE, java.util.Optional.of(answered));
        store.record(success, lease("interval"));
        assertThat(store.history("interval").lastStart()).contains(answered);
        assertThat(store.history("interval").lastSuccess()).contains(NOW);

        LeaseToken released = lease("interval released");
        store.recordAndRelease(new PushAttempt("interval released", PushAttempt.Trigger.SCHEDULE, NOW, NOW.plusSeconds(1),
                PushAttempt.Status.SUCCESS, 1, 1, 0, 1, 10, OptionalInt.of(200), "200 OK", List.of("msg_1"),
                PushAttempt.Outcome.DELIVERED, io.viewpush.push.HeldBack.NONE, java.util.Optional.of(answered)), released);
        // on PostgreSQL one statement records and releases: its own SQL, checked the same way
        PushAttempt failed = new PushAttempt("interval released", PushAttempt.Trigger.SCHEDULE, NOW.plusSeconds(5),
                NOW.plusSeconds(6), PushAttempt.Status.FAILED, 1, 0, 0, 1, 10, OptionalInt.of(500), "500", List.of("msg_2"),
                PushAttempt.Outcome.RECEIVER_FAILED, io.viewpush.push.HeldBack.NONE,
                java.util.Optional.of(NOW.plusMillis(5300)));
        assertThat(store.history("interval released").lastStart()).contains(answered);
        store.recordAndRelease(failed, lease("interval released"));
        assertThat(store.history("interval released").lastStart()).contains(NOW.plusMillis(5300));
        assertThat(store.history("interval released").lastFailure()).contains(NOW.plusSeconds(5));
        assertThat(store.history("interval released").lastSuccess()).contains(NOW);
    }

    @Test
    void keepsOnlyTheNewestAttemptsOfEachView() {
        DefaultJdbcPushStore small = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).journalMaxAttemptsPerView(3)
                .journalPruneInterval(Duration.ZERO).clock(new SettableClock(NOW)).build();
        LeaseToken lease = lease("by count");
        LeaseToken other = lease("other view");
        small.record(attempt("other view", NOW, "other"), other);
        for (int i = 0; i < 6; i++) {
            small.record(attempt("by count", NOW.plusSeconds(i), "attempt " + i), lease);
        }

        assertThat(small.recent("by count", 10)).extracting(PushAttempt::reason)
                .containsExactly("attempt 5", "attempt 4", "attempt 3");
        assertThat(small.recent("other view", 10)).hasSize(1);
        assertThat(small.history("by count").consecutiveFailures()).as("history is kept whole").isEqualTo(6);
    }

    @Test
    void attemptsOlderThanTheRetentionArePruned() {
        SettableClock clock = new SettableClock(NOW);
        DefaultJdbcPushStore aging = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).journalRetention(Duration.ofDays(14))
                .journalPruneInterval(Duration.ofHours(1)).clock(clock).build();
        LeaseToken lease = lease("by age");
        aging.record(attempt("by age", NOW.minus(Duration.ofDays(20)), "old"), lease);
        aging.record(attempt("by age", NOW.minus(Duration.ofDays(1)), "recent"), lease);
        assertThat(aging.recent("by age", 10)).as("the first record pruned; the second came within the interval")
                .extracting(PushAttempt::reason).containsExactly("recent");

        aging.record(attempt("by age", NOW.minus(Duration.ofDays(20)), "late old"), lease);
        assertThat(aging.recent("by age", 10)).as("not pruned again within the interval").hasSize(2);
        clock.advance(Duration.ofDays(10));
        aging.record(attempt("by age", NOW.plus(Duration.ofDays(10)), "later"), lease);

        assertThat(aging.recent("by age", 10)).as("20 days old is gone, 11 days old is kept")
                .extracting(PushAttempt::reason).containsExactly("later", "recent");
        assertThat(aging.pruneJournal()).isZero();
    }

    @Test
    void pruningDiscardsTheRowsOfStampBatchesAbandonedLongAgo() {
        db.execute("INSERT INTO \"viewpush_stamp_batch\" (\"batch_id\", \"view_name\", \"created_at\") VALUES"
                        + " (1, 'crashed', CURRENT_TIMESTAMP - INTERVAL '2' DAY), (2, 'running', CURRENT_TIMESTAMP)",
                "INSERT INTO \"viewpush_stamp_row\" (\"batch_id\", \"k_num\") VALUES (1, 1), (1, 2), (2, 1)");

        store.pruneJournal();

        assertThat(db.queryValue("SELECT COUNT(*) FROM \"viewpush_stamp_row\" WHERE \"batch_id\" = 1", Long.class)).isZero();
        assertThat(db.queryValue("SELECT COUNT(*) FROM \"viewpush_stamp_batch\" WHERE \"batch_id\" = 1", Long.class)).isZero();
        assertThat(db.queryValue("SELECT COUNT(*) FROM \"viewpush_stamp_row\" WHERE \"batch_id\" = 2", Long.class)).isOne();
    }
}
