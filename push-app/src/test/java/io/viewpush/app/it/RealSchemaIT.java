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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar on the sample schema ({@link SampleSchema}) on a real PostgreSQL: {@code check} accepts
 * composite keys, schema-qualified and quoted names, an updatable view and a partitioned table
 * keyed by its whole primary key, and explains each refusal; {@code preview} and {@code push} to a
 * real receiver send and stamp rows in key order.
 */
class RealSchemaIT {
    private static final ObjectMapper JSON = new ObjectMapper();
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
    void start() {
        pg.sql(SampleSchema.POSTGRES);
        receiver = new Receiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private void config(String views) throws IOException {
        Files.writeString(dir.resolve("push.yaml"), pg.databaseYaml() + "views:\n" + views);
    }

    private String push(String stamp) {
        return "    push:\n      url: " + receiver.url() + "\n      stamp: " + stamp + "\n      retry: {attempts: 1}\n";
    }

    private String goodViews() {
        return "  - name: cast\n    table: film_actor\n    key: [actor_id, film_id]\n"
                + "    fields: {actor_id: actor_id, film_id: film_id, role: role, pushed: pushed_at}\n"
                + "    filters: ['{pushed} is empty']\n" + push("pushed")
                + "  - name: lines\n    table: '\"Sales\".\"Order Lines\"'\n    key: [order, line]\n"
                + "    fields: {order: Order Id, line: Zeile Nr, Größe: Größe, sent: Gesendet am}\n"
                + "    filters: ['{sent} is empty']\n" + push("sent")
                + "  - name: payments\n    table: payment\n    key: [date, id]\n"
                + "    fields: {id: payment_id, date: payment_date, amount: amount, pushed: pushed_at}\n"
                + "    filters: ['{pushed} is empty']\n" + push("pushed")
                + "  - name: active\n    table: sales.active_orders\n    key: id\n"
                + "    fields: {id: id, customer: customer, pushed: pushed_at}\n"
                + "    filters: ['{pushed} is empty']\n" + push("pushed")
                + "  - name: snapshot\n    table: sales.order_snapshot\n    key: id\n"
                + "    fields: {id: id, customer: customer}\n";
    }

    private List<String> keys(JsonNode rows, String... fields) {
        List<String> keys = new ArrayList<>();
        for (JsonNode row : rows) {
            List<String> values = new ArrayList<>();
            for (String f : fields) {
                values.add(row.get(f).asText());
            }
            keys.add(String.join("/", values));
        }
        return keys;
    }

    @Test
    void checkAcceptsTheSampleAndPushSendsAndStampsEachViewInKeyOrder() throws IOException {
        config(goodViews());
        Jar.Result check = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(check.exit()).as("%s", check).isZero();

        Jar.Result preview = Jar.run(dir, "preview", "-c", "push.yaml", "cast");
        assertThat(preview.exit()).as("%s", preview).isZero();
        assertThat(keys(JSON.readTree(preview.out()), "actor_id", "film_id")).containsExactly("1/1", "1/2", "1/10", "2/1", "10/1");
        assertThat(receiver.requests()).isEmpty();

        for (String view : new String[]{"cast", "lines", "payments", "active"}) {
            Jar.Result r = Jar.run(dir, Map.of(), Duration.ofSeconds(60), "push", "-c", "push.yaml", view);
            assertThat(r.exit()).as("%s: %s", view, r).isZero();
        }
        assertThat(receiver.requests()).hasSize(4);
        assertThat(keys(JSON.readTree(receiver.requests().get(0).json()), "actor_id", "film_id"))
                .containsExactly("1/1", "1/2", "1/10", "2/1", "10/1");
        JsonNode lines = JSON.readTree(receiver.requests().get(1).json());
        assertThat(keys(lines, "order", "line")).containsExactly("1/1", "1/2", "2/1");
        assertThat(lines.get(0).get("Größe").asText()).isEqualTo("S");
        assertThat(keys(JSON.readTree(receiver.requests().get(2).json()), "date", "id"))
                .containsExactly("2024-03-01/1", "2024-12-31/2", "2025-01-01/1");
        assertThat(JSON.readTree(receiver.requests().get(3).json())).hasSize(2);
        assertThat(pg.query("SELECT (SELECT count(*) FROM film_actor WHERE pushed_at IS NULL)"
                + " + (SELECT count(*) FROM \"Sales\".\"Order Lines\" WHERE \"Gesendet am\" IS NULL)"
                + " + (SELECT count(*) FROM payment_2024 WHERE pushed_at IS NULL)"
                + " + (SELECT count(*) FROM payment_2025 WHERE pushed_at IS NULL)"
                + " + (SELECT count(*) FROM sales.orders WHERE pushed_at IS NULL) AS n").get(0).get("n"))
                .as("every row stamped, in whichever partition or table behind the view holds it").isEqualTo(0L);
        Jar.Result again = Jar.run(dir, Map.of(), Duration.ofSeconds(60), "push", "-c", "push.yaml", "cast");
        assertThat(again.out()).contains("nothing to send");
    }

    @Test
    void checkExplainsEveryRefusalOfKeysNamesAndViews() throws IOException {
        config("  - name: by actor\n    table: film_actor\n    key: actor_id\n    fields: {actor_id: actor_id}\n"
                + "  - name: by payment id\n    table: payment\n    key: payment_id\n"
                + "    fields: {payment_id: payment_id}\n"
                + "  - name: tags\n    table: tagged\n    key: id\n    fields: {id: id, tag: tag}\n"
                + "  - name: off path\n    table: orders\n    key: id\n    fields: {id: id}\n"
                + "  - name: totals\n    table: sales.order_totals\n    key: customer\n"
                + "    fields: {customer: customer, at: at}\n" + push("at")
                + "  - name: frozen\n    table: sales.order_snapshot\n    key: id\n"
                + "    fields: {id: id, at: pushed_at}\n" + push("at"));
        Jar.Result check = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(check.exit()).as("%s", check).isEqualTo(2);
        String out = check.out() + check.err();
        assertThat(out).contains("view 'by actor'").contains("film_actor_pkey (actor_id, film_id)");
        assertThat(out).contains("view 'by payment id'").contains("payment_pkey (payment_date, payment_id)");
        assertThat(out).contains("view 'tags'").contains("tagged_id_tag (id, tag)");
        assertThat(out).contains("view 'off path'").contains("'sales.orders'").contains("search path");
        assertThat(out).contains("view 'totals'").contains("INSTEAD OF UPDATE trigger");
        assertThat(out).contains("view 'frozen'").contains("materialized view");
    }
}
