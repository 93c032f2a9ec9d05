package io.viewpush.view;

import io.viewpush.expression.ValueType;
import io.viewpush.push.PushPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A {@code push.modified} that names a calculation, so that a change of a related row counts as a change. */
class ModifiedCalculationTest {
    private static final Map<String, ValueType> TYPES = Map.of(
            "id", ValueType.NUMBER,
            "amount", ValueType.NUMBER,
            "last update", ValueType.TIMESTAMP,
            "customer last update", ValueType.TIMESTAMP,
            "customer name", ValueType.TEXT,
            "last pushed", ValueType.TIMESTAMP);

    /** Orders with their customer's last update (a lookup) and a modified value that sees both. */
    private static ViewDefinition.Builder orders(String modified) {
        return ViewDefinition.builder("orders", "orders")
                .key("id")
                .field("id")
                .field("amount")
                .field("last update", "last_update")
                .field("customer last update", "customer.last_update")
                .field("customer name", "customer.first_name")
                .field("last pushed", "last_pushed")
                .calculation("modified", modified)
                .filter("{last pushed} is empty or {modified} > {last pushed}")
                .push(PushPolicy.builder("last pushed").modifiedField("modified").build());
    }

    private static List<Problem> problemsOfBuild(ViewDefinition.Builder builder) {
        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, builder::build);
        assertThat(e).as("build() should fail").isNotNull();
        return e.problems();
    }

    private static List<Problem> problemsOfBind(ViewDefinition definition) {
        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, () -> definition.bind(TYPES));
        assertThat(e).as("bind() should fail").isNotNull();
        return e.problems();
    }

    private static Problem problem(String key, String message, int position) {
        return new Problem("orders", key, message, Optional.of(position));
    }

    @Test
    void aCalculationOverTheRowAndALookupIsTheModifiedValue() {
        View view = orders("greatest({last update}, {customer last update})").build().bind(TYPES);

        assertThat(view.push().orElseThrow().modifiedField()).contains("modified");
        assertThat(view.typeOf("modified")).isEqualTo(ValueType.TIMESTAMP);
    }

    @Test
    void aCalculationThroughAnotherCalculationIsTheModifiedValueToo() {
        View view = orders("{later}").calculation("later", "greatest({last update}, {customer last update})")
                .build().bind(TYPES);

        assertThat(view.typeOf("modified")).isEqualTo(ValueType.TIMESTAMP);
    }

    @Test
    void nowIsRefusedAtItsPosition() {
        assertThat(problemsOfBuild(orders("greatest({last update}, now())"))).containsExactly(problem(
                "calculations.modified", "push.modified names calculation 'modified', which uses now() at 25 in"
                        + " \"greatest({last update}, now())\": a modified value must change only when the row or a"
                        + " related row does, and one that changes with every push never passes the check at stamping,"
                        + " so the row would be sent again by every push", 25));
    }

    @Test
    void todayInACalculationItUsesIsRefusedThere() {
        assertThat(problemsOfBuild(orders("greatest({last update}, {day})").calculation("day",
                "add_days(today(), 0)"))).containsExactly(problem("calculations.day",
                "push.modified names calculation 'modified', which uses calculation 'day', which uses today() at 10 in"
                        + " \"add_days(today(), 0)\": a modified value must change only when the row or a related row"
                        + " does, and one that changes with the date never passes the check at stamping", 10));
    }

    @Test
    void aTruncationToADayIsRefusedAtItsPosition() {
        assertThat(problemsOfBuild(orders("greatest({last update}, start_of_day({customer last update}))")))
                .containsExactly(problem("calculations.modified", "push.modified names calculation 'modified', which"
                        + " uses start_of_day() at 25 in \"greatest({last update}, start_of_day({customer last update}))\":"
                        + " a modified value must move forward with every change of the row or a related row, and a date,"
                        + " a part of one or a truncation to a day or month misses changes within that day or month (and"
                        + " reads times in the engine's zone, which the check at stamping does not know); compare the"
                        + " timestamps themselves, e.g. greatest({last update}, {customer last update})", 25));
    }

    @Test
    void theStampFieldIsRefusedAtItsPosition() {
        assertThat(problemsOfBuild(orders("greatest({last update}, {last pushed})"))).containsExactly(problem(
                "calculations.modified", "push.modified names calculation 'modified', which uses the stamp field"
                        + " {last pushed} at 25 in \"greatest({last update}, {last pushed})\": stamping a row would"
                        + " change the value the stamp is checked against", 25));
    }

    @Test
    void aConstantIsRefused() {
        assertThat(problemsOfBuild(orders("add_days({zero}, 1)").calculation("zero", "greatest('2024-01-01 00:00:00')")))
                .extracting(Problem::message)
                .containsExactly("push.modified names calculation 'modified', which uses no field in"
                        + " \"add_days({zero}, 1)\", so it never changes; a modified value is computed from the row's"
                        + " fields, e.g. greatest({last update}, {customer last update})");
    }

    @Test
    void aValueThatIsNotATimestampIsATypeErrorWithItsPosition() {
        // the filter comparing it with the stamp says so too
        assertThat(problemsOfBind(orders("{amount} + 1").build())).contains(problem("calculations.modified",
                "push.modified names calculation 'modified', which is a number at 10 in \"{amount} + 1\"; a calculated"
                        + " modified value must be a timestamp (with or without time zone) that moves forward whenever"
                        + " the row or a related row changes, e.g. greatest({last update}, {customer last update})", 10));
        assertThat(problemsOfBind(orders("upper({customer name})").build())).extracting(Problem::message)
                .last().asString().contains("which is text at 1 in \"upper({customer name})\"");
    }

    @Test
    void aCalculationWithATypeErrorIsReportedOnce() {
        assertThat(problemsOfBind(orders("greatest({last update}, {amount})").build())).hasSize(1)
                .extracting(Problem::key).containsExactly("calculations.modified");
    }

    @Test
    void aLookupItselfIsStillNotTheModifiedField() {
        assertThat(problemsOfBuild(orders("{last update}").push(PushPolicy.builder("last pushed")
                .modifiedField("customer last update").build()))).extracting(Problem::toString).containsExactly(
                "view 'orders', push.modified: the modified field 'customer last update' is a lookup"
                        + " (customer.last_update); the modified field is a column of the view's own table, or a calculation"
                        + " that uses the lookup, e.g. greatest({last update}, {customer last update})");
    }
}
