package io.viewpush.expression;

import io.viewpush.expression.Expression.Operator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ParserTest {

    private static Expression parse(String source) {
        return Expressions.parse(source);
    }

    private static ExpressionException failure(String source) {
        ExpressionException e = catchThrowableOfType(ExpressionException.class, () -> Expressions.parse(source));
        assertThat(e).as("parsing %s should fail", source).isNotNull();
        assertThat(e.source()).isEqualTo(source);
        return e;
    }

    private static void assertFails(String source, int position, String detail) {
        ExpressionException e = failure(source);
        assertThat(e.detail()).isEqualTo(detail);
        assertThat(e.position()).isEqualTo(position);
        assertThat(e.getMessage()).isEqualTo(detail + " in \"" + source + "\"");
    }

    @Test
    void parsesTheSeedExamplesVerbatim() {
        assertThat(parse("{last modified [auto]} > {last pushed}")).isEqualTo(
                cmp(field("last modified [auto]", 1), Operator.GT, field("last pushed", 26), 24));
        assertThat(parse("{needs pushing} = true")).isEqualTo(
                cmp(field("needs pushing", 1), Operator.EQ, bool(true, 19), 17));
        assertThat(parse("{last pushed} is empty")).isEqualTo(isEmpty(field("last pushed", 1), 15));
        assertThat(parse("{receipt id} is empty")).isEqualTo(isEmpty(field("receipt id", 1), 14));
    }

    @Test
    void keepsEveryCharacterOfAFieldNameIncludingSpacesAndBrackets() {
        assertThat(parse("{  spaced  name  }")).isEqualTo(field("  spaced  name  ", 1));
        assertThat(parse("{[x] (y) 'z' \"w\" {v}")).isEqualTo(field("[x] (y) 'z' \"w\" {v", 1));
        assertThat(parse("{prix é 漢字 😀}")).isEqualTo(field("prix é 漢字 😀", 1));
    }

    @Test
    void readsADoubledClosingBraceInAFieldNameAsOneBrace() {
        assertThat(parse("{a}}b}")).isEqualTo(field("a}b", 1));
        assertThat(parse("{}}}")).isEqualTo(field("}", 1));
        assertThat(parse("{a}}}")).isEqualTo(field("a}", 1));
        assertThat(parse("{a}}}}} = 1")).isEqualTo(cmp(field("a}}", 1), Operator.EQ, number("1", 11), 9));
    }

    @Test
    void readsTextLiteralsWithDoubledQuotes() {
        assertThat(parse("{a} = 'it''s'")).isEqualTo(cmp(field("a", 1), Operator.EQ, text("it's", 7), 5));
        assertThat(parse("''")).isEqualTo(text("", 1));
        assertThat(parse("''''")).isEqualTo(text("'", 1));
        assertThat(parse("'{not a field} and not a keyword'")).isEqualTo(text("{not a field} and not a keyword", 1));
        assertThat(parse("'  é 漢字 😀 \\ % _ '")).isEqualTo(text("  é 漢字 😀 \\ % _ ", 1));
    }

    @Test
    void readsNumbersExactlyKeepingTheirScale() {
        Expression.Literal twelve = (Expression.Literal) parse("12");
        assertThat(twelve.value()).isEqualTo(new BigDecimal("12"));
        Expression.Literal negative = (Expression.Literal) parse("-3.50");
        assertThat(negative.type()).isEqualTo(ValueType.NUMBER);
        assertThat(negative.value()).isEqualTo(new BigDecimal("-3.50"));
        assertThat(((BigDecimal) negative.value()).scale()).isEqualTo(2);
        assertThat(((Expression.Literal) parse("0.000001")).value()).isEqualTo(new BigDecimal("0.000001"));
        assertThat(((Expression.Literal) parse("007")).value()).isEqualTo(new BigDecimal("7"));
        assertThat(parse("{a}>-1")).isEqualTo(cmp(field("a", 1), Operator.GT, number("-1", 5), 4));
    }

    @Test
    void readsBooleansInAnyCase() {
        assertThat(parse("true")).isEqualTo(bool(true, 1));
        assertThat(parse("TRUE")).isEqualTo(bool(true, 1));
        assertThat(parse("False")).isEqualTo(bool(false, 1));
    }

    @Test
    void readsNowWithOrWithoutSpacesInAnyCase() {
        assertThat(parse("now()")).isEqualTo(now(1));
        assertThat(parse("NOW( )")).isEqualTo(now(1));
        assertThat(parse("  Now (  ) ")).isEqualTo(now(3));
    }

    @ParameterizedTest
    @CsvSource({"=,EQ", "!=,NE", "<>,NE", "<,LT", "<=,LE", ">,GT", ">=,GE"})
    void readsEveryComparisonOperator(String symbol, Operator operator) {
        assertThat(parse("{a} " + symbol + " {b}")).isEqualTo(
                cmp(field("a", 1), operator, field("b", 6 + symbol.length()), 5));
        assertThat(parse("{a}" + symbol + "{b}")).isEqualTo(
                cmp(field("a", 1), operator, field("b", 4 + symbol.length()), 4));
    }

    @Test
    void readsEmptinessTests() {
        assertThat(parse("{a} is empty")).isEqualTo(isEmpty(field("a", 1), 5));
        assertThat(parse("{a} is not empty")).isEqualTo(isNotEmpty(field("a", 1), 5));
        assertThat(parse("{a} IS NOT EMPTY")).isEqualTo(isNotEmpty(field("a", 1), 5));
        assertThat(parse("now() is empty")).isEqualTo(isEmpty(now(1), 7));
    }

    @Test
    void readsTextMatches() {
        assertThat(parse("{a} contains 'x'")).isEqualTo(contains(field("a", 1), text("x", 14), 5));
        assertThat(parse("{a} starts with 'x'")).isEqualTo(startsWith(field("a", 1), text("x", 17), 5));
        assertThat(parse("'abc' Starts\n   WITH {b}")).isEqualTo(startsWith(text("abc", 1), field("b", 22), 7));
        assertThat(parse("{a} CONTAINS {b}")).isEqualTo(contains(field("a", 1), field("b", 14), 5));
    }

    @Test
    void bindsOrLoosestThenAndThenNotThenComparison() {
        // 1234567890123456789012345678901234
        // {a} = 1 or {b} = 2 and not {c} = 3
        assertThat(parse("{a} = 1 or {b} = 2 and not {c} = 3")).isEqualTo(
                or(cmp(field("a", 1), Operator.EQ, number("1", 7), 5),
                        and(cmp(field("b", 12), Operator.EQ, number("2", 18), 16),
                                not(cmp(field("c", 28), Operator.EQ, number("3", 34), 32), 24), 20),
                        9));
        assertThat(parse("{a} and {b} or {c} and {d}")).isEqualTo(
                or(and(field("a", 1), field("b", 9), 5), and(field("c", 16), field("d", 24), 20), 13));
    }

    @Test
    void groupsAndAndOrFromTheLeft() {
        assertThat(parse("{a} or {b} or {c}")).isEqualTo(
                or(or(field("a", 1), field("b", 8), 5), field("c", 15), 12));
        assertThat(parse("{a} and {b} and {c}")).isEqualTo(
                and(and(field("a", 1), field("b", 9), 5), field("c", 17), 13));
    }

    @Test
    void parenthesesOverridePrecedence() {
        assertThat(parse("({a} or {b}) and {c}")).isEqualTo(
                and(or(field("a", 2), field("b", 9), 6), field("c", 18), 14));
        assertThat(parse("({a} = 1) = ({b} > 2)")).isEqualTo(
                cmp(cmp(field("a", 2), Operator.EQ, number("1", 8), 6), Operator.EQ,
                        cmp(field("b", 14), Operator.GT, number("2", 20), 18), 11));
        assertThat(parse("((({a})))")).isEqualTo(field("a", 4));
    }

    @Test
    void notAppliesToTheWholeComparisonAndMayRepeat() {
        assertThat(parse("not {a} = 1")).isEqualTo(not(cmp(field("a", 5), Operator.EQ, number("1", 11), 9), 1));
        assertThat(parse("NOT not {a}")).isEqualTo(not(not(field("a", 9), 5), 1));
        assertThat(parse("not ({a} or {b})")).isEqualTo(not(or(field("a", 6), field("b", 13), 10), 1));
    }

    @Test
    void acceptsAnyWhitespaceAndNoneBetweenSymbols() {
        assertThat(parse("{a}\t=\n1")).isEqualTo(cmp(field("a", 1), Operator.EQ, number("1", 7), 5));
        assertThat(parse("{a}\u00a0and\u2003{b}")).isEqualTo(and(field("a", 1), field("b", 9), 5));
        assertThat(parse("{a}and{b}")).isEqualTo(and(field("a", 1), field("b", 7), 4));
        assertThat(parse("({a})<=('x')")).isEqualTo(cmp(field("a", 2), Operator.LE, text("x", 9), 6));
    }

    @Test
    void reportsAMissingOperandWithWhatWasFound() {
        assertFails("{amount} > > 1", 12, "expected a field, a value or '(' at 12, found '>'");
        assertFails("{amount} >", 11, "expected a field, a value or '(' at 11, found the end");
        assertFails("", 1, "expected a field, a value or '(' at 1, found the end");
        assertFails("   ", 4, "expected a field, a value or '(' at 4, found the end");
        assertFails("{a} = and {b}", 7, "expected a field, a value or '(' at 7, found 'and'");
        assertFails("{a} and or {b}", 9, "expected a field, a value or '(' at 9, found 'or'");
        assertFails("{a} = )", 7, "expected a field, a value or '(' at 7, found ')'");
        assertFails("not", 4, "expected a field, a value or '(' at 4, found the end");
        assertFails("{a} contains = 'x'", 14, "expected a field, a value or '(' at 14, found '='");
    }

    @Test
    void reportsAnUnclosedParenthesis() {
        assertFails("({a} = 1", 9, "expected ')' at 9, found the end");
        assertFails("({a} = 1 'x'", 10, "expected ')' at 10, found the text 'x'");
        assertFails("(({a})", 7, "expected ')' at 7, found the end");
    }

    @Test
    void refusesChainedComparisons() {
        assertFails("{a} = {b} = {c}", 11, "expected 'and', 'or' or the end at 11, found '='");
        assertFails("{a} is empty = true", 14, "expected 'and', 'or' or the end at 14, found '='");
        assertFails("{a} {b}", 5, "expected 'and', 'or' or the end at 5, found the field {b}");
        assertFails("{a} = 1)", 8, "expected 'and', 'or' or the end at 8, found ')'");
        assertFails("{a} = 1 2", 9, "expected 'and', 'or' or the end at 9, found the number 2");
    }

    @Test
    void reportsUnterminatedTextAndFieldNames() {
        assertFails("{a} = 'abc", 7, "unterminated text starting at 7: missing the closing '");
        assertFails("{a} = 'it''s", 7, "unterminated text starting at 7: missing the closing '");
        assertFails("{last pushed is empty", 1, "unterminated field name starting at 1: missing '}'");
        assertFails("{a}} = 1", 1, "unterminated field name starting at 1: missing '}'");
    }

    @Test
    void reportsAnEmptyFieldName() {
        assertFails("{a} = {}", 7, "empty field name at 7: write the field's name between '{' and '}'");
        assertFails("{}", 1, "empty field name at 1: write the field's name between '{' and '}'");
    }

    @Test
    void reportsUnknownWordsWithAHint() {
        assertFails("{a} = foo", 7, "unknown word 'foo' at 7; a field name goes in braces, like {foo}");
        assertFails("{a} equals 1", 5, "unknown word 'equals' at 5; a field name goes in braces, like {equals}");
        assertFails("{a} = NULL", 7, "unknown word 'NULL' at 7; to test for an empty value write {field} is empty");
        assertFails("{a} is full", 8, "unknown word 'full' at 8; a field name goes in braces, like {full}");
    }

    @Test
    void reportsIncompleteKeywordPhrases() {
        assertFails("{a} starts 'x'", 12, "expected 'with' after 'starts' at 12, found the text 'x'");
        assertFails("{a} starts", 11, "expected 'with' after 'starts' at 11, found the end");
        assertFails("{a} is 'x'", 8, "expected 'empty' or 'not empty' after 'is' at 8, found the text 'x'");
        assertFails("{a} is not 1", 12, "expected 'empty' after 'is not' at 12, found the number 1");
        assertFails("{a} is", 7, "expected 'empty' or 'not empty' after 'is' at 7, found the end");
        assertFails("now", 4, "expected '(' after 'now' at 4, found the end");
        assertFails("now(1)", 5, "expected ')' after 'now(' at 5, found the number 1");
        assertFails("{a} > now(", 11, "expected ')' after 'now(' at 11, found the end");
    }

    @Test
    void reportsMalformedNumbers() {
        assertFails("{a} = 1.", 9, "expected a digit after the decimal point at 9; numbers are written like 12 or -3.50");
        assertFails("{a} = 1.x", 9, "expected a digit after the decimal point at 9; numbers are written like 12 or -3.50");
        assertFails("{a} = 1e5", 8, "unexpected 'e' right after a number at 8; numbers are written like 12 or -3.50");
        assertFails("{a} = 1.2.3", 10, "unexpected '.' right after a number at 10; numbers are written like 12 or -3.50");
        assertFails("{a} = .5", 7, "unexpected character '.' at 7");
    }

    @Test
    void reportsUnexpectedCharacters() {
        assertFails("{a} ! 1", 5, "unexpected character '!' at 5; 'not equal' is written '!='");
        assertFails("{a} # 1", 5, "unexpected character '#' at 5");
        assertFails("{a} == 1", 6, "expected a field, a value or '(' at 6, found '='");
        assertFails("{a} = 1 }", 9, "unexpected character '}' at 9 without an opening '{'");
        assertFails("{a} = \u0001", 7, "unexpected character U+0001 at 7");
        assertFails("{a} = \ud800", 7, "unexpected character U+D800 at 7");
        assertFails("{a} = \"x\"", 7, "unexpected character '\"' at 7");
        assertFails("{a} = 😀", 7, "unexpected character '😀' at 7");
    }

    @Test
    void reportsTheFirstProblemInReadingOrder() {
        // the unterminated text comes after the missing operand: the missing operand is reported
        assertFails("{a} = = 'abc", 7, "expected a field, a value or '(' at 7, found '='");
    }

    @Test
    void shortensLongTokensInMessages() {
        String longText = "'" + "x".repeat(40) + "'";
        assertFails("{a} " + longText, 5,
                "expected 'and', 'or' or the end at 5, found the text '" + "x".repeat(26) + "...");
    }

    @Test
    void limitsNestingOfParenthesesAndNot() {
        String ok = "(".repeat(Parser.MAX_NESTING) + "{a}" + ")".repeat(Parser.MAX_NESTING);
        assertThat(parse(ok)).isEqualTo(field("a", Parser.MAX_NESTING + 1));
        int n = Parser.MAX_NESTING + 1;
        assertFails("(".repeat(n) + "{a}" + ")".repeat(n), n,
                "too many nested parentheses or 'not's at " + n + ": at most 100 levels");
        assertFails("not ".repeat(n) + "{a}", 4 * (n - 1) + 1,
                "too many nested parentheses or 'not's at " + (4 * (n - 1) + 1) + ": at most 100 levels");
    }

    @Test
    void limitsTheDepthOfLongChains() {
        // "{a} or " is 7 characters; the k-th 'or' is at 7(k-1)+5 and makes a node of depth k+1
        String ok = "{a} or ".repeat(Parser.MAX_DEPTH - 1) + "{a}";
        assertThat(parse(ok)).isInstanceOf(Expression.Or.class);
        String tooDeep = "{a} or ".repeat(Parser.MAX_DEPTH) + "{a}";
        int at = 7 * (Parser.MAX_DEPTH - 1) + 5;
        assertFails(tooDeep, at, "the expression is too deeply nested at " + at
                + ": at most 500 operators may enclose each other");
    }

    @Test
    void failsOnlyWithExpressionExceptionOnNullText() {
        assertThatThrownBy(() -> Expressions.parse(null)).isInstanceOf(ExpressionException.class)
                .hasMessageStartingWith("expected a field, a value or '(' at 1, found the end");
    }
}
