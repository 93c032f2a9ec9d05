package io.viewpush.jdbc;

import io.viewpush.port.PushSession;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.StampResult;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code push.modified} that is a calculation over the row and its related rows: a change of a
 * customer (or of its city) brings back exactly that customer's orders, and the optimistic check at
 * stamping compares the value the database computes then, on every stamping path.
 */
abstract class CalculatedModifiedCases extends StoreCases {

    CalculatedModifiedCases(TestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeAll
    void createTables() {
        db.execute("CREATE TABLE mc_city (city_id INTEGER PRIMARY KEY, city VARCHAR(50), last_update TIMESTAMP(6))",
                "CREATE TABLE mc_customer (customer_id INTEGER PRIMARY KEY, name VARCHAR(50), city_id INTEGER"
                        + " REFERENCES mc_city (city_id), last_update TIMESTAMP(6))",
                "CREATE TABLE mc_order (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES mc_customer (customer_id),"
                        + " amount NUMERIC(10,2), last_update TIMESTAMP(6), last_pushed TIMESTAMP(6))",
                "CREATE TABLE mc_line (order_id INTEGER NOT NULL REFERENCES mc_order (id), line_no INTEGER NOT NULL,"
                        + " changed TIMESTAMP(6), PRIMARY KEY (order_id, line_no))");
    }

    @BeforeEach
    void rows() {
        db.execute("DELETE FROM mc_line", "DELETE FROM mc_order", "DELETE FROM mc_customer", "DELETE FROM mc_city",
                "INSERT INTO mc_city VALUES (1, 'Lisbon', TIMESTAMP '2024-01-01 00:00:00'), (2, 'Porto', NULL)",
                "INSERT INTO mc_customer VALUES (100, 'Ada', 1, TIMESTAMP '2024-02-01 00:00:00'),"
                        + " (101, 'Grace', 2, TIMESTAMP '2024-02-02 00:00:00'), (102, 'Alan', NULL, NULL)",
                "INSERT INTO mc_order VALUES (1, 100, 10, TIMESTAMP '2024-03-01 00:00:00', NULL),"
                        + " (2, 101, 20, TIMESTAMP '2024-01-15 00:00:00', NULL), (3, 100, 30, NULL, NULL),"
                        + " (4, NULL, 40, TIMESTAMP '2024-03-04 00:00:00', NULL), (5, 102, 50, TIMESTAMP '2024-03-05 00:00:00', NULL),"
                        + " (6, 101, 60, TIMESTAMP '2024-03-06 00:00:00', NULL)",
                "INSERT INTO mc_line VALUES (6, 1, TIMESTAMP '2024-04-01 00:00:00.123456')");
    }

    /** Orders with their customer, the customer's city and lines; modified is the latest of all four times. */
    private View orders(String name) {
        return bind(ViewDefinition.builder(name, "mc_order").key("id")
                .field("id", "id")
                .field("amount", "amount")
                .field("last update", "last_update")
                .field("customer", "mc_customer.name")
                .field("customer last update", "mc_customer.last_update")
                .field("city last update", "mc_customer.mc_city.last_update")
                .field("line changed", "max(mc_line.changed)")
                .field("last pushed", "last_pushed")
                .calculation("modified", "greatest({last update}, {customer last update}, {city last update},"
                        + " {line changed})")
                .filter("{last pushed} is empty or {modified} > {last pushed}")
                .push(policy("last pushed", "modified"))
                .build());
    }

    private long pushAll(DefaultJdbcPushStore s, View view) {
        try (PushSession session = s.begin(view, "test-engine", Duration.ofMinutes(1), SNAPSHOT, false).orElseThrow();
             RowCursor rows = session.rows(); StampBatch batch = session.batch()) {
            rows.forEachRemaining(batch::add);
            StampResult result = batch.commit();
            assertThat(result.skipped()).isZero();
            return result.stamped();
        }
    }

    private static List<Object> keys(List<Row> rows) {
        List<Object> keys = new ArrayList<>();
        rows.forEach(r -> keys.add(((BigDecimal) r.key()).intValue()));
        return keys;
    }

    private List<Integer> stampedIds() {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM mc_order WHERE last_pushed IS NOT NULL ORDER BY id")) {
            List<Integer> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
            return ids;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theModifiedValueIsTheLatestOfTheRowsAndItsRelatedRowsTimes() {
        View view = orders("latest");
        List<Row> rows = readAll(view);
        assertThat(rows).extracting(r -> r.get("modified")).containsExactly(
                LocalDateTime.parse("2024-03-01T00:00:00"), LocalDateTime.parse("2024-02-02T00:00:00"),
                LocalDateTime.parse("2024-02-01T00:00:00"), LocalDateTime.parse("2024-03-04T00:00:00"),
                LocalDateTime.parse("2024-03-05T00:00:00"), LocalDateTime.parse("2024-04-01T00:00:00.123456"));
    }

    @Test
    void aCustomersChangeBringsBackExactlyThatCustomersOrdersOnEveryStampingPath() {
        for (int chunk : new int[]{2, JdbcPushStore.DEFAULT_STAMP_BATCH_SIZE}) {
            rows();
            DefaultJdbcPushStore s = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).stampBatchSize(chunk)
                    .migrateOnBuild(false).build();
            View view = orders("customer changes " + chunk);
            assertThat(pushAll(s, view)).as("chunk %d", chunk).isEqualTo(6);
            assertThat(readAll(view)).as("chunk %d: everything was pushed", chunk).isEmpty();

            db.execute("UPDATE mc_customer SET name = 'Grace H.', last_update = LOCALTIMESTAMP WHERE customer_id = 101");
            assertThat(keys(readAll(view))).as("chunk %d: Grace's orders, and no other", chunk).containsExactly(2, 6);
            assertThat(pushAll(s, view)).as("chunk %d", chunk).isEqualTo(2);
            assertThat(readAll(view)).as("chunk %d", chunk).isEmpty();

            db.execute("UPDATE mc_city SET last_update = LOCALTIMESTAMP WHERE city_id = 1");
            assertThat(keys(readAll(view))).as("chunk %d: the orders of Lisbon's customer", chunk).containsExactly(1, 3);
            assertThat(pushAll(s, view)).as("chunk %d", chunk).isEqualTo(2);

            db.execute("INSERT INTO mc_line VALUES (5, 1, LOCALTIMESTAMP)");
            assertThat(keys(readAll(view))).as("chunk %d: a new line of order 5", chunk).containsExactly(5);
            assertThat(pushAll(s, view)).as("chunk %d", chunk).isEqualTo(1);
            assertThat(readAll(view)).as("chunk %d", chunk).isEmpty();
        }
    }

    @Test
    void aRowWhoseCalculatedModifiedValueChangedBetweenReadAndStampIsNotStampedOnEveryStampingPath() throws Exception {
        java.nio.file.Path spill = java.nio.file.Files.createTempDirectory("viewpush-modcalc-test");
        try {
            for (int chunk : new int[]{2, JdbcPushStore.DEFAULT_STAMP_BATCH_SIZE}) {
                rows();
                DefaultJdbcPushStore s = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).stampBatchSize(chunk)
                        .spillDirectory(spill).migrateOnBuild(false).build();
                View view = orders("optimistic " + chunk);
                StampBatch batch = s.batch(view, lease(view.name()), null);
                readAll(view).forEach(batch::add);
                // after the read: Ada (orders 1 and 3) changes, order 5 changes, a line of order 6 changes
                db.execute("UPDATE mc_customer SET last_update = TIMESTAMP '2024-05-01 00:00:00' WHERE customer_id = 100",
                        "UPDATE mc_order SET amount = 51, last_update = TIMESTAMP '2024-05-05 00:00:00' WHERE id = 5",
                        "UPDATE mc_line SET changed = TIMESTAMP '2024-04-01 00:00:00.123457' WHERE order_id = 6");
                try (batch) {
                    assertThat(batch.commit()).as("chunk %d", chunk).isEqualTo(new StampResult(2, 4));
                }
                assertThat(stampedIds()).as("chunk %d", chunk).containsExactly(2, 4);
                assertThat(keys(readAll(view))).as("chunk %d: still to be pushed", chunk).containsExactly(1, 3, 5, 6);
            }
        } finally {
            try (var files = java.nio.file.Files.list(spill)) {
                assertThat(files).as("no spill file is left").isEmpty();
            }
            java.nio.file.Files.delete(spill);
        }
    }

    @Test
    void onPostgresTheStampWaitsForATransactionWritingACustomerAndThenSeesItsChange() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(isPostgres(), "H2 cannot lock inside a subquery (README: not covered)");
        View view = orders("late customer");
        try (Connection host = db.dataSource().getConnection()) {
            host.setAutoCommit(false);
            try (Statement st = host.createStatement()) {
                // written before the push reads, committed only after its stamp began: the read sees the old time
                st.execute("UPDATE mc_customer SET last_update = TIMESTAMP '2024-02-01 00:00:01' WHERE customer_id = 100");
            }
            StampBatch batch = store.batch(view, lease(view.name()), null);
            readAll(view).forEach(batch::add);
            try (batch) {
                java.util.concurrent.CompletableFuture<StampResult> stamping =
                        java.util.concurrent.CompletableFuture.supplyAsync(batch::commit);
                Thread.sleep(300);
                host.commit();
                assertThat(stamping.get(30, java.util.concurrent.TimeUnit.SECONDS))
                        .as("Ada's orders 1 and 3 are held back: order 3's modified value is her new time")
                        .isEqualTo(new StampResult(5, 1));
            }
        }
        assertThat(stampedIds()).containsExactly(1, 2, 4, 5, 6);
    }

    @Test
    void aPlainModifiedFieldIsStillComparedAsItsColumn() {
        View view = bind(ViewDefinition.builder("plain", "mc_order").key("id").field("id", "id")
                .field("last update", "last_update").field("customer", "mc_customer.name")
                .field("last pushed", "last_pushed").push(policy("last pushed", "last update")).build());
        StampBatch batch = store.batch(view, lease(view.name()), null);
        readAll(view).forEach(batch::add);
        db.execute("UPDATE mc_customer SET last_update = TIMESTAMP '2024-05-01 00:00:00' WHERE customer_id = 100",
                "UPDATE mc_order SET last_update = TIMESTAMP '2024-05-05 00:00:00' WHERE id = 5");
        try (batch) {
            assertThat(batch.commit()).as("only order 5 changed its own column").isEqualTo(new StampResult(5, 1));
        }
        assertThat(stampedIds()).containsExactly(1, 2, 3, 4, 6);
    }
}
