package io.viewpush.expression;

import io.viewpush.expression.Expression.Operator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static io.viewpush.expression.Nodes.cmp;
import static io.viewpush.expression.Nodes.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TypeCheckerTest {
    private static final Map<String, ValueType> FIELDS = Map.of(
            "amount", ValueType.NUMBER,
            "name", ValueType.TEXT,
            "flag", ValueType.BOOLEAN,
            "ts", ValueType.TIMESTAMP,
            "tz", ValueType.TIMESTAMP_TZ,
            "day", ValueType.DATE);

    private static Expression check(String source) {
        return Expressions.check(source, Expressions.parse(source), FIELDS);
    }

    private static void assertFails(String source, int position, String detail) {
        ExpressionException e = catchThrowableOfType(ExpressionException.class, () -> check(source));
        assertThat(e).as("checking %s should fail", source).isNotNull();
        assertThat(e.detail()).isEqualTo(detail);
        assertThat(e.position()).isEqualTo(position);
        assertThat(e.source()).isEqualTo(source);
    }

    private static Expression rightOf(Expression e) {
        return ((Expression.Comparison) e).right();
    }

    private static Expression leftOf(Expression e) {
        return ((Expression.Comparison) e).left();
    }

    @Test
    void leavesAWellTypedTreeAsItIs() {
        String source = "{amount} > 1 and {name} contains 'x' or not {flag} and {ts} is not empty";
        assertThat(check(source)).isEqualTo(Expressions.parse(source));
    }

    @Test
    void typesFieldsLiteralsAndConditions() {
        assertThat(Expressions.typeOf(check("{amount}"), FIELDS)).isEqualTo(ValueType.NUMBER);
        assertThat(Expressions.typeOf(check("{tz}"), FIELDS)).isEqualTo(ValueType.TIMESTAMP_TZ);
        assertThat(Expressions.typeOf(check("'x'"), FIELDS)).isEqualTo(ValueType.TEXT);
        assertThat(Expressions.typeOf(check("-1.5"), FIELDS)).isEqualTo(ValueType.NUMBER);
        assertThat(Expressions.typeOf(check("now()"), FIELDS)).isEqualTo(ValueType.TIMESTAMP_TZ);
        for (String condition : new String[]{"{amount} = 1", "{name} is empty", "{name} starts with 'a'",
                "{flag} and {flag}", "{flag} or {flag}", "not {flag}", "{flag}"}) {
            assertThat(Expressions.typeOf(check(condition), FIELDS)).as(condition).isEqualTo(ValueType.BOOLEAN);
        }
    }

    @Test
    void typeOfRefusesAFieldWithoutType() {
        assertThatThrownBy(() -> Expressions.typeOf(field("nope", 1), FIELDS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{nope}");
    }

    @Test
    void reportsAnUnknownFieldListingTheKnownOnes() {
        assertFails("{amount} > {amont}", 12, "unknown field {amont} at 12; the known fields are "
                + "{amount}, {day}, {flag}, {name}, {ts}, {tz}");
        ExpressionException e = catchThrowableOfType(ExpressionException.class,
                () -> Expressions.check("{a}}b}", Expressions.parse("{a}}b}"), Map.of()));
        assertThat(e.detail()).isEqualTo("unknown field {a}}b} at 1; there are no fields");
    }

    @Test
    void reportsOperandsOfDifferentTypesAtTheOperator() {
        assertFails("{amount} = 'abc'", 10, "cannot compare {amount} (number) with 'abc' (text) at 10");
        assertFails("{flag} = 1", 8, "cannot compare {flag} (boolean) with 1 (number) at 8");
        assertFails("{ts} < {tz}", 6, "cannot compare {ts} (timestamp) with {tz} (timestamp with time zone) at 6");
        assertFails("{day} >= {ts}", 7, "cannot compare {day} (date) with {ts} (timestamp) at 7");
        assertFails("({amount} = 1) = 'x'", 16, "cannot compare ({amount} = 1) (boolean) with 'x' (text) at 16");
        assertFails("{amount} = 1 and 'a' != true", 22, "cannot compare 'a' (text) with true (boolean) at 22");
        assertFails("{amount} = ({name} contains 'a very long piece of text to look for')", 10,
                "cannot compare {amount} (number) with ({name} contains 'a very long piece o... (boolean) at 10");
    }

    @Test
    void givesNowTheTypeOfTheOtherSide() {
        assertThat(rightOf(check("{ts} > now()"))).isEqualTo(new Expression.Now(ValueType.TIMESTAMP, 8));
        assertThat(leftOf(check("now() <= {day}"))).isEqualTo(new Expression.Now(ValueType.DATE, 1));
        assertThat(rightOf(check("{tz} = now()"))).isEqualTo(new Expression.Now(ValueType.TIMESTAMP_TZ, 8));
        Expression both = check("now() = now()");
        assertThat(leftOf(both)).isEqualTo(new Expression.Now(ValueType.TIMESTAMP_TZ, 1));
        assertThat(rightOf(both)).isEqualTo(new Expression.Now(ValueType.TIMESTAMP_TZ, 9));
    }

    @Test
    void givesNowTheTypeThatATextLiteralIsWrittenIn() {
        assertThat(leftOf(check("now() > '2024-01-31'"))).isEqualTo(new Expression.Now(ValueType.DATE, 1));
        assertThat(rightOf(check("now() > '2024-01-31'")))
                .isEqualTo(new Expression.Literal(LocalDate.of(2024, 1, 31), ValueType.DATE, 9));
        assertThat(leftOf(check("now() > '2024-01-31 10:00'"))).isEqualTo(new Expression.Now(ValueType.TIMESTAMP, 1));
        assertThat(rightOf(check("'2024-01-31T10:00Z' < now()")))
                .isEqualTo(new Expression.Now(ValueType.TIMESTAMP_TZ, 23));
    }

    @Test
    void refusesNowAgainstSomethingThatIsNotADateOrTime() {
        assertFails("now() > 1", 7,
                "cannot compare now() with 1 (number) at 7; now() is compared with dates and timestamps only");
        assertFails("{name} < now()", 8,
                "cannot compare now() with {name} (text) at 8; now() is compared with dates and timestamps only");
        assertFails("now() = {flag}", 7,
                "cannot compare now() with {flag} (boolean) at 7; now() is compared with dates and timestamps only");
        assertFails("now() > 'soon'", 9, "'soon' at 9 is not a date or timestamp to compare with now(); write it"
                + " like '2024-01-31', '2024-01-31T10:00:00' or '2024-01-31T10:00:00Z'");
    }

    @Test
    void readsATextLiteralComparedWithADateAsADate() {
        assertThat(rightOf(check("{day} = '2024-01-31'")))
                .isEqualTo(new Expression.Literal(LocalDate.of(2024, 1, 31), ValueType.DATE, 9));
        assertThat(leftOf(check("'2024-02-29' < {day}")))
                .isEqualTo(new Expression.Literal(LocalDate.of(2024, 2, 29), ValueType.DATE, 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2024-01-31T10:00|2024-01-31T10:00",
            "2024-01-31T10:00:05|2024-01-31T10:00:05",
            "2024-01-31T10:00:05.5|2024-01-31T10:00:05.5",
            "2024-01-31T10:00:05.123456|2024-01-31T10:00:05.123456",
            "2024-01-31 10:00:05|2024-01-31T10:00:05",
            "2024-01-31|2024-01-31T00:00",
    })
    void readsATextLiteralComparedWithATimestampAsATimestamp(String text, String expected) {
        assertThat(rightOf(check("{ts} = '" + text + "'")))
                .isEqualTo(new Expression.Literal(LocalDateTime.parse(expected), ValueType.TIMESTAMP, 8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2024-01-31T10:00Z|2024-01-31T10:00Z",
            "2024-01-31T10:00:00+02:00|2024-01-31T10:00+02:00",
            "2024-01-31 10:00:00.25-05:30|2024-01-31T10:00:00.25-05:30",
            "2024-01-31T10:00+0200|2024-01-31T10:00+02:00",
            "2024-01-31T10:00+02|2024-01-31T10:00+02:00",
            "2024-01-31T10:00:00+05:30:15|2024-01-31T10:00+05:30:15",
    })
    void readsATextLiteralComparedWithATimestampWithZoneKeepingItsOffset(String text, String expected) {
        Expression.Literal literal = (Expression.Literal) rightOf(check("{tz} = '" + text + "'"));
        assertThat(literal.type()).isEqualTo(ValueType.TIMESTAMP_TZ);
        assertThat(literal.value()).isEqualTo(OffsetDateTime.parse(expected));
        assertThat(((OffsetDateTime) literal.value()).getOffset()).isEqualTo(OffsetDateTime.parse(expected).getOffset());
    }

    @Test
    void leavesATextLiteralComparedWithTextAsText() {
        assertThat(rightOf(check("{name} = '2024-01-31'"))).isEqualTo(Nodes.text("2024-01-31", 10));
        assertThat(check("'2024-01-31' = '2024-01-31'"))
                .isEqualTo(cmp(Nodes.text("2024-01-31", 1), Operator.EQ, Nodes.text("2024-01-31", 16), 14));
    }

    @Test
    void reportsABadDateOrTimeLiteralAtTheLiteral() {
        assertFails("{day} = '2024-02-30'", 9, "'2024-02-30' at 9 is not a valid date; write a date like '2024-01-31'");
        assertFails("{day} = '31/01/2024'", 9, "'31/01/2024' at 9 is not a valid date; write a date like '2024-01-31'");
        assertFails("{day} = '2024-01-31T10:00'", 9,
                "'2024-01-31T10:00' at 9 is not a valid date; write a date like '2024-01-31'");
        assertFails("{ts} = '2024-01-31T10:00Z'", 8, "'2024-01-31T10:00Z' at 8 is not a valid timestamp; write a "
                + "timestamp like '2024-01-31T10:00:00', '2024-01-31 10:00' or '2024-01-31'");
        assertFails("{ts} = '2024-01-31T25:00'", 8, "'2024-01-31T25:00' at 8 is not a valid timestamp; write a "
                + "timestamp like '2024-01-31T10:00:00', '2024-01-31 10:00' or '2024-01-31'");
        assertFails("{tz} = '2024-01-31T10:00'", 8, "'2024-01-31T10:00' at 8 is not a valid timestamp with time zone;"
                + " write a timestamp with an offset like '2024-01-31T10:00:00Z' or '2024-01-31T10:00:00+02:00'");
        assertFails("{tz} = '2024-01-31'", 8, "'2024-01-31' at 8 is not a valid timestamp with time zone;"
                + " write a timestamp with an offset like '2024-01-31T10:00:00Z' or '2024-01-31T10:00:00+02:00'");
    }

    @Test
    void acceptsIsEmptyOnEveryType() {
        for (String f : FIELDS.keySet()) {
            String source = "{" + f + "} is empty or {" + f + "} is not empty";
            assertThat(Expressions.typeOf(check(source), FIELDS)).isEqualTo(ValueType.BOOLEAN);
        }
        assertThat(check("now() is empty")).isEqualTo(Nodes.isEmpty(Nodes.now(1), 7));
    }

    @Test
    void requiresTextOnBothSidesOfTextMatches() {
        assertThat(check("'abc' contains {name}")).isEqualTo(Nodes.contains(Nodes.text("abc", 1), field("name", 16), 7));
        assertFails("{name} contains {amount}", 17,
                "'contains' needs text on both sides, but {amount} at 17 is a number");
        assertFails("{amount} starts with 'x'", 1,
                "'starts with' needs text on both sides, but {amount} at 1 is a number");
        assertFails("now() contains 'x'", 1,
                "'contains' needs text on both sides, but now() at 1 is a timestamp with time zone");
        // a condition's position is that of its operator, here 'is'
        assertFails("{name} starts with ({name} is empty)", 28,
                "'starts with' needs text on both sides, but ({name} is empty) at 28 is a boolean");
    }

    @Test
    void requiresBooleansForLogic() {
        assertFails("{amount} and {flag}", 1, "'and' needs true or false on both sides, but {amount} at 1 is a number");
        assertFails("{flag} or 'x'", 11, "'or' needs true or false on both sides, but 'x' at 11 is text");
        assertFails("not {day}", 5, "'not' needs true or false, but {day} at 5 is a date");
        assertFails("not ({amount} > 1 and {name})", 23,
                "'and' needs true or false on both sides, but {name} at 23 is text");
    }

    @Test
    void checkingTwiceGivesTheSameTree() {
        String source = "{ts} > now() and {day} = '2024-01-31' or {tz} > '2024-01-31T00:00+01:00' and now() > {day}";
        Expression once = check(source);
        assertThat(Expressions.check(source, once, FIELDS)).isEqualTo(once);
    }

    @Test
    void leavesTheParsedTreeUnchanged() {
        Expression parsed = Expressions.parse("{ts} > now()");
        Expression checked = Expressions.check("{ts} > now()", parsed, FIELDS);
        assertThat(parsed).isEqualTo(cmp(field("ts", 1), Operator.GT, Nodes.now(8), 6));
        assertThat(checked).isNotEqualTo(parsed);
    }

    @Test
    void readsTimestampLiteralsInTheirOwnOffsetNotTheSystemZone() {
        Expression.Literal l = (Expression.Literal) rightOf(check("{tz} = '2024-01-31T10:00-05:00'"));
        assertThat(((OffsetDateTime) l.value()).toInstant())
                .isEqualTo(OffsetDateTime.of(2024, 1, 31, 15, 0, 0, 0, ZoneOffset.UTC).toInstant());
    }
}
