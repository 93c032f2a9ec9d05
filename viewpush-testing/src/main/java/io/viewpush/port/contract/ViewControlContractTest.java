package io.viewpush.port.contract;

import io.viewpush.expression.Snapshot;
import io.viewpush.port.LeaseLostException;
import io.viewpush.port.PushSession;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.PushAttempt.Trigger;
import io.viewpush.push.Replay;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static io.viewpush.port.contract.ContractViews.key;
import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Contract of {@link io.viewpush.port.ViewControl} and {@link PushSession#replay}: pauses kept by
 * the store (one per view, the first kept), and replays that clear stamps under the view's lease
 * and are journaled. Every store passes it.
 */
public abstract class ViewControlContractTest extends StoreContractSupport {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Instant T = Instant.parse("2024-03-01T12:00:00.123456Z");

    /** A view name of this test alone: ViewPush's own tables may outlive a test (a shared database). */
    private final String name = "new orders " + System.nanoTime();

    private View view() {
        return bind(ContractViews.base(name).filter("{last pushed} is empty").push(ContractViews.policy().build()).build());
    }

    private PushSession session(View view, String owner) {
        return store.begin(view, owner, LONG, new Snapshot(Instant.now(), ZoneOffset.UTC), false).orElseThrow();
    }

    /** A session begun as a manual push begins it: the rows read at once, with the lease where the store can. */
    private PushSession readingSession(View view, String owner) {
        return store.begin(view, owner, LONG, new Snapshot(Instant.now(), ZoneOffset.UTC), true).orElseThrow();
    }

    private void insertStamped(int id, LocalDateTime stamp) {
        Map<String, Object> row = order(id, "c" + id, id + ".00", T0);
        row.put("last_pushed", stamp);
        tables.insert(ContractViews.TABLE, row);
    }

    private Object stampOf(int id) {
        return tables.row(ContractViews.TABLE, key(id)).get("last_pushed");
    }

    @Test
    public void aViewIsNotPausedUntilPausedAndThePauseReadsBackExactly() {
        assertThat(store.paused(name)).isEmpty();
        Pause p = new Pause(name, Pause.Reason.ENDPOINT_GONE, "the receiver answered 410 Gone", T, "engine-1");
        assertThat(store.pause(p)).isEqualTo(p);
        assertThat(store.paused(name)).contains(p);
        assertThat(store.pauses()).containsEntry(name, p);
        assertThat(store.paused(name + " other")).isEmpty();
    }

    @Test
    public void aSecondPauseKeepsTheFirst() {
        Pause first = new Pause(name, Pause.Reason.FAILING, "3 pushes failed", T, "engine-1");
        store.pause(first);
        Pause second = new Pause(name, Pause.Reason.OPERATOR, "maintenance", T.plusSeconds(5), "ops");
        assertThat(store.pause(second)).isEqualTo(first);
        assertThat(store.paused(name)).contains(first);
    }

    @Test
    public void resumeEndsThePauseAndSaysWhichOneEnded() {
        Pause p = new Pause(name, Pause.Reason.OPERATOR, "maintenance", T, "ops");
        store.pause(p);
        assertThat(store.resume(name)).contains(p);
        assertThat(store.paused(name)).isEmpty();
        assertThat(store.pauses()).doesNotContainKey(name);
        assertThat(store.resume(name)).isEmpty();
    }

    @Test
    public void replayAllClearsEveryStampAndIsJournaled() {
        View v = view();
        insertStamped(1, LocalDateTime.of(2024, 1, 1, 10, 0));
        insertStamped(2, LocalDateTime.of(2024, 1, 2, 10, 0));
        tables.insert(ContractViews.TABLE, order(3, "c3", "3.00", T0));
        Replay r;
        try (PushSession s = session(v, "replayer")) {
            r = s.replay(ReplaySelection.all(), false, "ops");
        }
        assertThat(r.rows()).isEqualTo(2);
        assertThat(r.dryRun()).isFalse();
        assertThat(r.by()).isEqualTo("ops");
        assertThat(r.selection()).isEqualTo("all");
        assertThat(stampOf(1)).isNull();
        assertThat(stampOf(2)).isNull();
        assertThat(keys(read(v))).containsExactly(1, 2, 3);
        List<Replay> journal = store.replays(name, 10);
        assertThat(journal).hasSize(1);
        assertThat(journal.get(0).rows()).isEqualTo(2);
        assertThat(journal.get(0).selection()).isEqualTo("all");
        assertThat(journal.get(0).by()).isEqualTo("ops");
        assertThat(journal.get(0).at()).isCloseTo(r.at(), org.assertj.core.api.Assertions.within(1, ChronoUnit.SECONDS));
    }

    @Test
    public void aDryRunCountsAndChangesNothing() {
        View v = view();
        insertStamped(1, LocalDateTime.of(2024, 1, 1, 10, 0));
        insertStamped(2, LocalDateTime.of(2024, 1, 2, 10, 0));
        Replay r;
        try (PushSession s = session(v, "replayer")) {
            r = s.replay(ReplaySelection.all(), true, "ops");
        }
        assertThat(r.rows()).isEqualTo(2);
        assertThat(r.dryRun()).isTrue();
        assertThat(stampOf(1)).isNotNull();
        assertThat(store.replays(name, 10)).isEmpty();
    }

    @Test
    public void replayByKeysClearsOnlyThoseRowsThatHaveAStamp() {
        View v = view();
        insertStamped(1, LocalDateTime.of(2024, 1, 1, 10, 0));
        insertStamped(2, LocalDateTime.of(2024, 1, 2, 10, 0));
        insertStamped(3, LocalDateTime.of(2024, 1, 3, 10, 0));
        tables.insert(ContractViews.TABLE, order(4, "c4", "4.00", T0));
        Replay r;
        try (PushSession s = session(v, "replayer")) {
            r = s.replay(ReplaySelection.keys(List.of(RowKey.of(key(1)), RowKey.of(key(3)), RowKey.of(key(4)),
                    RowKey.of(key(99)))), false, "ops");
        }
        assertThat(r.rows()).isEqualTo(2);
        assertThat(stampOf(1)).isNull();
        assertThat(stampOf(2)).isNotNull();
        assertThat(stampOf(3)).isNull();
        assertThat(store.replays(name, 10).get(0).selection()).isEqualTo("keys 1, 3, 4, 99");
    }

    @Test
    public void replaySinceClearsRowsStampedAtOrAfterTheTime() {
        View v = view();
        insertStamped(1, LocalDateTime.of(2024, 1, 1, 10, 0));
        insertStamped(2, LocalDateTime.of(2024, 1, 2, 10, 0));
        insertStamped(3, LocalDateTime.of(2024, 1, 3, 10, 0));
        Replay r;
        try (PushSession s = session(v, "replayer")) {
            r = s.replay(ReplaySelection.since(Instant.parse("2024-01-02T10:00:00Z")), false, "ops");
        }
        assertThat(r.rows()).isEqualTo(2);
        assertThat(stampOf(1)).isNotNull();
        assertThat(stampOf(2)).isNull();
        assertThat(stampOf(3)).isNull();
    }

    @Test
    public void replayIsRefusedWhenTheLeaseWasTakenOver() throws InterruptedException {
        View v = view();
        insertStamped(1, LocalDateTime.of(2024, 1, 1, 10, 0));
        PushSession stale = store.begin(v, "stale", Duration.ofMillis(300), new Snapshot(Instant.now(), ZoneOffset.UTC),
                false).orElseThrow();
        Thread.sleep(700);
        try (PushSession taker = session(v, "taker")) {
            assertThatThrownBy(() -> stale.replay(ReplaySelection.all(), false, "ops"))
                    .isInstanceOf(LeaseLostException.class);
            assertThat(taker.lease().view()).isEqualTo(name);
        } finally {
            stale.close();
        }
        assertThat(stampOf(1)).isNotNull();
        assertThat(store.replays(name, 10)).isEmpty();
    }

    @Test
    public void theReplayJournalIsNewestFirstAndLimited() {
        View v = view();
        for (int i = 1; i <= 3; i++) {
            insertStamped(i, LocalDateTime.of(2024, 1, i, 10, 0));
            try (PushSession s = session(v, "replayer")) {
                s.replay(ReplaySelection.keys(List.of(RowKey.of(key(i)))), false, "op" + i);
            }
        }
        List<Replay> two = store.replays(name, 2);
        assertThat(two).extracting(Replay::by).containsExactly("op3", "op2");
        assertThat(store.replays(name + " other", 10)).isEmpty();
    }

    private void record(View v, Instant start, Status status) {
        try (PushSession s = session(v, "pusher")) {
            s.finish(new PushAttempt(v.name(), Trigger.SCHEDULE, start, start.plusMillis(10), status, 1,
                    status == Status.SUCCESS ? 1 : 0, 0, 1, 10, OptionalInt.of(status == Status.SUCCESS ? 200 : 500),
                    status.name(), List.of("msg_1")));
        }
    }

    @Test
    public void theHistoryKeepsWhenItsFailingStreakBeganForPauseAfter() {
        View v = view();
        Instant t1 = T;
        Instant t2 = T.plusSeconds(60);
        record(v, t1, Status.FAILED);
        record(v, t2, Status.FAILED);
        assertThat(store.history(name).failingSince()).contains(t1);
        assertThat(store.history(name).consecutiveFailures()).isEqualTo(2);
        record(v, t2.plusSeconds(60), Status.SUCCESS);
        assertThat(store.history(name).failingSince()).isEmpty();
        Instant t4 = t2.plusSeconds(120);
        record(v, t4, Status.PARTIAL);
        assertThat(store.history(name).failingSince()).isEqualTo(Optional.of(t4));
    }

    @Test
    public void aSessionSeesThePauseWithItsHistoryOrWithout() {
        View v = view();
        try (PushSession s = session(v, "pusher")) {
            assertThat(s.history()).isEqualTo(io.viewpush.push.PushHistory.none(name));
            assertThat(s.paused()).isEmpty();
        }
        Pause p = new Pause(name, Pause.Reason.ENDPOINT_GONE, "410 Gone", T, "engine-1");
        store.pause(p);
        try (PushSession s = session(v, "pusher")) {
            assertThat(s.paused()).contains(p);
        }
        try (PushSession s = session(v, "pusher")) {
            assertThat(s.history().consecutiveFailures()).isZero();
            assertThat(s.paused()).contains(p);
        }
        record(v, T, Status.FAILED);
        try (PushSession s = session(v, "pusher")) {
            assertThat(s.history().failingSince()).contains(T);
            assertThat(s.paused()).contains(p);
        }
        store.resume(name);
        try (PushSession s = session(v, "pusher")) {
            assertThat(s.history().consecutiveFailures()).isEqualTo(1);
            assertThat(s.paused()).isEmpty();
        }
    }

    @Test
    public void aSessionThatReadsAtOnceSeesThePauseMadeBeforeIt() {
        View v = view();
        insertStamped(1, null);
        insertStamped(2, null);
        for (int round = 0; round < 2; round++) { // the first takes the view's first lease, the second the lease it left
            try (PushSession s = readingSession(v, "pusher")) {
                assertThat(s.paused()).as("round %d", round).isEmpty();
                try (var rows = s.rows()) {
                    assertThat(rows.hasNext()).isTrue();
                }
            }
        }
        Pause p = new Pause(name, Pause.Reason.OPERATOR, "maintenance", T, "ops");
        store.pause(p);
        try (PushSession s = readingSession(v, "pusher")) {
            assertThat(s.paused()).contains(p);
        }
        store.resume(name);
        try (PushSession s = readingSession(v, "pusher")) {
            assertThat(s.paused()).isEmpty();
        }
    }
}
