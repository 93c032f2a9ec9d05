package io.viewpush.engine;

import io.viewpush.expression.ValueType;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A key's text form, as {@code replay --key} and the API's replay take it, read in the key fields' types. */
class KeyTextTest {
    private static final UUID ID = UUID.fromString("0b6f0c8e-4d1a-4b7e-9a55-2f1d3c4e5a6b");

    private static View view(Map<String, ValueType> types, String... key) {
        ViewDefinition.Builder b = ViewDefinition.builder("v", "t").key(key);
        types.keySet().stream().sorted().forEach(b::field);
        return b.build().bind(types);
    }

    @Test
    void aOneFieldKeyIsItsValueInItsType() {
        assertThat(KeyText.parse(view(Map.of("id", ValueType.NUMBER), "id"), " 12.50 "))
                .contains(RowKey.of(new BigDecimal("12.50")));
        assertThat(KeyText.parse(view(Map.of("code", ValueType.TEXT), "code"), "a/b c"))
                .as("a one-field text key is the text unchanged, slashes and all").contains(RowKey.of("a/b c"));
        assertThat(KeyText.parse(view(Map.of("id", ValueType.UUID), "id"), ID.toString())).contains(RowKey.of(ID));
        assertThat(KeyText.parse(view(Map.of("day", ValueType.DATE), "day"), "2024-03-01"))
                .contains(RowKey.of(LocalDate.of(2024, 3, 1)));
    }

    @Test
    void aCompositeKeyIsItsValuesInKeyOrderEachUrlEncoded() {
        View cast = view(Map.of("actor_id", ValueType.NUMBER, "film_id", ValueType.UUID, "role", ValueType.TEXT),
                "actor_id", "film_id", "role");
        RowKey key = RowKey.of(new BigDecimal(7), ID, "a/b c+ü");
        assertThat(KeyText.parse(cast, key.text())).contains(key);
        assertThat(KeyText.parse(cast, "7/" + ID + "/lead")).contains(RowKey.of(new BigDecimal(7), ID, "lead"));
    }

    @Test
    void textThatIsNoKeyOfTheViewIsEmpty() {
        View cast = view(Map.of("actor_id", ValueType.NUMBER, "film_id", ValueType.NUMBER), "actor_id", "film_id");
        assertThat(KeyText.parse(cast, "7")).as("too few values").isEmpty();
        assertThat(KeyText.parse(cast, "7/8/9")).as("too many values").isEmpty();
        assertThat(KeyText.parse(cast, "7/x")).as("a value not of its field's type").isEmpty();
        assertThat(KeyText.parse(cast, "7/%zz")).as("bad encoding").isEmpty();
        assertThat(KeyText.parse(view(Map.of("id", ValueType.UUID), "id"), "1-2-3-4-5"))
                .as("a uuid is its canonical form only").isEmpty();
        assertThat(KeyText.parse(view(Map.of("ok", ValueType.BOOLEAN), "ok"), "yes")).isEmpty();
    }
}
