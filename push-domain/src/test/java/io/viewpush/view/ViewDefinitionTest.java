package io.viewpush.view;

import io.viewpush.expression.ValueType;
import io.viewpush.push.PushPolicy;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ViewDefinitionTest {
    private static final URI HOOK = URI.create("http://127.0.0.1:9000/hook");

    private static final Map<String, ValueType> ORDER_TYPES = Map.of(
            "id", ValueType.NUMBER,
            "customer", ValueType.TEXT,
            "amount", ValueType.NUMBER,
            "last modified [auto]", ValueType.TIMESTAMP,
            "last pushed", ValueType.TIMESTAMP,
            "receipt id", ValueType.TEXT);

    /** The fields of the config example in the README's configuration reference, without calculations or filters. */
    static ViewDefinition.Builder base() {
        return ViewDefinition.builder("orders to push", "orders")
                .key("id")
                .field("id")
                .field("customer")
                .field("amount")
                .field("last modified [auto]", "last_modified")
                .field("last pushed", "last_pushed")
                .field("receipt id", "receipt_id")
                .writable("receipt id")
                .push(PushPolicy.builder("last pushed").modifiedField("last modified [auto]").build());
    }

    /** The view of the config example in the README's configuration reference: "modified since last pushed". */
    static ViewDefinition.Builder orders() {
        return base()
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true");
    }

    private static List<Problem> problemsOfBuild(ViewDefinition.Builder builder) {
        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, builder::build);
        assertThat(e).as("build() should fail").isNotNull();
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems().stream().map(Problem::toString).toList()));
        return e.problems();
    }

    private static List<Problem> problemsOfBind(ViewDefinition definition, Map<String, ValueType> types) {
        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, () -> definition.bind(types));
        assertThat(e).as("bind() should fail").isNotNull();
        return e.problems();
    }

    private static Problem problem(String key, String message) {
        return Problem.of("orders to push", key, message);
    }

    private static Problem problem(String key, String message, int position) {
        return new Problem("orders to push", key, message, Optional.of(position));
    }

    @Test
    void buildsAndBindsTheContractExample() {
        View view = orders().build().bind(ORDER_TYPES);
        assertThat(view.columns().names()).containsExactly("id", "customer", "amount", "last modified [auto]",
                "last pushed", "receipt id", "needs pushing");
        assertThat(view.typeOf("needs pushing")).isEqualTo(ValueType.BOOLEAN);
        assertThat(view.columnOf("last modified [auto]")).isEqualTo("last_modified");
        assertThat(view.keyField()).isEqualTo("id");
        assertThat(view.writable()).containsExactly("receipt id");
    }

    @Test
    void acceptsTheNeverPushedAndNotYetConfirmedSetUps() {
        View neverPushed = base().filter("{last pushed} is empty").build()
                .bind(ORDER_TYPES);
        assertThat(neverPushed.filters()).hasSize(1);
        View notConfirmed = base().filter("{receipt id} is empty").build()
                .bind(ORDER_TYPES);
        assertThat(notConfirmed.filters()).hasSize(1);
    }

    @Test
    void reportsEveryStructuralProblemAtOnce() {
        ViewDefinition.Builder b = ViewDefinition.builder("orders to push", " ")
                .key("ident")
                .field("id")
                .field("id", "other_id")
                .field("amount", " ")
                .calculation("amount", "{id} > 1")
                .calculation("broken", "{id} > > 1")
                .filter("{amont} = 1")
                .filter("")
                .writable("broken", "id")
                .push(PushPolicy.builder("stamp").modifiedField("changed").build());

        assertThat(problemsOfBuild(b)).containsExactlyInAnyOrder(
                problem("table", "a view needs the table it selects from"),
                problem("fields.id", "the name 'id' is used twice"),
                problem("fields.amount", "the column must not be blank"),
                problem("calculations.amount", "the name 'amount' is used twice"),
                problem("key", "the key 'ident' is not one of the fields [id, amount]"),
                problem("writable", "'broken' is not one of the fields [id, amount] (a calculation cannot be written)"),
                problem("push.stamp", "the stamp field 'stamp' is not one of the fields [id, amount]"),
                problem("push.modified", "the modified field 'changed' is not one of the fields [id, amount]"),
                problem("calculations.broken", "expected a field, a value or '(' at 8, found '>' in \"{id} > > 1\"", 8),
                problem("filters[1]", "unknown field {amont} at 1 in \"{amont} = 1\"; the view has {id}, {amount},"
                        + " {broken}", 1),
                problem("filters[2]", "the expression is empty"));
    }

    @Test
    void refusesAViewWithoutNameFieldsOrKey() {
        assertThat(problemsOfBuild(ViewDefinition.builder(null, "t"))).containsExactlyInAnyOrder(
                Problem.of("", "name", "a view needs a name"),
                Problem.of("", "fields", "a view needs at least one field"),
                Problem.of("", "key", "a view needs a key field that identifies a row"));
        assertThat(problemsOfBuild(ViewDefinition.builder(" v ", "t").key("id").field("id")))
                .containsExactly(Problem.of(" v ", "name", "the name must not start or end with spaces"));
        assertThat(problemsOfBuild(ViewDefinition.builder("v", "t").key("id").field(" ", "id")))
                .contains(Problem.of("v", "fields", "a field name must not be blank"));
    }

    @Test
    void refusesTheKeyAsStampOrWritableAndTheStampAsModified() {
        List<Problem> problems = problemsOfBuild(orders().writable("id")
                .push(PushPolicy.builder("id").modifiedField("id").build()));
        assertThat(problems).containsExactlyInAnyOrder(
                problem("writable", "the key field 'id' cannot be writable"),
                problem("push.stamp", "the key field cannot be the stamp field"),
                problem("push.modified", "the modified field cannot be the stamp field"));
        assertThat(problemsOfBuild(orders().push(PushPolicy.builder("last pushed")
                .modifiedField("last pushed").build())))
                .containsExactly(problem("push.modified", "the modified field cannot be the stamp field"));
    }

    @Test
    void pointsAtTheUnknownReferenceItselfEvenWhenANameIsAPrefixOrHoldsABrace() {
        ViewDefinition.Builder b = ViewDefinition.builder("v", "t").key("a b").field("a b").field("x}y")
                .filter("{a b} = 1 and {a} = 2")
                .filter("{x}}y} = 'q' or {x}}z} = 'r'");
        assertThat(problemsOfBuild(b)).containsExactly(
                new Problem("v", "filters[1]", "unknown field {a} at 15 in \"{a b} = 1 and {a} = 2\"; the view has"
                        + " {a b}, {x}}y}", Optional.of(15)),
                new Problem("v", "filters[2]", "unknown field {x}}z} at 17 in \"{x}}y} = 'q' or {x}}z} = 'r'\"; the"
                        + " view has {a b}, {x}}y}", Optional.of(17)));
    }

    @Test
    void reportsCalculationCyclesShowingTheCycle() {
        ViewDefinition.Builder b = orders()
                .calculation("a", "{b} and {amount} > 1")
                .calculation("b", "not {c}")
                .calculation("c", "{a} or {needs pushing}")
                .calculation("self", "{self} = true");
        assertThat(problemsOfBuild(b)).containsExactlyInAnyOrder(
                problem("calculations.a", "calculations refer to each other in a cycle: a -> b -> c -> a"),
                problem("calculations.self", "calculations refer to each other in a cycle: self -> self"));
    }

    @Test
    void ordersCalculationsThatUseLaterCalculations() {
        View view = orders()
                .calculation("big new order", "{big} and {needs pushing}")
                .calculation("big", "{amount} >= 1000")
                .build().bind(ORDER_TYPES);
        assertThat(view.typeOf("big new order")).isEqualTo(ValueType.BOOLEAN);
        assertThat(view.columns().names()).endsWith("needs pushing", "big new order", "big");
    }

    @Test
    void bindReportsTypeErrorsAndNonBooleanFiltersAtOnce() {
        ViewDefinition d = orders()
                .calculation("label", "{customer} contains 1")
                .filter("{amount}")
                .filter("{customer} = 12")
                .filter("{last pushed} > '2024-13-01'")
                .build();
        assertThat(problemsOfBind(d, ORDER_TYPES)).containsExactlyInAnyOrder(
                problem("calculations.label", "'contains' needs text on both sides, but 1 at 21 is a number in"
                        + " \"{customer} contains 1\"", 21),
                problem("filters[2]", "a filter must be true or false, but \"{amount}\" is a number", 1),
                problem("filters[3]", "cannot compare {customer} (text) with 12 (number) at 12 in"
                        + " \"{customer} = 12\"", 12),
                problem("filters[4]", "'2024-13-01' at 17 is not a valid timestamp; write a timestamp like"
                        + " '2024-01-31T10:00:00', '2024-01-31 10:00' or '2024-01-31' in"
                        + " \"{last pushed} > '2024-13-01'\"", 17));
    }

    @Test
    void bindNamesTextFiltersWithoutAnArticle() {
        ViewDefinition d = orders().filter("{customer}").build();
        assertThat(problemsOfBind(d, ORDER_TYPES)).containsExactly(
                problem("filters[2]", "a filter must be true or false, but \"{customer}\" is text", 1));
    }

    @Test
    void bindRequiresTheStampToBeATimestamp() {
        Map<String, ValueType> types = new HashMap<>(ORDER_TYPES);
        types.put("last pushed", ValueType.DATE);
        List<Problem> problems = problemsOfBind(base().build(), types);
        assertThat(problems).containsExactly(problem("push.stamp",
                "the stamp field 'last pushed' must be a timestamp (with or without time zone), but it is a date"));
        types.put("last pushed", ValueType.TIMESTAMP_TZ);
        types.put("last modified [auto]", ValueType.TIMESTAMP_TZ);
        assertThat(orders().build().bind(types).typeOf("last pushed")).isEqualTo(ValueType.TIMESTAMP_TZ);
    }

    @Test
    void bindReportsEveryMissingTypeAndOtherProblemsTogetherWithoutKnockOnErrors() {
        Map<String, ValueType> types = new HashMap<>(ORDER_TYPES);
        types.remove("last modified [auto]");
        types.remove("receipt id");
        types.put("last pushed", ValueType.DATE);
        ViewDefinition d = orders()
                .calculation("bad", "{amount} = 'x'")
                .calculation("uses bad", "{bad} or {amount} > 1")
                .filter("{bad} = true")
                .filter("{uses bad}")
                .filter("{receipt id} is empty")
                .filter("{customer} > 1")
                .build();
        assertThat(problemsOfBind(d, types)).containsExactlyInAnyOrder(
                problem("fields.last modified [auto]", "no type is known for field 'last modified [auto]' (column"
                        + " 'last_modified' of table 'orders')"),
                problem("fields.receipt id", "no type is known for field 'receipt id' (column 'receipt_id' of"
                        + " table 'orders')"),
                problem("calculations.bad", "cannot compare {amount} (number) with 'x' (text) at 10 in"
                        + " \"{amount} = 'x'\"", 10),
                problem("filters[5]", "cannot compare {customer} (text) with 1 (number) at 12 in"
                        + " \"{customer} > 1\"", 12),
                problem("push.stamp", "the stamp field 'last pushed' must be a timestamp (with or without time"
                        + " zone), but it is a date"));
    }

    @Test
    void rebuildsFromItsBuilder() {
        ViewDefinition d = orders().build();
        ViewDefinition copy = d.toBuilder().build();
        assertThat(copy.calculations()).isEqualTo(d.calculations());
        assertThat(copy.filters()).isEqualTo(d.filters());
        assertThat(copy.fields()).isEqualTo(d.fields());
        assertThat(d.withPush(null).push()).isEmpty();
        assertThat(d.withPush(null).bind(ORDER_TYPES).push()).isEmpty();
    }
}
