package io.viewpush.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.viewpush.engine.ViewPush;
import io.viewpush.port.PushListener;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.PushPolicy;
import io.viewpush.testing.RecordingTransport;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many round trips to the database one push of a few rows costs, counted statement by
 * statement ({@link RoundTripCounter}) on a warm engine: each is ~0.3 ms on a loopback PostgreSQL,
 * which is most of a small push. The counts are pinned, so a change that adds one fails here and
 * must say why. The pushes keep every guarantee: the lease, the fenced stamp with its optimistic
 * check, the journal.
 */
abstract class RoundTripCases extends StoreCases {
    /**
     * {@code pushNow}: take the lease, then under it read the view's pause and the rows with the
     * read's start (three statements sent together, one round trip), stamp them under the lease (one
     * statement), journal the attempt and release the lease (one statement). It was 18 before these
     * were combined, and 4 while the pause was read in a round trip of its own.
     */
    static final int MANUAL_PUSH_TRIPS_POSTGRESQL = 3;
    /** H2 keeps the plain statements, each in its transaction (25 before; 21 before views could be paused). */
    static final int MANUAL_PUSH_TRIPS_H2 = 22;

    /**
     * A scheduled push after the engine starts: the view's history read once at the start, the idle
     * check (one row, no lease), the lease, the history again under the lease (with the view's
     * pause, in the same statement), and then what a manual push does but its pause check.
     */
    static final int SCHEDULED_PUSH_TRIPS_POSTGRESQL = 7;
    /**
     * Counted when the listener hears of the push, after its session finished: on H2 the record and
     * then the lease's release (the same statements as before the session; 23 when the release came
     * after the listener).
     */
    static final int SCHEDULED_PUSH_TRIPS_H2 = 24;

    private final RoundTripCounter counter = new RoundTripCounter();
    private HikariDataSource counted;
    private String table;
    private ViewDefinition definition;

    RoundTripCases(TestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeEach
    void ordersThatNeedPushing() {
        counted = db.pooledThrough(counter::wrap);
        table = newTable("trips");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, customer VARCHAR(50),"
                + " last_modified TIMESTAMP(6) NOT NULL, last_pushed TIMESTAMP(6))");
        for (int id = 1; id <= 30; id++) {
            db.execute("INSERT INTO " + table + " VALUES (" + id + ", 'c" + id + "', LOCALTIMESTAMP, NULL)");
        }
        definition = ViewDefinition.builder("trips " + table, table).key("id")
                .field("id", "id").field("customer", "customer")
                .field("last modified [auto]", "last_modified").field("last pushed", "last_pushed")
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true")
                .push(PushPolicy.builder("last pushed")
                        .modifiedField("last modified [auto]").minInterval(Duration.ZERO).build())
                .build();
    }

    @AfterEach
    void closePool() {
        counted.close();
    }

    private ViewPush engine(RecordingTransport transport, PushListener listener, Duration pollInterval) {
        return ViewPush.builder()
                .store(JdbcPushStore.builder(counted).build())
                .transport(transport)
                .view(definition)
                .owner("trips-engine")
                .listener(listener)
                .pollInterval(pollInterval)
                .build();
    }

    private void changeTenRows() {
        db.execute("UPDATE " + table + " SET last_modified = LOCALTIMESTAMP, customer = 'changed' WHERE id <= 10");
    }

    private long needsPushing() {
        return db.queryValue("SELECT COUNT(*) FROM " + table + " WHERE last_pushed IS NULL OR last_modified > last_pushed",
                Long.class);
    }

    private static int indexOf(List<String> trips, String text) {
        for (int i = 0; i < trips.size(); i++) {
            if (trips.get(i).toLowerCase(java.util.Locale.ROOT).contains(text.toLowerCase(java.util.Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    private int expectedManualTrips() {
        return isPostgres() ? MANUAL_PUSH_TRIPS_POSTGRESQL : MANUAL_PUSH_TRIPS_H2;
    }

    @Test
    void aSmallManualPushCostsItsPinnedRoundTrips() {
        RecordingTransport transport = new RecordingTransport();
        try (ViewPush engine = engine(transport, PushListener.NONE, Duration.ofHours(1))) {
            // the first push of a view creates its lease and history rows and reads its table's metadata
            assertThat(engine.pushNow(definition.name()).status()).isEqualTo(Status.SUCCESS);
            assertThat(needsPushing()).isZero();
            changeTenRows();
            counter.reset();

            PushAttempt attempt = engine.pushNow(definition.name());

            List<String> trips = counter.trips();
            assertThat(attempt.status()).as(attempt.reason()).isEqualTo(Status.SUCCESS);
            assertThat(attempt.rowsSent()).isEqualTo(10);
            assertThat(attempt.rowsStamped()).isEqualTo(10);
            assertThat(needsPushing()).isZero();
            assertThat(engine.recentPushes(definition.name(), 10)).hasSize(2);
            assertThat(trips).as("round trips of one push of 10 rows:\n%s", String.join("\n", trips))
                    .hasSize(expectedManualTrips());
        }
    }

    /**
     * Each batch after the first of a push in batches larger than the one-statement stamp
     * ({@link PostgreSqlStampBatch.ONE_STATEMENT_MAX_ROWS}): the lease renewed (one statement), and the
     * stamp's transaction: the lease checked and the generic plans set (one statement), the stamp,
     * the commit. It was 7 (the renewal's lock, update and commit; a separate {@code SET LOCAL}).
     */
    static final int TRIPS_PER_LARGE_BATCH_POSTGRESQL = 4;

    @Test
    void eachBatchOfAPushInLargeBatchesCostsItsPinnedRoundTrips() {
        int batchRows = PostgreSqlStampBatch.ONE_STATEMENT_MAX_ROWS + 500;
        db.execute(isPostgres()
                ? "INSERT INTO " + table + " SELECT g, 'c', LOCALTIMESTAMP, NULL FROM generate_series(31, 4500) g"
                : "INSERT INTO " + table + " SELECT x, 'c', LOCALTIMESTAMP, NULL FROM SYSTEM_RANGE(31, 4500)");
        RecordingTransport transport = new RecordingTransport();
        ViewDefinition batched = definition.withPush(definition.push().orElseThrow().withMaxRows(batchRows));
        java.util.Map<Integer, Integer> tripsByBatches = new java.util.TreeMap<>();
        try (ViewPush engine = ViewPush.builder()
                .store(JdbcPushStore.builder(counted).build())
                .transport(transport)
                .view(batched)
                .owner("trips-engine")
                .build()) {
            // the first push of an engine also tidies the journal
            assertThat(engine.pushNow(batched.name()).status()).isEqualTo(Status.SUCCESS);
            for (int batches : new int[]{3, 2}) {
                db.execute("UPDATE " + table + " SET last_modified = LOCALTIMESTAMP WHERE id <= " + (batches * batchRows));
                counter.reset();
                PushAttempt attempt = engine.pushNow(batched.name());
                List<String> trips = counter.trips();
                assertThat(attempt.status()).as(attempt.reason()).isEqualTo(Status.SUCCESS);
                assertThat(attempt.batches()).isEqualTo(batches);
                assertThat(needsPushing()).isZero();
                tripsByBatches.put(batches, trips.size());
                System.out.println("round trips of a push in " + batches + " batches:\n" + String.join("\n", trips));
            }
        }
        if (isPostgres()) {
            assertThat(tripsByBatches.get(3) - tripsByBatches.get(2)).as("round trips of one more batch: %s", tripsByBatches)
                    .isEqualTo(TRIPS_PER_LARGE_BATCH_POSTGRESQL);
        }
    }

    /** One view per customer over the trips table: the idle views an engine checks and binds together. */
    private ViewDefinition customerView(int n, boolean modifiedSincePushed) {
        ViewDefinition.Builder b = ViewDefinition.builder("customer " + n, table).key("id")
                .field("id", "id").field("customer", "customer")
                .field("last modified [auto]", "last_modified").field("last pushed", "last_pushed");
        if (modifiedSincePushed) {
            return b.calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                    .filter("{needs pushing} = true").filter("{customer} = 'c" + n + "'")
                    .push(definition.push().orElseThrow()).build();
        }
        return b.filter("{customer} = 'c" + n + "'").filter("{last pushed} is empty")
                .push(PushPolicy.builder("last pushed").minInterval(Duration.ZERO).build()).build();
    }

    /**
     * The scheduler's check of many idle views at once ({@code hasRows}): on PostgreSQL the views
     * of one table whose filters differ only in their values are one statement, however many they
     * are (what lets an engine watch 10,000 idle views); on H2 each view is checked on its own.
     */
    @Test
    void idleViewsOfOneTableThatDifferOnlyInTheirValuesAreCheckedInOneStatement() {
        db.execute("UPDATE " + table + " SET last_pushed = last_modified WHERE id <> 5");
        JdbcPushStore counting = JdbcPushStore.builder(counted).build();
        List<io.viewpush.view.View> views = new java.util.ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            ViewDefinition d = customerView(n, true);
            views.add(d.bind(counting.fieldTypes(d), counting.enumLabels(d)));
        }
        java.util.Map<String, Boolean> found = new java.util.HashMap<>();
        for (int n = 1; n <= 40; n++) {
            found.put("customer " + n, n == 5);
        }
        assertThat(counting.hasRows(views, SNAPSHOT)).isEqualTo(found); // reads the table's metadata once
        counter.reset();

        assertThat(counting.hasRows(views, SNAPSHOT)).isEqualTo(found);

        List<String> trips = counter.trips();
        assertThat(trips).as("round trips of checking 40 idle views:\n%s", String.join("\n", trips))
                .hasSize(isPostgres() ? 1 : 40);
        if (isPostgres()) {
            assertThat(trips.get(0)).contains("unnest(");
        }
    }

    /**
     * An engine binding many views over one table ({@code readingTogether}, as it does when it
     * starts) reads the table's metadata once for all of them: 10,000 views took minutes to start.
     */
    @Test
    void viewsOfOneTableBoundTogetherReadItsCatalogOnce() {
        JdbcPushStore store = JdbcPushStore.builder(counted).build();
        List<ViewDefinition> defs = new java.util.ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            defs.add(customerView(n, false));
        }
        store.readingTogether(() -> store.fieldTypes(defs.get(0))); // the store's own first reads
        counter.reset();
        store.readingTogether(() -> defs.get(0).bind(store.fieldTypes(defs.get(0)), store.enumLabels(defs.get(0))));
        int one = counter.trips().size();
        assertThat(one).as("catalog statements of one view").isPositive();
        counter.reset();

        List<io.viewpush.view.View> bound = store.readingTogether(() -> defs.stream()
                .map(d -> d.bind(store.fieldTypes(d), store.enumLabels(d))).toList());

        assertThat(bound).hasSize(40);
        // (the statements ViewPush sends itself; the driver's DatabaseMetaData queries are not counted here)
        assertThat(counter.trips()).as("catalog reads of 40 views bound together").hasSize(one);
        counter.reset();
        store.fieldTypes(defs.get(1));
        store.fieldTypes(defs.get(2));
        assertThat(counter.trips()).as("read apart, each view reads the catalog again").hasSizeGreaterThanOrEqualTo(2 * one);
    }

    /** A view's first read maps it from what binding it read: a one-shot push read its table's catalog twice. */
    @Test
    void theFirstReadOfABoundViewReadsNoCatalog() {
        JdbcPushStore store = JdbcPushStore.builder(counted).build();
        io.viewpush.view.View view = store.readingTogether(() -> definition.bind(store.fieldTypes(definition),
                store.enumLabels(definition)));
        counter.reset();
        try (var rows = store.open(view, SNAPSHOT, io.viewpush.port.Page.first(1))) {
            assertThat(rows.hasNext()).isTrue();
        }
        List<String> trips = counter.trips();
        assertThat(trips).as("the first read:\n%s", String.join("\n", trips)).hasSize(1);
        assertThat(trips.get(0)).containsIgnoringCase(table);
    }

    @Test
    void viewsWhoseCheckTogetherFailsAreLeftToTheirOwnChecks() {
        db.execute("UPDATE " + table + " SET last_pushed = last_modified");
        JdbcPushStore store = JdbcPushStore.builder(counted).build();
        List<io.viewpush.view.View> views = new java.util.ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            ViewDefinition d = customerView(n, false);
            views.add(d.bind(store.fieldTypes(d), store.enumLabels(d)));
        }
        String other = newTable("trips_other");
        db.execute("CREATE TABLE " + other + " (id INTEGER PRIMARY KEY, last_pushed TIMESTAMP(6))");
        ViewDefinition healthy = ViewDefinition.builder("another table", other).key("id").field("id", "id")
                .field("last pushed", "last_pushed").filter("{last pushed} is empty")
                .push(PushPolicy.builder("last pushed").minInterval(Duration.ZERO).build()).build();
        List<io.viewpush.view.View> withHealthy = new java.util.ArrayList<>(views);
        withHealthy.add(healthy.bind(store.fieldTypes(healthy), store.enumLabels(healthy)));
        assertThat(store.hasRows(withHealthy, SNAPSHOT)).hasSize(4).doesNotContainValue(true);
        db.execute("ALTER TABLE " + table + " DROP COLUMN customer");

        assertThat(store.hasRows(withHealthy, SNAPSHOT)).as("the views that cannot be checked are left out")
                .containsExactly(java.util.Map.entry("another table", false));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.hasRows(views, SNAPSHOT))
                .as("none can be checked: the store says why").isInstanceOf(io.viewpush.port.StorageException.class)
                .hasMessageContaining("customer");
        // each view's own read says what is wrong
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.open(views.get(0), SNAPSHOT,
                io.viewpush.port.Page.first(1))).hasMessageContaining("customer");
    }

    @Test
    void aManualPushWithNothingToSendLeavesTheLeaseFree() {
        RecordingTransport transport = new RecordingTransport();
        try (ViewPush engine = engine(transport, PushListener.NONE, Duration.ofHours(1))) {
            engine.pushNow(definition.name());
            PushAttempt attempt = engine.pushNow(definition.name());
            assertThat(attempt.status()).isEqualTo(Status.NOTHING_TO_SEND);
            assertThat(transport.batches()).hasSize(1);
        }
        // another engine takes the lease at once: the empty push released it
        DefaultJdbcPushStore other = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();
        assertThat(other.tryAcquire(definition.name(), "another-engine", Duration.ofMinutes(1))).isPresent();
    }

    @Test
    void aScheduledPushKeepsItsIdleCheckAndIsDelivered() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        CountDownLatch pushed = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<List<String>> tripsOfThePush = new java.util.concurrent.atomic.AtomicReference<>();
        PushListener listener = new PushListener() {
            @Override
            public void pushFinished(PushAttempt attempt) {
                if (attempt.status() == Status.SUCCESS && attempt.trigger() != PushAttempt.Trigger.MANUAL) {
                    // the next run (the view may be due again at once) must not be counted
                    tripsOfThePush.compareAndSet(null, counter.trips());
                    pushed.countDown();
                }
            }
        };
        try (ViewPush engine = engine(transport, listener, Duration.ofHours(1))) {
            // the first push of a view creates its lease and history rows and reads its table's metadata
            assertThat(engine.pushNow(definition.name()).status()).isEqualTo(Status.SUCCESS);
            changeTenRows();
            counter.reset();
            engine.start();
            assertThat(pushed.await(30, TimeUnit.SECONDS)).as("the scheduled push happened").isTrue();
            assertThat(needsPushing()).isZero();
            List<String> trips = tripsOfThePush.get();
            String all = String.join("\n", trips);
            int probe = indexOf(trips, table);
            int lease = indexOf(trips, "viewpush_lease");
            assertThat(probe).as("the idle check reads the view:\n%s", all).isNotNegative();
            assertThat(trips.get(probe)).as("the idle check reads one row:\n%s", all)
                    .containsAnyOf("limit ?", "fetch next ? rows only", "fetch first ? rows only");
            assertThat(lease).as("the idle check comes before the lease:\n%s", all).isGreaterThan(probe);
            assertThat(trips).as("round trips of a scheduled push:\n%s", all).hasSize(isPostgres()
                    ? SCHEDULED_PUSH_TRIPS_POSTGRESQL : SCHEDULED_PUSH_TRIPS_H2);
        }
    }

    @Test
    void aManualPushOfMoreRowsThanOneFetchStreamsThemAllUnderTheLease() {
        RecordingTransport transport = new RecordingTransport();
        try (ViewPush engine = ViewPush.builder()
                .store(JdbcPushStore.builder(counted).fetchSize(4).build())
                .transport(transport)
                .view(definition)
                .owner("trips-engine")
                .build()) {
            PushAttempt attempt = engine.pushNow(definition.name());
            assertThat(attempt.status()).as(attempt.reason()).isEqualTo(Status.SUCCESS);
            assertThat(attempt.rowsSent()).isEqualTo(30);
            assertThat(transport.deliveredKeys()).hasSize(30).doesNotHaveDuplicates();
            assertThat(needsPushing()).isZero();
            changeTenRows();
            attempt = engine.pushNow(definition.name());
            assertThat(attempt.rowsSent()).isEqualTo(10);
            assertThat(needsPushing()).isZero();
        }
    }
}
