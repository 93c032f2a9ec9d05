package io.viewpush.engine;

import io.viewpush.port.PushListener;
import io.viewpush.port.contract.ContractViews;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.PushAttempt.Trigger;
import io.viewpush.testing.InMemoryStore;
import io.viewpush.testing.InMemoryTable;
import io.viewpush.testing.RecordingTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PushListener#pushStarted} opens every push on the thread that runs it, so that a host can
 * tag that thread's work (its log lines) with the view until {@link PushListener#pushFinished}.
 */
class PushStartedEventTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2024, 3, 1, 12, 0);

    private final InMemoryStore store = InMemoryStore.create();
    private final InMemoryTable table = OrdersTable.createIn(store);
    private final RecordingTransport transport = new RecordingTransport();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private ViewPush engine;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }

    private ViewPush engine(PushListener listener) {
        engine = ViewPush.builder().store(store).transport(transport).view(ContractViews.modifiedSincePushed())
                .listener(listener).build();
        return engine;
    }

    @Test
    void everyPushStartsAndFinishesOnTheThreadThatRunsIt() {
        table.insert(order(1, "c1", "1.00", T0));
        engine(new PushListener() {
            @Override
            public void pushStarted(String view, Trigger trigger) {
                events.add("started " + view + " " + trigger + " on " + Thread.currentThread().getName());
            }

            @Override
            public void pushFinished(PushAttempt attempt) {
                events.add("finished " + attempt.view() + " " + attempt.status() + " on "
                        + Thread.currentThread().getName());
            }
        });
        String thread = Thread.currentThread().getName();

        assertThat(engine.pushNow("orders to push").status()).isEqualTo(Status.SUCCESS);
        assertThat(engine.pushNow("orders to push").status()).isEqualTo(Status.NOTHING_TO_SEND);

        assertThat(events).containsExactly(
                "started orders to push MANUAL on " + thread, "finished orders to push SUCCESS on " + thread,
                "started orders to push MANUAL on " + thread, "finished orders to push NOTHING_TO_SEND on " + thread);
    }

    @Test
    void aListenerThatThrowsWhenAPushStartsDoesNotStopThePush() {
        table.insert(order(1, "c1", "1.00", T0));
        engine(new PushListener() {
            @Override
            public void pushStarted(String view, Trigger trigger) {
                throw new IllegalStateException("listener bug");
            }
        });
        assertThat(engine.pushNow("orders to push").status()).isEqualTo(Status.SUCCESS);
        assertThat(transport.batches()).hasSize(1);
    }
}
