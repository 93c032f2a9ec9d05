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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's fourth set-up through the jar, "pushed again when the customer changes": orders with
 * their customer's name and last update (a lookup) and {@code push.modified} the later of the
 * order's and the customer's last update. Everything is pushed once; renaming a customer pushes
 * exactly that customer's orders again; a customer or order changed while a push waits for the
 * receiver keeps its rows from being stamped (the optimistic check compares the calculated value),
 * so they go out with the next push. {@code check} explains modified calculations that cannot work.
 * On PostgreSQL and on an H2 file database.
 */
class ModifiedCalculationIT {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    private static Postgres pg;

    static final String[] SCHEMA = {
        "CREATE TABLE customer (customer_id INTEGER PRIMARY KEY, first_name VARCHAR(45), last_update TIMESTAMP(6) NOT NULL)",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER CONSTRAINT orders_customer_fk"
                + " REFERENCES customer (customer_id), amount NUMERIC(10,2), last_update TIMESTAMP(6) NOT NULL,"
                + " last_pushed TIMESTAMP(6))",
        "CREATE INDEX orders_customer ON orders (customer_id)",
        "INSERT INTO customer VALUES (100, 'Ada', TIMESTAMP '2024-01-01 00:00:00'),"
                + " (101, 'Grace', TIMESTAMP '2024-01-02 00:00:00'), (102, 'Alan', TIMESTAMP '2024-01-03 00:00:00')",
        "INSERT INTO orders VALUES (1, 100, 10, TIMESTAMP '2024-02-01 00:00:00', NULL),"
                + " (2, 101, 20, TIMESTAMP '2024-02-02 00:00:00', NULL), (3, 102, 30, TIMESTAMP '2024-02-03 00:00:00', NULL),"
                + " (4, 101, 40, TIMESTAMP '2023-12-01 00:00:00', NULL), (5, NULL, 50, TIMESTAMP '2024-02-05 00:00:00', NULL)",
    };

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
    void startReceiver() {
        receiver = new Receiver();
        pg.sql("DROP TABLE IF EXISTS orders", "DROP TABLE IF EXISTS customer");
        pg.sql(SCHEMA);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private String view() {
        return "views:\n"
                + "  - name: orders\n    table: orders\n    key: id\n"
                + "    fields:\n      id: id\n      amount: amount\n      last update: last_update\n"
                + "      customer: customer.first_name\n      customer last update: customer.last_update\n"
                + "      last pushed: last_pushed\n"
                + "    calculations:\n      modified: 'greatest({last update}, {customer last update})'\n"
                + "    filters: ['{last pushed} is empty or {modified} > {last pushed}']\n"
                + "    push: {url: '" + receiver.url() + "', stamp: last pushed, modified: modified, retry: {attempts: 1}}\n";
    }

    private static List<String> texts(JsonNode rows, String field) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get(field).isNull() ? null : r.get(field).asText()));
        return out;
    }

    private JsonNode push() throws IOException {
        int before = receiver.requests().size();
        Jar.Result push = Jar.run(dir, Map.of(), Duration.ofSeconds(60), "push", "-c", "push.yaml", "orders");
        assertThat(push.exit()).as("%s", push).isZero();
        if (receiver.requests().size() == before) {
            assertThat(push.out()).contains("nothing to send");
            return JSON.createArrayNode();
        }
        assertThat(receiver.requests()).hasSize(before + 1);
        return JSON.readTree(receiver.requests().get(before).json());
    }

    /**
     * @param sql      runs statements against the database
     * @param writeNow the SQL expression of the time a row is written (what ViewPush's trigger writes)
     */
    private void customerChangesArePushedAgain(String databaseYaml, Consumer<String[]> sql, String writeNow,
                                               boolean changeDuringPush) throws IOException {
        Files.writeString(dir.resolve("push.yaml"), databaseYaml + view());
        Jar.Result check = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(check.exit()).as("%s", check).isZero();

        JsonNode first = push();
        assertThat(texts(first, "id")).containsExactly("1", "2", "3", "4", "5");
        assertThat(first.get(3).toString()).as("the later of the order's and its customer's last update")
                .isEqualTo("{\"id\":4,\"amount\":40.00,\"last update\":\"2023-12-01T00:00:00\",\"customer\":\"Grace\","
                        + "\"customer last update\":\"2024-01-02T00:00:00\",\"last pushed\":null,"
                        + "\"modified\":\"2024-01-02T00:00:00\"}");
        assertThat(texts(first, "modified")).as("an order without a customer: its own last update")
                .endsWith("2024-02-05T00:00:00");
        assertThat(texts(push(), "id")).as("everything was stamped").isEmpty();

        sql.accept(new String[]{"UPDATE customer SET first_name = 'Grace H.', last_update = " + writeNow
                + " WHERE customer_id = 101"});
        JsonNode renamed = push();
        assertThat(texts(renamed, "id")).as("exactly Grace's orders").containsExactly("2", "4");
        assertThat(texts(renamed, "customer")).containsExactly("Grace H.", "Grace H.");
        assertThat(texts(push(), "id")).isEmpty();

        if (!changeDuringPush) {
            return; // an H2 file database is open in one process only: the jar's, while it pushes
        }
        // changed while the receiver holds the request: read, sent, but not stamped
        receiver.onNextRequest(() -> sql.accept(new String[]{
            "UPDATE customer SET first_name = 'Ada L.', last_update = " + writeNow + " WHERE customer_id = 100",
            "UPDATE orders SET amount = 31, last_update = " + writeNow + " WHERE id = 3"}));
        sql.accept(new String[]{"UPDATE orders SET amount = 11, last_update = " + writeNow + " WHERE id IN (1, 3, 5)"});
        assertThat(texts(push(), "id")).containsExactly("1", "3", "5");
        JsonNode resent = push();
        assertThat(texts(resent, "id")).as("orders 1 (its customer changed) and 3 (it changed) were not stamped")
                .containsExactly("1", "3");
        assertThat(texts(resent, "customer")).containsExactly("Ada L.", "Alan");
        assertThat(resent.get(1).get("amount").asDouble()).as("order 3 as it is now").isEqualTo(31.0);
        assertThat(texts(push(), "id")).isEmpty();
    }

    @Test
    void onPostgresACustomersChangePushesExactlyItsOrdersAgain() throws IOException {
        customerChangesArePushedAgain(pg.databaseYaml(), pg::sql, "clock_timestamp()", true);
    }

    @Test
    void onH2ACustomersChangePushesExactlyItsOrdersAgain() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("data").resolve("shop") + ";DB_CLOSE_ON_EXIT=FALSE";
        Consumer<String[]> h2 = statements -> {
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        h2.accept(SCHEMA);
        customerChangesArePushedAgain("database:\n  url: '" + url + "'\n  user: sa\n", h2, "LOCALTIMESTAMP(6)", false);
    }

    @Test
    void checkExplainsModifiedCalculationsThatCannotWork() throws IOException {
        String fields = "    fields: {id: id, last update: last_update, customer last update: customer.last_update,"
                + " customer: customer.first_name, amount: amount, last pushed: last_pushed}\n";
        String push = "    push: {url: '" + receiver.url() + "', stamp: last pushed, modified: modified}\n";
        Files.writeString(dir.resolve("push.yaml"), pg.databaseYaml() + "views:\n"
                + "  - name: uses now\n    table: orders\n    key: id\n" + fields
                + "    calculations: {modified: 'greatest({last update}, now())'}\n" + push
                + "  - name: a number\n    table: orders\n    key: id\n" + fields
                + "    calculations: {modified: '{amount} * 2'}\n" + push
                + "  - name: uses the stamp\n    table: orders\n    key: id\n" + fields
                + "    calculations: {modified: 'greatest({customer last update}, {last pushed})'}\n" + push
                + "  - name: a lookup\n    table: orders\n    key: id\n" + fields
                + "    push: {url: '" + receiver.url() + "', stamp: last pushed, modified: customer last update}\n"
                + "  - name: wrong types\n    table: orders\n    key: id\n" + fields
                + "    calculations: {modified: 'greatest({last update}, {customer})'}\n" + push);
        Jar.Result check = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(check.exit()).as("%s", check).isEqualTo(2);
        String out = check.out() + check.err();
        assertThat(out).contains("push.yaml:10:55: view 'uses now', calculations.modified, character 25: push.modified"
                + " names calculation 'modified', which uses now() at 25 in \"greatest({last update}, now())\": a modified"
                + " value must change only when the row or a related row does");
        assertThat(out).contains("push.yaml:16:40: view 'a number', calculations.modified, character 10: push.modified"
                + " names calculation 'modified', which is a number at 10 in \"{amount} * 2\"; a calculated modified value"
                + " must be a timestamp (with or without time zone)");
        assertThat(out).contains("push.yaml:22:64: view 'uses the stamp', calculations.modified, character 34:"
                + " push.modified names calculation 'modified', which uses the stamp field {last pushed} at 34");
        assertThat(out).contains("push.yaml:28:78: view 'a lookup', push.modified: the modified field 'customer last"
                + " update' is a lookup (customer.last_update); the modified field is a column of the view's own table,"
                + " or a calculation that uses the lookup, e.g. greatest({last update}, {customer last update})");
        assertThat(out).contains("push.yaml:33:55: view 'wrong types', calculations.modified, character 25: greatest()"
                + " at 1 needs arguments of one type, but {customer} at 25 is text");
        assertThat(out).contains("5 problems; nothing was started.");
    }
}
