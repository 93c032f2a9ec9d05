package io.viewpush.expression;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomExpressionsTest {
    private static final Map<String, ValueType> FIELDS = Map.of(
            "amount", ValueType.NUMBER, "price", ValueType.NUMBER, "name", ValueType.TEXT, "note", ValueType.TEXT,
            "flag", ValueType.BOOLEAN, "last modified [auto]", ValueType.TIMESTAMP, "last pushed", ValueType.TIMESTAMP,
            "at}zone", ValueType.TIMESTAMP_TZ, "day", ValueType.DATE);

    private final long seed = Seeds.seed(99L);

    @Test
    void theSameSeedGivesTheSameValuesAndExpressions() {
        RandomExpressions a = new RandomExpressions(new Random(seed));
        RandomExpressions b = new RandomExpressions(new Random(seed));
        for (int i = 0; i < 200; i++) {
            ValueType t = RandomExpressions.CLASSIC.get(i % RandomExpressions.CLASSIC.size());
            assertThat(a.value(t)).isEqualTo(b.value(t));
            assertThat(RandomExpressions.source(a.booleanExpression(FIELDS, 3)))
                    .isEqualTo(RandomExpressions.source(b.booleanExpression(new HashMap<>(FIELDS), 3)));
            assertThat(a.row(FIELDS)).isEqualTo(b.row(FIELDS));
            assertThat(a.snapshot()).isEqualTo(b.snapshot());
        }
    }

    @Test
    void valuesHaveTheJavaTypeOfTheirTypeAndAreOftenEmptyOrRepeated() {
        RandomExpressions gen = new RandomExpressions(new Random(seed));
        for (ValueType t : RandomExpressions.CLASSIC) {
            int empty = 0;
            Map<Object, Integer> seen = new HashMap<>();
            for (int i = 0; i < 2000; i++) {
                Object v = gen.value(t);
                if (v == null) {
                    empty++;
                } else {
                    assertThat(v).isInstanceOf(t.javaType());
                    seen.merge(v, 1, Integer::sum);
                }
            }
            assertThat(empty).as("empties of %s", t).isBetween(300, 700);
            assertThat(seen.values().stream().filter(n -> n >= 20).count()).as("repeated %s values", t).isPositive();
            assertThat(seen.size()).as("distinct %s values", t).isGreaterThan(t == ValueType.BOOLEAN ? 1 : 100);
        }
    }

    @Test
    void textsHoldTheTrickyCharactersButNeverNulOrLoneSurrogates() {
        RandomExpressions gen = new RandomExpressions(new Random(seed));
        Set<String> found = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            String s = (String) gen.nonEmptyValue(ValueType.TEXT);
            assertThat(s.indexOf('\u0000')).isNegative();
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                if (Character.isHighSurrogate(c)) {
                    assertThat(k + 1 < s.length() && Character.isLowSurrogate(s.charAt(k + 1))).as("pair in %s", s).isTrue();
                    k++;
                } else {
                    assertThat(Character.isLowSurrogate(c)).as("lone low surrogate in %s", s).isFalse();
                }
            }
            if (s.isEmpty()) {
                found.add("empty");
            }
            s.codePoints().forEach(cp -> {
                if (cp > 0xFFFF) {
                    found.add("supplementary");
                } else if (cp >= 0xE000 && cp <= 0xF8FF) {
                    found.add("private use");
                } else if (cp == 0xFFFD) {
                    found.add("replacement");
                } else if ("'\\%_ é漢".indexOf(cp) >= 0) {
                    found.add(new String(Character.toChars(cp)));
                }
            });
        }
        assertThat(found).contains("empty", "supplementary", "private use", "replacement", "'", "\\", "%", "_", " ",
                "é", "漢");
    }

    @Test
    void numbersFitNumeric18x6AndMeetTheirEdgeCases() {
        RandomExpressions gen = new RandomExpressions(new Random(seed));
        Set<BigDecimal> found = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            BigDecimal n = (BigDecimal) gen.nonEmptyValue(ValueType.NUMBER);
            assertThat(n.scale()).as("%s", n).isBetween(0, 6);
            assertThat(n.precision() - n.scale()).as("integer digits of %s", n).isLessThanOrEqualTo(12);
            found.add(n);
        }
        assertThat(found).contains(new BigDecimal("1"), new BigDecimal("1.0"), new BigDecimal("0"),
                new BigDecimal("0.00"), new BigDecimal("-0.01"), new BigDecimal("99999999.999999"));
        assertThat(found.stream().filter(n -> n.signum() < 0).count()).isPositive();
    }

    @Test
    void timesAreMicrosecondsAndTheSameInstantComesWithDifferentOffsets() {
        RandomExpressions gen = new RandomExpressions(new Random(seed));
        Map<Instant, Set<ZoneOffset>> offsets = new HashMap<>();
        Set<ZoneOffset> all = new HashSet<>();
        boolean oneMicroApart = false;
        List<LocalDateTime> timestamps = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            LocalDateTime t = (LocalDateTime) gen.nonEmptyValue(ValueType.TIMESTAMP);
            assertThat(t.getNano() % 1000).as("%s", t).isZero();
            timestamps.add(t);
            OffsetDateTime z = (OffsetDateTime) gen.nonEmptyValue(ValueType.TIMESTAMP_TZ);
            assertThat(z.getNano() % 1000).as("%s", z).isZero();
            offsets.computeIfAbsent(z.toInstant(), k -> new HashSet<>()).add(z.getOffset());
            all.add(z.getOffset());
        }
        Set<LocalDateTime> set = new HashSet<>(timestamps);
        for (LocalDateTime t : timestamps) {
            oneMicroApart |= set.contains(t.plusNanos(1000));
        }
        assertThat(oneMicroApart).as("timestamps one microsecond apart").isTrue();
        assertThat(offsets.values().stream().filter(s -> s.size() >= 3).count()).isPositive();
        assertThat(all).contains(ZoneOffset.UTC, ZoneOffset.ofHours(14), ZoneOffset.ofHours(-12),
                ZoneOffset.ofHoursMinutes(5, 30));
        for (int i = 0; i < 100; i++) {
            assertThat(gen.snapshot().now().getNano() % 1000).isZero();
        }
    }

    @Test
    void expressionsAreCheckedBooleansThatUseEveryConstruct() {
        RandomExpressions gen = new RandomExpressions(new Random(seed));
        Set<String> constructs = new HashSet<>();
        for (int i = 0; i < 600; i++) {
            Expression e = gen.booleanExpression(FIELDS, 4);
            String source = RandomExpressions.source(e);
            assertThat(Expressions.typeOf(e, FIELDS)).isEqualTo(ValueType.BOOLEAN);
            assertThat(Expressions.check(source, e, FIELDS)).as(source).isEqualTo(e);
            collect(e, null, constructs);
        }
        assertThat(constructs).contains("And", "Or", "Not", "Comparison", "IsEmpty", "IsEmpty not",
                "contains", "starts with", "field vs field", "field vs literal", "literal vs field",
                "now() as timestamp", "now() as timestamp with time zone", "now() as date",
                "timestamp literal", "timestamp with time zone literal", "date literal",
                "text match with % or _", "boolean field as condition", "condition vs condition");
    }

    @Test
    void valueExpressionsHaveTheirTypeUseEveryFunctionAndOperatorAndEvaluate() {
        RandomExpressions gen = new RandomExpressions(new Random(seed));
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            ValueType t = RandomExpressions.VALUE_TYPES.get(i % RandomExpressions.VALUE_TYPES.size());
            Expression e = gen.valueExpression(FIELDS, t, 3);
            String source = RandomExpressions.source(e);
            assertThat(Expressions.typeOf(e, FIELDS)).as(source).isEqualTo(t);
            assertThat(Expressions.check(source, e, FIELDS)).as(source).isEqualTo(e);
            Object v = Expressions.evaluate(e, gen.row(FIELDS)::get, gen.snapshot());
            if (v != null) {
                assertThat(v).as(source).isInstanceOf(t.javaType());
            }
            uses(e, used);
        }
        for (Expression.Function f : Expression.Function.values()) {
            assertThat(used).as("uses %s", f).contains(f.name());
        }
        for (Expression.ArithmeticOperator op : Expression.ArithmeticOperator.values()) {
            assertThat(used).as("uses %s", op).contains(op.name());
        }
        assertThat(used).contains("Negate");
        assertThatThrownBy(() -> gen.valueExpression(FIELDS, ValueType.UUID, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void uses(Expression e, Set<String> used) {
        if (e instanceof Expression.Call) {
            used.add(((Expression.Call) e).function().name());
        } else if (e instanceof Expression.Arithmetic) {
            used.add(((Expression.Arithmetic) e).operator().name());
        } else if (e instanceof Expression.Negate) {
            used.add("Negate");
        }
        Expressions.children(e).forEach(c -> uses(c, used));
    }

    @Test
    void aDepthOfZeroGivesASingleCondition() {
        RandomExpressions gen = new RandomExpressions(new Random(seed));
        for (int i = 0; i < 200; i++) {
            Set<String> constructs = new HashSet<>();
            collect(gen.booleanExpression(FIELDS, 0), null, constructs);
            assertThat(constructs).doesNotContain("And", "Or", "Not", "condition vs condition");
        }
        assertThatThrownBy(() -> gen.booleanExpression(FIELDS, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void worksWithoutFields() {
        RandomExpressions gen = new RandomExpressions(new Random(seed));
        for (int i = 0; i < 100; i++) {
            Expression e = gen.booleanExpression(Map.of(), 2);
            assertThat(Expressions.references(e)).isEmpty();
            assertThat(Expressions.evaluate(e, name -> { throw new AssertionError(name); }, gen.snapshot()))
                    .isInstanceOf(Boolean.class);
        }
    }

    @Test
    void generatedExpressionsAreSometimesTrueAndSometimesFalseOverGeneratedRows() {
        RandomExpressions gen = new RandomExpressions(new Random(seed));
        int yes = 0;
        int no = 0;
        for (int i = 0; i < 2000; i++) {
            Expression e = gen.booleanExpression(FIELDS, 3);
            Map<String, Object> row = gen.row(FIELDS);
            assertThat(row).containsOnlyKeys(FIELDS.keySet());
            Snapshot snapshot = gen.snapshot();
            Object v = Expressions.evaluate(e, row::get, snapshot);
            if (v == null) {
                assertThat(e).as("only a bare boolean field can be empty").isInstanceOf(Expression.FieldRef.class);
            } else {
                assertThat(v).isInstanceOf(Boolean.class);
            }
            if (Expressions.test(e, row::get, snapshot)) {
                yes++;
            } else {
                no++;
            }
        }
        assertThat(yes).isGreaterThan(400);
        assertThat(no).isGreaterThan(400);
    }

    private static void collect(Expression e, Expression parent, Set<String> out) {
        if (e instanceof Expression.Comparison) {
            Expression.Comparison c = (Expression.Comparison) e;
            out.add("Comparison");
            if (c.left() instanceof Expression.FieldRef && c.right() instanceof Expression.FieldRef) {
                out.add("field vs field");
            }
            if (c.left() instanceof Expression.FieldRef && c.right() instanceof Expression.Literal) {
                out.add("field vs literal");
            }
            if (c.left() instanceof Expression.Literal && c.right() instanceof Expression.FieldRef) {
                out.add("literal vs field");
            }
            if (isCondition(c.left()) && isCondition(c.right())) {
                out.add("condition vs condition");
            }
            collect(c.left(), e, out);
            collect(c.right(), e, out);
        } else if (e instanceof Expression.IsEmpty) {
            out.add(((Expression.IsEmpty) e).negated() ? "IsEmpty not" : "IsEmpty");
            collect(((Expression.IsEmpty) e).operand(), e, out);
        } else if (e instanceof Expression.TextMatch) {
            Expression.TextMatch m = (Expression.TextMatch) e;
            out.add(m.operator().keyword());
            for (Expression side : List.of(m.left(), m.right())) {
                if (side instanceof Expression.Literal && ((String) ((Expression.Literal) side).value()).matches(".*[%_].*")) {
                    out.add("text match with % or _");
                }
            }
            collect(m.left(), e, out);
            collect(m.right(), e, out);
        } else if (e instanceof Expression.And) {
            out.add("And");
            collect(((Expression.And) e).left(), e, out);
            collect(((Expression.And) e).right(), e, out);
        } else if (e instanceof Expression.Or) {
            out.add("Or");
            collect(((Expression.Or) e).left(), e, out);
            collect(((Expression.Or) e).right(), e, out);
        } else if (e instanceof Expression.Not) {
            out.add("Not");
            collect(((Expression.Not) e).operand(), e, out);
        } else if (e instanceof Expression.Now) {
            out.add("now() as " + ((Expression.Now) e).type().label());
        } else if (e instanceof Expression.Literal) {
            ValueType t = ((Expression.Literal) e).type();
            if (t.isTemporal()) {
                out.add(t.label() + " literal");
            }
        } else if (e instanceof Expression.FieldRef) {
            if (FIELDS.get(((Expression.FieldRef) e).name()) == ValueType.BOOLEAN
                    && (parent == null || parent instanceof Expression.And || parent instanceof Expression.Or
                    || parent instanceof Expression.Not)) {
                out.add("boolean field as condition");
            }
        }
    }

    private static boolean isCondition(Expression e) {
        return !(e instanceof Expression.FieldRef || e instanceof Expression.Literal || e instanceof Expression.Now);
    }
}
