package io.viewpush.expression;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Floating-point numbers and times of day are ordered; intervals, json, arrays and bytes are not. */
class OrderedColumnTypeExpressionsTest {
    private static final Map<String, ValueType> TYPES = Map.of("score", ValueType.FLOAT, "ratio", ValueType.FLOAT,
            "starts", ValueType.TIME, "starts tz", ValueType.TIME_TZ, "length", ValueType.INTERVAL,
            "doc", ValueType.JSON, "tags", ValueType.ARRAY, "cover", ValueType.BYTES);
    private static final Snapshot NOW = Snapshot.at(Instant.parse("2024-01-01T00:00:00Z"));

    private static Expression check(String source) {
        return Expressions.check(source, Expressions.parse(source), TYPES);
    }

    private static boolean test(String source, Object... fieldsAndValues) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            row.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return Expressions.test(check(source), row::get, NOW);
    }

    @Test
    void floatsCompareWithNumberLiteralsAsTheNearestDouble() {
        assertThat(test("{score} = 0.1", "score", 0.1)).isTrue();
        assertThat(test("{score} < 0.25", "score", 0.1)).isTrue();
        assertThat(test("0.25 <= {score}", "score", 0.1)).isFalse();
        assertThat(test("{score} >= -2.5", "score", -2.5)).isTrue();
        assertThat(test("{score} < 0", "score", null)).as("empty sorts first").isTrue();
        assertThat(test("{score} != 1", "score", null)).isTrue();
        Expression checked = check("{score} < 0.1");
        assertThat(((Expression.Comparison) checked).right())
                .isEqualTo(new Expression.Literal(0.1, ValueType.FLOAT, 11));
        assertThat(Expressions.format(checked)).isEqualTo("{score} < 0.1");
    }

    @Test
    void floatsOrderNaNLastAndMinusZeroAsZeroAsPostgreSqlDoes() {
        assertThat(test("{score} > 1000000", "score", Double.POSITIVE_INFINITY)).isTrue();
        assertThat(test("{score} < -1000000", "score", Double.NEGATIVE_INFINITY)).isTrue();
        assertThat(test("{score} > {ratio}", "score", Double.NaN, "ratio", Double.POSITIVE_INFINITY)).isTrue();
        assertThat(test("{score} = {ratio}", "score", Double.NaN, "ratio", Double.NaN)).isTrue();
        assertThat(test("{score} = 0", "score", -0.0)).isTrue();
        assertThat(test("{score} = {ratio}", "score", -0.0, "ratio", 0.0)).isTrue();
        assertThat(test("{score} < {ratio}", "score", -0.0, "ratio", 0.0)).isFalse();
    }

    @Test
    void aNumberLiteralBeyondTheRangeOfADoubleIsATypeErrorWithItsPosition() {
        String huge = "1" + "0".repeat(400);
        assertThatThrownBy(() -> check("{score} < " + huge)).isInstanceOf(ExpressionException.class)
                .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(11))
                .hasMessageContaining("beyond the range of a floating-point number");
    }

    @Test
    void floatsAreNotComparedWithTextOrExactNumbersFields() {
        assertThatThrownBy(() -> check("{score} = 'NaN'")).isInstanceOf(ExpressionException.class)
                .hasMessageContaining("floating-point number").hasMessageContaining("text");
    }

    @Test
    void timesCompareWithIsoTextLiterals() {
        assertThat(test("{starts} < '10:15:00.000001'", "starts", LocalTime.of(10, 15))).isTrue();
        assertThat(test("{starts} = '10:15'", "starts", LocalTime.of(10, 15))).isTrue();
        assertThat(test("'23:59:59.999999' <= {starts}", "starts", LocalTime.of(23, 59, 59, 999_999_000))).isTrue();
        assertThat(test("{starts} > '00:00'", "starts", null)).isFalse();
        assertThatThrownBy(() -> check("{starts} < '25:00'")).isInstanceOf(ExpressionException.class)
                .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(12))
                .hasMessageContaining("is not a valid time").hasMessageContaining("'10:15'");
    }

    @Test
    void timesWithTimeZoneOrderByTheirUtcTimeNotWrappedAtMidnight() {
        OffsetTime utc = OffsetTime.of(10, 15, 0, 0, ZoneOffset.UTC);
        OffsetTime plusTwo = OffsetTime.of(12, 15, 0, 0, ZoneOffset.ofHours(2));
        assertThat(test("{starts tz} = '10:15Z'", "starts tz", plusTwo)).as("one UTC time").isTrue();
        assertThat(test("{starts tz} < '12:15+02:00'", "starts tz", utc)).isFalse();
        assertThat(test("{starts tz} > '09:00Z'", "starts tz", plusTwo)).isTrue();
        assertThat(test("{starts tz} > '00:30Z'", "starts tz", OffsetTime.of(23, 30, 0, 0, ZoneOffset.ofHours(-5))))
                .as("28:30 UTC").isTrue();
        assertThat(Expressions.compare(plusTwo, utc)).isZero();
        assertThat(plusTwo.compareTo(utc)).as("OffsetTime.compareTo also compares local times").isPositive();
        assertThatThrownBy(() -> check("{starts tz} = '10:15'")).isInstanceOf(ExpressionException.class)
                .hasMessageContaining("with an offset like '10:15+02:00'");
    }

    @Test
    void intervalsJsonArraysAndBytesHaveNoOrderAndTheErrorSaysWhere() {
        for (String f : List.of("length", "doc", "tags", "cover")) {
            String source = "{score} > 1 and {" + f + "} < {" + f + "}";
            assertThatThrownBy(() -> check(source)).as(f).isInstanceOf(ExpressionException.class)
                    .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(source.indexOf(" < ") + 2))
                    .hasMessageContaining("no order and no equality").hasMessageContaining("is empty");
        }
    }

    @Test
    void floatLiteralsFormatAsPlainNumbers() {
        assertThat(Expressions.format(new Expression.Literal(1e-7, ValueType.FLOAT, 1))).isEqualTo("0.00000010");
        assertThat(new BigDecimal(Expressions.format(new Expression.Literal(1e300, ValueType.FLOAT, 1))).doubleValue())
                .isEqualTo(1e300);
    }
}
