package io.viewpush.port.contract;

import io.viewpush.expression.ValueType;
import io.viewpush.view.InvalidViewException;
import io.viewpush.view.Problem;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Contract of {@link io.viewpush.port.ViewSchema}: every store passes it. */
public abstract class ViewSchemaContractTest extends StoreContractSupport {

    @Test
    public void reportsTheTypeOfEveryField() {
        Map<String, ValueType> types = store.fieldTypes(ContractViews.modifiedSincePushed());
        assertThat(types).containsEntry("id", ValueType.NUMBER)
                .containsEntry("customer", ValueType.TEXT)
                .containsEntry("amount", ValueType.NUMBER)
                .containsEntry("last modified [auto]", ValueType.TIMESTAMP)
                .containsEntry("last pushed", ValueType.TIMESTAMP)
                .containsEntry("flag", ValueType.BOOLEAN)
                .containsEntry("due", ValueType.DATE)
                .hasSize(8);
    }

    @Test
    public void missingTableNamesTheViewAndTheTable() {
        ViewDefinition def = ViewDefinition.builder("ghost view", "no_such_table").key("id").field("id", "id").build();
        assertThatThrownBy(() -> store.fieldTypes(def))
                .isInstanceOfSatisfying(InvalidViewException.class, e -> {
                    Problem p = e.problems().get(0);
                    assertThat(p.view()).isEqualTo("ghost view");
                    assertThat(p.key()).isEqualTo("table");
                    assertThat(p.message()).contains("no_such_table");
                });
    }

    @Test
    public void missingColumnsAreAllReportedWithFieldAndColumn() {
        ViewDefinition def = ContractViews.base("broken").field("colour", "no_colour").field("size", "no_size").build();
        assertThatThrownBy(() -> store.fieldTypes(def))
                .isInstanceOfSatisfying(InvalidViewException.class, e -> {
                    assertThat(e.problems()).hasSize(2);
                    assertThat(e.problems().get(0).key()).isEqualTo("fields.colour");
                    assertThat(e.problems().get(0).message()).contains("no_colour");
                    assertThat(e.problems().get(1).key()).isEqualTo("fields.size");
                    assertThat(e.problems().get(1).message()).contains("no_size");
                });
    }

    @Test
    public void stampFieldMustBeATimestampColumn() {
        ViewDefinition def = ContractViews.base("bad stamp")
                .push(ContractViews.policy().stampField("receipt id").build()).build();
        assertThatThrownBy(() -> store.fieldTypes(def).size())
                .isInstanceOfSatisfying(InvalidViewException.class, e -> {
                    assertThat(e.problems()).anySatisfy(p -> {
                        assertThat(p.key()).isEqualTo("push.stamp");
                        assertThat(p.message()).contains("receipt id");
                    });
                });
    }
}
