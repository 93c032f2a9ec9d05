package io.viewpush.engine;

import io.viewpush.port.PushTransport;
import io.viewpush.port.contract.ContractViews;
import io.viewpush.push.Delivery;
import io.viewpush.testing.InMemoryStore;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine asks its transport, when built, whether it can push every view with a push policy. */
class TransportCheckTest {
    private final InMemoryStore store = InMemoryStore.create();

    /** A transport that can push only the views it was told about. */
    private static final class Picky implements PushTransport {
        final List<String> checked = new ArrayList<>();
        final String knows;

        Picky(String knows) {
            this.knows = knows;
        }

        @Override
        public void check(View view) {
            checked.add(view.name());
            if (!view.name().equals(knows)) {
                throw new IllegalArgumentException("view '" + view.name() + "' has no destination in this transport");
            }
        }

        @Override
        public Delivery send(View view, Iterator<Row> rows) {
            rows.forEachRemaining(r -> { });
            return Delivery.delivered("taken", 0, 0, "id", 1);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aViewTheTransportCannotPushFailsTheBuildNamingIt() {
        OrdersTable.createIn(store);
        Picky transport = new Picky("someone else");
        assertThatThrownBy(() -> ViewPush.builder().store(store).transport(transport)
                .view(ContractViews.modifiedSincePushed()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + ContractViews.modifiedSincePushed().name() + "' has no destination");
    }

    @Test
    void everyViewWithAPushPolicyIsCheckedAndPullOnlyViewsAreNot() {
        OrdersTable.createIn(store);
        String pushed = ContractViews.modifiedSincePushed().name();
        Picky transport = new Picky(pushed);
        try (ViewPush engine = ViewPush.builder().store(store).transport(transport)
                .view(ContractViews.modifiedSincePushed()).view(ContractViews.notConfirmed()).build()) {
            assertThat(engine.views()).hasSize(2);
        }
        assertThat(transport.checked).containsExactly(pushed);
    }
}
