package io.viewpush.port.contract;

import io.viewpush.port.LeaseLostException;
import io.viewpush.port.PushSession;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.HeldBack;
import io.viewpush.push.HeldBackRow;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.PushAttempt.Trigger;
import io.viewpush.push.PushHistory;
import io.viewpush.push.StampResult;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.viewpush.port.contract.ContractViews.key;
import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Contract of {@link io.viewpush.port.PushSession} and {@link io.viewpush.port.PushStore#begin}: the
 * lease, the read, the stamping of delivered batches and the journal of one push. Every store
 * passes it, each suite with both values of {@code readAtOnce}. Leases expire by the store's clock,
 * so the expiry tests wait for a short lease to run out.
 */
public abstract class PushSessionContractTest extends StoreContractSupport {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Duration SHORT = Duration.ofMillis(400);
    private static final Instant T = Instant.parse("2024-03-01T12:00:00Z");

    /** Waits until a lease of {@link #SHORT} taken now has expired on the store's clock. */
    protected void waitForShortLeaseToExpire() throws InterruptedException {
        Thread.sleep(SHORT.toMillis() + 300);
    }

    private View pushView(String name) {
        return bind(ContractViews.base(name).push(ContractViews.policy().build()).build());
    }

    private Optional<PushSession> begin(View view, String owner, Duration ttl) {
        return store.begin(view, owner, ttl, now(), false);
    }

    private PushSession session(View view) {
        return begin(view, "contract-" + System.nanoTime(), LONG).orElseThrow();
    }

    private static PushAttempt attempt(String view, Instant start, Status status, String reason) {
        boolean sent = status != Status.NOTHING_TO_SEND;
        return new PushAttempt(view, Trigger.SCHEDULE, start, start.plusMillis(250), status, sent ? 3 : 0,
                status == Status.SUCCESS ? 2 : 0, status == Status.SUCCESS ? 1 : 0, sent ? 1 : 0, sent ? 321 : 0,
                sent ? OptionalInt.of(status == Status.SUCCESS ? 200 : 500) : OptionalInt.empty(), reason,
                sent ? List.of("msg_" + start.getEpochSecond()) : List.of());
    }

    /** Records one attempt by a push of its own. */
    private void record(View view, PushAttempt attempt) {
        try (PushSession s = session(view)) {
            s.finish(attempt);
        }
    }

    // ---- the lease ----

    @Test
    public void aFreeViewCanBeBegunAndAHeldOneCannot() {
        View v = pushView("v");
        try (PushSession a = begin(v, "engine-a", LONG).orElseThrow()) {
            assertThat(a.lease().view()).isEqualTo("v");
            assertThat(a.lease().owner()).isEqualTo("engine-a");
            assertThat(begin(v, "engine-b", LONG)).isEmpty();
            assertThat(store.begin(v, "engine-b", LONG, now(), true)).as("reading at once changes nothing").isEmpty();
            try (PushSession other = begin(pushView("other view"), "engine-b", LONG).orElseThrow()) {
                assertThat(other.lease().view()).isEqualTo("other view");
            }
        }
    }

    @Test
    public void aClosedSessionFreesTheViewForAnotherWithAHigherFence() {
        View v = pushView("v");
        PushSession a = begin(v, "engine-a", LONG).orElseThrow();
        a.close();
        a.close();
        try (PushSession b = begin(v, "engine-b", LONG).orElseThrow()) {
            assertThat(b.lease().fence()).isGreaterThan(a.lease().fence());
            assertThat(a.renew()).as("a closed session's lease is gone").isFalse();
            assertThat(b.renew()).isTrue();
        }
    }

    @Test
    public void anExpiredLeaseIsTakenOverAndTheOldSessionCannotRenewOrRecord() throws InterruptedException {
        View v = pushView("v");
        PushSession a = begin(v, "engine-a", SHORT).orElseThrow();
        waitForShortLeaseToExpire();
        try (PushSession b = begin(v, "engine-b", LONG).orElseThrow()) {
            assertThat(b.lease().fence()).isGreaterThan(a.lease().fence());
            assertThat(a.renew()).isFalse();
            assertThatThrownBy(() -> a.finish(attempt("v", T, Status.SUCCESS, "late"))).isInstanceOf(LeaseLostException.class);
            a.close();
            assertThat(begin(v, "engine-c", LONG)).as("closing the old session does not free the new one's lease").isEmpty();
        }
        assertThat(store.recent("v", 10)).isEmpty();
    }

    @Test
    public void renewingKeepsTheLeasePastItsFirstExpiry() throws InterruptedException {
        View v = pushView("v");
        try (PushSession a = begin(v, "engine-a", SHORT).orElseThrow()) {
            for (int i = 0; i < 3; i++) {
                assertThat(a.renew()).isTrue();
                Thread.sleep(SHORT.toMillis() / 2);
            }
            assertThat(begin(v, "engine-b", LONG)).isEmpty();
        }
    }

    @Test
    public void concurrentBeginsNeverBothWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<PushSession> won = new ArrayList<>();
        try {
            for (int round = 0; round < 20; round++) {
                View view = pushView("race " + round);
                List<Callable<Optional<PushSession>>> tasks = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String owner = "engine-" + i;
                    boolean readAtOnce = i % 2 == 0;
                    tasks.add(() -> store.begin(view, owner, LONG, now(), readAtOnce));
                }
                int winners = 0;
                for (Future<Optional<PushSession>> f : pool.invokeAll(tasks)) {
                    if (f.get().isPresent()) {
                        winners++;
                        won.add(f.get().get());
                    }
                }
                assertThat(winners).as("winners of %s", view.name()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
            won.forEach(PushSession::close);
        }
    }

    @Test
    public void beginRefusesAViewWithoutPushPolicyABlankOwnerAndANonPositiveTtl() {
        View pullOnly = bind(ContractViews.base("pull only").build());
        assertThatThrownBy(() -> store.begin(pullOnly, "engine", LONG, now(), false))
                .isInstanceOf(IllegalArgumentException.class);
        View v = pushView("v");
        assertThatThrownBy(() -> store.begin(v, " ", LONG, now(), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.begin(v, "engine", Duration.ZERO, now(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- the read ----

    @Test
    public void theReadHasEveryRowInKeyOrderWhetherReadAtOnceOrNot() {
        for (int id : new int[]{3, 1, 2}) {
            tables.insert(ContractViews.TABLE, order(id, "c" + id, "1.00", T0));
        }
        View view = bind(ContractViews.modifiedSincePushed());
        for (boolean readAtOnce : new boolean[]{true, false}) {
            try (PushSession s = store.begin(view, "engine-a", LONG, now(), readAtOnce).orElseThrow()) {
                List<Row> rows = new ArrayList<>();
                try (RowCursor cursor = s.rows()) {
                    cursor.forEachRemaining(rows::add);
                }
                assertThat(keys(rows)).as("readAtOnce %s", readAtOnce).containsExactly(1, 2, 3);
                assertThat(begin(view, "engine-b", LONG)).as("the lease is held while reading").isEmpty();
                assertThat(s.renew()).isTrue();
                assertThatThrownBy(s::rows).as("one read per push").isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    public void anEmptyViewIsBegunWithAnEmptyRead() {
        View view = bind(ContractViews.modifiedSincePushed());
        try (PushSession s = store.begin(view, "engine-a", LONG, now(), true).orElseThrow();
             RowCursor cursor = s.rows()) {
            assertThat(cursor.hasNext()).isFalse();
            assertThat(begin(view, "engine-b", LONG)).isEmpty();
        }
        assertThat(begin(view, "engine-b", LONG)).as("closing frees the lease").isPresent().get()
                .satisfies(PushSession::close);
    }

    @Test
    public void aBatchBeginsOnlyAfterTheRead() {
        try (PushSession s = session(bind(ContractViews.neverPushed()))) {
            assertThatThrownBy(s::batch).isInstanceOf(IllegalStateException.class);
        }
    }

    // ---- stamping ----

    /** Opens the session's read and adds the rows the test picks to one batch. */
    private static StampBatch batchOf(PushSession s, int... indexes) {
        List<Row> rows = new ArrayList<>();
        try (RowCursor c = s.rows()) {
            c.forEachRemaining(rows::add);
        }
        StampBatch batch = s.batch();
        for (int i : indexes) {
            batch.add(rows.get(i));
        }
        return batch;
    }

    @Test
    public void stampsOnlyTheRowsThatWereAdded() {
        for (int id = 1; id <= 4; id++) {
            tables.insert(ContractViews.TABLE, order(id, "c", "1", T0));
        }
        View view = bind(ContractViews.modifiedSincePushed());
        StampResult result;
        try (PushSession s = session(view); StampBatch batch = batchOf(s, 0, 2)) {
            batch.seal();
            result = batch.commit();
        }
        assertThat(result).isEqualTo(new StampResult(2, 0));
        assertThat(tables.row(ContractViews.TABLE, key(1)).get("last_pushed")).isNotNull();
        assertThat(tables.row(ContractViews.TABLE, key(2)).get("last_pushed")).isNull();
        assertThat(tables.row(ContractViews.TABLE, key(3)).get("last_pushed")).isNotNull();
        assertThat(keys(read(view))).containsExactly(2, 4);
    }

    @Test
    public void batchesOfOneReadAreStampedOneAfterAnother() {
        for (int id = 1; id <= 4; id++) {
            tables.insert(ContractViews.TABLE, order(id, "c", "1", T0));
        }
        View view = bind(ContractViews.modifiedSincePushed());
        try (PushSession s = session(view); RowCursor c = s.rows()) {
            for (int b = 0; b < 2; b++) {
                try (StampBatch batch = s.batch()) {
                    batch.add(c.next());
                    batch.add(c.next());
                    batch.seal();
                    assertThat(batch.commit()).isEqualTo(new StampResult(2, 0));
                }
            }
        }
        assertThat(read(view)).isEmpty();
    }

    @Test
    public void aRowChangedAfterItWasReadIsNotStampedAndStillNeedsPushing() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        tables.insert(ContractViews.TABLE, order(2, "b", "1", T0));
        View view = bind(ContractViews.modifiedSincePushed());
        try (PushSession s = session(view); StampBatch batch = batchOf(s, 0, 1)) {
            tables.update(ContractViews.TABLE, key(2), Map.of("customer", "b2"));
            tables.touch(ContractViews.TABLE, key(2), "last_modified");
            assertThat(batch.commit()).isEqualTo(new StampResult(1, 1));
        }
        assertThat(keys(read(view))).containsExactly(2);
        assertThat(read(view).get(0).get("customer")).isEqualTo("b2");
    }

    @Test
    public void aRowTouchedRightAfterTheStampNeedsPushingAgain() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.modifiedSincePushed());
        try (PushSession s = session(view); StampBatch batch = batchOf(s, 0)) {
            assertThat(batch.commit().stamped()).isEqualTo(1);
        }
        assertThat(read(view)).isEmpty();
        tables.touch(ContractViews.TABLE, key(1), "last_modified");
        assertThat(keys(read(view))).containsExactly(1);
    }

    @Test
    public void withoutAModifiedFieldAChangeAfterTheReadBeganIsNotLost() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        ViewDefinition def = ContractViews.base("modified since pushed, no optimistic check")
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true")
                .push(ContractViews.policy().build())
                .build();
        View view = bind(def);
        for (boolean readAtOnce : new boolean[]{true, false}) {
            try (PushSession s = store.begin(view, "engine", LONG, now(), readAtOnce).orElseThrow();
                 RowCursor cursor = s.rows()) {
                sleepAMillisecond();
                tables.touch(ContractViews.TABLE, key(1), "last_modified");
                sleepAMillisecond();
                try (StampBatch batch = s.batch()) {
                    cursor.forEachRemaining(batch::add);
                    batch.seal();
                    assertThat(batch.commit().stamped()).isEqualTo(1);
                }
            }
            assertThat(keys(read(view))).as("the change made after the read began still needs pushing (readAtOnce %s)",
                    readAtOnce).containsExactly(1);
        }
    }

    private static void sleepAMillisecond() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    public void withoutAModifiedFieldEverySentRowIsStamped() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.neverPushed());
        try (PushSession s = session(view); StampBatch batch = batchOf(s, 0)) {
            tables.update(ContractViews.TABLE, key(1), Map.of("customer", "changed"));
            assertThat(batch.commit()).isEqualTo(new StampResult(1, 0));
        }
        assertThat(read(view)).isEmpty();
    }

    @Test
    public void aBatchClosedWithoutCommitStampsNothing() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.modifiedSincePushed());
        try (PushSession s = session(view); StampBatch batch = batchOf(s, 0)) {
            batch.seal();
        }
        assertThat(tables.row(ContractViews.TABLE, key(1)).get("last_pushed")).isNull();
        assertThat(keys(read(view))).containsExactly(1);
    }

    @Test
    public void aDeletedRowIsSkipped() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        tables.insert(ContractViews.TABLE, order(2, "a", "1", T0));
        View view = bind(ContractViews.neverPushed());
        StampResult result;
        try (PushSession s = session(view); StampBatch batch = batchOf(s, 0, 1)) {
            tables.delete(ContractViews.TABLE, key(2));
            result = batch.commit();
        }
        assertThat(result).isEqualTo(new StampResult(1, 1));
    }

    @Test
    public void anEmptyBatchStampsNothing() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.neverPushed());
        try (PushSession s = session(view); StampBatch batch = batchOf(s)) {
            assertThat(batch.commit()).isEqualTo(StampResult.NONE);
        }
    }

    @Test
    public void aLostLeaseRefusesTheStamp() throws InterruptedException {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.neverPushed());
        try (PushSession s = begin(view, "engine-a", SHORT).orElseThrow(); StampBatch batch = batchOf(s, 0)) {
            batch.seal();
            waitForShortLeaseToExpire();
            try (PushSession other = begin(view, "engine-b", LONG).orElseThrow()) {
                assertThat(other.lease().fence()).isGreaterThan(s.lease().fence());
                assertThatThrownBy(batch::commit).isInstanceOf(LeaseLostException.class);
            }
        }
        assertThat(tables.row(ContractViews.TABLE, key(1)).get("last_pushed")).isNull();
    }

    // ---- the journal ----

    @Test
    public void aViewNeverPushedHasAnEmptyHistory() {
        assertThat(store.history("never")).isEqualTo(PushHistory.none("never"));
        assertThat(store.recent("never", 10)).isEmpty();
    }

    @Test
    public void finishRecordsTheAttemptWithEveryFieldAndReleasesTheLease() {
        View v = pushView("v");
        PushAttempt a = attempt("v", T, Status.SUCCESS, "200 OK");
        try (PushSession s = session(v)) {
            s.finish(a);
            assertThat(begin(v, "someone else", LONG)).as("finished: the lease is free").isPresent().get()
                    .satisfies(PushSession::close);
        }
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
    public void theAttemptsOutcomeIsKeptAsRecorded() {
        View v = pushView("v");
        PushAttempt lost = attempt("v", T, Status.FAILED, "lost the lease");
        lost = new PushAttempt(lost.view(), lost.trigger(), lost.startedAt(), lost.finishedAt(), lost.status(),
                lost.rowsSent(), lost.rowsStamped(), lost.rowsSkipped(), lost.batches(), lost.bytes(), lost.httpStatus(),
                lost.reason(), lost.webhookIds(), PushAttempt.Outcome.DATABASE_FAILED);
        record(v, lost);
        record(v, attempt("v", T.plusSeconds(1), Status.SUCCESS, "200"));
        assertThat(store.recent("v", 10)).extracting(PushAttempt::outcome)
                .containsExactly(PushAttempt.Outcome.DELIVERED, PushAttempt.Outcome.DATABASE_FAILED);
    }

    @Test
    public void failuresCountUpAndASuccessResetsThem() {
        View v = pushView("v");
        record(v, attempt("v", T, Status.FAILED, "500 from receiver"));
        record(v, attempt("v", T.plusSeconds(10), Status.FAILED, "connection refused"));
        try (PushSession s = session(v)) {
            PushHistory h = s.history();
            assertThat(h).isEqualTo(store.history("v"));
            assertThat(h.consecutiveFailures()).isEqualTo(2);
            assertThat(h.lastFailureReason()).contains("connection refused");
            assertThat(h.lastStart().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T.plusSeconds(10));
            assertThat(h.lastSuccess()).isEmpty();
        }
        record(v, attempt("v", T.plusSeconds(20), Status.SUCCESS, "200"));
        PushHistory h = store.history("v");
        assertThat(h.consecutiveFailures()).isZero();
        assertThat(h.lastSuccess().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T.plusSeconds(20));
        assertThat(h.lastFailure().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T.plusSeconds(10));
    }

    @Test
    public void aPartialPushCountsAsAFailureAndNothingToSendLeavesTheHistory() {
        View v = pushView("v");
        record(v, attempt("v", T, Status.FAILED, "500"));
        record(v, attempt("v", T.plusSeconds(5), Status.PARTIAL, "connection refused"));
        record(v, attempt("v", T.plusSeconds(9), Status.NOTHING_TO_SEND, "nothing to send"));
        PushHistory h = store.history("v");
        assertThat(h.consecutiveFailures()).isEqualTo(2);
        assertThat(h.lastFailureReason()).contains("connection refused");
        assertThat(h.lastStart().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T.plusSeconds(5));
        assertThat(h.lastFailure().map(i -> i.truncatedTo(ChronoUnit.MILLIS))).contains(T.plusSeconds(5));
        assertThat(h.lastSuccess()).isEmpty();
        assertThat(store.recent("v", 10)).hasSize(3);
    }

    @Test
    public void keepsTheRowsAPushHeldBackWhateverItsStatus() {
        List<HeldBackRow> listed = new ArrayList<>();
        for (int i = 0; i < HeldBack.MAX_LISTED; i++) {
            listed.add(new HeldBackRow(i == 0 ? "key with \\u0009, a backslash \\ and \u00fcn\u00efcode \ud83d\ude00" : "k" + i,
                    i == 1 ? "receipt id" : "customer", "is text that is not valid Unicode: a lone surrogate U+D800"
                    + " at character " + (i + 1) + ", which JSON cannot carry"));
        }
        HeldBack heldBack = new HeldBack(12_345_678_901L, listed);
        View v = pushView("v");
        record(v, attempt("v", T, Status.SUCCESS, "200").withHeldBack(heldBack));
        record(v, attempt("v", T.plusSeconds(1), Status.PARTIAL, "500").withHeldBack(new HeldBack(1, List.of(listed.get(1)))));
        record(v, attempt("v", T.plusSeconds(2), Status.FAILED, "500"));

        assertThat(store.recent("v", 10)).extracting(PushAttempt::heldBack).containsExactly(HeldBack.NONE,
                new HeldBack(1, List.of(listed.get(1))), heldBack);
    }

    @Test
    public void recentIsNewestFirstAndLimitedAndPerView() {
        View v = pushView("v");
        for (int i = 0; i < 5; i++) {
            record(v, attempt("v", T.plusSeconds(i), Status.SUCCESS, "ok " + i));
        }
        record(pushView("w"), attempt("w", T, Status.SUCCESS, "other view"));
        assertThat(store.recent("v", 3)).extracting(PushAttempt::reason).containsExactly("ok 4", "ok 3", "ok 2");
    }

    @Test
    public void aSessionWhoseLeaseWasTakenOverRecordsNothingAndReleasesNothing() throws InterruptedException {
        View v = pushView("v");
        PushSession stale = begin(v, "engine-a", SHORT).orElseThrow();
        waitForShortLeaseToExpire();
        try (PushSession taken = begin(v, "the new owner", LONG).orElseThrow()) {
            assertThatThrownBy(() -> stale.finish(attempt("v", T, Status.SUCCESS, "late")))
                    .isInstanceOf(LeaseLostException.class);
            stale.close();
            assertThat(store.recent("v", 10)).isEmpty();
            assertThat(store.history("v")).isEqualTo(PushHistory.none("v"));
            assertThat(begin(v, "a third engine", LONG)).as("the new owner's lease was not released").isEmpty();
            assertThat(taken.renew()).isTrue();
        }
    }

    @Test
    public void anAttemptOfAnotherViewIsRefused() {
        try (PushSession s = session(pushView("one view"))) {
            assertThatThrownBy(() -> s.finish(attempt("another view", T, Status.SUCCESS, "200")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
