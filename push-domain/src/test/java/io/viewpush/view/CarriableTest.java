package io.viewpush.view;

import io.viewpush.expression.ValueType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CarriableTest {

    @Test
    void textIsCarriedUnlessItHoldsALoneSurrogate() {
        assertThat(Carriable.problem(ValueType.TEXT, "plain, ünïcode, \ud83d\ude00 and \u0000")).isEmpty();
        assertThat(Carriable.problem(ValueType.TEXT, "\ud800")).contains(
                "is text that is not valid Unicode: a lone surrogate U+D800 at character 1, which JSON cannot carry");
        assertThat(Carriable.loneSurrogateAt("ab\udc00")).isEqualTo(2);
        assertThat(Carriable.loneSurrogateAt("a\ud800b")).isEqualTo(1);
        assertThat(Carriable.loneSurrogateAt("\ude00\ud83d")).isEqualTo(0);
        assertThat(Carriable.loneSurrogateAt("x\ud83d")).as("a high surrogate at the end").isEqualTo(1);
        assertThat(Carriable.loneSurrogateAt("\ud83d\ude00\ud83d\ude00")).isEqualTo(-1);
    }

    @Test
    void aNumberIsCarriedUpToAScaleOf9999EitherWay() {
        assertThat(Carriable.problem(ValueType.NUMBER, new BigDecimal("1e-9999"))).isEmpty();
        assertThat(Carriable.problem(ValueType.NUMBER, new BigDecimal("1e9999"))).isEmpty();
        assertThat(Carriable.problem(ValueType.NUMBER, new BigDecimal("1e-10000"))).contains(
                "is a number with a scale of 10000, beyond the 9999 digits that can be written without an exponent");
        assertThat(Carriable.problem(ValueType.NUMBER, new BigDecimal("1e10000"))).isPresent();
    }

    @Test
    void aValueTheDatabaseHoldsWithNoFormInItsTypeFitsARowButIsNeverCarried() {
        Columns columns = new Columns(List.of("id", "amount"), List.of(ValueType.NUMBER, ValueType.NUMBER), "id");
        Uncarriable nan = Uncarriable.specialNumber("NaN");
        Row row = Row.of(columns, BigDecimal.ONE, nan);
        assertThat(row.get("amount")).isEqualTo(nan);
        assertThat(Carriable.firstProblem(row)).isEqualTo(1);
        assertThat(Carriable.problem(ValueType.NUMBER, nan))
                .contains("is NaN, which is not an exact decimal number and has no JSON number form");
    }

    @Test
    void emptyAndTheOtherTypesAreAlwaysCarried() {
        assertThat(Carriable.problem(ValueType.TEXT, null)).isEmpty();
        assertThat(Carriable.problem(ValueType.BOOLEAN, true)).isEmpty();
        assertThat(Carriable.problem(ValueType.DATE, LocalDate.MAX)).isEmpty();
    }

    @Test
    void firstProblemNamesTheFirstFieldThatCannotBeCarried() {
        Columns columns = new Columns(List.of("id", "name", "amount"), List.of(ValueType.NUMBER, ValueType.TEXT,
                ValueType.NUMBER), "id");
        assertThat(Carriable.firstProblem(Row.of(columns, BigDecimal.ONE, "ok", BigDecimal.TEN))).isEqualTo(-1);
        assertThat(Carriable.firstProblem(Row.of(columns, BigDecimal.ONE, "ok", new BigDecimal("1e-10000")))).isEqualTo(2);
        assertThat(Carriable.firstProblem(Row.of(columns, BigDecimal.ONE, "\udbff", new BigDecimal("1e-10000"))))
                .isEqualTo(1);
    }

    @Test
    void printableTextCanItselfBeCarried() {
        assertThat(Carriable.printable("k\ud800\u001b\ud83d\ude00")).isEqualTo("k\\uD800\\u001B\ud83d\ude00");
        assertThat(Carriable.loneSurrogateAt(Carriable.printable("\udc00".repeat(100)))).isEqualTo(-1);
        assertThat(Carriable.keyText(Row.of(new Columns(List.of("id"), List.of(ValueType.NUMBER), "id"),
                new BigDecimal("1E+3")))).isEqualTo("1000");
        assertThat(Carriable.keyText(Row.of(new Columns(List.of("id"), List.of(ValueType.NUMBER), "id"),
                Uncarriable.specialNumber("-Infinity")))).isEqualTo("-Infinity");
    }
}
