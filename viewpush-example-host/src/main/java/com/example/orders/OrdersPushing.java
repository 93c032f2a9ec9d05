package com.example.orders;

import com.example.orders.queue.QueueTransport;
import io.viewpush.engine.ViewPush;
import io.viewpush.jdbc.JdbcPushStore;
import io.viewpush.push.PushPolicy;
import io.viewpush.view.ViewDefinition;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import javax.sql.DataSource;

/**
 * The host's app: ViewPush embedded on the host's own {@link DataSource}, pushing the orders not
 * pushed yet to a queue through the host's own {@link QueueTransport}. Uses only ViewPush's public
 * API and published artifacts.
 */
public final class OrdersPushing implements AutoCloseable {
    /** The view: orders not pushed yet; {@code pushed_at} is stamped once a batch is on the queue. */
    public static final ViewDefinition NEW_ORDERS = ViewDefinition.builder("new orders", "orders")
            .key("id")
            .field("id", "id")
            .field("customer", "customer")
            .field("amount", "amount")
            .field("pushed at", "pushed_at")
            .filter("{pushed at} is empty")
            .push(PushPolicy.builder("pushed at").minInterval(Duration.ofSeconds(5)).maxRows(100).build())
            .build();

    private final JdbcPushStore store;
    private final ViewPush engine;

    // --- wiring: from here
    public OrdersPushing(DataSource dataSource, BlockingQueue<QueueTransport.Message> queue) {
        store = JdbcPushStore.builder(dataSource).build();   // creates ViewPush's own tables in the host's database
        engine = ViewPush.builder().store(store).transport(new QueueTransport(queue)).view(NEW_ORDERS).build();
    }

    @Override
    public void close() {
        engine.close();   // stops gracefully: the batch in flight finishes
        store.close();
    }
    // --- wiring: up to here

    /** Starts pushing in the background whenever the view has rows. */
    public void start() {
        engine.start();
    }

    /** @return the engine, for push now, status and the journal */
    public ViewPush engine() {
        return engine;
    }
}
