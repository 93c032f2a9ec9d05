package io.viewpush.engine;

import io.viewpush.port.PushListener;
import io.viewpush.port.contract.ContractViews;
import io.viewpush.push.Delivery;
import io.viewpush.push.StampResult;
import io.viewpush.testing.InMemoryStore;
import io.viewpush.testing.InMemoryTable;
import io.viewpush.testing.RecordingTransport;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Progress within a batch: listeners hear every {@link PushListener#ROWS_TAKEN_EVERY} rows the
 * transport takes, before the batch's end, counted over the whole push.
 */
class RowsTakenTest {
    private ViewPush engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private List<String> push(int rows, int maxRows) {
        InMemoryStore store = InMemoryStore.create();
        InMemoryTable table = OrdersTable.createIn(store);
        for (int i = 1; i <= rows; i++) {
            table.insert(order(i, "c" + i, "1.00", LocalDateTime.of(2024, 3, 1, 12, 0)));
        }
        List<String> events = new CopyOnWriteArrayList<>();
        PushListener listener = new PushListener() {
            @Override
            public void rowsTaken(String view, long taken) {
                events.add(view + ": " + taken + " taken");
            }

            @Override
            public void batchFinished(String view, Delivery delivery, StampResult stamp) {
                events.add(view + ": batch of " + delivery.rows());
            }
        };
        ViewDefinition def = ContractViews.neverPushed();
        def = def.withPush(def.push().orElseThrow().withMaxRows(maxRows));
        engine = ViewPush.builder().store(store).transport(new RecordingTransport())
                .listener(PushListener.all(listener)).view(def).build();
        engine.pushNow("new orders");
        return events;
    }

    @Test
    void aWholeViewInOneRequestReportsItsRowsAsTheTransportTakesThem() {
        assertThat(push(2_500, 0)).containsExactly("new orders: 1000 taken", "new orders: 2000 taken",
                "new orders: batch of 2500");
    }

    @Test
    void theCountRunsOverEveryBatchOfThePush() {
        List<String> events = push(3_200, 1_500);
        assertThat(events.stream().filter(e -> e.endsWith("taken")))
                .containsExactly("new orders: 1000 taken", "new orders: 2000 taken", "new orders: 3000 taken");
        assertThat(events.stream().filter(e -> e.contains("batch")))
                .containsExactly("new orders: batch of 1500", "new orders: batch of 1500", "new orders: batch of 200");
        // the first batch's rows are reported before it is answered
        assertThat(events.indexOf("new orders: 1000 taken")).isLessThan(events.indexOf("new orders: batch of 1500"));
    }

    @Test
    void aSmallPushHearsOnlyItsBatch() {
        assertThat(push(999, 0)).containsExactly("new orders: batch of 999");
    }
}
