package io.viewpush.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CalculationsIT} on the H2 option, through the jar: value calculations of every kind in
 * the pushed JSON and filters on a computed number and a computed boolean. Numbers are compared by
 * value, since H2 may give a value the scale of the SQL result where values of different scales
 * meet (the README says so).
 */
class CalculationsH2IT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Receiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = new Receiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private String url() {
        return "jdbc:h2:file:" + dir.toString().replace('\\', '/') + "/db";
    }

    @Test
    void pushesValueCalculationsOfEveryKindInTheRowJsonAndFiltersOnThem() throws Exception {
        Files.writeString(dir.resolve("init.sql"), """
                CREATE TABLE IF NOT EXISTS rental_line (id INTEGER PRIMARY KEY, quantity NUMERIC(10,2),
                    unit_price NUMERIC(10,2), first_name VARCHAR(40), last_name VARCHAR(40), rental_date DATE,
                    return_date DATE, created TIMESTAMP, paid_at TIMESTAMP WITH TIME ZONE, code VARCHAR(20),
                    last_pushed TIMESTAMP);
                MERGE INTO rental_line KEY (id) VALUES
                    (1, 3, 4.99, 'Ann', 'lee', DATE '2020-02-27', NULL, TIMESTAMP '2020-02-27 23:30:00',
                     TIMESTAMP WITH TIME ZONE '2020-02-27 10:00:00+00', ' 12.50 ', NULL),
                    (2, 2, 10.00, 'Bo', NULL, DATE '2020-03-01', DATE '2020-03-04', TIMESTAMP '2020-03-01 08:00:00',
                     NULL, 'n/a', NULL),
                    (3, 1, 2.00, 'Cy', 'Doe', DATE '2020-03-01', NULL, NULL, NULL, NULL, NULL),
                    (4, NULL, 9.00, 'Di', 'Eve', DATE '2020-03-01', NULL, NULL, NULL, NULL, NULL);
                """);
        Files.writeString(dir.resolve("push.yaml"), "database:\n  url: " + url() + "\n  init: init.sql\n"
                + "views:\n"
                + "  - name: rentals\n"
                + "    table: rental_line\n"
                + "    key: id\n"
                + "    fields: {id: id, quantity: quantity, unit price: unit_price, first: first_name, last: last_name,"
                + " rental date: rental_date, return date: return_date, created: created, paid at: paid_at, code: code,"
                + " last pushed: last_pushed}\n"
                + "    calculations:\n" + CalculationsIT.EVERY_KIND
                + "    filters:\n" + CalculationsIT.FILTERS
                + "    push: {url: '" + receiver.url() + "', stamp: last pushed, format: json, retry: {attempts: 1}}\n");

        Jar.Result check = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(check.exit()).as("%s", check).isZero();
        Jar.Result push = Jar.run(dir, "push", "-c", "push.yaml", "rentals");
        assertThat(push.exit()).as("%s", push).isZero();
        assertThat(receiver.requests()).hasSize(1);
        JsonNode rows = JSON.readTree(receiver.requests().get(0).body());
        assertThat(rows).as("rows 3 (a total of 2.00) and 4 (an empty total) are filtered out").hasSize(2);

        JsonNode ann = rows.get(0);
        assertThat(ann.get("id").asInt()).isEqualTo(1);
        assertThat(ann.get("total").decimalValue()).isEqualByComparingTo("14.97");
        assertThat(ann.get("share").decimalValue()).isEqualByComparingTo("2.138571");
        assertThat(ann.get("minus").decimalValue()).isEqualByComparingTo("-14.97");
        assertThat(ann.get("name").asText()).isEqualTo("LEE, Ann");
        assertThat(ann.get("greeting").asText()).isEqualTo("Hi lee!");
        assertThat(ann.get("initials").asText()).isEqualTo("Al");
        assertThat(ann.get("name length").asInt()).isEqualTo(3);
        assertThat(ann.get("due").asText()).isEqualTo("2020-03-05");
        assertThat(ann.get("days out").isNull()).isTrue();
        assertThat(ann.get("overdue").asBoolean()).isTrue();
        assertThat(ann.get("weekday").asInt()).isEqualTo(4);
        assertThat(ann.get("month start").asText()).isEqualTo("2020-02-01");
        assertThat(ann.get("next hour").asText()).isEqualTo("2020-02-28T00:30:00");
        assertThat(ann.get("created day").asText()).isEqualTo("2020-02-27T00:00:00");
        assertThat(OffsetDateTime.parse(ann.get("paid plus").asText()).toInstant())
                .isEqualTo(Instant.parse("2020-02-27T11:30:00Z"));
        assertThat(ann.get("status").asText()).isEqualTo("late");
        assertThat(ann.get("biggest").decimalValue()).isEqualByComparingTo("5");
        assertThat(ann.get("rounded").decimalValue()).isEqualByComparingTo("2.1");
        assertThat(ann.get("code number").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(ann.get("as text").asText()).isEqualTo("14.9700 on 2020-02-27");
        assertThat(ann.get("this year").asBoolean()).isTrue();

        JsonNode bo = rows.get(1);
        assertThat(bo.get("id").asInt()).isEqualTo(2);
        assertThat(bo.get("total").decimalValue()).isEqualByComparingTo("20");
        assertThat(bo.get("name").isNull()).as("an empty operand makes || empty").isTrue();
        assertThat(bo.get("greeting").asText()).as("concat skips empties").isEqualTo("Hi !");
        assertThat(bo.get("initials").asText()).isEqualTo("B?");
        assertThat(bo.get("days out").asInt()).isEqualTo(3);
        assertThat(bo.get("overdue").asBoolean()).isFalse();
        assertThat(bo.get("status").asText()).isEqualTo("ok");
        assertThat(bo.get("biggest").decimalValue()).isEqualByComparingTo("10");
        assertThat(bo.get("paid plus").isNull()).isTrue();
        assertThat(bo.get("code number").isNull()).as("'n/a' is not a number").isTrue();

        List<Integer> stamped = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM rental_line WHERE last_pushed IS NOT NULL ORDER BY id")) {
            while (rs.next()) {
                stamped.add(rs.getInt(1));
            }
        }
        assertThat(stamped).containsExactly(1, 2);
    }
}
