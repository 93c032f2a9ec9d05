package io.viewpush.expression;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expressions over uuids, enum labels, text forms and the types that have no order. */
class ColumnTypeExpressionsTest {
    private static final List<String> RATINGS = List.of("G", "PG", "PG-13", "R", "NC-17");
    private static final Map<String, ValueType> TYPES = Map.of("id", ValueType.UUID, "rating", ValueType.ENUM,
            "other rating", ValueType.ENUM, "size", ValueType.ENUM, "ip", ValueType.OTHER, "doc", ValueType.JSON,
            "tags", ValueType.ARRAY, "cover", ValueType.BYTES, "score", ValueType.FLOAT, "length", ValueType.INTERVAL);
    private static final Map<String, List<String>> LABELS = Map.of("rating", RATINGS, "other rating", RATINGS,
            "size", List.of("S", "M", "L"));
    private static final Snapshot NOW = Snapshot.at(Instant.parse("2024-01-01T00:00:00Z"));

    private static Expression check(String source) {
        return Expressions.check(source, Expressions.parse(source), TYPES, LABELS);
    }

    private static boolean test(String source, Map<String, Object> row) {
        return Expressions.test(check(source), row::get, NOW);
    }

    private static Map<String, Object> row(String field, Object value) {
        Map<String, Object> row = new HashMap<>();
        row.put(field, value);
        return row;
    }

    @Test
    void enumLabelsAreOrderedByTheirTypeWithEmptyFirst() {
        for (String op : List.of("<", "<=", ">", ">=", "=", "!=")) {
            for (String literal : RATINGS) {
                for (int v = -1; v < RATINGS.size(); v++) {
                    String value = v < 0 ? null : RATINGS.get(v);
                    int order = v < 0 ? -1 : Integer.compare(v, RATINGS.indexOf(literal));
                    boolean expected;
                    switch (op) {
                        case "<": expected = order < 0; break;
                        case "<=": expected = order <= 0; break;
                        case ">": expected = order > 0; break;
                        case ">=": expected = order >= 0; break;
                        case "=": expected = order == 0; break;
                        default: expected = order != 0; break;
                    }
                    assertThat(test("{rating} " + op + " '" + literal + "'", row("rating", value)))
                            .as("%s %s %s", value, op, literal).isEqualTo(expected);
                    String mirrored = op.equals("<") ? ">" : op.equals(">") ? "<" : op.equals("<=") ? ">=" : op.equals(">=") ? "<=" : op;
                    assertThat(test("'" + literal + "' " + mirrored + " {rating}", row("rating", value)))
                            .as("%s %s %s mirrored", value, op, literal).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void anUnknownLabelIsATypeErrorNamingTheLabels() {
        assertThatThrownBy(() -> check("{rating} = 'PG-14'")).isInstanceOf(ExpressionException.class)
                .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(12))
                .hasMessageContaining("'PG-14' at 12 is not a label of {rating}; its labels are ['G', 'PG', 'PG-13', 'R', 'NC-17']");
    }

    @Test
    void labelsOfDifferentEnumTypesAreNotCompared() {
        assertThat(test("{rating} = {other rating}", Map.of("rating", "PG", "other rating", "PG"))).isTrue();
        assertThatThrownBy(() -> check("{rating} = {size}")).hasMessageContaining("different enum types");
        assertThatThrownBy(() -> check("{rating} < {other rating}")).hasMessageContaining("'<'")
                .hasMessageContaining("against a label written as text");
    }

    @Test
    void uuidsCompareWithTextLiteralsInEitherCaseAndHaveNoOrder() {
        UUID id = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(test("{id} = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", row("id", id))).isTrue();
        assertThat(test("{id} != 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", row("id", id))).isFalse();
        assertThat(test("{id} = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", row("id", null))).isFalse();
        assertThatThrownBy(() -> check("{id} = 'a0eebc99'")).hasMessageContaining("is not a uuid");
        assertThatThrownBy(() -> check("{id} >= 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"))
                .hasMessageContaining("'>='").hasMessageContaining("a uuid has no order");
    }

    @Test
    void textFormsCompareAsTheirText() {
        assertThat(test("{ip} = '10.0.0.1'", row("ip", "10.0.0.1"))).isTrue();
        assertThat(test("{ip} != '10.0.0.1'", row("ip", "10.0.0.2"))).isTrue();
        assertThatThrownBy(() -> check("{ip} < '10.0.0.1'")).hasMessageContaining("has no order");
    }

    @Test
    void jsonArraysBytesAndIntervalsAreOnlyTestedForEmpty() {
        for (String f : List.of("doc", "tags", "cover", "length")) {
            assertThat(test("{" + f + "} is empty", row(f, null))).isTrue();
            assertThat(test("{" + f + "} is not empty", row(f, f.equals("cover") ? new byte[0] : "x")))
                    .isTrue();
            assertThatThrownBy(() -> check("{" + f + "} = {" + f + "}")).as(f).isInstanceOf(ExpressionException.class)
                    .satisfies(e -> assertThat(((ExpressionException) e).position()).isEqualTo(f.length() + 4))
                    .hasMessageContaining("no order and no equality").hasMessageContaining("is empty");
        }
    }

    @Test
    void uuidsSortUnsignedAsTheDatabasesDo() {
        UUID low = UUID.fromString("00000000-0000-0000-0000-000000000000");
        UUID high = UUID.fromString("ffffffff-0000-0000-0000-000000000000");
        assertThat(Expressions.compare(low, high)).isNegative();
        assertThat(low.compareTo(high)).as("UUID.compareTo is signed").isPositive();
    }
}
