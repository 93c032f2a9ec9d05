package io.viewpush.view;

import io.viewpush.expression.ValueType;
import io.viewpush.push.PushPolicy;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A key of several fields: the definition, the row's key, and the key's text form. */
class CompositeKeyTest {
    private static ViewDefinition.Builder cast() {
        return ViewDefinition.builder("cast", "film_actor").key("actor_id", "film_id")
                .field("actor_id").field("film_id").field("role").field("pushed", "pushed_at");
    }

    private static final Map<String, ValueType> TYPES = Map.of("actor_id", ValueType.NUMBER, "film_id", ValueType.NUMBER,
            "role", ValueType.TEXT, "pushed", ValueType.TIMESTAMP);

    @Test
    void aDefinitionKeepsItsKeyFieldsInKeyOrder() {
        ViewDefinition d = cast().build();
        assertThat(d.keyFields()).containsExactly("actor_id", "film_id");
        assertThat(d.keyField()).isEqualTo("actor_id");
        assertThat(d.toBuilder().build().keyFields()).containsExactly("actor_id", "film_id");
        assertThat(ViewDefinition.builder("one", "t").key("id").field("id").build().keyFields()).containsExactly("id");
    }

    @Test
    void aRowsKeyHoldsEveryKeyFieldInKeyOrder() {
        View v = ViewDefinition.builder("cast", "film_actor").key("film_id", "actor_id")
                .field("actor_id").field("film_id").field("role").build().bind(TYPES);
        Row r = Row.of(v.columns(), new BigDecimal(7), new BigDecimal(3), "lead");
        assertThat(r.rowKey()).isEqualTo(RowKey.of(new BigDecimal(3), new BigDecimal(7)));
        assertThat(Carriable.keyText(r)).isEqualTo("3/7");
    }

    @Test
    void everyKeyFieldMustBeAPlainFieldOnceAndNeitherWritableNorTheStamp() {
        List<Problem> problems = catchThrowableOfType(InvalidViewException.class, () -> cast().key("actor_id", "film", "actor_id")
                .calculation("film", "{role}").writable("actor_id")
                .push(PushPolicy.builder(URI.create("http://127.0.0.1:9/h"), "actor_id").build()).build()).problems();
        assertThat(problems).extracting(p -> p.key() + ": " + p.message()).containsExactly(
                "key: the key 'film' is not one of the fields [actor_id, film_id, role, pushed] (a calculation cannot be a key)",
                "key: the key field 'actor_id' appears twice in the key [actor_id, film, actor_id]",
                "writable: the key field 'actor_id' cannot be writable",
                "push.stamp: the key field cannot be the stamp field");
    }

    @Test
    void theTextFormIsTheValueForOneFieldAndEncodedPartsJoinedWithSlashesForSeveral() {
        assertThat(RowKey.of(new BigDecimal("12.50")).text()).isEqualTo("12.50");
        assertThat(RowKey.of("a/b c").text()).as("a one-value key is its text unchanged").isEqualTo("a/b c");
        RowKey k = RowKey.of(new BigDecimal(7), "a/b c+ü", LocalDate.of(2024, 3, 1));
        assertThat(k.text()).isEqualTo("7/a%2Fb%20c%2B%C3%BC/2024-03-01");
        assertThat(RowKey.textParts(k.text(), 3)).containsExactly("7", "a/b c+ü", "2024-03-01");
        assertThat(RowKey.textParts("a/b", 1)).containsExactly("a/b");
        assertThatThrownBy(() -> RowKey.textParts("1/2/3", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 values").hasMessageContaining("has 3");
        assertThatThrownBy(() -> RowKey.textParts("1/%zz", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two hex digits");
    }
}
