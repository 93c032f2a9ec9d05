package io.viewpush.engine;

import io.viewpush.expression.Snapshot;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.PushListener;
import io.viewpush.port.PushListener.Activity;
import io.viewpush.port.PushSession;
import io.viewpush.port.StorageException;
import io.viewpush.port.contract.ContractViews;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Outcome;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.testing.ForwardingStore;
import io.viewpush.testing.InMemoryStore;
import io.viewpush.testing.InMemoryTable;
import io.viewpush.testing.RecordingTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A push's outcome as a code, and the listener events for what happens out of a push's sight. */
class OutcomesAndEventsTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2024, 3, 1, 12, 0);
    private static final String VIEW = "orders to push";

    private InMemoryStore store;
    private InMemoryTable table;
    private RecordingTransport transport;
    private ViewPush engine;
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** Records the events the engine reports. */
    private final PushListener recording = new PushListener() {
        @Override
        public void leaseLost(String view, LeaseToken lease) {
            events.add("lease lost: " + view);
        }

        @Override
        public void unexpectedError(String view, Activity activity, Throwable error) {
            events.add(activity + ": " + view + ": " + error.getMessage());
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
        if (engine != null) {
            engine.close();
        }
    }

    private ViewPush engine(io.viewpush.port.PushStore s, PushListener listener, Duration leaseTtl) {
        engine = ViewPush.builder().store(s).transport(transport).listener(listener).leaseTtl(leaseTtl)
                .view(ContractViews.modifiedSincePushed()).build();
        return engine;
    }

    private void insert(int id) {
        table.insert(order(id, "c" + id, id + ".00", T0));
    }

    @Test
    void eachWayAPushEndsHasItsOutcome() {
        engine(store, recording, ViewPush.Builder.DEFAULT_LEASE_TTL);
        assertThat(engine.pushNow(VIEW).outcome()).isEqualTo(Outcome.NOTHING_TO_SEND);
        insert(1);
        transport.failNext(1, 500);
        PushAttempt failed = engine.pushNow(VIEW);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.outcome()).isEqualTo(Outcome.RECEIVER_FAILED);
        assertThat(engine.pushNow(VIEW).outcome()).isEqualTo(Outcome.DELIVERED);

        insert(2);
        PushSession other = store.begin(engine.view(VIEW).orElseThrow(), "another engine", Duration.ofMinutes(1),
                Snapshot.at(Instant.now()), false).orElseThrow();
        PushAttempt held = engine.pushNow(VIEW);
        assertThat(held.status()).isEqualTo(Status.SKIPPED);
        assertThat(held.outcome()).isEqualTo(Outcome.LEASE_HELD);
        other.close();

        store.setReachable(false);
        PushAttempt down = engine.pushNow(VIEW);
        assertThat(down.status()).isEqualTo(Status.FAILED);
        assertThat(down.outcome()).isEqualTo(Outcome.DATABASE_FAILED);
        store.setReachable(true);
        assertThat(engine.recentPushes(VIEW, 10)).extracting(PushAttempt::outcome)
                .containsExactly(Outcome.DELIVERED, Outcome.RECEIVER_FAILED);
    }

    @Test
    void aLeaseTheRenewalFindsLostIsALeaseLostEventAndThePushEndsLeaseLost() throws InterruptedException {
        insert(1);
        AtomicBoolean lost = new AtomicBoolean();
        ForwardingStore losing = new ForwardingStore(store) {
            @Override
            protected PushSession session(PushSession begun) {
                return new ForwardingSession(begun) {
                    @Override
                    public boolean renew() {
                        return !lost.get() && super.renew();
                    }
                };
            }
        };
        CountDownLatch reported = new CountDownLatch(1);
        PushListener listener = PushListener.all(recording, new PushListener() {
            @Override
            public void leaseLost(String view, LeaseToken lease) {
                reported.countDown();
            }
        });
        transport.onSend(rows -> {
            lost.set(true);
            try {
                assertThat(reported.await(10, TimeUnit.SECONDS)).as("the renewal thread reported the lost lease").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        engine(losing, listener, Duration.ofMillis(300));
        PushAttempt a = engine.pushNow(VIEW);
        assertThat(events).contains("lease lost: " + VIEW);
        assertThat(a.rowsSent()).isEqualTo(1);
    }

    @Test
    void aListenerThatThrowsAndALeaseThatCannotBeReleasedAreReportedAsUnexpectedErrors() {
        insert(1);
        ForwardingStore failingRelease = new ForwardingStore(store) {
            @Override
            protected PushSession session(PushSession begun) {
                return new ForwardingSession(begun) {
                    @Override
                    public void close() {
                        super.close();
                        throw new StorageException("the database went away before the release");
                    }
                };
            }
        };
        PushListener throwing = new PushListener() {
            @Override
            public void pushFinished(PushAttempt attempt) {
                throw new IllegalStateException("a broken metrics listener");
            }
        };
        engine(failingRelease, PushListener.all(throwing, recording), ViewPush.Builder.DEFAULT_LEASE_TTL);
        assertThat(engine.pushNow(VIEW).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(events).containsExactlyInAnyOrder(
                "RELEASING_LEASE: " + VIEW + ": the database went away before the release",
                "NOTIFYING_LISTENER: " + VIEW + ": a broken metrics listener");
    }

    @Test
    void allTellsEveryListenerEvenAfterOneThrewAndThenThrowsItsException() {
        List<String> told = new CopyOnWriteArrayList<>();
        PushListener first = new PushListener() {
            @Override
            public void leaseLost(String view, LeaseToken lease) {
                told.add("first");
                throw new IllegalStateException("first failed");
            }
        };
        PushListener second = new PushListener() {
            @Override
            public void leaseLost(String view, LeaseToken lease) {
                told.add("second");
            }
        };
        PushListener both = PushListener.all(first, second);
        assertThatThrownBy(() -> both.leaseLost("v", new LeaseToken("v", "engine", 1)))
                .isInstanceOf(IllegalStateException.class).hasMessage("first failed");
        assertThat(told).containsExactly("first", "second");
    }
}
