package io.viewpush.view;

import io.viewpush.expression.Expression;
import io.viewpush.expression.Expressions;
import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ViewTest {
    /** 2024-03-10T23:30Z: 2024-03-11 08:30 in Tokyo. */
    private static final Snapshot SNAPSHOT = new Snapshot(Instant.parse("2024-03-10T23:30:00Z"), ZoneId.of("Asia/Tokyo"));
    private static final LocalDateTime T = LocalDateTime.parse("2024-03-11T08:00");

    private static final View VIEW = ViewDefinition.builder("big orders", "orders")
            .key("id")
            .field("id")
            .field("customer")
            .field("amount")
            .field("last modified [auto]", "last_modified")
            .field("last pushed", "last_pushed")
            .field("on hold", "on_hold")
            .calculation("big new order", "{big} and {needs pushing}")
            .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
            .calculation("big", "{amount} >= 1000")
            .calculation("vip", "{customer} starts with 'VIP' or {big new order}")
            .calculation("in the future", "{last modified [auto]} > now()")
            .filter("{big new order} = true or {vip}")
            .filter("not {on hold}")
            .build()
            .bind(Map.of("id", ValueType.NUMBER, "customer", ValueType.TEXT, "amount", ValueType.NUMBER,
                    "last modified [auto]", ValueType.TIMESTAMP, "last pushed", ValueType.TIMESTAMP,
                    "on hold", ValueType.BOOLEAN));

    private static Row row(int id, String customer, String amount, LocalDateTime modified, LocalDateTime pushed,
                           Boolean onHold) {
        Map<String, Object> plain = new HashMap<>();
        plain.put("id", BigDecimal.valueOf(id));
        plain.put("customer", customer);
        plain.put("amount", amount == null ? null : new BigDecimal(amount));
        plain.put("last modified [auto]", modified);
        plain.put("last pushed", pushed);
        plain.put("on hold", onHold);
        return VIEW.computeRow(plain::get, SNAPSHOT);
    }

    @Test
    void computesCalculationsThatUseCalculationsInTheViewsOrder() {
        Row r = row(1, "ACME", "1500.00", T, null, null);
        assertThat(r.columns().names()).containsExactly("id", "customer", "amount", "last modified [auto]",
                "last pushed", "on hold", "big new order", "needs pushing", "big", "vip", "in the future");
        assertThat(r.get("needs pushing")).isEqualTo(true);
        assertThat(r.get("big")).isEqualTo(true);
        assertThat(r.get("big new order")).isEqualTo(true);
        assertThat(r.get("vip")).isEqualTo(true);
        assertThat(r.get("in the future")).isEqualTo(false);
        assertThat(r.get("last pushed")).isNull();
        assertThat(r.key()).isEqualTo(BigDecimal.ONE);

        Row pushed = row(1, "ACME", "1500.00", T, T, null);
        assertThat(pushed.get("needs pushing")).isEqualTo(false);
        assertThat(pushed.get("big new order")).isEqualTo(false);
        assertThat(pushed.get("vip")).isEqualTo(false);

        Row vipSmall = row(10, "VIP Smith", "3", T, T.plusHours(1), false);
        assertThat(vipSmall.get("big")).isEqualTo(false);
        assertThat(vipSmall.get("vip")).isEqualTo(true);
    }

    @Test
    void convertsNowInTheSnapshotZoneForCalculations() {
        assertThat(row(1, "x", "1", LocalDateTime.parse("2024-03-11T08:30:00.000001"), null, null)
                .get("in the future")).isEqualTo(true);
        assertThat(row(1, "x", "1", LocalDateTime.parse("2024-03-11T08:30"), null, null)
                .get("in the future")).isEqualTo(false);
        assertThat(row(1, "x", "1", null, null, null).get("in the future")).isEqualTo(false);
    }

    @Test
    void includesARowOnlyWhenEveryFilterHolds() {
        assertThat(VIEW.includes(row(1, "ACME", "1500", T, null, null), SNAPSHOT)).isTrue();
        assertThat(VIEW.includes(row(1, "ACME", "1500", T, null, true), SNAPSHOT)).as("on hold").isFalse();
        assertThat(VIEW.includes(row(1, "ACME", "1500", T, null, false), SNAPSHOT)).isTrue();
        assertThat(VIEW.includes(row(1, "ACME", "1500", T, T, null), SNAPSHOT)).as("already pushed").isFalse();
        assertThat(VIEW.includes(row(1, "ACME", "999.99", T, null, null), SNAPSHOT)).as("small").isFalse();
        assertThat(VIEW.includes(row(1, "VIP ACME", "1", null, T, null), SNAPSHOT)).as("vip").isTrue();
        assertThat(VIEW.includes(row(1, "vip ACME", "1", null, T, null), SNAPSHOT)).as("case-sensitive").isFalse();
        assertThat(VIEW.includes(row(1, null, null, null, null, null), SNAPSHOT)).as("all empty").isFalse();
    }

    @Test
    void inlinesCalculationsSoThatFiltersReferencePlainFieldsOnly() {
        assertThat(Expressions.references(VIEW.filters().get(0))).containsExactly("big new order", "vip");
        for (Expression f : VIEW.inlinedFilters()) {
            assertThat(Expressions.references(f)).allSatisfy(ref -> assertThat(VIEW.columnOf(ref)).isNotBlank());
        }
        assertThat(Expressions.references(VIEW.inlinedFilters().get(0)))
                .containsExactlyInAnyOrder("amount", "last modified [auto]", "last pushed", "customer");
        assertThat(Expressions.format(VIEW.inlinedCalculations().get("big new order")))
                .isEqualTo("({amount} >= 1000) and ({last modified [auto]} > {last pushed})");
        assertThat(VIEW.calculations().get("big new order")).isNotEqualTo(VIEW.inlinedCalculations().get("big new order"));
    }

    @Test
    void answersTypesAndColumnsAndRefusesUnknownNames() {
        assertThat(VIEW.typeOf("vip")).isEqualTo(ValueType.BOOLEAN);
        assertThat(VIEW.typeOf("amount")).isEqualTo(ValueType.NUMBER);
        assertThat(VIEW.columnOf("on hold")).isEqualTo("on_hold");
        assertThatThrownBy(() -> VIEW.typeOf("nope")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("view 'big orders' has no field 'nope'");
        assertThatThrownBy(() -> VIEW.columnOf("vip")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("view 'big orders' has no plain field 'vip'");
    }
}
