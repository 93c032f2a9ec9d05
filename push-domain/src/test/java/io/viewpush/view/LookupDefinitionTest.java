package io.viewpush.view;

import io.viewpush.expression.ValueType;
import io.viewpush.push.PushPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What a definition says of lookups and summaries before the database is asked: they are read-only fields. */
class LookupDefinitionTest {

    private static ViewDefinition.Builder rentals() {
        return ViewDefinition.builder("customers", "customer").key("id")
                .field("id", "customer_id")
                .field("city", "address.city.city")
                .field("rentals", "count(rental)")
                .field("last pushed", "last_pushed");
    }

    private static List<String> problems(ViewDefinition.Builder b) {
        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, b::build);
        assertThat(e).as("build() should fail").isNotNull();
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void lookupsAndSummariesAreFieldsThatFiltersAndCalculationsUse() {
        ViewDefinition d = rentals().calculation("regular", "{rentals} >= 20").filter("{city} != 'Lisbon'")
                .push(PushPolicy.builder("last pushed").build()).build();
        assertThat(d.field("city").orElseThrow().isDerived()).isTrue();
        assertThat(d.field("id").orElseThrow().isDerived()).isFalse();
        View v = d.bind(Map.of("id", ValueType.NUMBER, "city", ValueType.TEXT, "rentals", ValueType.NUMBER,
                "last pushed", ValueType.TIMESTAMP));
        assertThat(v.columns().names()).containsExactly("id", "city", "rentals", "last pushed", "regular");
    }

    @Test
    void aLookupCannotBeWritable() {
        assertThat(problems(rentals().writable("city"))).containsExactly("view 'customers', writable: field 'city' is a lookup"
                + " (address.city.city), which is read-only: the row update API writes only columns of the view's own table"
                + " 'customer'");
        assertThat(problems(rentals().writable("rentals"))).singleElement().asString().contains("is a summary (count(rental))");
    }

    @Test
    void aLookupIsNeverTheKeyTheStampOrTheModifiedField() {
        assertThat(problems(rentals().key("city"))).containsExactly("view 'customers', key: the key field 'city' is a lookup"
                + " (address.city.city); a key is made of columns of the view's own table");
        assertThat(problems(rentals().push(PushPolicy.builder("city").build()))).singleElement().asString()
                .contains("push.stamp: the stamp field 'city' is a lookup");
        assertThat(problems(rentals().push(PushPolicy.builder("last pushed").modifiedField("rentals").build())))
                .singleElement().asString().contains("push.modified: the modified field 'rentals' is a summary");
    }

    @Test
    void aBrokenPathIsAProblemOfItsField() {
        assertThat(problems(rentals().field("broken", "address..city"))).singleElement().asString()
                .startsWith("view 'customers', fields.broken: 'address..city' has an empty part");
    }
}
