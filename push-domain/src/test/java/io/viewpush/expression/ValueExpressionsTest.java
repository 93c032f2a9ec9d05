package io.viewpush.expression;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Calculations that compute values: arithmetic, text, dates, conditionals; their types, empty rule and errors. */
class ValueExpressionsTest {
    private static final Map<String, ValueType> FIELDS = Map.of(
            "qty", ValueType.NUMBER, "price", ValueType.NUMBER, "first", ValueType.TEXT, "last", ValueType.TEXT,
            "flag", ValueType.BOOLEAN, "ts", ValueType.TIMESTAMP, "tz", ValueType.TIMESTAMP_TZ,
            "rental date", ValueType.DATE, "return date", ValueType.DATE);

    /** 2024-03-10T23:30Z is 2024-03-11 08:30 in Tokyo. */
    private static final Snapshot TOKYO = new Snapshot(Instant.parse("2024-03-10T23:30:00Z"), ZoneId.of("Asia/Tokyo"));

    private static Expression check(String source) {
        return Expressions.check(source, Expressions.parse(source), FIELDS);
    }

    private static Object eval(String source, Object... namesAndValues) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return Expressions.evaluate(check(source), row::get, TOKYO);
    }

    private static ValueType type(String source) {
        return Expressions.typeOf(check(source), FIELDS);
    }

    private static void assertFails(String source, int position, String detail) {
        ExpressionException e = catchThrowableOfType(ExpressionException.class, () -> check(source));
        assertThat(e).as("%s should fail", source).isNotNull();
        assertThat(e.detail()).isEqualTo(detail);
        assertThat(e.position()).isEqualTo(position);
    }

    private static BigDecimal n(String s) {
        return new BigDecimal(s);
    }

    @Test
    void arithmeticIsExactWithTheUsualPrecedence() {
        assertThat(eval("{qty} * {price}", "qty", n("3"), "price", n("19.99"))).isEqualTo(n("59.97"));
        assertThat(eval("1 + 2 * 3 - -4")).isEqualTo(n("11"));
        assertThat(eval("(1 + 2) * 3")).isEqualTo(n("9"));
        assertThat(eval("0.1 + 0.2")).isEqualTo(n("0.3"));
        assertThat(eval("-{qty}", "qty", n("2.50"))).isEqualTo(n("-2.50"));
        assertThat(eval("10 - 2 - 3")).isEqualTo(n("5"));
        assertThat(type("{qty} * {price}")).isEqualTo(ValueType.NUMBER);
    }

    @Test
    void divisionHasSixDecimalPlacesRoundedHalfAwayFromZeroAndByZeroIsEmpty() {
        assertThat(eval("1 / 3")).isEqualTo(n("0.333333"));
        assertThat(eval("2 / 3")).isEqualTo(n("0.666667"));
        assertThat(eval("-2 / 3")).isEqualTo(n("-0.666667"));
        assertThat(eval("0.0000005 / 1")).isEqualTo(n("0.000001"));
        assertThat(eval("-0.0000005 / 1")).isEqualTo(n("-0.000001"));
        assertThat(eval("6 / 2")).isEqualTo(n("3.000000"));
        assertThat(eval("{qty} / 0", "qty", n("1"))).isNull();
        assertThat(eval("{qty} / {price}", "qty", n("1"), "price", n("0.00"))).isNull();
    }

    @Test
    void anEmptyOperandMakesArithmeticAndFunctionsEmptyButComparisonsStayTotal() {
        assertThat(eval("{qty} * {price}", "price", n("2"))).isNull();
        assertThat(eval("-{qty}")).isNull();
        assertThat(eval("{first} || ' ' || {last}", "first", "Ann")).isNull();
        assertThat(eval("upper({first})")).isNull();
        assertThat(eval("add_days({rental date}, 7)")).isNull();
        assertThat(eval("round({qty}, 2)")).isNull();
        assertThat(eval("{qty} * 2 = {price}")).isEqualTo(true);
        assertThat(eval("{qty} * 2 < 1")).isEqualTo(true);
        assertThat(eval("({qty} * 2) is empty")).isEqualTo(true);
    }

    @Test
    void concatCoalesceGreatestAndLeastSkipEmpties() {
        assertThat(eval("concat({first}, ' ', {last})", "last", "Smith")).isEqualTo(" Smith");
        assertThat(eval("concat({first}, {last})")).isEqualTo("");
        assertThat(eval("coalesce({qty}, {price}, 0)", "price", n("4"))).isEqualTo(n("4"));
        assertThat(eval("coalesce({qty}, {price})")).isNull();
        assertThat(eval("greatest({qty}, {price}, 1)", "price", n("4"))).isEqualTo(n("4"));
        assertThat(eval("least({qty}, {price}, 1)", "price", n("4"))).isEqualTo(n("1"));
        assertThat(eval("least({qty}, {price})")).isNull();
        assertThat(eval("greatest(1.0, 1.00, 1)")).isEqualTo(n("1.0"));
    }

    @Test
    void textFunctions() {
        assertThat(eval("{first} || ' ' || {last}", "first", "Ann", "last", "Lee")).isEqualTo("Ann Lee");
        assertThat(eval("upper('straße é ab')")).isEqualTo("STRAßE é AB");
        assertThat(eval("lower('ÉCOLE ABC')")).isEqualTo("École abc");
        assertThat(eval("trim('  a b \t ')")).isEqualTo("a b \t");
        assertThat(eval("length('a😀b')")).isEqualTo(n("3"));
        assertThat(eval("substring('a😀bcd', 2, 2)")).isEqualTo("😀b");
        assertThat(eval("substring('abc', 2)")).isEqualTo("bc");
        assertThat(eval("substring('abc', 5, 1)")).isEqualTo("");
        assertThat(eval("replace('a.b.c', '.', '--')")).isEqualTo("a--b--c");
        assertThat(eval("replace('abc', '', 'x')")).isEqualTo("abc");
        assertThat(type("length({first})")).isEqualTo(ValueType.NUMBER);
    }

    /**
     * A timestamp with time zone is read as its local time in the snapshot's zone (the session's):
     * its date parts are the local ones, start_of_day / start_of_month give the local midnight as a
     * timestamp without time zone, date() the local date. Berlin changed to summer time at
     * 2024-03-31 02:00 local (01:00 UTC) and back at 2024-10-27 03:00 local (01:00 UTC).
     */
    @Test
    void datePartsAndTruncationsReadATimestampWithTimeZoneInTheSnapshotsZone() {
        Snapshot berlin = new Snapshot(Instant.parse("2024-06-01T00:00:00Z"), ZoneId.of("Europe/Berlin"));
        // 22:30 UTC on Saturday 30 March is 23:30 in Berlin (winter time): still Saturday
        OffsetDateTime beforeChange = OffsetDateTime.parse("2024-03-30T22:30:00Z");
        // 23:30 UTC on Saturday 30 March is 00:30 on Sunday 31 March in Berlin; in Tokyo 08:30 on Sunday
        OffsetDateTime sundayInBerlin = OffsetDateTime.parse("2024-03-30T23:30:00Z");
        // 22:30 UTC on 31 March is 00:30 on 1 April in Berlin (summer time, +02:00): a new month there
        OffsetDateTime aprilInBerlin = OffsetDateTime.parse("2024-03-31T22:30:00-00:00");
        assertThat(evalIn(berlin, "day({tz})", beforeChange)).isEqualTo(n("30"));
        assertThat(evalIn(berlin, "weekday({tz})", beforeChange)).isEqualTo(n("6"));
        assertThat(evalIn(berlin, "day({tz})", sundayInBerlin)).isEqualTo(n("31"));
        assertThat(evalIn(berlin, "weekday({tz})", sundayInBerlin)).isEqualTo(n("7"));
        assertThat(evalIn(berlin, "month({tz})", aprilInBerlin)).isEqualTo(n("4"));
        assertThat(evalIn(berlin, "year({tz})", OffsetDateTime.parse("2024-12-31T23:30:00Z"))).isEqualTo(n("2025"));
        assertThat(evalIn(berlin, "date({tz})", aprilInBerlin)).isEqualTo(LocalDate.of(2024, 4, 1));
        assertThat(evalIn(berlin, "start_of_day({tz})", aprilInBerlin)).isEqualTo(LocalDateTime.of(2024, 4, 1, 0, 0));
        assertThat(evalIn(berlin, "start_of_month({tz})", aprilInBerlin)).isEqualTo(LocalDateTime.of(2024, 4, 1, 0, 0));
        // the day summer time ends has 25 hours; its start is still the local midnight
        assertThat(evalIn(berlin, "start_of_day({tz})", OffsetDateTime.parse("2024-10-27T23:59:59+01:00")))
                .isEqualTo(LocalDateTime.of(2024, 10, 27, 0, 0));
        // the offset the value was written with does not matter, only the instant
        assertThat(evalIn(berlin, "day({tz})", OffsetDateTime.parse("2024-03-31T08:30+09:00"))).isEqualTo(n("31"));
        // the same instants in the other snapshot's zone
        assertThat(eval("day({tz})", "tz", beforeChange)).isEqualTo(n("31"));
        assertThat(eval("date({tz})", "tz", aprilInBerlin)).isEqualTo(LocalDate.of(2024, 4, 1));
        assertThat(eval("start_of_day({tz})", "tz", OffsetDateTime.parse("2024-03-31T15:00:00Z")))
                .isEqualTo(LocalDateTime.of(2024, 4, 1, 0, 0));
        assertThat(eval("weekday({tz})")).isNull();
        // the result types: numbers, a date, timestamps without time zone
        assertThat(type("year({tz})")).isEqualTo(ValueType.NUMBER);
        assertThat(type("date({tz})")).isEqualTo(ValueType.DATE);
        assertThat(type("start_of_day({tz})")).isEqualTo(ValueType.TIMESTAMP);
        assertThat(type("start_of_month({tz})")).isEqualTo(ValueType.TIMESTAMP);
        assertThat(type("start_of_month({rental date})")).isEqualTo(ValueType.DATE);
        // so they compare with local timestamps, and with now() read in the same zone
        assertThat(evalIn(berlin, "start_of_day({tz}) = '2024-04-01T00:00'", aprilInBerlin)).isEqualTo(true);
        assertThat(evalIn(berlin, "date({tz}) < today()", aprilInBerlin)).isEqualTo(true);
    }

    private static Object evalIn(Snapshot snapshot, String source, OffsetDateTime tz) {
        return Expressions.evaluate(check(source), Map.of("tz", tz)::get, snapshot);
    }

    @Test
    void dateFunctions() {
        LocalDate d = LocalDate.of(2024, 2, 27);
        assertThat(eval("today()")).isEqualTo(LocalDate.of(2024, 3, 11));
        assertThat(eval("add_days({rental date}, 7)", "rental date", d)).isEqualTo(LocalDate.of(2024, 3, 5));
        assertThat(eval("add_days({rental date}, -1.9)", "rental date", d)).isEqualTo(LocalDate.of(2024, 2, 26));
        assertThat(eval("add_hours({ts}, 25)", "ts", LocalDateTime.of(2024, 1, 1, 0, 0)))
                .isEqualTo(LocalDateTime.of(2024, 1, 2, 1, 0));
        assertThat(eval("add_minutes({tz}, 90)", "tz", OffsetDateTime.parse("2024-01-01T00:00+02:00")))
                .isEqualTo(OffsetDateTime.parse("2024-01-01T01:30+02:00"));
        assertThat(eval("add_days({rental date}, 100000.9)", "rental date", d)).isEqualTo(d.plusDays(100_000));
        assertThat(eval("add_days({rental date}, -100001)", "rental date", d)).isNull();
        assertThat(eval("add_minutes({ts}, 99999999999999999999999)", "ts", LocalDateTime.of(2024, 1, 1, 0, 0))).isNull();
        assertThat(eval("add_hours({ts}, 2400000)", "ts", LocalDateTime.of(2024, 1, 1, 0, 0))).isNotNull();
        assertThat(eval("days_between({rental date}, today())", "rental date", d)).isEqualTo(n("13"));
        assertThat(eval("days_between('2024-03-01', {rental date})", "rental date", d)).isEqualTo(n("-3"));
        assertThat(eval("year({rental date}) * 100 + month({rental date})", "rental date", d)).isEqualTo(n("202402"));
        assertThat(eval("day({ts})", "ts", LocalDateTime.of(2024, 1, 31, 23, 59))).isEqualTo(n("31"));
        assertThat(eval("weekday({rental date})", "rental date", d)).isEqualTo(n("2"));
        assertThat(eval("weekday(now())")).isEqualTo(n("1"));
        assertThat(eval("start_of_day({ts})", "ts", LocalDateTime.of(2024, 1, 31, 23, 59)))
                .isEqualTo(LocalDateTime.of(2024, 1, 31, 0, 0));
        assertThat(eval("start_of_month({rental date})", "rental date", d)).isEqualTo(LocalDate.of(2024, 2, 1));
        assertThat(eval("start_of_month({ts})", "ts", LocalDateTime.of(2024, 1, 31, 23, 59)))
                .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0));
        assertThat(eval("date({ts})", "ts", LocalDateTime.of(2024, 1, 31, 23, 59))).isEqualTo(LocalDate.of(2024, 1, 31));
        assertThat(eval("{return date} is empty and add_days({rental date}, 7) < now()", "rental date", d))
                .isEqualTo(true);
    }

    @Test
    void nowMovedByHoursOrDaysIsTakenInTheTypeItIsComparedWith() {
        // the snapshot is 2024-03-11 08:30 in Tokyo
        assertThat(eval("{ts} > add_hours(now(), -1)", "ts", LocalDateTime.of(2024, 3, 11, 7, 45))).isEqualTo(true);
        assertThat(eval("{ts} > add_hours(now(), -1)", "ts", LocalDateTime.of(2024, 3, 11, 7, 15))).isEqualTo(false);
        assertThat(eval("add_days(add_days(now(), -1), -1) = {rental date}", "rental date", LocalDate.of(2024, 3, 9)))
                .isEqualTo(true);
        assertFails("add_hours(now(), 1) = {rental date}", 21, "cannot compare add_hours(now(), 1) (timestamp with"
                + " time zone) with {rental date} (date) at 21");
    }

    @Test
    void ifAndConversions() {
        assertThat(eval("if({flag}, 'yes', 'no')", "flag", true)).isEqualTo("yes");
        assertThat(eval("if({flag}, 'yes', 'no')")).isEqualTo("no");
        assertThat(eval("if({qty} > 1, {qty} * 2, {price})", "qty", n("2"))).isEqualTo(n("4"));
        assertThat(eval("if({flag}, {ts}, '2024-01-01T10:00')")).isEqualTo(LocalDateTime.of(2024, 1, 1, 10, 0));
        assertThat(eval("round(2.5)")).isEqualTo(n("3"));
        assertThat(eval("round(-2.345, 2)")).isEqualTo(n("-2.35"));
        assertThat(eval("round(2, 2)")).isEqualTo(n("2.00"));
        assertThat(eval("text({qty}) || ' items'", "qty", n("12.50"))).isEqualTo("12.50 items");
        assertThat(eval("text({rental date})", "rental date", LocalDate.of(2024, 2, 27))).isEqualTo("2024-02-27");
        assertThat(eval("number(' -3.50 ')")).isEqualTo(n("-3.50"));
        assertThat(eval("number('1e5')")).isNull();
        assertThat(eval("number('12 apples')")).isNull();
    }

    @Test
    void typeErrorsNameThePositionAndWhatWasExpected() {
        assertFails("{first} * 2", 1, "'*' at 9 needs numbers on both sides, but {first} at 1 is text");
        assertFails("{first} + ' x'", 1, "'+' at 9 needs numbers on both sides, but {first} at 1 is text; text is put"
                + " together with '||' or concat(a, b, ...)");
        assertFails("{rental date} + 7 < now()", 1, "'+' at 15 needs numbers on both sides, but {rental date} at 1 is"
                + " a date; move a date or time with add_days(x, n), add_hours(x, n) or add_minutes(x, n) and count"
                + " days between dates with days_between(a, b)");
        assertFails("{first} || {qty}", 12, "'||' at 9 puts text together and needs text on both sides, but {qty}"
                + " at 12 is a number");
        assertFails("-{first}", 2, "'-' at 1 needs a number, but {first} at 2 is text");
        assertFails("upper({qty})", 7, "upper() at 1 needs text, but {qty} at 7 is a number");
        assertFails("add_hours({rental date}, 1)", 11, "add_hours() at 1 needs a timestamp (with or without time zone),"
                + " but {rental date} at 11 is a date");
        assertFails("year({first})", 6, "year() at 1 needs a date or a timestamp (with or without time zone), but"
                + " {first} at 6 is text");
        assertFails("start_of_day({rental date})", 14, "start_of_day() at 1 needs a timestamp (with or without time"
                + " zone), but {rental date} at 14 is a date");
        assertFails("coalesce({qty}, 'none')", 17, "coalesce() at 1 needs arguments of one type, but 'none' at 17 is"
                + " text and {qty} is a number");
        assertFails("if({qty}, 1, 2)", 4, "if() at 1 needs a condition (true or false) as its first argument, but"
                + " {qty} at 4 is a number");
        assertFails("round({qty}, {price})", 14, "round() at 1 needs the number of decimal places as a whole number"
                + " from 0 to 18, written as a number like 3, but {price} at 14 is a field, not a number written out");
        assertFails("substring({first}, 0, 2)", 20, "substring() at 1 needs the start (1 for the first character) as"
                + " a whole number of at least 1, written as a number like 3, but 0 at 20 is outside that range or not whole");
        assertFails("round({qty}, 1 + 1)", 16, "round() at 1 needs the number of decimal places as a whole number"
                + " from 0 to 18, written as a number like 3, but (1 + 1) at 16 is computed, not a number written out");
        assertFails("days_between({ts}, today())", 14, "days_between() at 1 needs two dates (a timestamp becomes its"
                + " date with date(x)), but {ts} at 14 is a timestamp");
        assertFails("text({flag})", 6, "text() at 1 turns a number or a date into text, but {flag} at 6 is a boolean");
    }

    @Test
    void syntaxErrorsNameThePosition() {
        ExpressionException e = catchThrowableOfType(ExpressionException.class, () -> Expressions.parse("upper({a}, {b})"));
        assertThat(e.detail()).isEqualTo("upper() at 1 takes 1 argument, not 2");
        e = catchThrowableOfType(ExpressionException.class, () -> Expressions.parse("{a} + frobnicate({b})"));
        assertThat(e.position()).isEqualTo(7);
        assertThat(e.detail()).startsWith("unknown function 'frobnicate' at 7; the functions are today, upper,");
        e = catchThrowableOfType(ExpressionException.class, () -> Expressions.parse("round({a} 2)"));
        assertThat(e.detail()).isEqualTo("expected ',' or ')' in the arguments of round() at 11, found the number 2");
        e = catchThrowableOfType(ExpressionException.class, () -> Expressions.parse("{a} | {b}"));
        assertThat(e.detail()).isEqualTo("unexpected character '|' at 5; text is put together with '||'");
        e = catchThrowableOfType(ExpressionException.class, () -> Expressions.parse("today"));
        assertThat(e.detail()).isEqualTo("expected '(' after 'today' at 6, found the end");
    }

    @Test
    void formatWritesValueExpressionsBackSoTheyParseToTheSameTree() {
        for (String s : new String[]{"-{qty} * (1 + 2) / 3", "{qty} - -3", "-(-3)", "-(3)", "concat({first}, 'x', {last})",
                "if({flag}, add_days(today(), 1), {rental date})", "1 - (2 - 3)", "{first} || ({last} || 'x')"}) {
            Expression parsed = Expressions.parse(s);
            assertThat(Nodes.withoutPositions(Expressions.parse(Expressions.format(parsed))))
                    .as(s).isEqualTo(Nodes.withoutPositions(parsed));
        }
        assertThat(Expressions.format(Expressions.parse("1-2*-{qty}"))).isEqualTo("1 - (2 * (-{qty}))");
        assertThat(Expressions.parse("- 3")).isEqualTo(new Expression.Literal(n("-3"), ValueType.NUMBER, 1));
        assertThat(Expressions.references(Expressions.parse("coalesce({first}, upper({last}))")))
                .containsExactly("first", "last");
    }
}
