package io.viewpush.engine;

import io.viewpush.expression.Snapshot;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.PushSession;
import io.viewpush.port.StampBatch;
import io.viewpush.port.StorageException;
import io.viewpush.port.contract.ContractViews;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.StampResult;
import io.viewpush.testing.ForwardingStore;
import io.viewpush.testing.InMemoryStore;
import io.viewpush.testing.InMemoryTable;
import io.viewpush.testing.RecordingTransport;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static io.viewpush.port.contract.ContractViews.key;
import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;

/** Batch k is stamped while batch k+1 is read and sent, and never before its own delivery. */
class PipelinedStampingTest {
    private InMemoryStore store;
    private InMemoryTable table;
    private final RecordingTransport transport = new RecordingTransport();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private ViewPush engine;

    @BeforeEach
    void setUp() {
        store = InMemoryStore.create();
        table = OrdersTable.createIn(store);
        for (int id = 1; id <= 6; id++) {
            table.insert(order(id, "c", "1", LocalDateTime.of(2024, 3, 1, 12, 0)));
        }
        AtomicInteger sent = new AtomicInteger();
        transport.onSend(rows -> events.add("sent " + sent.incrementAndGet()));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private PushAttempt push(IntFunction<Runnable> beforeCommit) {
        ViewDefinition def = ContractViews.modifiedSincePushed();
        def = def.withPush(def.push().orElseThrow().withMaxRows(2));
        engine = ViewPush.builder().store(new Observed(store, beforeCommit)).transport(transport).view(def).build();
        return engine.pushNow("orders to push");
    }

    @Test
    void batchKIsStampedWhileBatchKPlusOneIsSent() {
        CountDownLatch secondSent = new CountDownLatch(1);
        transport.onSend(rows -> {
            if (rows.get(0).key().equals(key(3))) {
                secondSent.countDown();
            }
        });
        boolean[] overlapped = new boolean[1];
        PushAttempt a = push(k -> () -> {
            if (k == 1) {
                try {
                    overlapped[0] = secondSent.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertThat(overlapped[0]).as("the second batch was sent while the first was being stamped").isTrue();
        assertThat(a.status()).isEqualTo(Status.SUCCESS);
        assertThat(a.rowsStamped()).isEqualTo(6);
        assertThat(a.batches()).isEqualTo(3);
    }

    @Test
    void everyBatchIsStampedAfterItsOwnDeliveryAndInOrder() {
        PushAttempt a = push(k -> () -> { });
        assertThat(a.rowsStamped()).isEqualTo(6);
        for (int k = 1; k <= 3; k++) {
            assertThat(events.indexOf("sent " + k)).as("batch %d", k).isLessThan(events.indexOf("stamp " + k));
        }
        assertThat(events.stream().filter(e -> e.startsWith("stamp"))).containsExactly("stamp 1", "stamp 2", "stamp 3");
    }

    @Test
    void aStampFailureStopsThePushAndNoLaterBatchIsStamped() {
        PushAttempt a = push(k -> () -> {
            if (k == 1) {
                throw new StorageException("disk full");
            }
        });
        assertThat(a.status()).isEqualTo(Status.FAILED);
        assertThat(a.reason()).contains("disk full");
        assertThat(a.rowsStamped()).isZero();
        assertThat(a.batches()).isLessThanOrEqualTo(2);
        assertThat(table.rows()).allSatisfy(r -> assertThat(r.get("last_pushed")).isNull());
        assertThat(events.stream().filter(e -> e.startsWith("stamp"))).containsExactly("stamp 1");
    }

    @Test
    void eachBatchIsPreparedOnTheSendingThreadAfterItsDeliveryAndBeforeItsStamp() {
        String pushing = Thread.currentThread().getName();
        PushAttempt a = push(k -> () -> { });
        assertThat(a.rowsStamped()).isEqualTo(6);
        for (int k = 1; k <= 3; k++) {
            assertThat(events).as("batch %d", k).contains("prepare " + k + " on " + pushing);
            assertThat(events.indexOf("sent " + k)).as("batch %d", k).isLessThan(events.indexOf("prepare " + k + " on " + pushing));
            assertThat(events.indexOf("prepare " + k + " on " + pushing)).as("batch %d", k).isLessThan(events.indexOf("stamp " + k));
        }
    }

    @Test
    void aBatchThatCannotBePreparedFailsThePushAndIsNotStamped() {
        prepareFailure = k -> k == 2 ? new StorageException("cannot prepare batch 2") : null;
        PushAttempt a = push(k -> () -> { });
        assertThat(a.status()).isEqualTo(Status.PARTIAL);
        assertThat(a.reason()).contains("cannot prepare batch 2");
        assertThat(a.rowsStamped()).isEqualTo(2);
        assertThat(events.stream().filter(e -> e.startsWith("stamp"))).containsExactly("stamp 1");
        assertThat(table.rows().stream().filter(r -> r.get("last_pushed") != null)).hasSize(2);
    }

    private IntFunction<RuntimeException> prepareFailure = k -> null;

    /** Wraps the store's sessions: records when each batch's commit starts and runs a hook first. */
    private final class Observed extends ForwardingStore {
        private final IntFunction<Runnable> beforeCommit;
        private final AtomicInteger begun = new AtomicInteger();

        Observed(InMemoryStore delegate, IntFunction<Runnable> beforeCommit) {
            super(delegate);
            this.beforeCommit = beforeCommit;
        }

        @Override
        protected PushSession session(PushSession session) {
            return new ForwardingStore.ForwardingSession(session) {
                @Override
                public StampBatch batch() {
                    return observed(super.batch());
                }
            };
        }

        private StampBatch observed(StampBatch inner) {
            int k = begun.incrementAndGet();
            return new StampBatch() {
                @Override
                public void add(Row row) {
                    inner.add(row);
                }

                @Override
                public void seal() {
                    events.add("prepare " + k + " on " + Thread.currentThread().getName());
                    RuntimeException e = prepareFailure.apply(k);
                    if (e != null) {
                        throw e;
                    }
                    inner.seal();
                }

                @Override
                public StampResult commit() {
                    events.add("stamp " + k);
                    beforeCommit.apply(k).run();
                    return inner.commit();
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        }
    }
}
