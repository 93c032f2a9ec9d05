package io.viewpush.jdbc;

import io.viewpush.expression.Expression;
import io.viewpush.expression.Expression.Comparison;
import io.viewpush.expression.Expression.FieldRef;
import io.viewpush.expression.Expression.Literal;
import io.viewpush.expression.Expression.Operator;
import io.viewpush.expression.Snapshot;
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
import java.util.Map;
import io.viewpush.expression.Expressions;

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

    @Test
    void arithmeticIsExactAndDivisionRoundsToSixPlacesHalfAwayFromZero() {
        // n: 1.50, NULL, -3.00, 1.50, 100.00, 0.00, 2.00
        assertThat(values("{n} * {n}")).containsExactly(num2("2.2500"), null, num2("9.0000"), num2("2.2500"),
                num2("10000.0000"), num2("0.0000"), num2("4.0000"));
        assertThat(values("{n} / 3")).containsExactly(num2("0.500000"), null, num2("-1.000000"), num2("0.500000"),
                num2("33.333333"), num2("0.000000"), num2("0.666667"));
        assertThat(values("-2 / {n}")).containsExactly(num2("-1.333333"), null, num2("0.666667"), num2("-1.333333"),
                num2("-0.020000"), null, num2("-1.000000"));
        assertThat(values("0.0000015 / {n}").get(0)).isEqualTo(num2("0.000001"));
        assertThat(values("-{n} + 1").get(2)).isEqualTo(num2("4.00"));
        assertThat(values("round({n} / 3, 1)").get(4)).isEqualTo(num2("33.3"));
    }

    @Test
    void textFunctionsCountCodePointsAndChangeOnlyAsciiLetters() {
        // s: 'a', 'B', '😀', NULL, 'x_y%z', 'abc', ''
        assertThat(values("length({s})")).containsExactly(num2("1"), num2("1"), num2("1"), null, num2("5"), num2("3"),
                num2("0"));
        assertThat(values("upper({s}) || lower({s2})")).containsExactly("Ab", "Ba", "😀\uFFFF",
                null, "X_Y%Z_y%", "ABCab", null);
        assertThat(values("substring({s} || 'é😀z', 2, 2)")).containsExactly("é😀", "é😀", "é😀", null, "_y", "bc", "😀z");
        assertThat(values("concat({s}, '-', {s2})")).containsExactly("a-B", "B-a", "😀-\uFFFF", "-", "x_y%z-_y%", "abc-ab",
                "-");
        assertThat(values("replace({s}, 'a', '[]')").get(5)).isEqualTo("[]bc");
        assertThat(values("greatest({s}, {s2})")).containsExactly("a", "a", "😀", null, "x_y%z", "abc", "");
    }

    @Test
    void dateFunctionsMoveAndTakeApartDates() {
        // d: 2024-06-01, NULL, 2024-05-31, 2024-06-02, 2024-06-01, 2024-06-01, NULL
        assertThat(values("add_days({d}, 30)").get(2)).isEqualTo(LocalDate.parse("2024-06-30"));
        assertThat(values("days_between({d}, '2024-06-01')")).containsExactly(num2("0"), null, num2("1"), num2("-1"),
                num2("0"), num2("0"), null);
        assertThat(values("weekday({d}) * 100 + day({d})").get(3)).isEqualTo(num2("702"));
        assertThat(values("start_of_month({d})").get(2)).isEqualTo(LocalDate.parse("2024-05-01"));
        assertThat(values("add_hours({ts}, -12.9)").get(0)).isEqualTo(LocalDateTime.parse("2024-06-01T00:00"));
        assertThat(values("add_days({d}, 100000)").get(0)).isEqualTo(LocalDate.parse("2024-06-01").plusDays(100_000));
        assertThat(values("add_days({d}, -100001)").get(0)).as("beyond the largest count").isNull();
        assertThat(values("add_minutes({ts}, 99999999999999999999)").get(0)).isNull();
        assertThat(values("add_days({d}, 99999999999999999999)").get(0)).isNull();
        assertThat(values("add_days({d}, {n} * 99999999999999999999)").get(0)).isNull();
        assertThat(values("start_of_day({ts})").get(3)).isEqualTo(LocalDateTime.parse("2024-06-01T00:00"));
        assertThat(values("text(date({ts}))").get(4)).isEqualTo("2024-01-01");
        assertThat(((OffsetDateTime) values("add_days({tz}, 1)").get(1)).toInstant())
                .isEqualTo(java.time.Instant.parse("2024-06-02T12:00:00Z"));
    }

    /**
     * Date parts and truncations of a timestamp with time zone read its local time in the snapshot's
     * zone, which the SQL names (this database's sessions run in another zone): Berlin around both
     * daylight saving changes of 2024 (31 March 02:00 CET to 03:00 CEST, 27 October 03:00 CEST back
     * to 02:00 CET), a fixed offset west of UTC, and UTC; each answer also the evaluator's.
     */
    @Test
    void datePartsOfATimestampWithTimeZoneAreThoseOfTheSnapshotsZoneAcrossDaylightSavingChanges() {
        String t = newTable("trtz");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, tz TIMESTAMP(6) WITH TIME ZONE)",
                "INSERT INTO " + t + " VALUES (1, TIMESTAMP WITH TIME ZONE '2024-03-30 22:30:00+00:00')", // Sat 23:30 CET
                "INSERT INTO " + t + " VALUES (2, TIMESTAMP WITH TIME ZONE '2024-03-30 23:30:00+00:00')", // Sun 00:30 CET
                "INSERT INTO " + t + " VALUES (3, TIMESTAMP WITH TIME ZONE '2024-03-31 01:30:00+00:00')", // Sun 03:30 CEST
                "INSERT INTO " + t + " VALUES (4, TIMESTAMP WITH TIME ZONE '2024-04-01 00:30:00+02:00')", // Mon 00:30 CEST
                "INSERT INTO " + t + " VALUES (5, TIMESTAMP WITH TIME ZONE '2024-10-26 22:30:00+00:00')", // Sun 00:30 CEST
                "INSERT INTO " + t + " VALUES (6, TIMESTAMP WITH TIME ZONE '2024-10-27 22:59:59.999999+00:00')", // Sun 23:59 CET
                "INSERT INTO " + t + " VALUES (7, TIMESTAMP WITH TIME ZONE '2025-01-01 08:30:00+09:00')", // Wed 00:30 CET
                "INSERT INTO " + t + " VALUES (8, NULL)");
        ViewDefinition def = ViewDefinition.builder("trtz", t).key("id").field("id", "id").field("tz", "tz").build();
        Map<String, ValueType> types = Map.of("id", ValueType.NUMBER, "tz", ValueType.TIMESTAMP_TZ);
        Snapshot berlin = new Snapshot(java.time.Instant.parse("2024-06-01T00:00:00Z"), java.time.ZoneId.of("Europe/Berlin"));
        String ymd = "year({tz}) * 10000 + month({tz}) * 100 + day({tz})";

        assertThat(values(def, types, berlin, ymd)).containsExactly(num2("20240330"), num2("20240331"),
                num2("20240331"), num2("20240401"), num2("20241027"), num2("20241027"), num2("20250101"), null);
        assertThat(values(def, types, berlin, "weekday({tz})")).containsExactly(num2("6"), num2("7"), num2("7"),
                num2("1"), num2("7"), num2("7"), num2("3"), null);
        assertThat(values(def, types, berlin, "date({tz})")).containsExactly(LocalDate.parse("2024-03-30"),
                LocalDate.parse("2024-03-31"), LocalDate.parse("2024-03-31"), LocalDate.parse("2024-04-01"),
                LocalDate.parse("2024-10-27"), LocalDate.parse("2024-10-27"), LocalDate.parse("2025-01-01"), null);
        assertThat(values(def, types, berlin, "start_of_day({tz})")).containsExactly(
                LocalDateTime.parse("2024-03-30T00:00"), LocalDateTime.parse("2024-03-31T00:00"),
                LocalDateTime.parse("2024-03-31T00:00"), LocalDateTime.parse("2024-04-01T00:00"),
                LocalDateTime.parse("2024-10-27T00:00"), LocalDateTime.parse("2024-10-27T00:00"),
                LocalDateTime.parse("2025-01-01T00:00"), null);
        assertThat(values(def, types, berlin, "start_of_month({tz})")).containsExactly(
                LocalDateTime.parse("2024-03-01T00:00"), LocalDateTime.parse("2024-03-01T00:00"),
                LocalDateTime.parse("2024-03-01T00:00"), LocalDateTime.parse("2024-04-01T00:00"),
                LocalDateTime.parse("2024-10-01T00:00"), LocalDateTime.parse("2024-10-01T00:00"),
                LocalDateTime.parse("2025-01-01T00:00"), null);
        // a filter on them, with now() read in the same zone
        assertThat(values(def, types, berlin, "start_of_month({tz}) < now() and weekday({tz}) = 7"))
                .containsExactly(false, true, true, false, false, false, false, false);

        Snapshot west = new Snapshot(berlin.now(), java.time.ZoneOffset.ofHoursMinutes(-3, -30));
        assertThat(values(def, types, west, ymd)).containsExactly(num2("20240330"), num2("20240330"),
                num2("20240330"), num2("20240331"), num2("20241026"), num2("20241027"), num2("20241231"), null);
        assertThat(values(def, types, SNAPSHOT, ymd)).containsExactly(num2("20240330"), num2("20240330"),
                num2("20240331"), num2("20240331"), num2("20241026"), num2("20241027"), num2("20241231"), null);

        for (Snapshot snapshot : List.of(berlin, west, SNAPSHOT)) {
            for (String source : List.of(ymd, "weekday({tz})", "date({tz})", "start_of_day({tz})",
                    "start_of_month({tz})")) {
                Expression e = Expressions.check(source, Expressions.parse(source), types);
                List<Object> sql = values(def, types, snapshot, source).stream()
                        .map(v -> v instanceof Num ? ((Num) v).value : v).toList();
                List<Object> evaluated = new java.util.ArrayList<>();
                for (Object tz : values(def, types, snapshot, "{tz}")) {
                    evaluated.add(Expressions.evaluate(e, field -> tz, snapshot));
                }
                assertThat(sql).as("%s at %s", source, snapshot).usingElementComparator(TranslationCases::sameValue)
                        .isEqualTo(evaluated);
            }
        }
    }

    private static int sameValue(Object a, Object b) {
        if (a instanceof BigDecimal && b instanceof BigDecimal) {
            return ((BigDecimal) a).compareTo((BigDecimal) b);
        }
        return java.util.Objects.equals(a, b) ? 0 : 1;
    }

    @Test
    void conditionalsAndConversions() {
        assertThat(values("if({b}, {n}, -1)")).containsExactly(num2("1.50"), num2("-1"), num2("-1"), num2("-1"),
                num2("100.00"), num2("-1"), num2("2.00"));
        assertThat(values("coalesce({s2}, {s}, 'none')").get(3)).isEqualTo("none");
        assertThat(values("text({n})").get(0)).isEqualTo("1.50");
        assertThat(values("number({s2})")).containsOnlyNulls();
        assertThat(values("least({n}, 1.5)")).containsExactly(num2("1.50"), num2("1.5"), num2("-3.00"), num2("1.50"),
                num2("1.5"), num2("0.00"), num2("1.5"));
        assertThat(ids(Expressions.check("c", Expressions.parse("{n} * 2 > 3"), types()))).containsExactly(5, 7);
        assertThat(ids(Expressions.check("c", Expressions.parse("{n} / 0 is empty and length({s}) = 1"), types())))
                .containsExactly(1, 2, 3);
    }

    // ---- helpers ----

    private Map<String, ValueType> types() {
        return Map.of("id", ValueType.NUMBER, "s", ValueType.TEXT, "s2", ValueType.TEXT, "n", ValueType.NUMBER,
                "b", ValueType.BOOLEAN, "ts", ValueType.TIMESTAMP, "tz", ValueType.TIMESTAMP_TZ, "d", ValueType.DATE);
    }

    /**
     * The value of an expression for each row in key order, computed in SQL. Numbers compare by value
     * (H2 may give another scale where values meet in one SQL type); use {@link #num2}.
     */
    private List<Object> values(String source) {
        return values(definition, types(), SNAPSHOT, source);
    }

    private List<Object> values(ViewDefinition definition, Map<String, ValueType> types, Snapshot snapshot,
                                String source) {
        Expression e = Expressions.check(source, Expressions.parse(source), types);
        try (Connection c = db.dataSource().getConnection()) {
            Dialect dialect = Dialect.of(c);
            Mapping m = new Schema(dialect).mapping(c, definition);
            SqlTranslator tr = new SqlTranslator(dialect, m::value, m::type, snapshot);
            DSLContext dsl = DSL.using(c, dialect.jooq());
            return dsl.select(tr.value(e)).from(m.table()).orderBy(m.value("id")).fetch(0).stream()
                    .map(v -> v instanceof BigDecimal ? new Num((BigDecimal) v) : v).toList();
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A number equal to another of the same value, whatever the scale, on H2; with its scale on PostgreSQL. */
    private Object num2(String v) {
        return new Num(new BigDecimal(v));
    }

    private final class Num {
        private final BigDecimal value;

        Num(BigDecimal value) {
            this.value = value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Num && (isPostgres() ? value.equals(((Num) o).value)
                    : value.compareTo(((Num) o).value) == 0);
        }

        @Override
        public int hashCode() {
            return 0;
        }

        @Override
        public String toString() {
            return value.toPlainString();
        }
    }


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
