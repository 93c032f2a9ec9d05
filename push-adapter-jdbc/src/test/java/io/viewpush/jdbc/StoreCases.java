package io.viewpush.jdbc;

import io.viewpush.expression.Snapshot;
import io.viewpush.port.LeaseToken;
import io.viewpush.push.PushPolicy;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import io.viewpush.port.RowCursor;
import io.viewpush.port.Page;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of the adapter's test suites: a fresh database of one kind per test class, a store built on
 * it (migrations applied), and helpers. Each suite runs on PostgreSQL and on H2 through two
 * {@code @Nested} subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreCases {
    static final Snapshot SNAPSHOT = Snapshot.at(Instant.parse("2024-06-01T12:00:00Z"));
    private static final AtomicInteger TABLES = new AtomicInteger();

    final TestDatabase db;
    DefaultJdbcPushStore store;

    StoreCases(TestDatabase.Kind kind) {
        this.db = TestDatabase.create(kind);
    }

    @BeforeAll
    void buildStore() {
        // journal retention is measured by this clock; the suites record attempts dated around SNAPSHOT
        store = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).clock(Clock.fixed(SNAPSHOT.now(), ZoneOffset.UTC))
                .build();
    }

    boolean isPostgres() {
        return db.kind() == TestDatabase.Kind.POSTGRESQL;
    }

    /** @return a table name not used yet in this database */
    static String newTable(String prefix) {
        return prefix + "_" + TABLES.incrementAndGet();
    }

    /**
     * Creates an orders table: id, customer, amount, paid, last_modified, last_pushed (both
     * TIMESTAMP(0)), receipt_id. Names are unquoted, so H2 stores them upper-cased.
     */
    String createOrders() {
        String t = newTable("orders");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, customer VARCHAR(100), amount NUMERIC(12,2),"
                + " paid BOOLEAN, last_modified TIMESTAMP(0), last_pushed TIMESTAMP(0), receipt_id VARCHAR(50))");
        return t;
    }

    /** @return a definition of the orders table with every column as a field (no calculations, no filters) */
    static ViewDefinition.Builder ordersView(String name, String table) {
        return ViewDefinition.builder(name, table)
                .key("id")
                .field("id", "id")
                .field("customer", "customer")
                .field("amount", "amount")
                .field("paid", "paid")
                .field("last modified [auto]", "last_modified")
                .field("last pushed", "last_pushed")
                .field("receipt id", "receipt_id");
    }

    static PushPolicy policy(String stampField, String modifiedField) {
        PushPolicy.Builder b = PushPolicy.builder(URI.create("http://127.0.0.1:9/hook"), stampField);
        if (modifiedField != null) {
            b.modifiedField(modifiedField);
        }
        return b.build();
    }

    /** @return the view bound to the types the store reads */
    View bind(ViewDefinition definition) {
        return definition.bind(store.fieldTypes(definition), store.enumLabels(definition));
    }

    List<Row> readAll(View view) {
        return read(view, SNAPSHOT, Page.ALL);
    }

    List<Row> read(View view, Snapshot snapshot, Page page) {
        List<Row> rows = new ArrayList<>();
        try (RowCursor c = store.open(view, snapshot, page)) {
            c.forEachRemaining(rows::add);
        }
        return rows;
    }

    LeaseToken lease(String view) {
        return store.tryAcquire(view, "test-engine", Duration.ofMinutes(5)).orElseThrow();
    }
}
