package io.viewpush.expression;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated texts: the parser returns a tree or throws {@link ExpressionException} with a
 * position inside the text (or just after it), never anything else; what parses formats back to
 * itself; what checks evaluates without error.
 */
class ExpressionFuzzTest {
    private static final int CASES = 6000;

    private static final Map<String, ValueType> FIELDS = Map.of(
            "a", ValueType.NUMBER, "b", ValueType.TEXT, "c", ValueType.BOOLEAN, "last pushed", ValueType.TIMESTAMP,
            "tz", ValueType.TIMESTAMP_TZ, "d", ValueType.DATE, "x}y", ValueType.TEXT,
            "last modified [auto]", ValueType.TIMESTAMP, "needs pushing", ValueType.BOOLEAN,
            "receipt id", ValueType.TEXT);

    private static final List<String> FRAGMENTS = List.of(
            "{", "}", "}}", "'", "''", "(", ")", "=", "!", "!=", "<", ">", "<=", ">=", "<>", "-", ".", "0", "1", "9",
            "12.50", " ", "  ", "\t", "\n", "and", "or", "not", "is", "empty", "contains", "starts", "with", "now",
            "now()", "true", "false", "AND", "Is", "x", "é", "漢", "😀", "\ud800", "\udc00", "\u0000", "\u00a0",
            "\u200b", "#", "\\", "%", "_", "{a}", "{b}", "{c}", "{last pushed}", "{x}}y}", "'2024-01-31'",
            "'2024-01-31T10:00Z'", "1e5", "null",
            "+", "-", "*", "/", "||", ",", "{d}", "{tz}", "today()", "upper(", "length(", "substring(", "replace(",
            "concat(", "add_days(", "add_hours(", "days_between(", "year(", "start_of_month(", "date(", "if(",
            "coalesce(", "greatest(", "round(", "text(", "number(", "foo(");

    private static final List<String> VALID = List.of(
            "{last modified [auto]} > {last pushed}", "{needs pushing} = true", "{last pushed} is empty",
            "{receipt id} is empty", "{a} > 1 and {b} contains 'x''y' or not {c}",
            "({a} = -3.50) = ({b} starts with '')", "now() > {last pushed} and {d} <= now()",
            "{tz} >= '2024-01-31T10:00+02:00' or {d} != '2024-01-31'", "{x}}y} is not empty",
            "round({a} * 1.5 / 3, 2) + -{a}", "upper({b}) || ' ' || substring({receipt id}, 2, 3)",
            "add_days({d}, 7) < today() and days_between({d}, today()) > 30",
            "if({c}, {a}, coalesce({a}, 0)) >= greatest({a}, 1, -2)",
            "year({last pushed}) = 2024 or weekday(date(now())) = 7", "number(text({a})) = {a}",
            "start_of_month({d}) = start_of_month(today())", "add_hours({tz}, 2) > now()",
            "length(trim(replace({b}, 'a', ''))) - 1");

    @Test
    void randomTextsParseOrFailWithAPositionInsideTheText() {
        long seed = Seeds.seed(1L);
        Random random = new Random(seed);
        int[] outcomes = new int[3];
        for (int i = 0; i < CASES; i++) {
            StringBuilder s = new StringBuilder();
            int pieces = random.nextInt(16);
            for (int p = 0; p < pieces; p++) {
                if (random.nextInt(5) == 0) {
                    s.append((char) random.nextInt(0x10000));
                } else {
                    s.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
                }
            }
            outcomes[exercise(s.toString(), seed, random)]++;
        }
        System.out.printf("random texts, seed %d: %d do not parse, %d do not check, %d evaluate%n",
                seed, outcomes[0], outcomes[1], outcomes[2]);
        assertThat(outcomes[2]).as("cases that parse, check and evaluate, seed %d", seed).isGreaterThan(CASES / 200);
    }

    @Test
    void mutatedValidExpressionsParseOrFailWithAPositionInsideTheText() {
        long seed = Seeds.seed(2L);
        Random random = new Random(seed);
        RandomExpressions gen = new RandomExpressions(random);
        List<String> valid = new ArrayList<>(VALID);
        for (int i = 0; i < 50; i++) {
            valid.add(RandomExpressions.source(gen.booleanExpression(FIELDS, 3)));
            valid.add(RandomExpressions.source(gen.valueExpression(FIELDS, 3)));
        }
        int[] outcomes = new int[3];
        for (int i = 0; i < CASES; i++) {
            String s = valid.get(random.nextInt(valid.size()));
            int mutations = random.nextInt(4) == 0 ? 2 + random.nextInt(2) : 1;
            for (int m = 0; m < mutations; m++) {
                s = mutate(s, random);
            }
            outcomes[exercise(s, seed, random)]++;
        }
        System.out.printf("mutated expressions, seed %d: %d do not parse, %d do not check, %d evaluate%n",
                seed, outcomes[0], outcomes[1], outcomes[2]);
        assertThat(outcomes[0]).as("cases that do not parse, seed %d", seed).isGreaterThan(CASES / 4);
        assertThat(outcomes[1]).as("cases that parse but do not check, seed %d", seed).isGreaterThan(CASES / 100);
        assertThat(outcomes[2]).as("cases that parse, check and evaluate, seed %d", seed).isGreaterThan(CASES / 20);
    }

    @Test
    void deepNestingFailsCleanlyInsteadOfOverflowingTheStack() {
        for (String s : new String[]{"(".repeat(100_000), "not ".repeat(100_000) + "{c}",
                "{c} and ".repeat(100_000) + "{c}", "(".repeat(99) + "not ".repeat(50) + "{c}" + ")".repeat(99)}) {
            Throwable t = catchAny(() -> Expressions.parse(s));
            assertThat(t).isInstanceOf(ExpressionException.class);
            assertThat(((ExpressionException) t).detail()).containsAnyOf("too many nested", "too deeply nested");
        }
    }

    private static String mutate(String s, Random random) {
        int n = s.length();
        int i = n == 0 ? 0 : random.nextInt(n + 1);
        int j = i + (n - i == 0 ? 0 : random.nextInt(Math.min(6, n - i) + 1));
        switch (random.nextInt(6)) {
            case 0:
                return s.substring(0, i) + s.substring(j);
            case 1:
                return s.substring(0, i) + FRAGMENTS.get(random.nextInt(FRAGMENTS.size())) + s.substring(i);
            case 2:
                return s.substring(0, i) + FRAGMENTS.get(random.nextInt(FRAGMENTS.size())) + s.substring(j);
            case 3:
                return s.substring(0, i) + s.substring(i, j) + s.substring(i);
            case 4:
                return s.substring(0, i);
            default:
                return s.substring(0, i) + (char) random.nextInt(0x10000) + s.substring(i);
        }
    }

    /** @return 0 when parsing failed, 1 when checking failed, 2 when it parsed, checked and evaluated */
    private static int exercise(String source, long seed, Random random) {
        String desc = "seed " + seed + ", source \"" + escape(source) + "\"";
        Expression parsed;
        try {
            parsed = Expressions.parse(source);
        } catch (ExpressionException e) {
            assertThat(e.position()).as(desc).isBetween(1, source.length() + 1);
            assertThat(e.detail()).as(desc).contains("at " + e.position());
            assertThat(e.source()).as(desc).isEqualTo(source);
            return 0;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError(desc + ": threw " + e, e);
        }
        assertThat(parsed).as(desc).isNotNull();
        String formatted = Expressions.format(parsed);
        assertThat(Nodes.withoutPositions(Expressions.parse(formatted))).as(desc)
                .isEqualTo(Nodes.withoutPositions(parsed));
        Expression checked;
        try {
            checked = Expressions.check(source, parsed, FIELDS);
        } catch (ExpressionException e) {
            assertThat(e.position()).as(desc).isBetween(1, source.length() + 1);
            assertThat(e.detail()).as(desc).contains("at " + e.position());
            return 1;
        } catch (RuntimeException e) {
            throw new AssertionError(desc + ": check threw " + e, e);
        }
        RandomExpressions gen = new RandomExpressions(random);
        Map<String, Object> row = gen.row(FIELDS);
        Object value = Expressions.evaluate(checked, row::get, gen.snapshot());
        ValueType type = Expressions.typeOf(checked, FIELDS);
        if (value != null) {
            assertThat(value).as(desc).isInstanceOf(type.javaType());
        } else if (type == ValueType.BOOLEAN) {
            assertThat(checked).as(desc + ": only a field, if() or coalesce() can be an empty boolean")
                    .isInstanceOfAny(Expression.FieldRef.class, Expression.Call.class);
        }
        return 2;
    }

    private static Throwable catchAny(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException | StackOverflowError e) {
            return e;
        }
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> {
            if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.append((char) c);
            }
        });
        return b.toString();
    }
}
