package io.viewpush.port.contract;

import io.viewpush.view.RowKey;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static io.viewpush.port.contract.ContractViews.key;
import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;

/** Contract of {@link io.viewpush.port.RowUpdater}: every store passes it. */
public abstract class RowUpdaterContractTest extends StoreContractSupport {

    @Test
    public void writesAReceiptAndReturnsTheRowAfterTheUpdateEvenThoughItLeftTheView() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        tables.insert(ContractViews.TABLE, order(2, "b", "2", T0));
        View view = bind(ContractViews.notConfirmed());
        Optional<Row> after = store.update(view, RowKey.of(key(1)), Map.of("receipt id", "R-1"), now());
        assertThat(after).isPresent();
        assertThat(after.get().get("receipt id")).isEqualTo("R-1");
        assertThat(after.get().get("customer")).isEqualTo("a");
        assertThat(tables.row(ContractViews.TABLE, key(1)).get("receipt_id")).isEqualTo("R-1");
        assertThat(keys(read(view))).containsExactly(2);
    }

    @Test
    public void aRowThatIsNotInTheViewIsNotUpdated() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        tables.update(ContractViews.TABLE, key(1), Map.of("receipt_id", "R-old"));
        View view = bind(ContractViews.notConfirmed());
        assertThat(store.update(view, RowKey.of(key(1)), Map.of("receipt id", "R-new"), now())).isEmpty();
        assertThat(tables.row(ContractViews.TABLE, key(1)).get("receipt_id")).isEqualTo("R-old");
    }

    @Test
    public void anUnknownKeyIsNotInTheView() {
        View view = bind(ContractViews.notConfirmed());
        assertThat(store.update(view, RowKey.of(key(404)), Map.of("receipt id", "R"), now())).isEmpty();
    }

    @Test
    public void repeatingTheSameUpdateIsHarmless() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.notConfirmed());
        assertThat(store.update(view, RowKey.of(key(1)), Map.of("receipt id", "R-1"), now())).isPresent();
        assertThat(store.update(view, RowKey.of(key(1)), Map.of("receipt id", "R-1"), now())).isEmpty();
        assertThat(tables.row(ContractViews.TABLE, key(1)).get("receipt_id")).isEqualTo("R-1");
    }

    @Test
    public void canSetAFieldToEmpty() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1", T0));
        View view = bind(ContractViews.base("editable").writable("customer").build());
        java.util.HashMap<String, Object> values = new java.util.HashMap<>();
        values.put("customer", null);
        Optional<Row> after = store.update(view, RowKey.of(key(1)), values, now());
        assertThat(after).isPresent();
        assertThat(after.get().get("customer")).isNull();
        assertThat(tables.row(ContractViews.TABLE, key(1)).get("customer")).isNull();
    }
}
