package io.viewpush.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar on PostgreSQL with calculations that compute values of every kind the language has
 * (arithmetic with division, text, dates and timestamps, if/coalesce/greatest, round, conversions),
 * one filter on a computed number and one on a computed boolean: {@code push} sends them to a real
 * receiver in the row JSON, typed like fields, and stamps what it sent; {@code check} reports type
 * errors in calculations and filters with their character positions.
 */
class CalculationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Calculations of every kind the language has, as YAML under {@code calculations:} (CalculationsH2IT too). */
    static final String EVERY_KIND = "      total: \"{quantity} * {unit price}\"\n"
            + "      share: \"{total} / 7\"\n"
            + "      minus: \"-{total}\"\n"
            + "      name: \"upper({last}) || ', ' || {first}\"\n"
            + "      greeting: \"concat('Hi ', {last}, '!')\"\n"
            + "      initials: \"substring({first}, 1, 1) || lower(substring(coalesce({last}, '?'), 1, 1))\"\n"
            + "      name length: \"length(trim(' ' || {first} || ' '))\"\n"
            + "      due: \"add_days({rental date}, 7)\"\n"
            + "      days out: \"days_between({rental date}, {return date})\"\n"
            + "      overdue: \"{return date} is empty and add_days({rental date}, 7) < today()\"\n"
            + "      weekday: \"weekday({rental date})\"\n"
            + "      month start: \"start_of_month({rental date})\"\n"
            + "      next hour: \"add_hours({created}, 1)\"\n"
            + "      created day: \"start_of_day({created})\"\n"
            + "      paid plus: \"add_minutes({paid at}, 90)\"\n"
            + "      status: \"if({overdue}, 'late', 'ok')\"\n"
            + "      biggest: \"greatest({quantity}, {unit price}, 5)\"\n"
            + "      rounded: \"round({share}, 1)\"\n"
            + "      as text: \"text({total}) || ' on ' || text({rental date})\"\n"
            + "      code number: \"number({code})\"\n"
            + "      this year: \"year(today()) >= 2024\"\n";
    /** Filters on a computed number and a computed boolean, as YAML under {@code filters:}. */
    static final String FILTERS = "      - \"{total} > 5\"\n      - \"{last pushed} is empty\"\n"
            + "      - \"not ({status} = 'ok' and {days out} > 100)\"\n";
    private static Postgres pg;

    @TempDir
    Path dir;
    Receiver receiver;

    @BeforeAll
    static void startPostgres() {
        pg = new Postgres();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        pg.close();
    }

    @BeforeEach
    void createRentals() throws IOException {
        receiver = new Receiver();
        pg.sql("DROP TABLE IF EXISTS rental_line",
                "CREATE TABLE rental_line (id integer PRIMARY KEY, quantity numeric(10,2), unit_price numeric(10,2),"
                        + " first_name text, last_name text, rental_date date, return_date date, created timestamp,"
                        + " paid_at timestamptz, code text, last_pushed timestamp)",
                "INSERT INTO rental_line VALUES (1, 3, 4.99, 'Ann', 'lee', DATE '2020-02-27', NULL,"
                        + " TIMESTAMP '2020-02-27 23:30:00', TIMESTAMPTZ '2020-02-27 10:00:00+00', ' 12.50 ', NULL)",
                "INSERT INTO rental_line VALUES (2, 2, 10.00, 'Bo', NULL, DATE '2020-03-01', DATE '2020-03-04',"
                        + " TIMESTAMP '2020-03-01 08:00:00', NULL, 'n/a', NULL)",
                // filtered out: a total of 2.00 is not over 5
                "INSERT INTO rental_line VALUES (3, 1, 2.00, 'Cy', 'Doe', DATE '2020-03-01', NULL, NULL, NULL, NULL, NULL)",
                // filtered out: an empty quantity gives an empty total, which is not over 5
                "INSERT INTO rental_line VALUES (4, NULL, 9.00, 'Di', 'Eve', DATE '2020-03-01', NULL, NULL, NULL, NULL, NULL)");
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private void config(String calculations, String filters) throws IOException {
        Files.writeString(dir.resolve("push.yaml"), pg.databaseYaml()
                + "views:\n"
                + "  - name: rentals\n"
                + "    table: rental_line\n"
                + "    key: id\n"
                + "    fields: {id: id, quantity: quantity, unit price: unit_price, first: first_name, last: last_name,"
                + " rental date: rental_date, return date: return_date, created: created, paid at: paid_at, code: code,"
                + " last pushed: last_pushed}\n"
                + "    calculations:\n" + calculations
                + "    filters:\n" + filters
                + "    push: {url: '" + receiver.url() + "', stamp: last pushed, format: json, retry: {attempts: 1}}\n");
    }

    @Test
    void pushesValueCalculationsOfEveryKindInTheRowJsonAndFiltersOnThem() throws Exception {
        config(EVERY_KIND, FILTERS);

        Jar.Result check = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(check.exit()).as("%s", check).isZero();

        Jar.Result push = Jar.run(dir, "push", "-c", "push.yaml", "rentals");
        assertThat(push.exit()).as("%s", push).isZero();
        assertThat(receiver.requests()).hasSize(1);
        String body = receiver.requests().get(0).body();
        assertThat(body).startsWith("[{\"id\":1,\"quantity\":3.00,\"unit price\":4.99,\"first\":\"Ann\",\"last\":\"lee\","
                + "\"rental date\":\"2020-02-27\",\"return date\":null,\"created\":\"2020-02-27T23:30:00\",");
        assertThat(body).contains("\"total\":14.9700,\"share\":2.138571,\"minus\":-14.9700,\"name\":\"LEE, Ann\","
                + "\"greeting\":\"Hi lee!\",\"initials\":\"Al\",\"name length\":3,\"due\":\"2020-03-05\",\"days out\":null,"
                + "\"overdue\":true,\"weekday\":4,\"month start\":\"2020-02-01\",\"next hour\":\"2020-02-28T00:30:00\","
                + "\"created day\":\"2020-02-27T00:00:00\",");
        JsonNode rows = JSON.readTree(body);
        assertThat(rows).hasSize(2);
        JsonNode ann = rows.get(0);
        assertThat(ann.get("paid plus").asText()).satisfies(t ->
                assertThat(java.time.OffsetDateTime.parse(t).toInstant()).isEqualTo(java.time.Instant.parse("2020-02-27T11:30:00Z")));
        assertThat(ann.get("status").asText()).isEqualTo("late");
        assertThat(ann.get("biggest").decimalValue()).isEqualByComparingTo("5");
        assertThat(ann.get("rounded").isNumber()).isTrue();
        assertThat(ann.get("rounded").decimalValue()).isEqualByComparingTo("2.1");
        assertThat(ann.get("as text").asText()).isEqualTo("14.9700 on 2020-02-27");
        assertThat(body).contains("\"code number\":12.50,");
        assertThat(ann.get("this year").asBoolean()).isTrue();

        JsonNode bo = rows.get(1);
        assertThat(bo.get("id").asInt()).isEqualTo(2);
        assertThat(body).contains("\"total\":20.0000,\"share\":2.857143,\"minus\":-20.0000,\"name\":null,");
        assertThat(bo.get("name").isNull()).as("an empty operand makes || empty").isTrue();
        assertThat(bo.get("greeting").asText()).as("concat skips empties").isEqualTo("Hi !");
        assertThat(bo.get("initials").asText()).isEqualTo("B?");
        assertThat(bo.get("days out").asInt()).isEqualTo(3);
        assertThat(bo.get("overdue").asBoolean()).isFalse();
        assertThat(bo.get("status").asText()).isEqualTo("ok");
        assertThat(bo.get("biggest").decimalValue()).isEqualByComparingTo("10");
        assertThat(bo.get("paid plus").isNull()).isTrue();
        assertThat(bo.get("code number").isNull()).as("'n/a' is not a number").isTrue();

        assertThat(pg.query("SELECT id FROM rental_line WHERE last_pushed IS NOT NULL ORDER BY id"))
                .extracting(r -> r.get("id")).containsExactly(1, 2);
    }

    @Test
    void checkReportsTypeErrorsInCalculationsAndFiltersWithTheirPositions() throws Exception {
        config("      total: \"{quantity} * {first}\"\n"
            + "      due: \"{rental date} + 7\"\n"
            + "      big: \"round({quantity}, {unit price})\"\n"
            + "      label: \"coalesce({code}, 0)\"\n",
                "      - \"{quantity} / 2\"\n");
        Jar.Result check = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(check.exit()).as("%s", check).isNotZero();
        assertThat(check.err())
                .contains("calculations.total, character 14: '*' at 12 needs numbers on both sides, but {first} at 14"
                        + " is text")
                .contains("calculations.due, character 1: '+' at 15 needs numbers on both sides, but {rental date} at 1"
                        + " is a date; move a date or time with add_days(x, n)")
                .contains("calculations.big, character 19: round() at 1 needs the number of decimal places as a whole"
                        + " number from 0 to 18, written as a number like 3, but {unit price} at 19 is a field, not a number"
                        + " written out")
                .contains("calculations.label, character 18: coalesce() at 1 needs arguments of one type, but 0 at 18 is"
                        + " a number and {code} is text")
                .contains("filters[1]").contains("a filter must be true or false, but \"{quantity} / 2\" is a number");
    }
}
