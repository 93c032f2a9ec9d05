package io.viewpush.expression;

import io.viewpush.expression.Expression.Operator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.viewpush.expression.Nodes.and;
import static io.viewpush.expression.Nodes.bool;
import static io.viewpush.expression.Nodes.cmp;
import static io.viewpush.expression.Nodes.contains;
import static io.viewpush.expression.Nodes.field;
import static io.viewpush.expression.Nodes.isEmpty;
import static io.viewpush.expression.Nodes.isNotEmpty;
import static io.viewpush.expression.Nodes.not;
import static io.viewpush.expression.Nodes.now;
import static io.viewpush.expression.Nodes.number;
import static io.viewpush.expression.Nodes.or;
import static io.viewpush.expression.Nodes.startsWith;
import static io.viewpush.expression.Nodes.text;
import static io.viewpush.expression.Nodes.withoutPositions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TreesTest {
    private static final Map<String, ValueType> PLAIN = Map.of(
            "last modified [auto]", ValueType.TIMESTAMP,
            "last pushed", ValueType.TIMESTAMP,
            "amount", ValueType.NUMBER,
            "note", ValueType.TEXT);

    @Test
    void listsTheFieldsReferencedDirectlyOnceInOrderOfAppearance() {
        Expression e = Expressions.parse("{b} > {a} and ({b} is empty or not {c} contains {a}) or now() > {d}");
        assertThat(Expressions.references(e)).containsExactly("b", "a", "c", "d");
        assertThat(Expressions.references(Expressions.parse("1 = 1"))).isEmpty();
        assertThat(Expressions.references(Expressions.parse("{x}}y} starts with 'x'"))).containsExactly("x}y");
    }

    @Test
    void inlinesCalculationsThatUseCalculationsUntilOnlyPlainFieldsRemain() {
        Map<String, ValueType> types = new HashMap<>(PLAIN);
        Map<String, Expression> calcs = new LinkedHashMap<>();
        String needsPushing = "{last modified [auto]} > {last pushed}";
        calcs.put("needs pushing", Expressions.check(needsPushing, Expressions.parse(needsPushing), types));
        types.put("needs pushing", ValueType.BOOLEAN);
        String big = "{needs pushing} and {amount} > 100";
        calcs.put("big and new", Expressions.check(big, Expressions.parse(big), types));
        types.put("big and new", ValueType.BOOLEAN);
        String filter = "{big and new} = true or {needs pushing} and {note} is empty";
        Expression checked = Expressions.check(filter, Expressions.parse(filter), types);

        Expression inlined = Expressions.inline(checked, calcs);

        assertThat(Expressions.references(inlined)).containsExactlyInAnyOrder(
                "last modified [auto]", "last pushed", "amount", "note");
        assertThat(Expressions.format(inlined)).isEqualTo(
                "((({last modified [auto]} > {last pushed}) and ({amount} > 100)) = true)"
                        + " or (({last modified [auto]} > {last pushed}) and ({note} is empty))");
        assertThat(Expressions.inline(calcs.get("needs pushing"), calcs)).isEqualTo(calcs.get("needs pushing"));
    }

    @Test
    void inliningKeepsPlainFieldsAndLeavesTheTreeItWasGivenAlone() {
        Expression e = Expressions.parse("{a} = 1");
        assertThat(Expressions.inline(e, Map.of())).isEqualTo(e);
        Expression withCalc = Expressions.parse("{c} and {a} = 1");
        Expression inlined = Expressions.inline(withCalc, Map.of("c", Expressions.parse("{b} is empty")));
        assertThat(withCalc).isEqualTo(Expressions.parse("{c} and {a} = 1"));
        assertThat(inlined).isEqualTo(and(isEmpty(field("b", 1), 5), cmp(field("a", 9), Operator.EQ, number("1", 15), 13), 5));
    }

    @Test
    void refusesToInlineCalculationsThatReferToEachOther() {
        Map<String, Expression> calcs = Map.of(
                "x", Expressions.parse("{y} and true"),
                "y", Expressions.parse("not {x}"));
        assertThatThrownBy(() -> Expressions.inline(Expressions.parse("{x}"), calcs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("calculations refer to each other in a cycle: x -> y -> x");
    }

    @Test
    void formatsWithCanonicalSpacingAndParenthesesAroundEveryCompoundOperand() {
        assertThat(Expressions.format(Expressions.parse("{last modified [auto]}>{last pushed}")))
                .isEqualTo("{last modified [auto]} > {last pushed}");
        assertThat(Expressions.format(Expressions.parse("{a}=1 OR {b}<>2 AND NOT {c} IS NOT EMPTY")))
                .isEqualTo("({a} = 1) or (({b} != 2) and (not ({c} is not empty)))");
        assertThat(Expressions.format(Expressions.parse("not not {a}"))).isEqualTo("not (not {a})");
        assertThat(Expressions.format(Expressions.parse("{a} Starts  With 'x' and 'y' CONTAINS {b}")))
                .isEqualTo("({a} starts with 'x') and ('y' contains {b})");
        assertThat(Expressions.format(Expressions.parse("NOW ( ) >= -3.50 and TRUE")))
                .isEqualTo("(now() >= -3.50) and true");
    }

    @Test
    void formatsEscapesBackIntoTheSource() {
        assertThat(Expressions.format(field("a}b", 1))).isEqualTo("{a}}b}");
        assertThat(Expressions.format(field("}", 1))).isEqualTo("{}}}");
        assertThat(Expressions.format(text("it's", 1))).isEqualTo("'it''s'");
        assertThat(Expressions.format(text("", 1))).isEqualTo("''");
        assertThat(Expressions.format(number("0.000001", 1))).isEqualTo("0.000001");
        assertThat(Expressions.format(new Expression.Literal(new BigDecimal("1E+3"), ValueType.NUMBER, 1)))
                .isEqualTo("1000");
        assertThat(Expressions.format(bool(false, 1))).isEqualTo("false");
    }

    @Test
    void formatsCheckedDateAndTimeLiteralsAsIsoTextThatChecksBackToTheSameValue() {
        Map<String, ValueType> types = Map.of("d", ValueType.DATE, "t", ValueType.TIMESTAMP, "z", ValueType.TIMESTAMP_TZ);
        String source = "{d} = '2024-01-31' and {t} > '2024-01-31 10:00:00.000001' and {z} < '2024-01-31T10:00+05:30'"
                + " and now() > {d}";
        Expression checked = Expressions.check(source, Expressions.parse(source), types);
        String formatted = Expressions.format(checked);
        assertThat(formatted).isEqualTo("((({d} = '2024-01-31') and ({t} > '2024-01-31T10:00:00.000001'))"
                + " and ({z} < '2024-01-31T10:00+05:30')) and (now() > {d})");
        Expression again = Expressions.check(formatted, Expressions.parse(formatted), types);
        assertThat(withoutPositions(again)).isEqualTo(withoutPositions(checked));
        assertThat(Expressions.format(new Expression.Literal(LocalDate.of(2024, 1, 31), ValueType.DATE, 1)))
                .isEqualTo("'2024-01-31'");
        assertThat(Expressions.format(new Expression.Literal(LocalDateTime.of(2024, 1, 31, 0, 0), ValueType.TIMESTAMP, 1)))
                .isEqualTo("'2024-01-31T00:00'");
        assertThat(Expressions.format(new Expression.Literal(OffsetDateTime.parse("2024-01-31T10:00Z"),
                ValueType.TIMESTAMP_TZ, 1))).isEqualTo("'2024-01-31T10:00Z'");
    }

    @Test
    void formattedRandomTreesParseBackToTheSameTree() {
        long seed = Seeds.seed(20240131L);
        Random random = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            Expression tree = randomTree(random, 1 + random.nextInt(6));
            String source = Expressions.format(tree);
            Expression parsed;
            try {
                parsed = Expressions.parse(source);
            } catch (ExpressionException e) {
                throw new AssertionError("seed " + seed + ": cannot parse the format of " + tree + ": " + source, e);
            }
            assertThat(withoutPositions(parsed)).as("seed %d, source %s", seed, source).isEqualTo(withoutPositions(tree));
            assertThat(Expressions.format(parsed)).as("seed %d", seed).isEqualTo(source);
        }
    }

    @Test
    void generatedCheckedExpressionsFormatAndCheckBackToTheSameTree() {
        long seed = Seeds.seed(17L);
        RandomExpressions gen = new RandomExpressions(new Random(seed));
        Map<String, ValueType> fields = Map.of("n", ValueType.NUMBER, "t}x", ValueType.TEXT, "b", ValueType.BOOLEAN,
                "ts", ValueType.TIMESTAMP, "tz", ValueType.TIMESTAMP_TZ, "d", ValueType.DATE);
        for (int i = 0; i < 1000; i++) {
            Expression e = gen.booleanExpression(fields, 4);
            String source = RandomExpressions.source(e);
            Expression again = Expressions.check(source, Expressions.parse(source), fields);
            assertThat(withoutPositions(again)).as("seed %d, source %s", seed, source).isEqualTo(withoutPositions(e));
        }
    }

    private static final List<String> NAME_PIECES = List.of("a", "last pushed", " ", "[auto]", "}", "{", "'", "é",
            "😀", "(", "and", "is empty", "\n", "}}");
    private static final List<String> TEXT_PIECES = List.of("", "x", "'", "''", " ", "}", "{y}", "%", "_", "\\",
            "漢字", "😀", "\uE000", "not", "\t");

    /** Any tree the parser could produce, well-typed or not. */
    static Expression randomTree(Random random, int depth) {
        if (depth <= 1 || random.nextInt(4) == 0) {
            switch (random.nextInt(6)) {
                case 0:
                case 1: {
                    StringBuilder name = new StringBuilder();
                    int pieces = 1 + random.nextInt(3);
                    for (int i = 0; i < pieces; i++) {
                        name.append(NAME_PIECES.get(random.nextInt(NAME_PIECES.size())));
                    }
                    return field(name.toString(), 1);
                }
                case 2: {
                    StringBuilder t = new StringBuilder();
                    int pieces = random.nextInt(3);
                    for (int i = 0; i < pieces; i++) {
                        t.append(TEXT_PIECES.get(random.nextInt(TEXT_PIECES.size())));
                    }
                    return text(t.toString(), 1);
                }
                case 3:
                    return new Expression.Literal(BigDecimal.valueOf(random.nextLong() % 1_000_000_000L,
                            random.nextInt(8)), ValueType.NUMBER, 1);
                case 4:
                    return bool(random.nextBoolean(), 1);
                default:
                    return now(1);
            }
        }
        Expression a = randomTree(random, depth - 1);
        Expression b = randomTree(random, depth - 1);
        switch (random.nextInt(8)) {
            case 0:
                return cmp(a, Operator.values()[random.nextInt(Operator.values().length)], b, 1);
            case 1:
                return random.nextBoolean() ? isEmpty(a, 1) : isNotEmpty(a, 1);
            case 2:
                return random.nextBoolean() ? contains(a, b, 1) : startsWith(a, b, 1);
            case 3:
            case 4:
                return and(a, b, 1);
            case 5:
            case 6:
                return or(a, b, 1);
            default:
                return not(a, 1);
        }
    }
}
