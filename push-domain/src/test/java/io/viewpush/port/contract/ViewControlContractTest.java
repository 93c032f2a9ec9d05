package io.viewpush.port.contract;

import io.viewpush.expression.Snapshot;
import io.viewpush.port.LeaseLostException;
import io.viewpush.port.PushSession;
import io.viewpush.push.Pause;
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

    private View view() {
        return bind(ContractViews.neverPushed());
    }

    private PushSession session(View view, String owner) {
        return store.begin(view, owner, LONG, new Snapshot(Instant.now(), ZoneOffset.UTC), false).orElseThrow();
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
    void aViewIsNotPausedUntilPausedAndThePauseReadsBackExactly() {
        assertThat(store.paused("new orders")).isEmpty();
        Pause p = new Pause("new orders", Pause.Reason.ENDPOINT_GONE, "the receiver answered 410 Gone", T, "engine-1");
        assertThat(store.pause(p)).isEqualTo(p);
        assertThat(store.paused("new orders")).contains(p);
        assertThat(store.pauses()).isEqualTo(Map.of("new orders", p));
        assertThat(store.paused("other view")).isEmpty();
    }

    @Test
    void aSecondPauseKeepsTheFirst() {
        Pause first = new Pause("v", Pause.Reason.FAILING, "3 pushes failed", T, "engine-1");
        store.pause(first);
        Pause second = new Pause("v", Pause.Reason.OPERATOR, "maintenance", T.plusSeconds(5), "ops");
        assertThat(store.pause(second)).isEqualTo(first);
        assertThat(store.paused("v")).contains(first);
    }

    @Test
    void resumeEndsThePauseAndSaysWhichOneEnded() {
        Pause p = new Pause("v", Pause.Reason.OPERATOR, "maintenance", T, "ops");
        store.pause(p);
        assertThat(store.resume("v")).contains(p);
        assertThat(store.paused("v")).isEmpty();
        assertThat(store.pauses()).isEmpty();
        assertThat(store.resume("v")).isEmpty();
    }

    @Test
    void replayAllClearsEveryStampAndIsJournaled() {
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
        List<Replay> journal = store.replays("new orders", 10);
        assertThat(journal).hasSize(1);
        assertThat(journal.get(0).rows()).isEqualTo(2);
        assertThat(journal.get(0).selection()).isEqualTo("all");
        assertThat(journal.get(0).by()).isEqualTo("ops");
        assertThat(journal.get(0).at()).isCloseTo(r.at(), org.assertj.core.api.Assertions.within(1, ChronoUnit.SECONDS));
    }

    @Test
    void aDryRunCountsAndChangesNothing() {
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
        assertThat(store.replays("new orders", 10)).isEmpty();
    }

    @Test
    void replayByKeysClearsOnlyThoseRowsThatHaveAStamp() {
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
        assertThat(store.replays("new orders", 10).get(0).selection()).isEqualTo("keys 1, 3, 4, 99");
    }

    @Test
    void replaySinceClearsRowsStampedAtOrAfterTheTime() {
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
    void replayIsRefusedWhenTheLeaseWasTakenOver() throws InterruptedException {
        View v = view();
        insertStamped(1, LocalDateTime.of(2024, 1, 1, 10, 0));
        PushSession stale = store.begin(v, "stale", Duration.ofMillis(300), new Snapshot(Instant.now(), ZoneOffset.UTC),
                false).orElseThrow();
        Thread.sleep(700);
        try (PushSession taker = session(v, "taker")) {
            assertThatThrownBy(() -> stale.replay(ReplaySelection.all(), false, "ops"))
                    .isInstanceOf(LeaseLostException.class);
            assertThat(taker.lease().view()).isEqualTo("new orders");
        } finally {
            stale.close();
        }
        assertThat(stampOf(1)).isNotNull();
        assertThat(store.replays("new orders", 10)).isEmpty();
    }

    @Test
    void theReplayJournalIsNewestFirstAndLimited() {
        View v = view();
        for (int i = 1; i <= 3; i++) {
            insertStamped(i, LocalDateTime.of(2024, 1, i, 10, 0));
            try (PushSession s = session(v, "replayer")) {
                s.replay(ReplaySelection.keys(List.of(RowKey.of(key(i)))), false, "op" + i);
            }
        }
        List<Replay> two = store.replays("new orders", 2);
        assertThat(two).extracting(Replay::by).containsExactly("op3", "op2");
        assertThat(store.replays("other", 10)).isEmpty();
    }
}
