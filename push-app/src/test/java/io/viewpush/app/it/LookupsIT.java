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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lookups and summaries through the jar: a view over orders shows its customer's name and city
 * (three foreign keys away) and the count and sum of its lines; a view over customers counts their
 * rentals. {@code check} accepts them and explains every kind of mistake with the candidates;
 * {@code push} sends every row to a real receiver (an order without a customer with empty fields)
 * and stamps the orders table; filters on lookups and summaries choose the rows; a PATCH of a
 * lookup is a 400 naming it. On PostgreSQL and on an H2 file database.
 */
class LookupsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String KEY = "lookup-key-0123456789";
    private static Postgres pg;

    static final String[] SCHEMA = {
        "CREATE TABLE city (city_id INTEGER PRIMARY KEY, city VARCHAR(50) NOT NULL)",
        "CREATE TABLE address (address_id INTEGER PRIMARY KEY, address VARCHAR(50),"
                + " city_id INTEGER CONSTRAINT address_city_fk REFERENCES city (city_id))",
        "CREATE TABLE customer (customer_id INTEGER PRIMARY KEY, first_name VARCHAR(45),"
                + " address_id INTEGER CONSTRAINT customer_address_fk REFERENCES address (address_id))",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER CONSTRAINT orders_customer_fk"
                + " REFERENCES customer (customer_id), receipt VARCHAR(20), last_pushed TIMESTAMP(3))",
        "CREATE TABLE order_line (order_id INTEGER NOT NULL CONSTRAINT order_line_order_fk REFERENCES orders (id),"
                + " line_no INTEGER NOT NULL, amount NUMERIC(10,2), PRIMARY KEY (order_id, line_no))",
        "CREATE TABLE rental (rental_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL CONSTRAINT rental_customer_fk"
                + " REFERENCES customer (customer_id), rental_date TIMESTAMP(0) NOT NULL)",
        "CREATE TABLE language (language_id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL)",
        "CREATE TABLE film (film_id INTEGER PRIMARY KEY, title VARCHAR(50), language_id INTEGER NOT NULL"
                + " CONSTRAINT film_language_fk REFERENCES language (language_id), original_language_id INTEGER"
                + " CONSTRAINT film_original_language_fk REFERENCES language (language_id))",
        "CREATE TABLE transfer (id INTEGER PRIMARY KEY, from_city INTEGER CONSTRAINT transfer_from_fk REFERENCES"
                + " city (city_id), to_city INTEGER CONSTRAINT transfer_to_fk REFERENCES city (city_id))",
        "INSERT INTO city VALUES (1, 'Lisbon'), (2, 'Porto')",
        "INSERT INTO address VALUES (10, 'Rua A', 1), (11, 'Rua B', 2)",
        "INSERT INTO customer VALUES (100, 'Ada', 10), (101, 'Grace', 11), (102, 'Alan', NULL)",
        "INSERT INTO orders VALUES (1, 100, NULL, NULL), (2, 101, NULL, NULL), (3, 102, NULL, NULL),"
                + " (4, NULL, NULL, NULL), (5, 100, NULL, NULL)",
        "INSERT INTO order_line VALUES (1, 1, 10.50), (1, 2, 4.25), (2, 1, 7.00)",
        "INSERT INTO rental VALUES (1, 100, TIMESTAMP '2024-01-01 10:00:00'), (2, 100, TIMESTAMP '2024-03-01 09:30:00'),"
                + " (3, 101, TIMESTAMP '2024-02-01 08:00:00')",
        "INSERT INTO language VALUES (1, 'English'), (2, 'Japanese')",
        "INSERT INTO film VALUES (1, 'Seven Samurai', 1, 2), (2, 'Alien', 1, NULL)",
    };

    @TempDir
    Path dir;
    Receiver receiver;

    @BeforeAll
    static void startPostgres() {
        pg = new Postgres();
        pg.sql(SCHEMA);
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        pg.close();
    }

    @BeforeEach
    void startReceiver() {
        receiver = new Receiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
        pg.sql("UPDATE orders SET last_pushed = NULL, receipt = NULL");
    }

    private String views() {
        return "views:\n"
                + "  - name: orders\n    table: orders\n    key: id\n"
                + "    fields:\n      id: id\n      customer: customer.first_name\n"
                + "      city: customer.address.city.city\n      lines: count(order_line)\n"
                + "      total: sum(order_line.amount)\n      receipt: receipt\n      last pushed: last_pushed\n"
                + "    calculations: {big: '{total} > 10'}\n"
                + "    filters: ['{last pushed} is empty']\n    writable: [receipt]\n"
                + "    push: {url: '" + receiver.url() + "', stamp: last pushed, retry: {attempts: 1}}\n"
                + "  - name: lisbon\n    table: orders\n    key: id\n"
                + "    fields: {id: id, city: customer.address.city.city, total: sum(order_line.amount)}\n"
                + "    filters: ['{city} = ''Lisbon''', '{total} is not empty']\n"
                + "  - name: customers\n    table: customer\n    key: id\n"
                + "    fields: {id: customer_id, name: first_name, rentals: count(rental), latest: max(rental.rental_date)}\n"
                + "    filters: ['{rentals} >= 1']\n"
                + "  - name: films\n    table: film\n    key: id\n"
                + "    fields: {id: film_id, language: language.name, original: 'language[original_language_id].name'}\n";
    }

    private static List<String> texts(JsonNode rows, String field) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get(field).isNull() ? null : r.get(field).asText()));
        return out;
    }

    private void pushesAndPreviews(String databaseYaml) throws IOException {
        Files.writeString(dir.resolve("push.yaml"), databaseYaml + views());
        Jar.Result check = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(check.exit()).as("%s", check).isZero();

        Jar.Result push = Jar.run(dir, Map.of(), Duration.ofSeconds(60), "push", "-c", "push.yaml", "orders");
        assertThat(push.exit()).as("%s", push).isZero();
        assertThat(receiver.requests()).hasSize(1);
        JsonNode sent = JSON.readTree(receiver.requests().get(0).json());
        assertThat(texts(sent, "id")).containsExactly("1", "2", "3", "4", "5");
        assertThat(sent.get(0).toString()).isEqualTo("{\"id\":1,\"customer\":\"Ada\",\"city\":\"Lisbon\",\"lines\":2,"
                + "\"total\":14.75,\"receipt\":null,\"last pushed\":null,\"big\":true}");
        assertThat(sent.get(3).toString()).as("an order without a customer is sent, its lookups empty")
                .isEqualTo("{\"id\":4,\"customer\":null,\"city\":null,\"lines\":0,\"total\":null,\"receipt\":null,"
                        + "\"last pushed\":null,\"big\":false}");
        assertThat(texts(sent, "city")).containsExactly("Lisbon", "Porto", null, null, "Lisbon");
        Jar.Result again = Jar.run(dir, Map.of(), Duration.ofSeconds(60), "push", "-c", "push.yaml", "orders");
        assertThat(again.out()).as("every order was stamped").contains("nothing to send");

        Jar.Result lisbon = Jar.run(dir, "preview", "-c", "push.yaml", "lisbon");
        assertThat(lisbon.exit()).as("%s", lisbon).isZero();
        assertThat(texts(JSON.readTree(lisbon.out()), "id")).containsExactly("1");
        Jar.Result customers = Jar.run(dir, "preview", "-c", "push.yaml", "customers");
        JsonNode c = JSON.readTree(customers.out());
        assertThat(texts(c, "name")).containsExactly("Ada", "Grace");
        assertThat(texts(c, "rentals")).containsExactly("2", "1");
        assertThat(texts(c, "latest")).containsExactly("2024-03-01T09:30:00", "2024-02-01T08:00:00");
        Jar.Result films = Jar.run(dir, "preview", "-c", "push.yaml", "films");
        assertThat(JSON.readTree(films.out()).toString()).isEqualTo("[{\"id\":1,\"language\":\"English\",\"original\":"
                + "\"Japanese\"},{\"id\":2,\"language\":\"English\",\"original\":null}]");
    }

    @Test
    void onPostgresLookupsAndSummariesArePushedFilteredAndStampedOnTheViewsTable() throws IOException {
        pushesAndPreviews(pg.databaseYaml());
        assertThat(pg.query("SELECT count(*) AS n FROM orders WHERE last_pushed IS NULL").get(0).get("n")).isEqualTo(0L);
    }

    @Test
    void onH2LookupsAndSummariesArePushedFilteredAndStampedOnTheViewsTable() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("data").resolve("shop") + ";DB_CLOSE_ON_EXIT=FALSE";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            for (String sql : SCHEMA) {
                s.execute(sql);
            }
        }
        pushesAndPreviews("database:\n  url: '" + url + "'\n  user: sa\n");
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM orders WHERE last_pushed IS NULL")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void aPatchOfALookupIsRefusedNamingItAndAPatchOfItsOwnColumnWrites() throws Exception {
        Files.writeString(dir.resolve("push.yaml"), pg.databaseYaml() + "server: {host: 127.0.0.1, port: 0}\n"
                + "api:\n  keys:\n    - {name: partner, key: " + KEY + ", views: ['*']}\n" + views());
        try (RunningApp app = new RunningApp(dir, "run", "-c", "push.yaml")) {
            String row = app.base() + "/api/views/orders/rows/1";
            HttpResponse<String> lookup = patch(row, "{\"city\": \"Faro\"}");
            assertThat(lookup.statusCode()).as(lookup.body()).isEqualTo(400);
            assertThat(lookup.body()).contains("field 'city' of view 'orders' is a lookup (customer.address.city.city),"
                    + " which is read-only");
            HttpResponse<String> summary = patch(row, "{\"lines\": 3}");
            assertThat(summary.statusCode()).as(summary.body()).isEqualTo(400);
            assertThat(summary.body()).contains("field 'lines' of view 'orders' is a summary (count(order_line))");
            HttpResponse<String> receipt = patch(row, "{\"receipt\": \"R-1\"}");
            assertThat(receipt.statusCode()).as(receipt.body()).isEqualTo(200);
            assertThat(JSON.readTree(receipt.body()).get("city").asText()).isEqualTo("Lisbon");
            assertThat(pg.query("SELECT receipt FROM orders WHERE id = 1").get(0).get("receipt")).isEqualTo("R-1");
            assertThat(pg.query("SELECT city FROM city WHERE city_id = 1").get(0).get("city")).isEqualTo("Lisbon");
        }
    }

    private static HttpResponse<String> patch(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void checkExplainsEveryKindOfMistakeWithTheCandidates() throws IOException {
        Files.writeString(dir.resolve("push.yaml"), pg.databaseYaml() + "views:\n"
                + "  - name: unknown relation\n    table: orders\n    key: id\n    fields: {id: id, name: custmer.first_name}\n"
                + "  - name: ambiguous\n    table: transfer\n    key: id\n    fields: {id: id, city: city.city}\n"
                + "  - name: unknown column\n    table: orders\n    key: id\n"
                + "    fields: {id: id, city: customer.address.city.name}\n"
                + "  - name: unknown summary\n    table: customer\n    key: id\n    fields: {id: customer_id, n: count(rentals)}\n"
                + "  - name: writable lookup\n    table: orders\n    key: id\n    fields: {id: id, name: customer.first_name}\n"
                + "    writable: [name]\n"
                + "  - name: sum of text\n    table: customer\n    key: id\n"
                + "    fields: {id: customer_id, s: sum(orders.receipt)}\n");
        Jar.Result check = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(check.exit()).as("%s", check).isEqualTo(2);
        String out = check.out() + check.err();
        assertThat(out).contains("view 'unknown relation'").contains("table 'orders' has no foreign key 'custmer'; its"
                + " foreign keys: customer_id -> customer, constraint orders_customer_fk (write customer)");
        assertThat(out).contains("view 'ambiguous'").contains("'city' is ambiguous: table 'transfer' has 2 foreign keys"
                + " to table 'city'; write one of city[from_city] (from_city -> city, constraint transfer_from_fk),"
                + " city[to_city] (to_city -> city, constraint transfer_to_fk)");
        assertThat(out).contains("view 'unknown column'").contains("table 'city' has no column 'name' (its columns: city_id, city)");
        assertThat(out).contains("view 'unknown summary'").contains("no table refers to table 'customer' as 'rentals';"
                + " the tables that refer to it: orders.customer_id, constraint orders_customer_fk (write orders),"
                + " rental.customer_id, constraint rental_customer_fk (write rental)");
        assertThat(out).contains("view 'writable lookup'").contains("field 'name' is a lookup (customer.first_name), which is"
                + " read-only");
        assertThat(out).contains("view 'sum of text'").contains("sum adds numbers, but column 'receipt' of table 'orders' is");
    }
}
