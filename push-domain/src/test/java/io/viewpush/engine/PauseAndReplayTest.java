package io.viewpush.engine;

import io.viewpush.expression.Snapshot;
import io.viewpush.port.PushListener;
import io.viewpush.port.PushSession;
import io.viewpush.port.contract.ContractViews;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Outcome;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.Replay;
import io.viewpush.testing.InMemoryStore;
import io.viewpush.testing.InMemoryTable;
import io.viewpush.testing.RecordingTransport;
import io.viewpush.testing.SettableClock;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.RowKey;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.viewpush.port.contract.ContractViews.key;
import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Paused views (a gone receiver, failing too long, an operator) and replays, through the engine with the in-memory fakes. */
class PauseAndReplayTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2024, 3, 1, 12, 0);
    private static final String VIEW = "orders to push";

    private InMemoryStore store;
    private InMemoryTable table;
    private RecordingTransport transport;
    private final List<ViewPush> engines = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final PushListener listener = new PushListener() {
        @Override
        public void viewPaused(Pause pause) {
            events.add("paused " + pause.view() + " " + pause.reason().code());
        }

        @Override
        public void viewResumed(Pause ended, String by) {
            events.add("resumed " + ended.view() + " by " + by);
        }

        @Override
        public void viewReplayed(Replay replay) {
            events.add("replayed " + replay.view() + " " + replay.rows());
        }
    };

    @BeforeEach
    void setUp() {
        store = InMemoryStore.create();
        table = OrdersTable.createIn(store);
        transport = new RecordingTransport();
    }

    @AfterEach
    void tearDown() {
        engines.forEach(ViewPush::close);
    }

    private ViewPush engine(ViewDefinition def) {
        return engine(def, java.time.Clock.systemUTC());
    }

    private ViewPush engine(ViewDefinition def, java.time.Clock clock) {
        ViewPush e = ViewPush.builder().store(store).transport(transport).view(def).listener(listener).clock(clock)
                .pollInterval(Duration.ofMillis(50)).build();
        engines.add(e);
        return e;
    }

    private static ViewDefinition withMaxRows(ViewDefinition def, int maxRows) {
        return def.withPush(def.push().orElseThrow().withMaxRows(maxRows));
    }

    private void insert(int... ids) {
        for (int id : ids) {
            table.insert(order(id, "c" + id, id + ".00", T0));
        }
    }

    private Object stampOf(int id) {
        return table.row(key(id)).orElseThrow().get("last_pushed");
    }

    @Test
    void aGoneReceiverPausesTheViewAtOnceKeepingEarlierBatchesStampedAndSendingNothingAfter() {
        insert(1, 2, 3, 4, 5, 6);
        ViewPush e = engine(withMaxRows(ContractViews.modifiedSincePushed(), 2));
        transport.respond(200, RecordingTransport.GONE);

        PushAttempt a = e.pushNow(VIEW);

        assertThat(a.outcome()).isEqualTo(Outcome.ENDPOINT_GONE);
        assertThat(a.status()).isEqualTo(Status.PARTIAL);
        assertThat(a.reason()).contains("gone").contains("paused");
        assertThat(transport.batches()).hasSize(2);
        assertThat(stampOf(1)).isNotNull();
        assertThat(stampOf(2)).isNotNull();
        assertThat(stampOf(3)).isNull();
        assertThat(stampOf(4)).isNull();
        assertThat(stampOf(5)).isNull();
        Pause p = store.paused(VIEW).orElseThrow();
        assertThat(p.reason()).isEqualTo(Pause.Reason.ENDPOINT_GONE);
        assertThat(e.status(VIEW).paused()).contains(p);
        assertThat(events).containsExactly("paused " + VIEW + " endpoint_gone");
        assertThat(store.recent(VIEW, 1).get(0).outcome()).isEqualTo(Outcome.ENDPOINT_GONE);

        PushAttempt next = e.pushNow(VIEW);
        assertThat(next.status()).isEqualTo(Status.SKIPPED);
        assertThat(next.outcome()).isEqualTo(Outcome.PAUSED);
        assertThat(transport.batches()).hasSize(2);
    }

    @Test
    void aGoneReceiverOnTheFirstBatchStampsNothing() {
        insert(1, 2);
        ViewPush e = engine(ContractViews.modifiedSincePushed());
        transport.respond(RecordingTransport.GONE);
        PushAttempt a = e.pushNow(VIEW);
        assertThat(a.status()).isEqualTo(Status.FAILED);
        assertThat(a.outcome()).isEqualTo(Outcome.ENDPOINT_GONE);
        assertThat(stampOf(1)).isNull();
        assertThat(e.paused(VIEW)).isPresent();
    }

    @Test
    void aPauseIsSharedByEveryEngineOnTheStoreAndResumeEndsIt() {
        insert(1);
        ViewPush one = engine(ContractViews.modifiedSincePushed());
        ViewPush two = engine(ContractViews.modifiedSincePushed());
        Pause p = one.pause(VIEW, "receiver maintenance", "ops");
        assertThat(p.reason()).isEqualTo(Pause.Reason.OPERATOR);
        assertThat(p.detail()).isEqualTo("receiver maintenance");
        assertThat(p.by()).isEqualTo("ops");
        assertThat(two.pushNow(VIEW).outcome()).isEqualTo(Outcome.PAUSED);
        assertThat(two.pause(VIEW, "again", "other")).isEqualTo(p);
        assertThat(transport.batches()).isEmpty();

        assertThat(two.resume(VIEW, "ops")).contains(p);
        assertThat(one.resume(VIEW, "ops")).isEmpty();
        assertThat(one.pushNow(VIEW).status()).isEqualTo(Status.SUCCESS);
        assertThat(events).containsExactly("paused " + VIEW + " operator", "resumed " + VIEW + " by ops");
    }

    @Test
    void aResumedViewIsPushedAtOnceDespiteItsIntervalAndBackoff() {
        insert(1);
        ViewDefinition def = ContractViews.modifiedSincePushed();
        def = def.withPush(def.push().orElseThrow().withMinInterval(Duration.ofHours(1)));
        ViewPush e = engine(def);
        transport.respond(RecordingTransport.GONE);
        e.start();
        await().until(() -> e.paused(VIEW).isPresent());
        assertThat(stampOf(1)).isNull();

        e.resume(VIEW, "ops");

        await().until(() -> stampOf(1) != null);
        assertThat(transport.batches()).hasSize(2);
    }

    @Test
    void aViewResumedByAnotherEngineIsPushedAtOnceByTheRunningOne() {
        insert(1);
        ViewDefinition def = ContractViews.modifiedSincePushed();
        def = def.withPush(def.push().orElseThrow().withMinInterval(Duration.ofHours(1)));
        ViewPush running = engine(def);
        ViewPush cli = engine(def);
        cli.pause(VIEW, null, "ops");
        running.start();
        await().until(() -> running.status(VIEW).nextDue().isPresent());
        assertThat(transport.batches()).isEmpty();

        cli.resume(VIEW, "ops");

        await().until(() -> stampOf(1) != null);
    }

    @Test
    void aViewWhosePushesAllFailedForPauseAfterIsPaused() {
        insert(1);
        SettableClock clock = new SettableClock(Instant.parse("2024-03-01T12:00:00Z"), ZoneOffset.UTC);
        ViewDefinition def = ContractViews.modifiedSincePushed();
        def = def.withPush(def.push().orElseThrow().toBuilder().pauseAfter(Duration.ofHours(1)).build());
        ViewPush e = engine(def, clock);
        transport.failNext(10, 500);

        assertThat(e.pushNow(VIEW).status()).isEqualTo(Status.FAILED);
        clock.advance(Duration.ofMinutes(59));
        assertThat(e.pushNow(VIEW).status()).isEqualTo(Status.FAILED);
        assertThat(e.paused(VIEW)).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        PushAttempt third = e.pushNow(VIEW);

        assertThat(third.outcome()).isEqualTo(Outcome.RECEIVER_FAILED);
        assertThat(third.reason()).contains("paused");
        Pause p = e.paused(VIEW).orElseThrow();
        assertThat(p.reason()).isEqualTo(Pause.Reason.FAILING);
        assertThat(p.detail()).contains("3 pushes in a row failed since 2024-03-01T12:00:00Z");
        assertThat(events).containsExactly("paused " + VIEW + " failing");
    }

    @Test
    void aSuccessStartsTheFailingTimeAnew() {
        insert(1, 2);
        SettableClock clock = new SettableClock(Instant.parse("2024-03-01T12:00:00Z"), ZoneOffset.UTC);
        ViewDefinition def = ContractViews.modifiedSincePushed();
        def = def.withPush(def.push().orElseThrow().toBuilder().pauseAfter(Duration.ofHours(1)).build());
        ViewPush e = engine(def, clock);
        transport.respond(500, 200, 500, 500);
        e.pushNow(VIEW);
        clock.advance(Duration.ofMinutes(40));
        assertThat(e.pushNow(VIEW).status()).isEqualTo(Status.SUCCESS);
        table.touch(key(1), "last_modified");
        clock.advance(Duration.ofMinutes(1));
        e.pushNow(VIEW);
        clock.advance(Duration.ofMinutes(40));
        assertThat(e.pushNow(VIEW).status()).isEqualTo(Status.FAILED);
        assertThat(e.paused(VIEW)).isEmpty();
    }

    @Test
    void withoutPauseAfterFailuresNeverPause() {
        insert(1);
        SettableClock clock = new SettableClock(Instant.parse("2024-03-01T12:00:00Z"), ZoneOffset.UTC);
        ViewPush e = engine(ContractViews.modifiedSincePushed(), clock);
        transport.failNext(3, 500);
        for (int i = 0; i < 3; i++) {
            e.pushNow(VIEW);
            clock.advance(Duration.ofDays(3));
        }
        assertThat(e.paused(VIEW)).isEmpty();
    }

    @Test
    void replayAllClearsEveryStampAndTheNextPushSendsTheRowsAgain() {
        insert(1, 2, 3);
        ViewPush e = engine(ContractViews.modifiedSincePushed());
        e.pushNow(VIEW);
        transport.clear();

        Replay dry = e.replay(VIEW, ReplaySelection.all(), true, "ops");
        assertThat(dry.rows()).isEqualTo(3);
        assertThat(dry.dryRun()).isTrue();
        assertThat(stampOf(1)).isNotNull();
        assertThat(e.replays(VIEW, 10)).isEmpty();

        Replay r = e.replay(VIEW, ReplaySelection.all(), false, "ops");
        assertThat(r.rows()).isEqualTo(3);
        assertThat(r.selection()).isEqualTo("all");
        assertThat(stampOf(1)).isNull();
        assertThat(e.replays(VIEW, 10)).containsExactly(r);
        assertThat(events).containsExactly("replayed " + VIEW + " 3");

        e.pushNow(VIEW);
        assertThat(transport.deliveredKeys()).containsExactly(key(1), key(2), key(3));
    }

    @Test
    void replayByKeyClearsOnlyThoseRows() {
        insert(1, 2, 3);
        ViewPush e = engine(ContractViews.modifiedSincePushed());
        e.pushNow(VIEW);
        RowKey two = e.keyOf(VIEW, "2").orElseThrow();
        Replay r = e.replay(VIEW, ReplaySelection.keys(List.of(two, e.keyOf(VIEW, "99").orElseThrow())), false, "ops");
        assertThat(r.rows()).isEqualTo(1);
        assertThat(r.selection()).isEqualTo("keys 2, 99");
        assertThat(stampOf(1)).isNotNull();
        assertThat(stampOf(2)).isNull();
        assertThat(stampOf(3)).isNotNull();
        assertThat(e.keyOf(VIEW, "two")).isEmpty();
    }

    @Test
    void replaySinceClearsRowsStampedAtOrAfterTheTime() {
        insert(1, 2, 3);
        ViewPush e = engine(ContractViews.neverPushed().withPush(ContractViews.neverPushed().push().orElseThrow()));
        Map<String, Object> early = new HashMap<>();
        early.put("last_pushed", LocalDateTime.of(2024, 1, 1, 10, 0));
        table.update(key(1), early);
        Map<String, Object> exact = new HashMap<>();
        exact.put("last_pushed", LocalDateTime.of(2024, 1, 2, 10, 0));
        table.update(key(2), exact);
        Map<String, Object> late = new HashMap<>();
        late.put("last_pushed", LocalDateTime.of(2024, 1, 3, 10, 0));
        table.update(key(3), late);

        Instant since = ReplaySelection.parseTime("2024-01-02T10:00:00", e.zone());
        Replay r = e.replay("new orders", ReplaySelection.since(since), false, "ops");

        assertThat(r.rows()).isEqualTo(2);
        assertThat(table.row(key(1)).orElseThrow().get("last_pushed")).isNotNull();
        assertThat(table.row(key(2)).orElseThrow().get("last_pushed")).isNull();
        assertThat(table.row(key(3)).orElseThrow().get("last_pushed")).isNull();
    }

    @Test
    void aViewWhoseFiltersDoNotDependOnTheStampCannotBeReplayed() {
        ViewDefinition receipts = ContractViews.base("receipts").filter("{receipt id} is empty")
                .push(ContractViews.policy().build()).build();
        ViewPush e = engine(receipts);
        assertThatThrownBy(() -> e.replay("receipts", ReplaySelection.all(), false, "ops"))
                .isInstanceOfSatisfying(CannotReplayException.class, x -> {
                    assertThat(x.reason()).isEqualTo(CannotReplayException.Reason.STAMP_NOT_IN_FILTERS);
                    assertThat(x.getMessage()).contains("'last pushed'").contains("cannot work");
                });
    }

    @Test
    void aPullOnlyViewCannotBePausedOrReplayed() {
        ViewPush e = engine(ContractViews.notConfirmed());
        assertThatThrownBy(() -> e.pause("unconfirmed orders", null, "ops")).isInstanceOf(UnknownViewException.class);
        assertThatThrownBy(() -> e.replay("unconfirmed orders", ReplaySelection.all(), false, "ops"))
                .isInstanceOf(UnknownViewException.class);
    }

    @Test
    void aReplayWaitsForAnotherEnginesPushOfTheView() throws Exception {
        insert(1);
        ViewPush e = engine(ContractViews.modifiedSincePushed());
        e.pushNow(VIEW);
        Optional<PushSession> other = store.begin(e.view(VIEW).orElseThrow(), "other engine", Duration.ofMinutes(1),
                Snapshot.at(Instant.now()), false);
        assertThat(other).isPresent();
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
            other.get().close();
        });
        release.start();

        Replay r = e.replay(VIEW, ReplaySelection.all(), false, "ops");

        release.join();
        assertThat(r.rows()).isEqualTo(1);
        assertThat(stampOf(1)).isNull();
    }

    @Test
    void aTimeIsReadWithOrWithoutOffsetOrAsADate() {
        java.time.ZoneId paris = java.time.ZoneId.of("Europe/Paris");
        assertThat(ReplaySelection.parseTime("2024-05-01T10:00:00Z", paris)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(ReplaySelection.parseTime("2024-05-01T12:00:00", paris)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(ReplaySelection.parseTime("2024-05-01", paris)).isEqualTo(Instant.parse("2024-04-30T22:00:00Z"));
        assertThatThrownBy(() -> ReplaySelection.parseTime("yesterday", paris))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'yesterday'");
    }
}
