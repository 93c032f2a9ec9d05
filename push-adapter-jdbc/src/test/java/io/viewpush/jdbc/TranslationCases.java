package io.viewpush.jdbc;

import io.viewpush.expression.Expression;
import io.viewpush.expression.Expression.Comparison;
import io.viewpush.expression.Expression.FieldRef;
import io.viewpush.expression.Expression.Literal;
import io.viewpush.expression.Expression.Operator;
import io.viewpush.expression.ValueType;
import io.viewpush.view.ViewDefinition;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL translation on hand-picked rows whose answers are worked out by hand from the language's
 * rules (the differential test compares with the domain's evaluator on generated inputs).
 */
abstract class TranslationCases extends StoreCases {
    private String table;
    private ViewDefinition definition;

    TranslationCases(TestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeAll
    void createRows() {
        table = newTable("tr");
        // PostgreSQL 14 cannot make ICU a database's default (TestDatabase then falls back to the server's C
        // locale, and the machine may have no other): the text columns then take an ICU collation of their own
        String collate = isPostgres() && !Boolean.TRUE.equals(db.queryValue("SELECT 'a' < 'B'"))
                && "1".equals(String.valueOf(db.queryValue("SELECT count(*) FROM pg_collation WHERE collname = 'en-US-x-icu'")))
                ? " COLLATE \"en-US-x-icu\"" : "";
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, s VARCHAR(20)" + collate + ", s2 VARCHAR(20)"
                        + collate + ", n NUMERIC(10,2),"
                        + " b BOOLEAN, ts TIMESTAMP(6), tz TIMESTAMP(6) WITH TIME ZONE, d DATE)",
                "INSERT INTO " + table + " VALUES (1, 'a', 'B', 1.50, TRUE, TIMESTAMP '2024-06-01 12:00:00',"
                        + " TIMESTAMP WITH TIME ZONE '2024-06-01 12:00:00+00:00', DATE '2024-06-01')",
                "INSERT INTO " + table + " VALUES (2, 'B', 'a', NULL, FALSE, TIMESTAMP '2024-06-01 11:59:59.999999',"
                        + " TIMESTAMP WITH TIME ZONE '2024-06-01 14:00:00+02:00', NULL)",
                "INSERT INTO " + table + " VALUES (3, U&'\\+01F600', U&'\\FFFF', -3, NULL, NULL, NULL, DATE '2024-05-31')",
                "INSERT INTO " + table + " VALUES (4, NULL, NULL, 1.5, NULL, TIMESTAMP '2024-06-01 12:00:00.000001',"
                        + " TIMESTAMP WITH TIME ZONE '2024-06-01 11:00:00-02:00', DATE '2024-06-02')",
                "INSERT INTO " + table + " VALUES (5, 'x_y%z', '_y%', 100, TRUE, TIMESTAMP '2024-01-01 00:00:00',"
                        + " TIMESTAMP WITH TIME ZONE '2024-06-01 13:00:00+00:00', DATE '2024-06-01')",
                "INSERT INTO " + table + " VALUES (6, 'abc', 'ab', 0, FALSE, TIMESTAMP '2024-06-01 12:00:00',"
                        + " TIMESTAMP WITH TIME ZONE '2024-06-01 12:00:00.5+00:00', DATE '2024-06-01')",
                "INSERT INTO " + table + " VALUES (7, '', NULL, 2, TRUE, NULL, NULL, NULL)");
        definition = ViewDefinition.builder("tr", table).key("id")
                .field("id", "id").field("s", "s").field("s2", "s2").field("n", "n").field("b", "b")
                .field("ts", "ts").field("tz", "tz").field("d", "d")
                .build();
    }

    @Test
    void emptySortsBeforeEveryValue() {
        assertThat(ids(cmp(Operator.LT, f("n"), num("1.5")))).containsExactly(2, 3, 6);
        assertThat(ids(cmp(Operator.GT, num("1.5"), f("n")))).containsExactly(2, 3, 6);
        assertThat(ids(cmp(Operator.LE, f("d"), date("2024-05-31")))).containsExactly(2, 3, 7);
        assertThat(ids(cmp(Operator.GE, f("s"), f("s2")))).containsExactly(1, 3, 4, 5, 6, 7);
    }

    @Test
    void emptyEqualsEmptyAndNothingElse() {
        assertThat(ids(cmp(Operator.EQ, f("s"), f("s2")))).containsExactly(4);
        assertThat(ids(cmp(Operator.NE, f("s"), f("s2")))).containsExactly(1, 2, 3, 5, 6, 7);
        assertThat(ids(cmp(Operator.EQ, f("n"), num("1.5")))).containsExactly(1, 4);
    }

    @Test
    void notOfAComparisonWithAnEmptyOperandIsTrue() {
        assertThat(ids(new Expression.Not(cmp(Operator.GT, f("n"), num("1.5")), 1))).containsExactly(1, 2, 3, 4, 6);
    }

    @Test
    void anEmptyBooleanCountsAsFalse() {
        assertThat(ids(f("b"))).containsExactly(1, 5, 7);
        assertThat(ids(new Expression.Not(f("b"), 1))).containsExactly(2, 3, 4, 6);
        assertThat(ids(new Expression.Or(f("b"), cmp(Operator.LT, f("n"), num("0")), 1))).containsExactly(1, 2, 3, 5, 7);
        assertThat(ids(new Expression.And(f("b"), new Expression.IsEmpty(f("s"), true, 1), 1))).containsExactly(1, 5, 7);
    }

    @Test
    void booleansCompareAsValuesWithEmptyFirst() {
        Expression over1 = cmp(Operator.GT, f("n"), num("1"));
        assertThat(ids(cmp(Operator.EQ, over1, f("b")))).containsExactly(1, 2, 5, 6, 7);
        assertThat(ids(cmp(Operator.LT, f("b"), over1))).containsExactly(3, 4);
    }

    @Test
    void textIsOrderedByCodePointNotByCollationOrUtf16() {
        if (isPostgres()) {
            assertThat(db.queryValue("SELECT s < s2 FROM " + table + " WHERE id = 1"))
                    .as("the columns' own collation is not code-point order: 'a' < 'B'").isEqualTo(true);
        } else {
            assertThat(db.queryValue("SELECT U&'\\+01F600' < U&'\\FFFF'")).as("H2 compares UTF-16 units by default")
                    .isEqualTo(true);
        }
        assertThat(ids(cmp(Operator.LT, f("s"), f("s2")))).containsExactly(2);
        assertThat(ids(cmp(Operator.GT, f("s"), f("s2")))).containsExactly(1, 3, 5, 6, 7);
        assertThat(ids(cmp(Operator.LT, f("s"), text("b")))).containsExactly(1, 2, 4, 6, 7);
        assertThat(ids(cmp(Operator.GT, f("s"), text("\uFFFF")))).containsExactly(3);
    }

    @Test
    void containsAndStartsWithAreCaseSensitiveAndTakeWildcardsLiterally() {
        assertThat(ids(contains(f("s"), text("_")))).containsExactly(5);
        assertThat(ids(contains(f("s"), text("%")))).containsExactly(5);
        assertThat(ids(contains(f("s"), text("y%")))).containsExactly(5);
        assertThat(ids(contains(f("s"), text("_x")))).isEmpty();
        assertThat(ids(contains(f("s"), text("")))).containsExactly(1, 2, 3, 5, 6, 7);
        assertThat(ids(contains(f("s"), f("s2")))).containsExactly(5, 6);
        assertThat(ids(startsWith(f("s"), text("A")))).isEmpty();
        assertThat(ids(startsWith(f("s"), text("a")))).containsExactly(1, 6);
        assertThat(ids(startsWith(f("s"), f("s2")))).containsExactly(6);
        assertThat(ids(new Expression.Not(contains(f("s"), f("s2")), 1))).containsExactly(1, 2, 3, 4, 7);
    }

    @Test
    void nowIsTheSnapshotTimeConvertedToTheComparedType() {
        Expression nowTs = new Expression.Now(ValueType.TIMESTAMP, 1);
        assertThat(ids(cmp(Operator.GT, f("ts"), nowTs))).containsExactly(4);
        assertThat(ids(cmp(Operator.EQ, f("ts"), nowTs))).containsExactly(1, 6);
        assertThat(ids(cmp(Operator.LT, f("ts"), nowTs))).containsExactly(2, 3, 5, 7);
        assertThat(ids(cmp(Operator.EQ, f("d"), new Expression.Now(ValueType.DATE, 1)))).containsExactly(1, 5, 6);
        assertThat(ids(cmp(Operator.GE, f("tz"), new Expression.Now(ValueType.TIMESTAMP_TZ, 1)))).containsExactly(1, 2, 4, 5, 6);
    }

    @Test
    void aConstantFinerThanTheDatabaseCanHoldStillComparesExactly() {
        Expression c = new Literal(LocalDateTime.parse("2024-06-01T12:00:00.000000500"), ValueType.TIMESTAMP, 1);
        assertThat(ids(cmp(Operator.GT, f("ts"), c))).containsExactly(4);
        assertThat(ids(cmp(Operator.GE, f("ts"), c))).containsExactly(4);
        assertThat(ids(cmp(Operator.LT, f("ts"), c))).containsExactly(1, 2, 3, 5, 6, 7);
        assertThat(ids(cmp(Operator.LE, c, f("ts")))).containsExactly(4);
        assertThat(ids(cmp(Operator.EQ, f("ts"), c))).isEmpty();
        assertThat(ids(cmp(Operator.NE, f("ts"), c))).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void timestampsWithZoneCompareAsInstants() {
        Expression noon = new Literal(OffsetDateTime.parse("2024-06-01T14:00:00+02:00"), ValueType.TIMESTAMP_TZ, 1);
        assertThat(ids(cmp(Operator.EQ, f("tz"), noon))).containsExactly(1, 2);
        Expression half = new Literal(OffsetDateTime.parse("2024-06-01T12:30:00Z"), ValueType.TIMESTAMP_TZ, 1);
        assertThat(ids(cmp(Operator.GT, f("tz"), half))).containsExactly(4, 5);
    }

    @Test
    void isEmptyTestsForNullOnlyNotForEmptyText() {
        assertThat(ids(new Expression.IsEmpty(f("s"), false, 1))).containsExactly(4);
        assertThat(ids(new Expression.IsEmpty(f("s"), true, 1))).containsExactly(1, 2, 3, 5, 6, 7);
    }

    // ---- helpers ----

    private List<Integer> ids(Expression condition) {
        try (Connection c = db.dataSource().getConnection()) {
            Dialect dialect = Dialect.of(c);
            Mapping m = new Schema(dialect).mapping(c, definition);
            SqlTranslator tr = new SqlTranslator(dialect, m::value, m::type, SNAPSHOT);
            DSLContext dsl = DSL.using(c, dialect.jooq());
            Condition cond = tr.condition(condition);
            assertThat(dsl.fetchCount(DSL.selectOne().from(m.table()).where(DSL.field(cond).isNull())))
                    .as("rows where the condition is NULL").isZero();
            return dsl.select(m.value("id")).from(m.table()).where(cond).orderBy(m.value("id"))
                    .fetch(0, BigDecimal.class).stream().map(BigDecimal::intValueExact).toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Expression f(String name) {
        return new FieldRef(name, 1);
    }

    private static Expression num(String v) {
        return new Literal(new BigDecimal(v), ValueType.NUMBER, 1);
    }

    private static Expression text(String v) {
        return new Literal(v, ValueType.TEXT, 1);
    }

    private static Expression date(String v) {
        return new Literal(LocalDate.parse(v), ValueType.DATE, 1);
    }

    private static Expression cmp(Operator op, Expression l, Expression r) {
        return new Comparison(op, l, r, 1);
    }

    private static Expression contains(Expression l, Expression r) {
        return new Expression.TextMatch(Expression.TextOperator.CONTAINS, l, r, 1);
    }

    private static Expression startsWith(Expression l, Expression r) {
        return new Expression.TextMatch(Expression.TextOperator.STARTS_WITH, l, r, 1);
    }
}
