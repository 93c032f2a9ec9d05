package io.viewpush.jdbc;

import io.viewpush.view.InvalidViewException;
import io.viewpush.view.Problem;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import io.viewpush.port.PushSession;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Lookups (fields of tables reached through foreign keys) and summaries of related rows, read from a real database. */
abstract class LookupCases extends StoreCases {

    LookupCases(TestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeAll
    void createTables() {
        db.execute(LookupSchema.statements());
    }

    static ViewDefinition.Builder orders(String name) {
        return ViewDefinition.builder(name, "orders").key("id")
                .field("id", "id")
                .field("customer", "customer.first_name")
                .field("city", "customer.address.city.city")
                .field("lines", "count(order_line)")
                .field("total", "sum(order_line.amount)")
                .field("receipt", "receipt")
                .field("last pushed", "last_pushed");
    }

    private static Map<Object, List<Object>> byKey(List<Row> rows, String... fields) {
        Map<Object, List<Object>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            List<Object> values = new ArrayList<>();
            for (String f : fields) {
                values.add(r.get(f));
            }
            out.put(((BigDecimal) r.key()).intValue(), values);
        }
        return out;
    }

    private List<String> problems(ViewDefinition d) {
        try {
            store.fieldTypes(d);
            return List.of();
        } catch (InvalidViewException e) {
            return e.problems().stream().map(Problem::toString).collect(Collectors.toList());
        }
    }

    private static List<Object> values(Object... v) {
        return java.util.Arrays.asList(v);
    }

    @Test
    void lookupsOfOneAndSeveralHopsReadTheRelatedRowsAndAMissingOneGivesEmptyFields() {
        View v = bind(orders("orders").build());
        Map<Object, List<Object>> rows = byKey(readAll(v), "customer", "city", "lines", "total");
        assertThat(rows).containsOnlyKeys(1, 2, 3, 4, 5, 6);
        assertThat(rows.get(1)).containsExactly("Ada", "Lisbon", new BigDecimal("2"), new BigDecimal("14.75"));
        assertThat(rows.get(2)).containsExactly("Grace", "Porto", new BigDecimal("1"), new BigDecimal("7.00"));
        assertThat(rows.get(3)).as("an address without a city").isEqualTo(values("Alan", null, BigDecimal.ZERO, null));
        assertThat(rows.get(4)).as("an order without a customer is still in the view")
                .isEqualTo(values(null, null, BigDecimal.ZERO, null));
        assertThat(rows.get(5)).as("a line without an amount: the sum of no values is empty")
                .isEqualTo(values("Ada", "Lisbon", BigDecimal.ONE, null));
        assertThat(rows.get(6)).as("a customer without an address").isEqualTo(values("Edsger", null, BigDecimal.ZERO, null));
    }

    @Test
    void filtersAndCalculationsUseLookupsAndSummaries() {
        View lisbon = bind(orders("in lisbon").filter("{city} = 'Lisbon'").build());
        assertThat(readAll(lisbon)).extracting(Row::key).containsExactly(new BigDecimal("1"), new BigDecimal("5"));
        View nowhere = bind(orders("no city").filter("{city} is empty").filter("{customer} starts with 'A'").build());
        assertThat(readAll(nowhere)).extracting(Row::key).containsExactly(new BigDecimal("3"));
        View big = bind(orders("big").calculation("big", "{total} > 10").filter("{big}").build());
        assertThat(readAll(big)).extracting(Row::key).containsExactly(new BigDecimal("1"));
        View none = bind(orders("without lines").filter("{lines} = 0").filter("{city} != 'Porto'").build());
        assertThat(readAll(none)).extracting(Row::key)
                .containsExactly(new BigDecimal("3"), new BigDecimal("4"), new BigDecimal("6"));
    }

    @Test
    void summariesCountAndFindTheLatestOfTheRowsThatReferToTheViewsRow() {
        View v = bind(ViewDefinition.builder("customers", "customer").key("id").field("id", "customer_id")
                .field("rentals", "count(rental)").field("latest rental", "max(rental.rental_date)")
                .field("first order", "min(orders.placed)").field("code", "code").build());
        Map<Object, List<Object>> rows = byKey(readAll(v), "rentals", "latest rental", "first order", "code");
        assertThat(rows.get(100)).containsExactly(new BigDecimal("2"), LocalDateTime.parse("2024-03-01T09:30:00"),
                LocalDate.parse("2024-01-05"), "A1    "); // char(6), as stored
        assertThat(rows.get(101)).containsExactly(BigDecimal.ONE, LocalDateTime.parse("2024-02-01T08:00:00"),
                LocalDate.parse("2024-02-05"), "G1    ");
        assertThat(rows.get(102)).as("no rentals: a count of 0, an empty latest")
                .isEqualTo(values(BigDecimal.ZERO, null, LocalDate.parse("2024-03-05"), null));
        View regulars = bind(v.definition().toBuilder().filter("{rentals} >= 1")
                .filter("{latest rental} > '2024-02-15T00:00:00'").build());
        assertThat(readAll(regulars)).extracting(Row::key).containsExactly(new BigDecimal("100"));
    }

    @Test
    void twoForeignKeysToOneTableArePickedByColumnAndAmbiguityNamesBoth() {
        View v = bind(ViewDefinition.builder("films", "film").key("id").field("id", "film_id")
                .field("language", "language.name").field("original", "original_language.name")
                .field("by column", "language[language_id].name").field("by constraint", "film_original_language_fk.name")
                .build());
        Map<Object, List<Object>> rows = byKey(readAll(v), "language", "original", "by column", "by constraint");
        assertThat(rows.get(1)).as("a CHAR column is read without its padding")
                .containsExactly("English", "Japanese", "English", "Japanese");
        assertThat(rows.get(2)).isEqualTo(values("English", null, "English", null));
        assertThat(problems(ViewDefinition.builder("transfers", "transfer").key("id").field("id", "id")
                .field("city", "city.city").build())).singleElement().asString()
                .contains("fields.city: field 'city' (city.city): 'city' is ambiguous: table '")
                .containsIgnoringCase("has 2 foreign keys to table 'city'; write one of city[from_city] (from_city -> city,"
                        + " constraint transfer_from_fk), city[to_city] (to_city -> city, constraint transfer_to_fk)");
        View transfers = bind(ViewDefinition.builder("transfers", "transfer").key("id").field("id", "id")
                .field("from", "city[from_city].city").field("to", "to_city.city").build());
        assertThat(byKey(readAll(transfers), "from", "to")).isEqualTo(Map.of(1, values("Lisbon", "Porto")));
        View byLanguage = bind(ViewDefinition.builder("languages", "language").key("id").field("id", "language_id")
                .field("films", "count(film[language_id])").field("as original", "count(film[original_language_id])")
                .field("first title", "min(film[language_id].title)").field("last title", "max(film[language_id].title)")
                .build());
        assertThat(byKey(readAll(byLanguage), "films", "as original", "first title", "last title"))
                .as("text is ordered by code point").isEqualTo(Map.of(
                        1, values(new BigDecimal("2"), BigDecimal.ZERO, "Alien", "Seven Samurai"),
                        2, values(BigDecimal.ZERO, BigDecimal.ONE, null, null)));
    }

    @Test
    void checkNamesTheCandidatesOfAnUnknownRelationOrColumn() {
        assertThat(problems(orders("x").field("bad", "custmer.first_name").build()))
                .singleElement().asString()
                .containsIgnoringCase("fields.bad: field 'bad' (custmer.first_name): table 'orders' has no foreign key 'custmer';")
                .containsIgnoringCase("its foreign keys: customer_id -> customer, constraint orders_customer_fk (write customer)");
        assertThat(problems(orders("x").field("bad", "customer.address.city.name").build())).singleElement().asString()
                .containsIgnoringCase("table 'city' has no column 'name' (its columns: city_id, city)");
        assertThat(problems(orders("x").field("bad", "count(rentals)").build())).singleElement().asString()
                .containsIgnoringCase("no table refers to table 'orders' as 'rentals'; the tables that refer to it:"
                        + " order_line.order_id, constraint order_line_order_fk (write order_line)");
        assertThat(problems(orders("x").field("bad", "sum(order_line.line_no)").build())).isEmpty();
        assertThat(problems(orders("x").field("bad", "max(customer.first_name)").build())).singleElement().asString()
                .containsIgnoringCase("no table refers to table 'orders' as 'customer'");
        assertThat(problems(ViewDefinition.builder("c", "customer").key("id").field("id", "customer_id")
                .field("bad", "min(rental.returned)").build())).singleElement().asString()
                .containsIgnoringCase("min needs a number, text, a date or a timestamp column, but column 'returned' of"
                        + " table 'rental' is");
    }

    @Test
    void aCompositeForeignKeyJoinsOnAllItsColumns() {
        View lines = bind(ViewDefinition.builder("lines", "shop_line").key("shop", "order_id", "line_no")
                .field("shop", "shop").field("order_id", "order_id").field("line_no", "line_no")
                .field("note", "shop_order.note").build());
        assertThat(readAll(lines)).extracting(r -> r.get("note")).containsExactly("first", "first", "other");
        View orders = bind(ViewDefinition.builder("shop orders", "shop_order").key("shop", "id")
                .field("shop", "shop").field("id", "id").field("total", "sum(shop_line.amount)").build());
        assertThat(readAll(orders)).extracting(r -> r.get("total"))
                .containsExactly(new BigDecimal("5.00"), new BigDecimal("40.00"));
    }

    @Test
    void aRowUpdateOfAViewWithLookupsWritesItsOwnTableAndChecksTheFiltersOnTheLookups() {
        View v = bind(orders("writable").filter("{city} = 'Lisbon'").writable("receipt").build());
        Optional<Row> updated = store.update(v, RowKey.of(new BigDecimal("5")), Map.of("receipt", "R-5"), SNAPSHOT);
        assertThat(updated).map(r -> r.get("receipt")).contains("R-5");
        assertThat(updated).map(r -> r.get("city")).contains("Lisbon");
        assertThat(store.update(v, RowKey.of(new BigDecimal("2")), Map.of("receipt", "R-2"), SNAPSHOT))
                .as("order 2 is in Porto, not in the view").isEmpty();
        assertThat(db.queryValue("SELECT count(*) FROM orders WHERE receipt IS NOT NULL", Long.class)).isEqualTo(1L);
    }

    @Test
    void pushingAViewWithLookupsStampsItsOwnTable() {
        View v = bind(orders("pushed").filter("{last pushed} is empty").filter("{city} = 'Lisbon'")
                .push(policy("last pushed", null)).build());
        try (PushSession session = store.begin(v, "test-engine", Duration.ofMinutes(1), SNAPSHOT, false).orElseThrow();
             RowCursor rows = session.rows(); StampBatch batch = session.batch()) {
            rows.forEachRemaining(batch::add);
            assertThat(batch.commit().stamped()).isEqualTo(2);
        }
        assertThat(readAll(v)).isEmpty();
        assertThat(db.queryValue("SELECT count(*) FROM orders WHERE last_pushed IS NOT NULL", Long.class)).isEqualTo(2L);
        db.execute("UPDATE orders SET last_pushed = NULL");
    }

    @Test
    void quotedAndSchemaQualifiedNamesWorkAlongThePath() {
        View v = bind(ViewDefinition.builder("Bestellungen", "\"Shop\".\"Bestellungen\"").key("Nr").field("Nr", "Nr")
                .field("Kunde", "\"Kunden\".\"Name\"").field("by constraint", "\"Bestellung.Kunde\".Name")
                .field("Bestellungen", "Kunde.\"Kunde Nr\"").build());
        assertThat(readAll(v)).extracting(r -> r.get("Kunde"), r -> r.get("by constraint"), r -> r.get("Bestellungen"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Jürgen", "Jürgen", BigDecimal.ONE),
                        org.assertj.core.groups.Tuple.tuple(null, null, null));
        View customers = bind(ViewDefinition.builder("Kunden", "\"Shop\".\"Kunden\"").key("Nr").field("Nr", "Kunde Nr")
                .field("orders", "count(Bestellungen)").build());
        assertThat(readAll(customers)).extracting(r -> r.get("orders")).containsExactly(BigDecimal.ONE);
    }

    @Test
    void aRowUpdateOfACompositeKeyWithALookupFilterUpdatesOnlyThatRow() {
        View v = bind(ViewDefinition.builder("first lines", "shop_line").key("shop", "order_id", "line_no")
                .field("shop", "shop").field("order_id", "order_id").field("line_no", "line_no").field("amount", "amount")
                .field("note", "shop_order.note").filter("{note} = 'first'").writable("amount").build());
        Optional<Row> updated = store.update(v, RowKey.of("north", new BigDecimal("1"), new BigDecimal("2")),
                Map.of("amount", new BigDecimal("3.50")), SNAPSHOT);
        assertThat(updated).map(r -> r.get("amount")).contains(new BigDecimal("3.50"));
        assertThat(store.update(v, RowKey.of("south", new BigDecimal("1"), new BigDecimal("1")),
                Map.of("amount", BigDecimal.ONE), SNAPSHOT)).as("its order's note is 'other'").isEmpty();
        assertThat(db.queryValue("SELECT sum(amount) FROM shop_line", BigDecimal.class)).isEqualByComparingTo("45.50");
        db.execute("UPDATE shop_line SET amount = 3.00 WHERE shop = 'north' AND line_no = 2");
    }

    @Test
    void aColumnWhoseNameHoldsADotIsThatColumnAndInQuotesItMayBeWritten() {
        db.execute(isPostgres() ? "CREATE TABLE dotted (id INTEGER PRIMARY KEY, \"a.b\" VARCHAR(10))"
                : "CREATE TABLE dotted (id INTEGER PRIMARY KEY, \"a.b\" VARCHAR(10))", "INSERT INTO dotted VALUES (1, 'x')");
        View plain = bind(ViewDefinition.builder("dotted", "dotted").key("id").field("id", "id").field("ab", "a.b").build());
        assertThat(readAll(plain)).extracting(r -> r.get("ab")).containsExactly("x");
        View quoted = bind(ViewDefinition.builder("dotted", "dotted").key("id").field("id", "id").field("ab", "\"a.b\"")
                .writable("ab").build());
        assertThat(store.update(quoted, RowKey.of(BigDecimal.ONE), Map.of("ab", "y"), SNAPSHOT)).map(r -> r.get("ab"))
                .contains("y");
    }
}
