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
 * The runnable jar against a real PostgreSQL and a real receiver: the seed's set-ups through
 * {@code push}, a failed push followed by a successful one, {@code preview} sending nothing, and
 * {@code check} on good and bad configs.
 */
class PostgresPushIT {
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
    void startReceiver() {
        receiver = new Receiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private void ordersTable(String table) {
        pg.sql("DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id integer PRIMARY KEY, customer text, amount numeric(10,2), "
                        + "last_modified timestamp NOT NULL DEFAULT clock_timestamp(), last_pushed timestamp, receipt_id text)",
                "INSERT INTO " + table + " (id, customer, amount) VALUES (1, 'Ada', 12.50), (2, 'Grace', 99.99)");
    }

    private Path config(String table, String filters, String calculations, String extraPush) throws IOException {
        String yaml = pg.databaseYaml()
                + "views:\n"
                + "  - name: orders to push\n"
                + "    table: " + table + "\n"
                + "    key: id\n"
                + "    fields:\n"
                + "      id: id\n"
                + "      customer: customer\n"
                + "      amount: amount\n"
                + "      last modified [auto]: last_modified\n"
                + "      last pushed: last_pushed\n"
                + "      receipt id: receipt_id\n"
                + calculations
                + "    filters:\n" + filters
                + "    writable: [receipt id]\n"
                + "    push:\n"
                + "      url: " + receiver.url() + "\n"
                + "      stamp: last pushed\n"
                + "      minInterval: 30s\n"
                + "      retry: {attempts: 1}\n"
                + extraPush;
        Path file = dir.resolve("push.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static final String NEEDS_PUSHING = "    calculations:\n"
            + "      needs pushing: \"{last modified [auto]} > {last pushed}\"\n";

    private Jar.Result push() {
        return Jar.run(dir, Map.of(), Duration.ofSeconds(60), "push", "-c", "push.yaml", "orders to push");
    }

    private List<Integer> ids(Receiver.Request r) throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (JsonNode row : JSON.readTree(r.json())) {
            ids.add(row.get("id").asInt());
        }
        return ids;
    }

    @Test
    void modifiedSincePushedSendsNewRowsThenOnlyTheChangedOne() throws IOException {
        ordersTable("orders_modified");
        config("orders_modified", "      - \"{needs pushing} = true\"\n", NEEDS_PUSHING,
                "      modified: last modified [auto]\n");

        Jar.Result first = push();
        assertThat(first.exit()).as("%s", first).isZero();
        assertThat(first.out()).contains("view 'orders to push' success: 2 rows in 1 batch").contains("2 stamped");
        assertThat(receiver.requests()).hasSize(1);
        Receiver.Request r = receiver.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        JsonNode rows = JSON.readTree(r.json());
        assertThat(rows).hasSize(2);
        List<String> keys = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("id", "customer", "amount", "last modified [auto]", "last pushed", "receipt id",
                "needs pushing");
        assertThat(rows.get(0).get("amount").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(rows.get(0).get("needs pushing").asBoolean()).isTrue();
        assertThat(pg.query("SELECT count(*) AS n FROM orders_modified WHERE last_pushed IS NULL").get(0).get("n"))
                .isEqualTo(0L);

        Jar.Result second = push();
        assertThat(second.exit()).as("%s", second).isZero();
        assertThat(second.out()).contains("nothing to send");
        assertThat(receiver.requests()).hasSize(1);

        pg.sql("UPDATE orders_modified SET amount = 5, last_modified = clock_timestamp() WHERE id = 2");
        Jar.Result third = push();
        assertThat(third.exit()).as("%s", third).isZero();
        assertThat(third.out()).contains("1 row in 1 batch");
        assertThat(receiver.requests()).hasSize(2);
        assertThat(ids(receiver.requests().get(1))).containsExactly(2);
        assertThat(JSON.readTree(receiver.requests().get(1).json()).get(0).get("amount").decimalValue())
                .isEqualByComparingTo("5");
    }

    @Test
    void neverPushedSendsEachRowOnce() throws IOException {
        ordersTable("orders_never");
        config("orders_never", "      - \"{last pushed} is empty\"\n", "", "      format: json\n");

        assertThat(push().exit()).isZero();
        assertThat(receiver.requests()).hasSize(1);
        assertThat(receiver.requests().get(0).header("Content-Type")).startsWith("application/json");
        assertThat(ids(receiver.requests().get(0))).containsExactly(1, 2);

        pg.sql("INSERT INTO orders_never (id, customer, amount) VALUES (3, 'Linus', 1)");
        Jar.Result again = push();
        assertThat(again.exit()).as("%s", again).isZero();
        assertThat(ids(receiver.requests().get(1))).containsExactly(3);

        Jar.Result nothing = push();
        assertThat(nothing.exit()).isZero();
        assertThat(nothing.out()).contains("nothing to send");
        assertThat(receiver.requests()).hasSize(2);
    }

    @Test
    void failedPushLeavesRowsUnstampedAndTheNextPushDeliversThemWithTheSameId() throws IOException {
        ordersTable("orders_failing");
        config("orders_failing", "      - \"{needs pushing} = true\"\n", NEEDS_PUSHING, "");
        receiver.answer(500);

        Jar.Result failed = push();
        assertThat(failed.exit()).as("%s", failed).isEqualTo(1);
        assertThat(failed.out()).contains("view 'orders to push' failed: 2 rows in 1 batch").contains("500")
                .contains("not stamped");
        assertThat(pg.query("SELECT count(*) AS n FROM orders_failing WHERE last_pushed IS NULL").get(0).get("n"))
                .isEqualTo(2L);

        receiver.answer(200);
        Jar.Result delivered = push();
        assertThat(delivered.exit()).as("%s", delivered).isZero();
        assertThat(receiver.requests()).hasSize(2);
        assertThat(ids(receiver.requests().get(1))).containsExactly(1, 2);
        assertThat(receiver.requests().get(1).header("webhook-id"))
                .isEqualTo(receiver.requests().get(0).header("webhook-id"));
        assertThat(pg.query("SELECT count(*) AS n FROM orders_failing WHERE last_pushed IS NULL").get(0).get("n"))
                .isEqualTo(0L);
    }

    @Test
    void previewPrintsTheJsonAndSendsAndStampsNothing() throws IOException {
        ordersTable("orders_preview");
        config("orders_preview", "      - \"{needs pushing} = true\"\n", NEEDS_PUSHING, "      maxRows: 1\n");

        Jar.Result r = Jar.run(dir, "preview", "-c", "push.yaml", "orders to push");
        assertThat(r.exit()).as("%s", r).isZero();
        JsonNode rows = JSON.readTree(r.out());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("customer").asText()).isEqualTo("Grace");
        assertThat(r.err()).contains("2 rows in view 'orders to push'; a push would send them in 2 requests of at most 1 rows");
        assertThat(receiver.requests()).isEmpty();
        assertThat(pg.query("SELECT count(*) AS n FROM orders_preview WHERE last_pushed IS NULL").get(0).get("n"))
                .isEqualTo(2L);
    }

    @Test
    void pushOfAnUnknownViewIsAUsageError() throws IOException {
        ordersTable("orders_unknown");
        config("orders_unknown", "      - \"{needs pushing} = true\"\n", NEEDS_PUSHING, "");
        Jar.Result r = Jar.run(dir, "push", "-c", "push.yaml", "orders");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("there is no view named 'orders' (did you mean 'orders to push'?)");
        Jar.Result usage = Jar.run(dir, "push", "--no-such-option", "orders to push");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void checkSaysOkWithASummaryPerView() throws IOException {
        ordersTable("orders_check");
        config("orders_check", "      - \"{needs pushing} = true\"\n", NEEDS_PUSHING, "");
        Jar.Result r = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).startsWith("ok: push.yaml is valid against the database; 1 view, 0 API keys")
                .contains("'orders to push': table orders_check, 6 fields, 1 calculation, 1 filter, writable [receipt id]; "
                        + "pushes to " + receiver.url().replace("/hook", "/\u2026") + " at most every 30s (form, stamps 'last pushed')");
    }

    @Test
    void checkListsEveryProblemTheDatabaseFinds() throws IOException {
        pg.sql("DROP TABLE IF EXISTS orders_bad",
                "CREATE TABLE orders_bad (id integer PRIMARY KEY, customer text, last_modified timestamp, last_pushed text)");
        Path file = config("orders_bad", "      - \"{needs pushing} = true\"\n", NEEDS_PUSHING, "");
        String yaml = Files.readString(file) + String.join("\n",
                "  - name: missing table",
                "    table: no_such_table",
                "    key: id",
                "    fields: [id]",
                "  - name: typed",
                "    table: orders_bad",
                "    key: id",
                "    fields: [id, customer]",
                "    filters: [\"{customer} > 5\"]",
                "");
        Files.writeString(file, yaml);

        Jar.Result r = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.err())
                .contains("push.yaml:12:7: view 'orders to push', fields.amount: field 'amount' maps to column 'amount', "
                        + "which table 'orders_bad' does not have")
                .contains("push.yaml:15:7: view 'orders to push', fields.receipt id: field 'receipt id' maps to column "
                        + "'receipt_id', which table 'orders_bad' does not have")
                .contains("push.yaml:23:14: view 'orders to push', push.stamp: the stamp field 'last pushed' (column "
                        + "'last_pushed' of table 'orders_bad') must be a timestamp column")
                .contains("view 'missing table', table: table 'no_such_table' does not exist")
                .containsPattern("push.yaml:34:\\d+: view 'typed', filters\\[1], character \\d+: .*text.*number|"
                        + "push.yaml:34:\\d+: view 'typed', filters\\[1], character \\d+: .*number.*text")
                .contains("5 problems in push.yaml.");
        assertThat(r.out()).isEmpty();

        Jar.Result run = Jar.run(dir, "run", "-c", "push.yaml");
        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("view 'missing table', table: table 'no_such_table' does not exist")
                .contains("5 problems; nothing was started.")
                .doesNotContain("API listening").doesNotContain("API on");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void checkOfABadFileExitsTwoWithEveryMistakeAndStartsNothing() throws IOException {
        ordersTable("orders_typo");
        Path file = config("orders_typo", "      - \"{needs pushing} = true\"\n", NEEDS_PUSHING, "");
        Files.writeString(file, Files.readString(file).replace("minInterval: 30s", "minIntervall: 30s")
                .replace("{last pushed}\"", "{last pushd}\""));
        Jar.Result r = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("push.yaml:17:48: view 'orders to push', calculations.needs pushing, character 26: "
                        + "unknown field {last pushd}")
                .contains("push.yaml:24:7: view 'orders to push', push.minIntervall: unknown key 'minIntervall'; "
                        + "did you mean 'minInterval'?")
                .contains("2 problems; nothing was started.");
        Jar.Result run = Jar.run(dir, "run", "-c", "push.yaml");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unknown key 'minIntervall'").doesNotContain("API on");
    }
}
