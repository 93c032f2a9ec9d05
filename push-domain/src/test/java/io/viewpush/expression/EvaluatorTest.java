package io.viewpush.expression;

import io.viewpush.expression.Expression.Operator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvaluatorTest {
    private static final Map<String, ValueType> FIELDS = Map.ofEntries(
            Map.entry("amount", ValueType.NUMBER),
            Map.entry("name", ValueType.TEXT),
            Map.entry("other", ValueType.TEXT),
            Map.entry("flag", ValueType.BOOLEAN),
            Map.entry("flag2", ValueType.BOOLEAN),
            Map.entry("ts", ValueType.TIMESTAMP),
            Map.entry("tz", ValueType.TIMESTAMP_TZ),
            Map.entry("day", ValueType.DATE),
            Map.entry("last modified [auto]", ValueType.TIMESTAMP),
            Map.entry("last pushed", ValueType.TIMESTAMP));

    /** 2024-03-10T23:30Z is already 2024-03-11 08:30 in Tokyo (UTC+9). */
    private static final Snapshot TOKYO = new Snapshot(Instant.parse("2024-03-10T23:30:00Z"), ZoneId.of("Asia/Tokyo"));

    private static Object eval(String source, Object... namesAndValues) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        Expression checked = Expressions.check(source, Expressions.parse(source), FIELDS);
        return Expressions.evaluate(checked, name -> {
            assertThat(FIELDS).containsKey(name);
            return row.get(name);
        }, TOKYO);
    }

    private static boolean holds(String source, Object... namesAndValues) {
        Object v = eval(source, namesAndValues);
        assertThat(v).as(source).isInstanceOf(Boolean.class);
        return (Boolean) v;
    }

    /** For each type: a value and a larger one. Empty is rank 0, these ranks 1 and 2. */
    static Stream<Arguments> orderedPairs() {
        return Stream.of(
                Arguments.of(ValueType.TEXT, "", "a"),
                Arguments.of(ValueType.TEXT, "\uFFFD", "😀"),
                Arguments.of(ValueType.NUMBER, new BigDecimal("-0.01"), new BigDecimal("1.0")),
                Arguments.of(ValueType.BOOLEAN, false, true),
                Arguments.of(ValueType.TIMESTAMP, LocalDateTime.parse("2024-01-31T10:00"),
                        LocalDateTime.parse("2024-01-31T10:00:00.000001")),
                Arguments.of(ValueType.TIMESTAMP_TZ, OffsetDateTime.parse("2024-01-31T10:00+02:00"),
                        OffsetDateTime.parse("2024-01-31T09:00Z")),
                Arguments.of(ValueType.DATE, LocalDate.parse("2023-12-31"), LocalDate.parse("2024-01-01")));
    }

    @ParameterizedTest
    @MethodSource("orderedPairs")
    void everyComparisonIsTrueOrFalseWithEmptyBeforeEveryValue(ValueType type, Object low, Object high) {
        Map<String, ValueType> types = Map.of("x", type, "y", type);
        Object[] values = {null, low, high};
        for (Operator op : Operator.values()) {
            Expression e = Expressions.check("", new Expression.Comparison(op,
                    new Expression.FieldRef("x", 1), new Expression.FieldRef("y", 5), 3), types);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    Map<String, Object> row = new HashMap<>();
                    row.put("x", values[i]);
                    row.put("y", values[j]);
                    boolean expected;
                    switch (op) {
                        case EQ: expected = i == j; break;
                        case NE: expected = i != j; break;
                        case LT: expected = i < j; break;
                        case LE: expected = i <= j; break;
                        case GT: expected = i > j; break;
                        default: expected = i >= j; break;
                    }
                    assertThat(Expressions.evaluate(e, row::get, TOKYO))
                            .as("%s %s %s (%s)", values[i], op.symbol(), values[j], type)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void aNeverPushedRowIsModifiedSinceItsLastPush() {
        String needsPushing = "{last modified [auto]} > {last pushed}";
        LocalDateTime modified = LocalDateTime.parse("2024-01-31T10:00");
        assertThat(holds(needsPushing, "last modified [auto]", modified, "last pushed", null)).isTrue();
        assertThat(holds(needsPushing, "last modified [auto]", modified, "last pushed", modified)).isFalse();
        assertThat(holds(needsPushing, "last modified [auto]", modified, "last pushed", modified.minusNanos(1000)))
                .isTrue();
        assertThat(holds(needsPushing, "last modified [auto]", null, "last pushed", null)).isFalse();
        assertThat(holds("{last pushed} is empty", "last pushed", null)).isTrue();
    }

    @Test
    void comparesEmptyWithLiteralsAsSmallerThanAnyValue() {
        assertThat(holds("{amount} < -99999999", "amount", null)).isTrue();
        assertThat(holds("{amount} = 0", "amount", null)).isFalse();
        assertThat(holds("{amount} != 0", "amount", null)).isTrue();
        assertThat(holds("{name} < ''", "name", null)).isTrue();
        assertThat(holds("{name} = ''", "name", null)).isFalse();
        assertThat(holds("{flag} < false", "flag", null)).isTrue();
        assertThat(holds("{flag} = false", "flag", null)).isFalse();
        assertThat(holds("{ts} >= '1900-01-01'", "ts", null)).isFalse();
        assertThat(holds("{day} <= '1900-01-01'", "day", null)).isTrue();
        assertThat(holds("{tz} <> '2024-01-01T00:00Z'", "tz", null)).isTrue();
        assertThat(holds("'x' > {name}", "name", null)).isTrue();
    }

    @Test
    void comparesNumbersByValueWhateverTheirScale() {
        assertThat(holds("{amount} = 1", "amount", new BigDecimal("1.0"))).isTrue();
        assertThat(holds("{amount} = 0", "amount", new BigDecimal("0.00"))).isTrue();
        assertThat(holds("{amount} != 1.000", "amount", new BigDecimal("1"))).isFalse();
        assertThat(holds("{amount} < -0.001", "amount", new BigDecimal("-0.01"))).isTrue();
        assertThat(holds("{amount} > 99999999.999998", "amount", new BigDecimal("99999999.999999"))).isTrue();
    }

    @Test
    void comparesTextInCodePointOrderNotUtf16Order() {
        String privateUse = "\uE000";
        String emoji = "😀"; // U+1F600, a surrogate pair D83D DE00
        assertThat(privateUse.compareTo(emoji)).as("String.compareTo disagrees").isPositive();
        assertThat(Expressions.compare(privateUse, emoji)).isNegative();
        assertThat(Expressions.compare(emoji, privateUse)).isPositive();
        assertThat(Expressions.compare("\uFFFD", "𝄞")).isNegative();
        assertThat(holds("{name} < {other}", "name", "a\uF8FF", "other", "a😀")).isTrue();
        assertThat(holds("{name} > {other}", "name", "a\uF8FF", "other", "a😀")).isFalse();
        assertThat(holds("{name} < {other}", "name", "ab", "other", "b")).isTrue();
        assertThat(holds("{name} < {other}", "name", "a", "other", "ab")).isTrue();
        assertThat(holds("{name} < {other}", "name", "B", "other", "a")).isTrue();

        List<String> texts = new ArrayList<>(List.of("😀", "\uE000", "\uFFFD", "a", "", "é", "e\u0301", "漢字",
                "𝄞", "\uF8FF", "Z", "ab", "a😀", "a\uE000"));
        texts.sort(Expressions::compare);
        List<String> byCodePoints = new ArrayList<>(texts);
        byCodePoints.sort(Comparator.comparing((String s) -> s.codePoints().toArray(), Arrays::compare));
        assertThat(texts).containsExactlyElementsOf(byCodePoints);
        assertThat(texts.get(texts.size() - 1)).isEqualTo("😀");
        assertThat(texts.indexOf("\uFFFD")).isLessThan(texts.indexOf("𝄞"));
    }

    @Test
    void comparesTimestampsWithZoneAsInstants() {
        OffsetDateTime utc = OffsetDateTime.parse("2024-01-31T10:00Z");
        OffsetDateTime berlin = OffsetDateTime.parse("2024-01-31T11:00+01:00");
        OffsetDateTime newYork = OffsetDateTime.parse("2024-01-31T05:00-05:00");
        assertThat(holds("{tz} = '2024-01-31T11:00+01:00'", "tz", utc)).isTrue();
        assertThat(holds("{tz} = '2024-01-31T05:00-05:00'", "tz", berlin)).isTrue();
        assertThat(Expressions.compare(newYork, utc)).isZero();
        assertThat(holds("{tz} < '2024-01-31T10:30+01:00'", "tz", utc)).isFalse();
        assertThat(holds("{tz} > '2024-01-31T10:30+01:00'", "tz", utc)).isTrue();
        assertThat(holds("{tz} != '2024-01-31T10:00+00:00'", "tz", newYork)).isFalse();
    }

    @Test
    void comparesDatesTimestampsAndBooleansInTheirNaturalOrder() {
        assertThat(holds("{ts} = '2024-01-31'", "ts", LocalDateTime.parse("2024-01-31T00:00"))).isTrue();
        assertThat(holds("{ts} > '2024-01-31'", "ts", LocalDateTime.parse("2024-01-31T00:00:00.000001"))).isTrue();
        assertThat(holds("{day} < '2024-02-01'", "day", LocalDate.parse("2024-01-31"))).isTrue();
        assertThat(holds("{flag} < {flag2}", "flag", false, "flag2", true)).isTrue();
        assertThat(holds("{flag} = {flag2}", "flag", null, "flag2", null)).isTrue();
        assertThat(holds("({amount} > 1) = {flag}", "amount", BigDecimal.TEN, "flag", true)).isTrue();
        assertThat(holds("({amount} > 1) > {flag}", "amount", BigDecimal.TEN, "flag", null)).isTrue();
    }

    @Test
    void convertsNowToTheComparedTypeInTheSnapshotZone() {
        assertThat(eval("now()")).isEqualTo(OffsetDateTime.parse("2024-03-11T08:30+09:00"));
        assertThat(((OffsetDateTime) eval("now()")).getOffset()).isEqualTo(ZoneOffset.ofHours(9));
        assertThat(holds("{day} = now()", "day", LocalDate.parse("2024-03-11"))).isTrue();
        assertThat(holds("{day} = now()", "day", LocalDate.parse("2024-03-10"))).isFalse();
        assertThat(holds("{ts} = now()", "ts", LocalDateTime.parse("2024-03-11T08:30"))).isTrue();
        assertThat(holds("{ts} < now()", "ts", LocalDateTime.parse("2024-03-10T23:30"))).isTrue();
        assertThat(holds("{tz} = now()", "tz", OffsetDateTime.parse("2024-03-10T23:30Z"))).isTrue();
        assertThat(holds("{tz} = now()", "tz", OffsetDateTime.parse("2024-03-10T18:30-05:00"))).isTrue();
        assertThat(holds("now() > {ts}", "ts", null)).isTrue();
        assertThat(holds("now() = now()")).isTrue();
        assertThat(holds("now() > '2024-03-10'")).isTrue();
        assertThat(holds("now() = '2024-03-11'")).isTrue();
        assertThat(holds("now() = '2024-03-11 08:30'")).isTrue();
        assertThat(holds("now() = '2024-03-10T23:30Z'")).isTrue();
        assertThat(holds("now() is empty")).isFalse();
    }

    @Test
    void convertsNowWithDaylightSavingTime() {
        Snapshot newYork = new Snapshot(Instant.parse("2024-07-01T03:00:00Z"), ZoneId.of("America/New_York"));
        Expression checked = Expressions.check("", Expressions.parse("{ts} = now() and {day} = now()"), FIELDS);
        Map<String, Object> row = Map.of("ts", LocalDateTime.parse("2024-06-30T23:00"), "day", LocalDate.parse("2024-06-30"));
        assertThat(Expressions.test(checked, row::get, newYork)).isTrue();
    }

    @Test
    void matchesTextCaseSensitivelyAndNeverOnEmpty() {
        assertThat(holds("{name} contains 'b'", "name", "abc")).isTrue();
        assertThat(holds("{name} contains 'B'", "name", "abc")).isFalse();
        assertThat(holds("{name} contains 'abcd'", "name", "abc")).isFalse();
        assertThat(holds("{name} starts with 'ab'", "name", "abc")).isTrue();
        assertThat(holds("{name} starts with 'bc'", "name", "abc")).isFalse();
        assertThat(holds("{name} starts with 'A'", "name", "abc")).isFalse();
        assertThat(holds("{name} contains ''", "name", "abc")).isTrue();
        assertThat(holds("{name} starts with ''", "name", "")).isTrue();
        assertThat(holds("{name} contains ''", "name", null)).isFalse();
        assertThat(holds("'abc' contains {name}", "name", null)).isFalse();
        assertThat(holds("{name} starts with {other}", "name", null, "other", null)).isFalse();
        assertThat(holds("not ({name} contains 'x')", "name", null)).isTrue();
    }

    @Test
    void takesLikeWildcardsAndBackslashLiterally() {
        assertThat(holds("{name} contains '%'", "name", "abc")).isFalse();
        assertThat(holds("{name} contains '%'", "name", "50%")).isTrue();
        assertThat(holds("{name} starts with 'a_'", "name", "abc")).isFalse();
        assertThat(holds("{name} starts with 'a_'", "name", "a_c")).isTrue();
        assertThat(holds("{name} contains '\\'", "name", "a\\b")).isTrue();
        assertThat(holds("{name} contains '''s'", "name", "it's")).isTrue();
        assertThat(holds("{name} contains '😀'", "name", "x😀y")).isTrue();
    }

    @Test
    void testsEmptinessOnEveryType() {
        assertThat(holds("{name} is empty", "name", null)).isTrue();
        assertThat(holds("{name} is empty", "name", "")).as("'' is a value").isFalse();
        assertThat(holds("{name} is not empty", "name", "")).isTrue();
        assertThat(holds("{amount} is empty", "amount", BigDecimal.ZERO)).isFalse();
        assertThat(holds("{flag} is empty", "flag", false)).isFalse();
        assertThat(holds("{flag} is not empty", "flag", null)).isFalse();
        assertThat(holds("{ts} is not empty", "ts", LocalDateTime.MIN)).isTrue();
        assertThat(holds("{tz} is empty", "tz", null)).isTrue();
        assertThat(holds("{day} is not empty", "day", null)).isFalse();
        assertThat(holds("'' is empty")).isFalse();
        assertThat(holds("({name} = 'x') is empty", "name", null)).as("a comparison is never empty").isFalse();
    }

    @Test
    void countsAnEmptyBooleanAsFalseInLogic() {
        assertThat(holds("not {flag}", "flag", null)).isTrue();
        assertThat(holds("not {flag}", "flag", true)).isFalse();
        assertThat(holds("not {flag}", "flag", false)).isTrue();
        assertThat(holds("{flag} and true", "flag", null)).isFalse();
        assertThat(holds("{flag} or true", "flag", null)).isTrue();
        assertThat(holds("{flag} or {flag2}", "flag", null, "flag2", null)).isFalse();
        assertThat(holds("{flag} or {flag2}", "flag", null, "flag2", true)).isTrue();
        assertThat(holds("{flag} and {flag2}", "flag", true, "flag2", true)).isTrue();
        assertThat(holds("{flag} and {flag2}", "flag", true, "flag2", false)).isFalse();
        assertThat(holds("not not {flag}", "flag", null)).isFalse();
    }

    @Test
    void evaluatesFieldsAndLiteralsToTheirValues() {
        assertThat(eval("{flag}", "flag", null)).isNull();
        assertThat(eval("{amount}", "amount", new BigDecimal("1.50"))).isEqualTo(new BigDecimal("1.50"));
        assertThat(eval("-3.50")).isEqualTo(new BigDecimal("-3.50"));
        assertThat(eval("'it''s'")).isEqualTo("it's");
        Expression flag = Expressions.check("", Expressions.parse("{flag}"), FIELDS);
        assertThat(Expressions.test(flag, name -> null, TOKYO)).isFalse();
        assertThat(Expressions.test(flag, name -> true, TOKYO)).isTrue();
    }

    @Test
    void refusesToCompareValuesOfDifferentTypes() {
        assertThatThrownBy(() -> Expressions.compare("1", BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot compare a String with a BigDecimal; values of one ValueType are needed");
        assertThatThrownBy(() -> Expressions.compare(LocalDate.MIN, LocalDateTime.MIN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersEmptyFirstInTheTotalOrder() {
        assertThat(Expressions.compare(null, null)).isZero();
        assertThat(Expressions.compare(null, "")).isNegative();
        assertThat(Expressions.compare(false, null)).isPositive();
        assertThat(Expressions.compare(new BigDecimal("2.0"), new BigDecimal("2"))).isZero();
        assertThat(Expressions.compare(true, false)).isPositive();
    }
}
