package io.viewpush.engine;

import io.viewpush.port.contract.ContractViews;
import io.viewpush.push.Delivery;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.PushAttempt.Trigger;
import io.viewpush.port.PushTransport;
import io.viewpush.testing.InMemoryStore;
import io.viewpush.testing.InMemoryTable;
import io.viewpush.testing.RecordingTransport;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.viewpush.port.contract.ContractViews.key;
import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The scheduler, in real time with short intervals. */
class SchedulerTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2024, 3, 1, 12, 0);

    private InMemoryStore store;
    private InMemoryTable table;
    private RecordingTransport transport;
    private ViewPush engine;

    @BeforeEach
    void setUp() {
        store = InMemoryStore.create();
        table = OrdersTable.createIn(store);
        transport = new RecordingTransport();
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }

    private static ViewDefinition view(Duration minInterval) {
        ViewDefinition def = ContractViews.modifiedSincePushed();
        return def.withPush(def.push().orElseThrow().withMinInterval(minInterval));
    }

    private ViewPush.Builder builder(ViewDefinition def) {
        return ViewPush.builder().store(store).transport(transport).view(def).pollInterval(Duration.ofMillis(50));
    }

    @Test
    void aDatabaseThatFailsIsReportedAsFailedPushesAndTheSchedulerRecoversByItself() {
        // found by the reliability suite (scenario 2): while PostgreSQL restarted, every check of a
        // view failed and the scheduler swallowed it: no log line, no metric, no backoff
        table.insert(order(1, "a", "1", T0));
        ViewDefinition def = view(Duration.ZERO);
        def = def.withPush(def.push().orElseThrow().toBuilder().backoffInitial(Duration.ofMillis(50))
                .backoffMax(Duration.ofMillis(100)).build());
        List<PushAttempt> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine = builder(def).listener(new io.viewpush.port.PushListener() {
            @Override
            public void pushFinished(PushAttempt attempt) {
                heard.add(attempt);
            }
        }).build();
        store.setReachable(false);
        engine.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.stream().filter(a -> a.status() == Status.FAILED).count() >= 2);
        assertThat(heard).allSatisfy(a -> assertThat(a.reason()).startsWith("database error: "));
        assertThat(transport.batches()).isEmpty();

        store.setReachable(true);
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(1)));
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.stream().anyMatch(a -> a.status() == Status.SUCCESS));
    }

    @Test
    void aViewHeldByAnotherEngineIsLookedAtAgainAfterThePollIntervalSoADeadHolderIsTakenOverSoon() {
        table.insert(order(1, "a", "1", T0));
        List<PushAttempt> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine = builder(view(Duration.ofHours(1))).listener(new io.viewpush.port.PushListener() {
            @Override
            public void pushFinished(PushAttempt attempt) {
                heard.add(attempt);
            }
        }).build();
        View view = engine.view("orders to push").orElseThrow();
        io.viewpush.port.PushSession other = store.begin(view, "another engine", Duration.ofMinutes(5),
                io.viewpush.expression.Snapshot.at(java.time.Instant.now()), false).orElseThrow();
        engine.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.stream()
                .filter(a -> a.outcome() == PushAttempt.Outcome.LEASE_HELD).count() >= 2);
        PushAttempt held = heard.get(0);
        assertThat(held.outcome()).isEqualTo(PushAttempt.Outcome.LEASE_HELD);
        assertThat(transport.batches()).isEmpty();

        other.close(); // the holder is gone: the next look, a poll interval later, pushes
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(1)));
    }

    /** @return a listener that adds every finished push to {@code heard} */
    private static io.viewpush.port.PushListener hearing(List<PushAttempt> heard) {
        return new io.viewpush.port.PushListener() {
            @Override
            public void pushFinished(PushAttempt attempt) {
                heard.add(attempt);
            }
        };
    }

    /** Views of one customer each, as an operator with one view per partner has them. */
    private static ViewDefinition customerView(int n) {
        return ContractViews.base("customer " + n)
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true").filter("{customer} = 'c" + n + "'")
                .push(ContractViews.policy().modifiedField("last modified [auto]").build())
                .build();
    }

    /** A store that counts the engine's checks: together, or one view's at a time. */
    private static final class CountingStore extends io.viewpush.testing.ForwardingStore {
        final List<Integer> together = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicInteger alone = new AtomicInteger();
        volatile boolean failTogether;

        CountingStore(InMemoryStore delegate) {
            super(delegate);
        }

        @Override
        public Map<String, Boolean> hasRows(java.util.Collection<View> views, io.viewpush.expression.Snapshot snapshot) {
            together.add(views.size());
            if (failTogether) {
                throw new io.viewpush.port.StorageException("checking " + views.size() + " views at once", new RuntimeException("broken"));
            }
            Map<String, Boolean> found = new java.util.HashMap<>();
            for (View v : views) {
                found.put(v.name(), probe(v, snapshot));
            }
            return found;
        }

        @Override
        public io.viewpush.port.RowCursor open(View view, io.viewpush.expression.Snapshot snapshot, io.viewpush.port.Page page) {
            if (page.limit() == 1) {
                alone.incrementAndGet();
            }
            return super.open(view, snapshot, page);
        }

        private boolean probe(View v, io.viewpush.expression.Snapshot snapshot) {
            try (io.viewpush.port.RowCursor c = super.open(v, snapshot, io.viewpush.port.Page.first(1))) {
                return c.hasNext();
            }
        }
    }

    @Test
    void idleViewsDueTogetherAreCheckedInOneCallOfTheStoreAndAViewWithRowsIsPushed() {
        CountingStore counting = new CountingStore(store);
        ViewPush.Builder b = ViewPush.builder().store(counting).transport(transport).pollInterval(Duration.ofMillis(200));
        for (int n = 1; n <= 40; n++) {
            b.view(customerView(n));
        }
        List<PushAttempt> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine = b.listener(hearing(heard)).build();
        engine.start();
        // 40 views due at about the same moment: checked in one or two calls of the store at first,
        // then, rescheduled on one grid, all of them in one call each round; none alone
        await().atMost(5, TimeUnit.SECONDS).until(() -> counting.together.contains(40));
        int seen = counting.together.size();
        await().atMost(5, TimeUnit.SECONDS).until(() -> counting.together.size() >= seen + 2);
        assertThat(counting.together.subList(seen, counting.together.size())).containsOnly(40);
        assertThat(counting.alone.get()).isZero();
        assertThat(heard).filteredOn(a -> a.view().equals("customer 7")).isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.status()).isEqualTo(Status.NOTHING_TO_SEND);
                    assertThat(a.trigger()).isEqualTo(Trigger.SCHEDULE);
                });

        table.insert(order(1, "c7", "1", T0));
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(1)));
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.stream()
                .anyMatch(a -> a.view().equals("customer 7") && a.status() == Status.SUCCESS));
        // the view found with a row was pushed without being checked again on its own
        assertThat(counting.alone.get()).isZero();
        assertThat(transport.deliveredKeys()).containsExactly(key(1));
    }

    @Test
    void whenTheDatabaseFailsTheCheckOfManyViewsEachViewsPushIsReportedFailedAndPushesResumeWhenItIsBack() {
        CountingStore counting = new CountingStore(store);
        counting.failTogether = true;
        ViewPush.Builder b = ViewPush.builder().store(counting).transport(transport).pollInterval(Duration.ofMillis(100));
        for (int n = 1; n <= 5; n++) {
            ViewDefinition d = customerView(n);
            b.view(d.withPush(d.push().orElseThrow().toBuilder().backoffInitial(Duration.ofMillis(50))
                    .backoffMax(Duration.ofMillis(100)).build()));
        }
        List<PushAttempt> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine = b.listener(hearing(heard)).build();
        table.insert(order(1, "c3", "1", T0));
        engine.start();
        // as when each view's own check failed: a failed push naming the database, for every view
        await().atMost(5, TimeUnit.SECONDS).until(() -> heard.stream().filter(a -> a.status() == Status.FAILED)
                .map(PushAttempt::view).collect(java.util.stream.Collectors.toSet()).size() == 5);
        assertThat(heard).filteredOn(a -> a.status() == Status.FAILED)
                .allSatisfy(a -> assertThat(a.reason()).startsWith("database error: ").contains("views at once"));
        assertThat(transport.batches()).isEmpty();

        counting.failTogether = false;
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(1)));
    }

    @Test
    void pushesNewRowsOnItsOwnOnceStarted() {
        table.insert(order(1, "a", "1", T0));
        engine = builder(view(Duration.ZERO)).build();
        engine.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(1)));
        table.insert(order(2, "b", "1", T0));
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(2)));
        assertThat(transport.deliveredKeys()).containsExactly(key(1), key(2));
    }

    @Test
    void pushStartsOfAViewAreAtLeastTheMinimumIntervalApart() {
        Duration min = Duration.ofMillis(300);
        engine = builder(view(min)).build();
        AtomicInteger next = new AtomicInteger(1);
        engine.start();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1600);
        while (System.nanoTime() < until) {
            table.insert(order(next.getAndIncrement(), "c", "1", T0));
            sleep(20);
        }
        List<PushAttempt> pushes = new ArrayList<>(store.recent("orders to push", 100));
        pushes.sort(Comparator.comparing(PushAttempt::startedAt));
        assertThat(pushes.size()).isBetween(3, 7);
        for (int i = 1; i < pushes.size(); i++) {
            Duration gap = Duration.between(pushes.get(i - 1).startedAt(), pushes.get(i).startedAt());
            assertThat(gap).as("gap between push %d and %d", i - 1, i).isGreaterThanOrEqualTo(min);
        }
    }

    @Test
    void aViewThatKeepsChangingIsPushedWhenItsIntervalIsUpNotAPollLater() {
        Duration min = Duration.ofMillis(200);
        List<PushAttempt> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine = builder(view(min)).pollInterval(min).listener(new io.viewpush.port.PushListener() {
            @Override
            public void pushFinished(PushAttempt attempt) {
                attempts.add(attempt);
            }
        }).build();
        AtomicInteger next = new AtomicInteger(1);
        engine.start();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2000);
        while (System.nanoTime() < until) {
            table.insert(order(next.getAndIncrement(), "c", "1", T0));
            sleep(10);
        }
        assertThat(attempts).filteredOn(a -> a.status() == Status.SKIPPED).extracting(PushAttempt::reason)
                .as("scheduled runs that came too early and cost a whole poll interval").isEmpty();
        assertThat(attempts).filteredOn(a -> a.status() == Status.SUCCESS).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void aWakeUpPushesWithoutWaitingForThePoll() {
        engine = builder(view(Duration.ZERO)).pollInterval(Duration.ofHours(1)).build();
        engine.start();
        sleep(100);
        table.insert(order(1, "a", "1", T0));
        sleep(300);
        assertThat(transport.batches()).isEmpty();
        engine.wakeTable(ContractViews.TABLE);
        await().atMost(2, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(1)));
        await().atMost(2, TimeUnit.SECONDS).until(() -> !store.recent("orders to push", 1).isEmpty());
        assertThat(store.recent("orders to push", 1).get(0).trigger()).isEqualTo(Trigger.WAKE);
    }

    @Test
    void failuresBackOffAndASuccessDeliversTheRows() {
        table.insert(order(1, "a", "1", T0));
        transport.failNext(3, 500);
        ViewDefinition def = view(Duration.ZERO);
        def = def.withPush(def.push().orElseThrow().toBuilder().backoffInitial(Duration.ofMillis(100))
                .backoffMax(Duration.ofMillis(400)).build());
        engine = builder(def).build();
        engine.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(1)));
        // the rows arrive before the push that sent them is journaled and its outcome known
        await().atMost(5, TimeUnit.SECONDS).until(() -> store.recent("orders to push", 10).stream()
                .anyMatch(a -> a.status() == Status.SUCCESS));
        await().atMost(5, TimeUnit.SECONDS).until(() -> engine.status("orders to push").history().consecutiveFailures() == 0);
        List<PushAttempt> pushes = new ArrayList<>(store.recent("orders to push", 10));
        pushes.sort(Comparator.comparing(PushAttempt::startedAt));
        assertThat(pushes).extracting(PushAttempt::status)
                .containsExactly(Status.FAILED, Status.FAILED, Status.FAILED, Status.SUCCESS);
        assertThat(Duration.between(pushes.get(0).startedAt(), pushes.get(1).startedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.between(pushes.get(1).startedAt(), pushes.get(2).startedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(Duration.between(pushes.get(2).startedAt(), pushes.get(3).startedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(engine.status("orders to push").history().consecutiveFailures()).isZero();
    }

    @Test
    void closeLetsThePushInFlightFinishAndStamp() throws InterruptedException {
        table.insert(order(1, "a", "1", T0));
        CountDownLatch sending = new CountDownLatch(1);
        transport.onSend(rows -> {
            sending.countDown();
            sleep(300);
        });
        engine = builder(view(Duration.ZERO)).shutdownTimeout(Duration.ofSeconds(5)).build();
        engine.start();
        assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();
        engine.close();
        assertThat(table.row(key(1)).orElseThrow().get("last_pushed")).isNotNull();
    }

    @Test
    void closeNeverStampsAfterItGaveUpWaiting() throws InterruptedException {
        table.insert(order(1, "a", "1", T0));
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        PushTransport slow = new PushTransport() {
            @Override
            public Delivery send(View view, Iterator<Row> rows) {
                List<Row> list = new ArrayList<>();
                rows.forEachRemaining(list::add);
                sending.countDown();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // a receiver that ignores interrupts and answers late
                }
                answered.countDown();
                return Delivery.delivered(200, "200", list.size(), 10, "msg_x", 1, "");
            }

            @Override
            public void close() {
            }
        };
        engine = ViewPush.builder().store(store).transport(slow).view(view(Duration.ZERO))
                .pollInterval(Duration.ofMillis(50)).shutdownTimeout(Duration.ofMillis(200)).build();
        engine.start();
        assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();
        engine.close();
        assertThat(answered.await(5, TimeUnit.SECONDS)).isTrue();
        sleep(200);
        assertThat(table.row(key(1)).orElseThrow().get("last_pushed")).isNull();
    }

    @Test
    void aPushNowIsRecordedAsManualAndIgnoresTheInterval() {
        table.insert(order(1, "a", "1", T0));
        engine = builder(view(Duration.ofHours(1))).build();
        engine.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(1)));
        table.insert(order(2, "b", "1", T0));
        PushAttempt a = engine.pushNow("orders to push");
        assertThat(a.trigger()).isEqualTo(Trigger.MANUAL);
        assertThat(a.status()).isEqualTo(Status.SUCCESS);
        assertThat(transport.deliveredKeys()).containsExactly(key(1), key(2));
        assertThat(engine.status("orders to push").nextDue()).isPresent();
    }

    @Test
    void aManualPushMovesTheNextScheduledPushToOneIntervalAfterItsStart() {
        // found from outside: a push asked for between two scheduled ones left the earlier run in
        // place; it found the view not due and waited a whole interval more from there
        Duration min = Duration.ofSeconds(1);
        List<PushAttempt> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        table.insert(order(1, "a", "1", T0));
        engine = builder(view(min)).listener(new io.viewpush.port.PushListener() {
            @Override
            public void pushFinished(PushAttempt attempt) {
                attempts.add(attempt);
            }
        }).build();
        engine.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(1)));
        sleep(300);
        table.insert(order(2, "b", "1", T0));
        PushAttempt manual = engine.pushNow("orders to push");
        assertThat(manual.status()).isEqualTo(Status.SUCCESS);
        assertThat(engine.status("orders to push").nextDue()).contains(manual.intervalStart().plus(min));

        table.insert(order(3, "c", "1", T0));
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(3)));
        await().atMost(5, TimeUnit.SECONDS).until(() -> store.recent("orders to push", 1).get(0).rowsSent() == 1
                && store.recent("orders to push", 1).get(0).startedAt().isAfter(manual.startedAt()));
        PushAttempt next = store.recent("orders to push", 1).get(0);
        assertThat(next.startedAt()).isAfterOrEqualTo(manual.intervalStart().plus(min));
        assertThat(attempts).filteredOn(a -> a.status() == Status.SKIPPED).extracting(PushAttempt::reason)
                .as("scheduled runs that found the view not due").isEmpty();
    }

    @Test
    void aRestartedEngineWaitsOnlyTheRestOfTheIntervalFromTheLastPush() {
        Duration min = Duration.ofMillis(1500);
        table.insert(order(1, "a", "1", T0));
        engine = builder(view(min)).build();
        engine.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(1)));
        engine.close();
        java.time.Instant last = store.history("orders to push").lastStart().orElseThrow();
        table.insert(order(2, "b", "1", T0));
        sleep(500);

        List<PushAttempt> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine = builder(view(min)).listener(new io.viewpush.port.PushListener() {
            @Override
            public void pushFinished(PushAttempt attempt) {
                attempts.add(attempt);
            }
        }).build();
        engine.start();
        assertThat(engine.status("orders to push").nextDue()).contains(last.plus(min));
        await().atMost(5, TimeUnit.SECONDS).until(() -> transport.deliveredKeys().contains(key(2)));
        assertThat(attempts).filteredOn(a -> a.status() == Status.SKIPPED).extracting(PushAttempt::reason)
                .as("runs that found the view not due").isEmpty();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
