package io.viewpush.port.contract;

import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import io.viewpush.push.HeldBack;
import io.viewpush.push.HeldBackRow;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.PushAttempt.Trigger;
import io.viewpush.push.PushHistory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Contract of {@link io.viewpush.port.PushJournal}: every store passes it. */
public abstract class PushJournalContractTest extends StoreContractSupport {
    private static final Instant T = Instant.parse("2024-03-01T12:00:00Z");

    private static PushAttempt attempt(String view, Instant start, Status status, String reason) {
        boolean sent = status != Status.NOTHING_TO_SEND;
        return new PushAttempt(view, Trigger.SCHEDULE, start, start.plusMillis(250), status, sent ? 3 : 0,
                status == Status.SUCCESS ? 2 : 0, status == Status.SUCCESS ? 1 : 0, sent ? 1 : 0, sent ? 321 : 0,
                sent ? OptionalInt.of(status == Status.SUCCESS ? 200 : 500) : OptionalInt.empty(), reason,
                sent ? List.of("msg_" + start.getEpochSecond()) : List.of());
    }

    private LeaseToken leaseOn(String view) {
        return store.tryAcquire(view, "journal-" + System.nanoTime(), Duration.ofMinutes(1)).orElseThrow();
    }

    @Test
    void aViewNeverPushedHasAnEmptyHistory() {
        assertThat(store.history("never")).isEqualTo(PushHistory.none("never"));
        assertThat(store.recent("never", 10)).isEmpty();
    }

    @Test
    void recordsAttemptsAndKeepsEveryField() {
        LeaseToken lease = leaseOn("v");
        PushAttempt a = attempt("v", T, Status.SUCCESS, "200 OK");
        store.record(a, lease);
        List<PushAttempt> recent = store.recent("v", 10);
        assertThat(recent).hasSize(1);
        PushAttempt r = recent.get(0);
        assertThat(r.view()).isEqualTo("v");
        assertThat(r.trigger()).isEqualTo(Trigger.SCHEDULE);
        assertThat(r.startedAt().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(T);
        assertThat(r.finishedAt().truncatedTo(ChronoUnit.MILLIS)).isEqualTo(T.plusMillis(250));
        assertThat(r.status()).isEqualTo(Status.SUCCESS);
        assertThat(r.rowsSent()).isEqualTo(3);
        assertThat(r.rowsStamped()).isEqualTo(2);
        assertThat(r.rowsSkipped()).isEqualTo(1);
        assertThat(r.batches()).isEqualTo(1);
        assertThat(r.bytes()).isEqualTo(321);
        assertThat(r.httpStatus()).isEqualTo(OptionalInt.of(200));
        assertThat(r.reason()).isEqualTo("200 OK");
        assertThat(r.webhookIds()).containsExactly("msg_" + T.getEpochSecond());
    }

    @Test
    void keepsTheRowsAPushHeldBackByRecordAndByRecordAndRelease() {
        List<HeldBackRow> listed = new java.util.ArrayList<>();
        for (int i = 0; i < HeldBack.MAX_LISTED; i++) {
            listed.add(new HeldBackRow(i == 0 ? "key with \\u0009, a backslash \\ and ünïcode \ud83d\ude00" : "k" + i,
                    i == 1 ? "receipt id" : "customer", "is text that is not valid Unicode: a lone surrogate U+D800"
                    + " at character " + (i + 1) + ", which JSON cannot carry"));
        }
        HeldBack heldBack = new HeldBack(12_345_678_901L, listed);
        LeaseToken lease = leaseOn("v");
        store.record(attempt("v", T, Status.SUCCESS, "200").withHeldBack(heldBack), lease);
        if (!store.recordAndRelease(attempt("v", T.plusSeconds(1), Status.SUCCESS, "201")
                .withHeldBack(new HeldBack(1, List.of(listed.get(1)))), lease)) {
            store.release(lease);
        }
        LeaseToken again = leaseOn("v");
        if (!store.recordAndRelease(attempt("v", T.plusSeconds(2), Status.FAILED, "500"), again)) {
            store.release(again);
        }

        List<PushAttempt> recent = store.recent("v", 10);
        assertThat(recent).extracting(PushAttempt::heldBack).containsExactly(HeldBack.NONE,
                new HeldBack(1, List.of(listed.get(1))), heldBack);
    }

    @Test
    void failuresCountUpAndASuccessResetsThem() {
        LeaseToken lease = leaseOn("v");
        store.record(attempt("v", T, Status.FAILED, "500 from receiver"), lease);
        store.record(attempt("v", T.plusSeconds(10), Status.FAILED, "connection refused"), lease);
        PushHistory h = store.history("v");
        assertThat(h.consecutiveFailures()).isEqualTo(2);
        assertThat(h.lastFailureReason()).contains("connection refused");
        assertThat(h.lastStart().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T.plusSeconds(10));
        assertThat(h.lastSuccess()).isEmpty();

        store.record(attempt("v", T.plusSeconds(20), Status.SUCCESS, "200"), lease);
        h = store.history("v");
        assertThat(h.consecutiveFailures()).isZero();
        assertThat(h.lastSuccess().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T.plusSeconds(20));
        assertThat(h.lastFailure().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T.plusSeconds(10));
    }

    @Test
    void nothingToSendDoesNotChangeTheHistory() {
        LeaseToken lease = leaseOn("v");
        store.record(attempt("v", T, Status.FAILED, "500"), lease);
        store.record(attempt("v", T.plusSeconds(5), Status.NOTHING_TO_SEND, "nothing to send"), lease);
        assertThat(store.history("v").consecutiveFailures()).isEqualTo(1);
        assertThat(store.history("v").lastStart().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T);
    }

    @Test
    void recentIsNewestFirstAndLimitedAndPerView() {
        LeaseToken lease = leaseOn("v");
        LeaseToken other = leaseOn("w");
        for (int i = 0; i < 5; i++) {
            store.record(attempt("v", T.plusSeconds(i), Status.SUCCESS, "ok " + i), lease);
        }
        store.record(attempt("w", T, Status.SUCCESS, "other view"), other);
        List<PushAttempt> recent = store.recent("v", 3);
        assertThat(recent).extracting(PushAttempt::reason).containsExactly("ok 4", "ok 3", "ok 2");
    }

    @Test
    void aLostLeaseRefusesTheRecord() {
        LeaseToken lease = leaseOn("v");
        store.release(lease);
        assertThatThrownBy(() -> store.record(attempt("v", T, Status.SUCCESS, "late"), lease))
                .isInstanceOf(LeaseLostException.class);
        assertThat(store.recent("v", 10)).isEmpty();
    }

    @Test
    void recordAndReleaseRecordsLikeRecordAndLeavesTheLeaseFreeOrToTheCaller() {
        LeaseToken lease = leaseOn("v");
        store.record(attempt("v", T, Status.FAILED, "500 from receiver"), lease);
        PushAttempt last = attempt("v", T.plusSeconds(10), Status.SUCCESS, "200 OK");

        boolean released = store.recordAndRelease(last, lease);

        List<PushAttempt> recent = store.recent("v", 10);
        assertThat(recent).extracting(PushAttempt::reason).containsExactly("200 OK", "500 from receiver");
        assertThat(recent.get(0).webhookIds()).isEqualTo(last.webhookIds());
        PushHistory h = store.history("v");
        assertThat(h.consecutiveFailures()).isZero();
        assertThat(h.lastSuccess().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T.plusSeconds(10));
        assertThat(h.lastFailure().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T);
        assertThat(h.lastFailureReason()).contains("500 from receiver");
        if (!released) {
            assertThat(store.tryAcquire("v", "someone else", Duration.ofMinutes(1)))
                    .as("a lease the journal did not release is still held").isEmpty();
            store.release(lease);
        }
        assertThat(store.tryAcquire("v", "someone else", Duration.ofMinutes(1))).as("the lease is free").isPresent();
    }

    @Test
    void recordAndReleaseCountsFailuresAndLeavesTheHistoryOfNothingToSend() {
        LeaseToken lease = leaseOn("v");
        store.recordAndRelease(attempt("v", T, Status.FAILED, "500"), lease);
        store.release(lease);
        lease = leaseOn("v");
        store.recordAndRelease(attempt("v", T.plusSeconds(5), Status.PARTIAL, "connection refused"), lease);
        store.release(lease);
        lease = leaseOn("v");
        store.recordAndRelease(attempt("v", T.plusSeconds(9), Status.NOTHING_TO_SEND, "nothing to send"), lease);
        store.release(lease);
        PushHistory h = store.history("v");
        assertThat(h.consecutiveFailures()).isEqualTo(2);
        assertThat(h.lastFailureReason()).contains("connection refused");
        assertThat(h.lastStart().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T.plusSeconds(5));
        assertThat(h.lastFailure().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T.plusSeconds(5));
        assertThat(h.lastSuccess()).isEmpty();
        assertThat(store.recent("v", 10)).hasSize(3);
    }

    @Test
    void recordAndReleaseOfAViewNeverPushedStartsItsHistory() {
        LeaseToken lease = leaseOn("fresh");
        store.recordAndRelease(attempt("fresh", T, Status.SUCCESS, "200"), lease);
        PushHistory h = store.history("fresh");
        assertThat(h.lastSuccess().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T);
        assertThat(h.lastStart().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T);
        assertThat(h.lastFailure()).isEmpty();
        assertThat(h.consecutiveFailures()).isZero();
    }

    @Test
    void aLostLeaseRefusesRecordAndRelease() {
        LeaseToken lease = leaseOn("v");
        store.release(lease);
        LeaseToken taken = store.tryAcquire("v", "the new owner", Duration.ofMinutes(1)).orElseThrow();
        assertThatThrownBy(() -> store.recordAndRelease(attempt("v", T, Status.SUCCESS, "late"), lease))
                .isInstanceOf(LeaseLostException.class);
        assertThat(store.recent("v", 10)).isEmpty();
        assertThat(store.history("v")).isEqualTo(PushHistory.none("v"));
        assertThat(store.tryAcquire("v", "a third engine", Duration.ofMinutes(1)))
                .as("the new owner's lease was not released").isEmpty();
        store.release(taken);
    }
}
