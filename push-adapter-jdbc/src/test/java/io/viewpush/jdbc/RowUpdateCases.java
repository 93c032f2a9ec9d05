package io.viewpush.jdbc;

import io.viewpush.expression.Snapshot;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The row update API's write: only rows in the view, the row after the update, values checked against the column. */
abstract class RowUpdateCases extends StoreCases {

    RowUpdateCases(TestDatabase.Kind kind) {
        super(kind);
    }

    private View unconfirmed(String table) {
        return bind(ordersView("unconfirmed", table)
                .calculation("confirmed", "{receipt id} is not empty")
                .filter("{receipt id} is empty")
                .filter("{last modified [auto]} <= now()")
                .writable("receipt id", "amount", "customer", "paid", "last pushed")
                .build());
    }

    @Test
    void updatesARowInTheViewAndReturnsItWithItsCalculationsAfterTheUpdate() {
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id, customer, amount, last_modified) VALUES (1, 'a', 1.00, TIMESTAMP '2024-05-01 00:00:00')");
        View view = unconfirmed(t);

        Optional<Row> after = store.update(view, RowKey.of(new BigDecimal("1")),
                Map.of("receipt id", "R-1", "amount", new BigDecimal("12.5"), "paid", true), SNAPSHOT);

        assertThat(after).isPresent();
        assertThat(after.get().get("receipt id")).isEqualTo("R-1");
        assertThat(after.get().get("amount")).isEqualTo(new BigDecimal("12.50"));
        assertThat(after.get().get("paid")).isEqualTo(true);
        assertThat(after.get().get("confirmed")).isEqualTo(true);
        assertThat(after.get().get("customer")).isEqualTo("a");
        assertThat(readAll(view)).isEmpty();
    }

    @Test
    void theFiltersAreEvaluatedWithTheSnapshotsNow() {
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id, last_modified) VALUES (1, TIMESTAMP '2024-07-01 00:00:00')");
        View view = unconfirmed(t);
        Snapshot before = SNAPSHOT;
        Snapshot after = Snapshot.at(Instant.parse("2024-07-02T00:00:00Z"));

        assertThat(store.update(view, RowKey.of(1L), Map.of("receipt id", "R"), before)).as("modified after now()").isEmpty();
        assertThat(store.update(view, RowKey.of(1L), Map.of("receipt id", "R"), after)).isPresent();
    }

    @Test
    void noValuesOnlyReportsWhetherTheRowIsInTheView() {
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id, receipt_id) VALUES (1, NULL)", "INSERT INTO " + t + " (id, receipt_id) VALUES (2, 'R')");
        View view = unconfirmed(t);

        assertThat(store.update(view, RowKey.of(1L), Map.of(), SNAPSHOT)).map(Row::key).contains(new BigDecimal("1"));
        assertThat(store.update(view, RowKey.of(2L), Map.of(), SNAPSHOT)).isEmpty();
    }

    @Test
    void writesTimestampsAndEmptyValuesExactly() {
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id, customer) VALUES (1, 'a')");
        View view = unconfirmed(t);
        Map<String, Object> values = new HashMap<>();
        values.put("customer", null);
        values.put("last pushed", LocalDateTime.parse("2024-03-31T02:30:00"));

        Row after = store.update(view, RowKey.of(1L), values, SNAPSHOT).orElseThrow();

        assertThat(after.get("customer")).isNull();
        assertThat(after.get("last pushed")).isEqualTo(LocalDateTime.parse("2024-03-31T02:30:00"));
    }

    @Test
    void refusesValuesTheColumnCannotHoldExactlyAndNamesTheField() {
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id) VALUES (1)");
        View view = unconfirmed(t);

        assertThatThrownBy(() -> store.update(view, RowKey.of(1L), Map.of("amount", new BigDecimal("1.005")), SNAPSHOT))
                .isInstanceOf(io.viewpush.port.RejectedValueException.class)
                .hasFieldOrPropertyWithValue("field", "amount")
                .hasMessageContaining("'amount'").hasMessageContaining("1.005").hasMessageContaining("2 decimal places");
        assertThatThrownBy(() -> store.update(view, RowKey.of(1L), Map.of("receipt id", "x".repeat(51)), SNAPSHOT))
                .isInstanceOf(io.viewpush.port.RejectedValueException.class)
                .hasFieldOrPropertyWithValue("field", "receipt id")
                .hasMessageContaining("'receipt id'").hasMessageContaining("at most 50");
        assertThatThrownBy(() -> store.update(view, RowKey.of(1L), Map.of("amount", "12"), SNAPSHOT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'amount'").hasMessageContaining("number");
        assertThatThrownBy(() -> store.update(view, RowKey.of(1L), Map.of("id", BigDecimal.TEN), SNAPSHOT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'id'").hasMessageContaining("not writable");
        assertThat(readAll(view).get(0).get("amount")).isNull();
    }

    @Test
    void aNumberTooLargeForItsColumnIsTheCallersMistakeNotADatabaseFailure() {
        // found from outside: the database's refusal came back as a StorageException (API: 503)
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id) VALUES (1)");
        View view = unconfirmed(t);

        assertThatThrownBy(() -> store.update(view, RowKey.of(1L), Map.of("amount", new BigDecimal("12345678901")), SNAPSHOT))
                .isInstanceOf(io.viewpush.port.RejectedValueException.class)
                .hasFieldOrPropertyWithValue("field", "amount")
                .hasMessageContaining("'amount'").hasMessageContaining("does not fit its column");
        assertThat(readAll(view).get(0).get("amount")).isNull();
    }

    @Test
    void theEngineAnswersAValueTheColumnCannotHoldAsAnInvalidUpdateNamingTheField() {
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id) VALUES (1)");
        io.viewpush.view.ViewDefinition def = ordersView("unconfirmed", t).filter("{receipt id} is empty")
                .writable("receipt id", "amount").build();
        try (io.viewpush.engine.ViewPush engine = io.viewpush.engine.ViewPush.builder().store(store)
                .transport(new io.viewpush.testing.RecordingTransport()).view(def).build()) {
            assertThatThrownBy(() -> engine.updateRow("unconfirmed", RowKey.of(BigDecimal.ONE), Map.of("amount", new BigDecimal("1.005"))))
                    .isInstanceOf(io.viewpush.engine.InvalidUpdateException.class).hasMessageContaining("2 decimal places")
                    .extracting(e -> ((io.viewpush.engine.InvalidUpdateException) e).field()
                            + " " + ((io.viewpush.engine.InvalidUpdateException) e).reason()).isEqualTo("amount REFUSED_BY_STORE");
            assertThatThrownBy(() -> engine.updateRow("unconfirmed", RowKey.of(BigDecimal.ONE), Map.of("receipt id", "x".repeat(51))))
                    .isInstanceOf(io.viewpush.engine.InvalidUpdateException.class).hasMessageContaining("at most 50");
            assertThatThrownBy(() -> engine.updateRow("unconfirmed", RowKey.of(BigDecimal.ONE),
                    Map.of("amount", new BigDecimal("12345678901"))))
                    .isInstanceOf(io.viewpush.engine.InvalidUpdateException.class).hasMessageContaining("does not fit");
        }
    }

    @Test
    void aFractionalValueForAnIntegerColumnIsRefused() {
        String t = newTable("counts");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, n INTEGER)", "INSERT INTO " + t + " VALUES (1, 0)");
        View view = bind(io.viewpush.view.ViewDefinition.builder("counts", t).key("id").field("id", "id").field("n", "n")
                .writable("n").build());

        assertThatThrownBy(() -> store.update(view, RowKey.of(1L), Map.of("n", new BigDecimal("1.5")), SNAPSHOT))
                .isInstanceOf(io.viewpush.port.RejectedValueException.class).hasMessageContaining("cannot hold 1.5");
        assertThat(store.update(view, RowKey.of(1L), Map.of("n", new BigDecimal("2.000")), SNAPSHOT).orElseThrow().get("n"))
                .isEqualTo(new BigDecimal("2"));
    }
}
