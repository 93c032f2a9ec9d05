package io.viewpush.view;

import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Calculations that compute values: typed columns, used by other calculations and by filters, checked with positions. */
class ValueCalculationsTest {
    private static final Snapshot SNAPSHOT = new Snapshot(Instant.parse("2024-03-20T12:00:00Z"), ZoneOffset.UTC);
    private static final Map<String, ValueType> TYPES = Map.of("id", ValueType.NUMBER, "quantity", ValueType.NUMBER,
            "unit price", ValueType.NUMBER, "first", ValueType.TEXT, "last", ValueType.TEXT,
            "rental date", ValueType.DATE, "return date", ValueType.DATE, "modified", ValueType.TIMESTAMP);

    private static ViewDefinition.Builder base() {
        return ViewDefinition.builder("rentals", "rental").key("id").field("id").field("quantity")
                .field("unit price", "unit_price").field("first").field("last").field("rental date", "rental_date")
                .field("return date", "return_date").field("modified");
    }

    private static final View VIEW = base()
            .calculation("total", "{quantity} * {unit price}")
            .calculation("total with tax", "round({total} * 1.19, 2)")
            .calculation("name", "upper({last}) || ', ' || {first}")
            .calculation("due", "add_days({rental date}, 7)")
            .calculation("overdue", "{return date} is empty and {due} < today()")
            .calculation("next hour", "add_hours({modified}, 1)")
            .calculation("label", "if({overdue}, 'late', 'ok')")
            .filter("{total} > 10")
            .build().bind(TYPES);

    @Test
    void calculationsHaveTheTypesTheyCompute() {
        assertThat(VIEW.typeOf("total")).isEqualTo(ValueType.NUMBER);
        assertThat(VIEW.typeOf("total with tax")).isEqualTo(ValueType.NUMBER);
        assertThat(VIEW.typeOf("name")).isEqualTo(ValueType.TEXT);
        assertThat(VIEW.typeOf("due")).isEqualTo(ValueType.DATE);
        assertThat(VIEW.typeOf("overdue")).isEqualTo(ValueType.BOOLEAN);
        assertThat(VIEW.typeOf("next hour")).isEqualTo(ValueType.TIMESTAMP);
        assertThat(VIEW.typeOf("label")).isEqualTo(ValueType.TEXT);
    }

    @Test
    void computesValuesThroughOtherCalculationsAndFiltersOnThem() {
        Map<String, Object> plain = new HashMap<>();
        plain.put("id", BigDecimal.ONE);
        plain.put("quantity", new BigDecimal("3"));
        plain.put("unit price", new BigDecimal("4.99"));
        plain.put("first", "Ann");
        plain.put("last", "Lee");
        plain.put("rental date", LocalDate.of(2024, 3, 1));
        plain.put("modified", LocalDateTime.of(2024, 3, 1, 23, 30));
        Row r = VIEW.computeRow(plain::get, SNAPSHOT);
        assertThat(r.get("total")).isEqualTo(new BigDecimal("14.97"));
        assertThat(r.get("total with tax")).isEqualTo(new BigDecimal("17.81"));
        assertThat(r.get("name")).isEqualTo("LEE, Ann");
        assertThat(r.get("due")).isEqualTo(LocalDate.of(2024, 3, 8));
        assertThat(r.get("overdue")).isEqualTo(true);
        assertThat(r.get("next hour")).isEqualTo(LocalDateTime.of(2024, 3, 2, 0, 30));
        assertThat(r.get("label")).isEqualTo("late");
        assertThat(VIEW.includes(r, SNAPSHOT)).isTrue();
        plain.put("quantity", new BigDecimal("2"));
        assertThat(VIEW.includes(VIEW.computeRow(plain::get, SNAPSHOT), SNAPSHOT)).isFalse();
        plain.put("quantity", null);
        Row empty = VIEW.computeRow(plain::get, SNAPSHOT);
        assertThat(empty.get("total")).isNull();
        assertThat(empty.get("total with tax")).isNull();
        assertThat(VIEW.includes(empty, SNAPSHOT)).as("an empty total is not > 10").isFalse();
    }

    @Test
    void typeErrorsInCalculationsAndNonBooleanFiltersAreReportedWithTheirPositions() {
        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, () -> base()
                .calculation("total", "{quantity} * {first}")
                .calculation("due", "{rental date} + 7")
                .filter("{quantity} * 2")
                .build().bind(TYPES));
        assertThat(e.problems()).extracting(Problem::key).containsExactlyInAnyOrder("calculations.total",
                "calculations.due", "filters[1]");
        assertThat(e.getMessage()).contains("'*' at 12 needs numbers on both sides, but {first} at 14 is text")
                .contains("'+' at 15 needs numbers on both sides, but {rental date} at 1 is a date; move a date")
                .contains("a filter must be true or false, but \"{quantity} * 2\" is a number");
    }
}
