package com.example.orders.badfixture;

import io.viewpush.jdbc.JdbcPushStore;
import io.viewpush.port.PushTransport;
import io.viewpush.push.Delivery;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import java.util.Iterator;

/**
 * Deliberately bad, and only in the tests: a transport (an adapter) that uses ViewPush's JDBC store
 * (another adapter). The architecture rules must catch it.
 */
public final class JdbcQueueTransport implements PushTransport {
    private final JdbcPushStore store;

    public JdbcQueueTransport(JdbcPushStore store) {
        this.store = store;
    }

    @Override
    public Delivery send(View view, Iterator<Row> rows) {
        rows.forEachRemaining(r -> { });
        return store.isReachable() ? Delivery.delivered("noted", 0, 0, "id", 1) : Delivery.failed("no", 0, 0, "id", 1);
    }

    @Override
    public void close() {
    }
}
