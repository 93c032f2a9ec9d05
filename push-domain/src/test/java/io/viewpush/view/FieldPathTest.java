package io.viewpush.view;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldPathTest {

    private static FieldPath parse(String text) {
        return FieldPath.parse(text).orElseThrow();
    }

    @Test
    void aColumnOfTheViewsTableIsNoPath() {
        assertThat(FieldPath.parse("last_update")).isEmpty();
        assertThat(FieldPath.parse("Order Id")).isEmpty();
        assertThat(FieldPath.parse("\"a.b\"")).as("a dot in quotes is part of a name").isEmpty();
    }

    @Test
    void readsALookupOfOneHopAndOfSeveral() {
        FieldPath one = parse("language.name");
        assertThat(one.isSummary()).isFalse();
        assertThat(one.steps()).containsExactly(new FieldPath.Step(new FieldPath.Name("language", false), Optional.empty()));
        assertThat(one.column()).contains(new FieldPath.Name("name", false));
        FieldPath hops = parse("customer.address.city.city");
        assertThat(hops.steps()).extracting(s -> s.name().text()).containsExactly("customer", "address", "city");
        assertThat(hops.column().orElseThrow().text()).isEqualTo("city");
    }

    @Test
    void readsAForeignKeyInBracketsAndQuotedNames() {
        FieldPath p = parse("language[original_language_id].name");
        assertThat(p.steps().get(0).qualifier()).contains(new FieldPath.Name("original_language_id", false));
        FieldPath q = parse("\"Sales\".\"Order Lines\"[\"Order Id\"] . \"Größe\"");
        assertThat(q.steps()).hasSize(2);
        assertThat(q.steps().get(1).name()).isEqualTo(new FieldPath.Name("Order Lines", true));
        assertThat(q.steps().get(1).qualifier()).contains(new FieldPath.Name("Order Id", true));
        assertThat(q.column()).contains(new FieldPath.Name("Größe", true));
        assertThat(parse("\"a.b\".\"say \"\"hi\"\"\"").column().orElseThrow().text()).isEqualTo("say \"hi\"");
    }

    @Test
    void readsSummaries() {
        FieldPath count = parse("count(rental)");
        assertThat(count.aggregate()).contains(FieldPath.Aggregate.COUNT);
        assertThat(count.column()).isEmpty();
        FieldPath sum = parse("SUM( order_line.amount )");
        assertThat(sum.aggregate()).contains(FieldPath.Aggregate.SUM);
        assertThat(sum.steps()).extracting(s -> s.name().text()).containsExactly("order_line");
        assertThat(sum.column().orElseThrow().text()).isEqualTo("amount");
        assertThat(parse("max(payment.payment_date)").aggregate()).contains(FieldPath.Aggregate.MAX);
        assertThat(parse("count(film[original_language_id])").steps().get(0).qualifier().orElseThrow().text())
                .isEqualTo("original_language_id");
        assertThat(parse("min(payment.payment_date)").toString()).isEqualTo("min(payment.payment_date)");
    }

    @Test
    void saysWhatIsWrongWithABrokenPath() {
        assertThatThrownBy(() -> FieldPath.parse("customer..name")).hasMessageContaining("empty part at 10");
        assertThatThrownBy(() -> FieldPath.parse("sum(order_line)")).hasMessageContaining("needs a column to sum");
        assertThatThrownBy(() -> FieldPath.parse("language[original_language_id.name"))
                .hasMessageContaining("not closed by ']'");
        assertThatThrownBy(() -> FieldPath.parse("language.\"name")).hasMessageContaining("quote that is not closed");
        assertThatThrownBy(() -> FieldPath.parse("customer.name[x]")).hasMessageContaining("cannot have a foreign key");
    }

    @Test
    void writesNamesBackSoThatTheyReadTheSame() {
        assertThat(FieldPath.write("language")).isEqualTo("language");
        assertThat(FieldPath.write("Order Lines")).isEqualTo("Order Lines");
        assertThat(FieldPath.write("a.b")).isEqualTo("\"a.b\"");
        for (String name : List.of("a.b", "x[y]", "q\"uote")) {
            assertThat(parse("t." + FieldPath.write(name)).column().orElseThrow().text()).isEqualTo(name);
        }
    }
}
