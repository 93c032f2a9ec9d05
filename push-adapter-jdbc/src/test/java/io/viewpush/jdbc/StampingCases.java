package io.viewpush.jdbc;

import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.StampResult;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stamping: only sent rows, never a lost update, the database's clock, fencing. */
abstract class StampingCases extends StoreCases {

    StampingCases(TestDatabase.Kind kind) {
        super(kind);
    }

    /** Inserts rows 1..n with last_modified = the database's time, never pushed. */
    private String ordersWithRows(int n) {
        String t = createOrders();
        for (int i = 1; i <= n; i++) {
            db.execute("INSERT INTO " + t + " (id, customer, last_modified) VALUES (" + i + ", 'c" + i + "', LOCALTIMESTAMP)");
        }
        return t;
    }

    private View pushView(String name, String table, boolean withModified) {
        return bind(ordersView(name, table).push(policy("last pushed", withModified ? "last modified [auto]" : null)).build());
    }

    /** Reads the view and adds the rows that pass {@code send} to a new batch. */
    private StampBatch sendRows(View view, LeaseToken lease, Predicate<Row> send) {
        StampBatch batch = store.batch(view, lease, null);
        try (RowCursor c = store.open(view, SNAPSHOT, Page.ALL)) {
            c.forEachRemaining(r -> {
                if (send.test(r)) {
                    batch.add(r);
                }
            });
        }
        return batch;
    }

    private List<Integer> stampedIds(String table) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT id FROM " + table + " WHERE last_pushed IS NOT NULL ORDER BY id")) {
            List<Integer> ids = new java.util.ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
            return ids;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long scratchRows() {
        return ((Number) db.queryValue("SELECT COUNT(*) FROM \"viewpush_stamp_row\"")).longValue();
    }

    @Test
    void stampsOnlyRowsThatWereSent() {
        String t = ordersWithRows(5);
        View view = pushView("only sent", t, true);
        LeaseToken lease = lease(view.name());

        StampResult result;
        try (StampBatch batch = sendRows(view, lease, r -> ((BigDecimal) r.key()).intValue() % 2 == 0)) {
            result = batch.commit();
        }

        assertThat(result).isEqualTo(new StampResult(2, 0));
        assertThat(stampedIds(t)).containsExactly(2, 4);
    }

    @Test
    void aRowUpdatedBetweenReadAndStampIsNotStampedAndCountsAsSkipped() {
        String t = ordersWithRows(3);
        db.execute("UPDATE " + t + " SET last_modified = TIMESTAMP '2024-01-01 10:00:00'");
        View view = pushView("changed", t, true);
        LeaseToken lease = lease(view.name());

        try (StampBatch batch = sendRows(view, lease, r -> true)) {
            db.execute("UPDATE " + t + " SET customer = 'changed', last_modified = TIMESTAMP '2024-01-01 10:00:01' WHERE id = 2");
            db.execute("DELETE FROM " + t + " WHERE id = 3");
            assertThat(batch.commit()).isEqualTo(new StampResult(1, 2));
        }
        assertThat(stampedIds(t)).containsExactly(1);
    }

    @Test
    void withoutAModifiedFieldEverySentRowThatStillExistsIsStamped() {
        String t = ordersWithRows(3);
        View view = pushView("no modified", t, false);
        LeaseToken lease = lease(view.name());

        try (StampBatch batch = sendRows(view, lease, r -> true)) {
            db.execute("UPDATE " + t + " SET customer = 'changed' WHERE id = 2");
            db.execute("DELETE FROM " + t + " WHERE id = 3");
            assertThat(batch.commit()).isEqualTo(new StampResult(2, 1));
        }
        assertThat(stampedIds(t)).containsExactly(1, 2);
    }

    @Test
    void aLateCommittingTransactionIsStillPushedLater() throws Exception {
        String t = ordersWithRows(2);
        db.execute("UPDATE " + t + " SET last_modified = TIMESTAMP '2024-01-01 10:00:00'");
        View view = pushView("late commit", t, true);
        LeaseToken lease = lease(view.name());
        try (Connection host = db.dataSource().getConnection()) {
            host.setAutoCommit(false);
            try (Statement s = host.createStatement()) {
                // begun before the push: its now() (transaction start) is older than the push
                s.execute("UPDATE " + t + " SET customer = 'late', last_modified = LOCALTIMESTAMP WHERE id = 1");
            }
            try (StampBatch batch = sendRows(view, lease, r -> true)) {
                // the stamp waits for the host's row lock, then sees the committed change
                CompletableFuture<StampResult> stamping = CompletableFuture.supplyAsync(batch::commit);
                Thread.sleep(300);
                host.commit();
                assertThat(stamping.get(30, TimeUnit.SECONDS)).isEqualTo(new StampResult(1, 1));
            }
        }
        assertThat(stampedIds(t)).containsExactly(2);
        List<Row> next = readAll(view);
        assertThat(next.get(0).get("customer")).isEqualTo("late");
        assertThat(next.get(0).get("last pushed")).isNull();
    }

    @Test
    void aRowChangedAfterASmallReadTakenWithTheLeaseButBeforeTheBatchBeganStillNeedsPushing() throws InterruptedException {
        // PostgreSQL: the lease and the read in one statement, the read's start from that statement
        aRowChangedAfterTheReadButBeforeTheBatchBeganStillNeedsPushing(store, "read with the lease", 1, true);
    }

    @Test
    void aRowChangedAfterASmallReadButBeforeTheBatchBeganStillNeedsPushing() throws InterruptedException {
        // a read within one fetch is read at once in autocommit; its statement's start caps the stamp
        aRowChangedAfterTheReadButBeforeTheBatchBeganStillNeedsPushing(store, "small read", 1, false);
    }

    @Test
    void aRowChangedAfterAStreamedReadOpenedButBeforeTheBatchBeganStillNeedsPushing() throws InterruptedException {
        DefaultJdbcPushStore streaming = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).fetchSize(1)
                .migrateOnBuild(false).build();
        aRowChangedAfterTheReadButBeforeTheBatchBeganStillNeedsPushing(streaming, "streamed read", 3, false);
        aRowChangedAfterTheReadButBeforeTheBatchBeganStillNeedsPushing(streaming, "streamed read with the lease", 3, true);
    }

    /** Row 1 changes after the push read it, two seconds before its batch begins: it still needs pushing. */
    private void aRowChangedAfterTheReadButBeforeTheBatchBeganStillNeedsPushing(DefaultJdbcPushStore s, String name,
                                                                              int rows, boolean readAtOnce)
            throws InterruptedException {
        String t = ordersWithRows(rows);
        db.execute("UPDATE " + t + " SET last_modified = TIMESTAMP '2024-01-01 10:00:00'");
        View view = pushView(name, t, false);
        try (io.viewpush.port.PushSession session = s.begin(view, "test-engine", Duration.ofMinutes(1), SNAPSHOT,
                readAtOnce).orElseThrow(); RowCursor cursor = session.rows()) {
            Row old = cursor.next();
            db.execute("UPDATE " + t + " SET customer = 'changed', last_modified = LOCALTIMESTAMP WHERE id = 1");
            Thread.sleep(2100); // the batch begins two seconds after the change
            try (StampBatch batch = session.batch()) {
                batch.add(old);
                assertThat(batch.commit()).isEqualTo(new StampResult(1, 0));
            }
        }

        Row now = readAll(view).get(0);
        assertThat(now.get("customer")).as(name).isEqualTo("changed");
        assertThat((LocalDateTime) now.get("last modified [auto]")).as("%s: the change was never sent", name)
                .isAfter((LocalDateTime) now.get("last pushed"));
    }

    @Test
    void theStampIsTheDatabaseTimeAtBeginFlooredToTheColumnPrecisionMinusOneUnit() {
        String t = newTable("precise");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, s0 TIMESTAMP(0), s3 TIMESTAMP(3), z TIMESTAMP(6) WITH TIME ZONE)",
                "INSERT INTO " + t + " (id) VALUES (1)");
        ViewDefinition.Builder def = ViewDefinition.builder("precise", t).key("id")
                .field("id", "id").field("s0", "s0").field("s3", "s3").field("z", "z");
        View zero = bind(def.push(policy("s0", null)).build());
        View milli = bind(def.push(policy("s3", null)).build());
        View zoned = bind(def.push(policy("z", null)).build());
        LeaseToken lease = lease("precise");

        LocalDateTime before = db.localNow();
        OffsetDateTime beforeTz = db.queryValue("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);
        JdbcStampBatch b0 = (JdbcStampBatch) store.batch(zero, lease, null);
        JdbcStampBatch b3 = (JdbcStampBatch) store.batch(milli, lease, null);
        JdbcStampBatch bz = (JdbcStampBatch) store.batch(zoned, lease, null);
        LocalDateTime after = db.localNow();
        OffsetDateTime afterTz = db.queryValue("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);

        LocalDateTime s0 = (LocalDateTime) b0.stampValue();
        assertThat(s0).isBetween(before.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1),
                after.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1));
        assertThat(s0.getNano()).isZero();
        LocalDateTime s3 = (LocalDateTime) b3.stampValue();
        assertThat(s3).isBetween(before.truncatedTo(ChronoUnit.MILLIS).minus(1, ChronoUnit.MILLIS),
                after.truncatedTo(ChronoUnit.MILLIS).minus(1, ChronoUnit.MILLIS));
        assertThat(s3.getNano() % 1_000_000).isZero();
        OffsetDateTime z = (OffsetDateTime) bz.stampValue();
        assertThat(z.toInstant()).isAfterOrEqualTo(beforeTz.toInstant().minus(2, ChronoUnit.MICROS))
                .isBefore(afterTz.toInstant());

        for (var e : java.util.Map.of(b0, zero, b3, milli, bz, zoned).entrySet()) {
            try (JdbcStampBatch b = e.getKey()) {
                b.add(readAll(e.getValue()).get(0));
                assertThat(b.commit()).isEqualTo(new StampResult(1, 0));
            }
        }
        Row stamped = readAll(zero).get(0);
        assertThat(stamped.get("s0")).isEqualTo(s0);
        assertThat(stamped.get("s3")).isEqualTo(s3);
        assertThat(((OffsetDateTime) stamped.get("z")).toInstant()).isEqualTo(z.toInstant());
    }

    @Test
    void aRowEditedInTheSameSecondJustAfterASuccessfulPushStillNeedsPushing() {
        String t = ordersWithRows(1);
        View view = pushView("same second", t, true);
        LeaseToken lease = lease(view.name());
        for (int attempt = 0; attempt < 20; attempt++) {
            waitForStartOfDatabaseSecond();
            LocalDateTime begun = db.localNow();
            try (StampBatch batch = sendRows(view, lease, r -> true)) {
                assertThat(batch.commit().stamped()).isEqualTo(1);
            }
            // the host edits the row right after the push, as its own now() into TIMESTAMP(0)
            db.execute("UPDATE " + t + " SET customer = 'edited', last_modified = LOCALTIMESTAMP WHERE id = 1");
            LocalDateTime edited = db.localNow();
            Row row = readAll(view).get(0);
            LocalDateTime modified = (LocalDateTime) row.get("last modified [auto]");
            LocalDateTime pushed = (LocalDateTime) row.get("last pushed");
            assertThat(modified).as("edited after the push must compare as modified after it").isAfter(pushed);
            if (edited.truncatedTo(ChronoUnit.SECONDS).equals(begun.truncatedTo(ChronoUnit.SECONDS))) {
                return; // the edit really happened within the second the push began in
            }
        }
        throw new AssertionError("could not edit within the same second as the push in 20 attempts");
    }

    @Test
    void anUnchangedRowIsSentAtMostOnceMore() throws InterruptedException {
        String t = ordersWithRows(1);
        View view = pushView("at most once more", t, true);
        LeaseToken lease = lease(view.name());
        waitForStartOfDatabaseSecond();
        db.execute("UPDATE " + t + " SET last_modified = LOCALTIMESTAMP WHERE id = 1");
        String needsPushing = "SELECT COUNT(*) FROM " + t + " WHERE last_pushed IS NULL OR last_modified > last_pushed";

        try (StampBatch batch = sendRows(view, lease, r -> true)) {
            batch.commit();
        }
        long afterFirst = ((Number) db.queryValue(needsPushing)).longValue();
        Thread.sleep(1100);
        try (StampBatch batch = sendRows(view, lease, r -> true)) {
            assertThat(batch.commit().stamped()).isEqualTo(1);
        }

        assertThat(afterFirst).as("modified in the second the push began: sent once more").isLessThanOrEqualTo(1);
        assertThat(((Number) db.queryValue(needsPushing)).longValue()).as("a second later it is done").isZero();
    }

    private void waitForStartOfDatabaseSecond() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            LocalDateTime now = db.localNow();
            if (now.getNano() < 200_000_000 && now.getNano() > 5_000_000) {
                return;
            }
            try {
                Thread.sleep(Math.max(1, (1_000_000_000L - now.getNano()) / 1_000_000 + 10) % 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void refusesToStampWhenTheLeaseWasLostAndWritesNothing() {
        String t = ordersWithRows(3);
        View view = pushView("lost lease", t, true);
        LeaseToken lease = lease(view.name());

        try (StampBatch batch = sendRows(view, lease, r -> true)) {
            store.release(lease);
            assertThat(store.tryAcquire(view.name(), "other-engine", Duration.ofMinutes(1))).isPresent();
            assertThatThrownBy(batch::commit).isInstanceOf(LeaseLostException.class)
                    .hasMessageContaining("'lost lease'");
        }
        assertThat(stampedIds(t)).isEmpty();
        assertThat(scratchRows()).isZero();
    }

    @Test
    void closingWithoutCommitStampsNothingAndDiscardsTheRecordedRows() {
        String t = ordersWithRows(3);
        View view = pushView("abandoned", t, true);
        LeaseToken lease = lease(view.name());

        StampBatch batch = sendRows(view, lease, r -> true);
        batch.close();
        batch.close();

        assertThat(stampedIds(t)).isEmpty();
        assertThat(scratchRows()).isZero();
        assertThatThrownBy(batch::commit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBatchLargerThanOneInsertIsStampedWhole() {
        DefaultJdbcPushStore small = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).stampBatchSize(3).build();
        String t = ordersWithRows(10);
        View view = pushView("chunks", t, true);
        LeaseToken lease = lease(view.name());

        StampBatch batch = small.batch(view, lease, null);
        readAll(view).forEach(batch::add);
        try (batch) {
            assertThat(batch.commit()).isEqualTo(new StampResult(10, 0));
            assertThatThrownBy(() -> batch.add(readAll(view).get(0))).isInstanceOf(IllegalStateException.class);
        }
        assertThat(stampedIds(t)).hasSize(10);
    }

    @Test
    void aBatchPreparedOnTheSendingThreadStampsExactlyItsRowsWithTheOptimisticCheck() {
        String t = createOrders();
        int n = 2 * (PostgreSqlStampBatch.ONE_STATEMENT_MAX_ROWS + 150);
        for (int id = 1; id <= n; id += 500) {
            StringBuilder insert = new StringBuilder("INSERT INTO " + t + " (id, customer, last_modified) VALUES ");
            for (int i = id; i < Math.min(id + 500, n + 1); i++) {
                insert.append(i == id ? "" : ", ").append("(").append(i).append(", 'c', LOCALTIMESTAMP)");
            }
            db.execute(insert.toString());
        }
        View view = pushView("prepared", t, true);
        LeaseToken lease = lease(view.name());
        List<Row> rows = readAll(view);
        int half = n / 2;

        StampBatch first = store.batch(view, lease, null);
        rows.subList(0, half).forEach(first::add);
        first.seal();
        db.execute("UPDATE " + t + " SET last_modified = last_modified + INTERVAL '1' SECOND WHERE id = 5");
        try (first) {
            assertThat(first.commit()).as("row 5 changed after it was prepared").isEqualTo(new StampResult(half - 1, 1));
        }

        StampBatch second = store.batch(view, lease, null);
        rows.subList(half, n).forEach(second::add);
        second.seal();
        assertThatThrownBy(() -> second.add(rows.get(0))).as("a sealed batch takes no more rows")
                .isInstanceOf(IllegalStateException.class);
        try (second) {
            assertThat(second.commit()).isEqualTo(new StampResult(n - half, 0));
        }
        List<Integer> expected = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (i != 5) {
                expected.add(i);
            }
        }
        assertThat(stampedIds(t)).isEqualTo(expected);
    }

    @Test
    void stampsRowsWithTextKeysAndANumericModifiedField() {
        String t = newTable("versioned");
        db.execute("CREATE TABLE " + t + " (code CHAR(6) PRIMARY KEY, version BIGINT, sent TIMESTAMP(3) WITH TIME ZONE)",
                "INSERT INTO " + t + " VALUES ('a', 1, NULL)", "INSERT INTO " + t + " VALUES ('b_%', 7, NULL)",
                "INSERT INTO " + t + " VALUES ('c', NULL, NULL)");
        View view = bind(ViewDefinition.builder("versioned", t).key("code")
                .field("code", "code").field("version", "version").field("sent", "sent")
                .push(policy("sent", "version")).build());
        LeaseToken lease = lease(view.name());

        try (StampBatch batch = sendRows(view, lease, r -> true)) {
            db.execute("UPDATE " + t + " SET version = 8 WHERE code = 'b_%'");
            assertThat(batch.commit()).isEqualTo(new StampResult(2, 1));
        }
        assertThat(readAll(view)).filteredOn(r -> r.get("sent") != null).extracting(Row::key).as("char(6) keys as stored")
                .containsExactly("a     ", "c     ");
    }

    /** Keys that array literals, CSV or SQL would mangle if they were not escaped exactly. */
    private static final List<String> AWKWARD_KEYS = List.of("NULL", "null", "a\"b", "c\\d", "{e,f}", " g ", "h,i", "",
            "'j'", "ü€😀");

    @Test
    void awkwardTextKeysAreStampedExactlyFromMemoryAndFromTheScratchTable() {
        // -3: chunks of 3 stamped ahead
        for (int chunk : new int[]{JdbcPushStore.DEFAULT_STAMP_BATCH_SIZE, 3, -3}) {
            DefaultJdbcPushStore stamper = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource())
                    .stampBatchSize(Math.abs(chunk)).stampAhead(chunk < 0).migrateOnBuild(false).build();
            String t = newTable("awkward");
            db.execute("CREATE TABLE " + t + " (code VARCHAR(20) PRIMARY KEY, sent TIMESTAMP(3))",
                    "INSERT INTO " + t + " (code) VALUES ('not sent')");
            for (String k : AWKWARD_KEYS) {
                db.execute("INSERT INTO " + t + " (code) VALUES ('" + k.replace("'", "''") + "')");
            }
            View view = bind(ViewDefinition.builder("awkward " + chunk, t).key("code").field("code", "code")
                    .field("sent", "sent").push(policy("sent", null)).build());
            LeaseToken lease = lease(view.name());

            StampBatch batch = stamper.batch(view, lease, null);
            readAll(view).stream().filter(r -> !r.key().equals("not sent")).forEach(batch::add);
            try (batch) {
                assertThat(batch.commit()).as("stamp batch size %d", chunk).isEqualTo(new StampResult(AWKWARD_KEYS.size(), 0));
            }
            assertThat(readAll(view)).as("stamp batch size %d", chunk).filteredOn(r -> r.get("sent") == null)
                    .extracting(Row::key).containsExactly("not sent");
        }
    }

    @Test
    void aBatchThatFitsInMemoryKeepsNothingElsewhereAndALargerOneSpillsUntilItCommits() throws Exception {
        java.nio.file.Path spill = java.nio.file.Files.createTempDirectory("viewpush-spill-test");
        try {
            DefaultJdbcPushStore stamper = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).stampBatchSize(4).spillDirectory(spill)
                    .migrateOnBuild(false).build();
            String fits = ordersWithRows(4);
            View small = pushView("fits in memory", fits, true);
            StampBatch batch = stamper.batch(small, lease(small.name()), null);
            readAll(small).forEach(batch::add);
            assertThat(scratchRows()).isZero();
            assertThat(spillFiles(spill)).isEmpty();
            try (batch) {
                assertThat(batch.commit()).isEqualTo(new StampResult(4, 0));
            }

            String larger = ordersWithRows(6);
            View big = pushView("outgrows memory", larger, true);
            StampBatch spilling = stamper.batch(big, lease(big.name()), null);
            readAll(big).forEach(spilling::add);
            if (isPostgres()) {
                assertThat(spillFiles(spill)).as("the first chunk of four went to a file, the other two still in memory")
                        .hasSize(1);
                assertThat(scratchRows()).isZero();
            } else {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (scratchRows() < 4 && System.nanoTime() < deadline) {
                    sleep(10); // the full chunk is written in the background while rows 5 and 6 stream
                }
                assertThat(scratchRows()).as("the first chunk of four, the other two still in memory").isEqualTo(4);
            }
            try (spilling) {
                assertThat(spilling.commit()).isEqualTo(new StampResult(6, 0));
                assertThat(spillFiles(spill)).as("deleted once stamped").isEmpty();
            }
            assertThat(scratchRows()).isZero();
            assertThat(stampedIds(fits)).containsExactly(1, 2, 3, 4);
            assertThat(stampedIds(larger)).containsExactly(1, 2, 3, 4, 5, 6);
        } finally {
            deleteDirectory(spill);
        }
    }

    @Test
    void aSpilledBatchStampsExactlyTheSentRowsThatDidNotChangeAcrossChunks() throws Exception {
        java.nio.file.Path spill = java.nio.file.Files.createTempDirectory("viewpush-spill-test");
        long seed = System.nanoTime();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        try {
            DefaultJdbcPushStore stamper = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).stampBatchSize(7).spillDirectory(spill)
                    .migrateOnBuild(false).build();
            String t = ordersWithRows(100);
            View view = pushView("spilled chunks", t, true);
            java.util.Set<Integer> sent = new java.util.TreeSet<>();
            StampBatch batch = stamper.batch(view, lease(view.name()), null);
            for (Row r : readAll(view)) {
                if (random.nextInt(4) != 0) {
                    batch.add(r);
                    sent.add(((Number) r.key()).intValue());
                }
            }
            java.util.Set<Integer> changed = new java.util.TreeSet<>();
            for (int id : sent) {
                if (random.nextInt(5) == 0) {
                    changed.add(id);
                }
            }
            for (int id : changed) {
                db.execute("UPDATE " + t + " SET last_modified = last_modified + INTERVAL '1' SECOND WHERE id = " + id);
            }
            try (batch) {
                assertThat(batch.commit()).as("seed %d", seed)
                        .isEqualTo(new StampResult(sent.size() - changed.size(), changed.size()));
            }
            java.util.Set<Integer> expected = new java.util.TreeSet<>(sent);
            expected.removeAll(changed);
            assertThat(stampedIds(t)).as("seed %d", seed).containsExactlyElementsOf(expected);
            assertThat(spillFiles(spill)).isEmpty();
        } finally {
            deleteDirectory(spill);
        }
    }

    @Test
    void modifiedDateTimesWithMicrosecondsFarDatesAndEmptiesAreMatchedExactlyInEveryChunk() throws Exception {
        java.nio.file.Path spill = java.nio.file.Files.createTempDirectory("viewpush-spill-test");
        try {
            // -2: chunks of 2 stamped ahead
            for (int chunk : new int[]{2, JdbcPushStore.DEFAULT_STAMP_BATCH_SIZE, -2}) {
                DefaultJdbcPushStore stamper = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource())
                        .stampBatchSize(Math.abs(chunk)).stampAhead(chunk < 0).spillDirectory(spill)
                        .migrateOnBuild(false).build();
                String t = newTable("precise");
                db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, changed TIMESTAMP(6) WITH TIME ZONE,"
                                + " local_changed TIMESTAMP(6), sent TIMESTAMP(6) WITH TIME ZONE)",
                        "INSERT INTO " + t + " VALUES (1, TIMESTAMP WITH TIME ZONE '2026-01-02 03:04:05.123456+00:00',"
                                + " TIMESTAMP '2026-01-02 03:04:05.123456', NULL)",
                        "INSERT INTO " + t + " VALUES (2, TIMESTAMP WITH TIME ZONE '2026-01-02 03:04:05.000001+05:30',"
                                + " TIMESTAMP '1970-01-01 00:00:00', NULL)",
                        "INSERT INTO " + t + " VALUES (3, TIMESTAMP WITH TIME ZONE '1712-06-07 08:09:10.5+00:00',"
                                + " TIMESTAMP '1712-06-07 08:09:10.5', NULL)",
                        "INSERT INTO " + t + " VALUES (4, NULL, NULL, NULL)",
                        "INSERT INTO " + t + " VALUES (5, TIMESTAMP WITH TIME ZONE '1969-12-31 23:59:59.999999+00:00',"
                                + " TIMESTAMP '1969-12-31 23:59:59.999999', NULL)",
                        "INSERT INTO " + t + " VALUES (6, TIMESTAMP WITH TIME ZONE '2400-02-29 12:00:00+00:00',"
                                + " TIMESTAMP '2400-02-29 12:00:00', NULL)",
                        "INSERT INTO " + t + " VALUES (7, TIMESTAMP WITH TIME ZONE '2026-05-05 05:05:05.5+00:00',"
                                + " TIMESTAMP '2026-05-05 05:05:05.5', NULL)");
                for (String modified : new String[]{"changed", "local changed"}) {
                    db.execute("UPDATE " + t + " SET sent = NULL");
                    View view = bind(ViewDefinition.builder("precise " + chunk + " " + modified, t).key("id")
                            .field("id", "id").field("changed", "changed").field("local changed", "local_changed")
                            .field("sent", "sent").push(policy("sent", modified)).build());
                    StampBatch batch = stamper.batch(view, lease(view.name()), null);
                    readAll(view).forEach(batch::add);
                    String column = modified.equals("changed") ? "changed" : "local_changed";
                    db.execute("UPDATE " + t + " SET " + column + " = " + column + " + INTERVAL '1' SECOND WHERE id = 7");
                    try (batch) {
                        assertThat(batch.commit()).as("chunk %d, %s", chunk, modified).isEqualTo(new StampResult(6, 1));
                    }
                    assertThat(readAll(view)).as("chunk %d, %s", chunk, modified).filteredOn(r -> r.get("sent") == null)
                            .extracting(Row::key).containsExactly(new BigDecimal(7));
                }
            }
            assertThat(spillFiles(spill)).isEmpty();
        } finally {
            deleteDirectory(spill);
        }
    }

    @Test
    void aSpilledBatchThatIsClosedUnstampedOrLosesItsLeaseLeavesNoFileAndNoStamp() throws Exception {
        java.nio.file.Path spill = java.nio.file.Files.createTempDirectory("viewpush-spill-test");
        try {
            DefaultJdbcPushStore stamper = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).stampBatchSize(2).spillDirectory(spill)
                    .migrateOnBuild(false).build();
            String t = ordersWithRows(5);
            View view = pushView("spilled then dropped", t, true);
            LeaseToken lease = lease(view.name());

            StampBatch abandoned = stamper.batch(view, lease, null);
            readAll(view).forEach(abandoned::add);
            abandoned.close();
            assertThat(spillFiles(spill)).isEmpty();

            StampBatch fenced = stamper.batch(view, lease, null);
            readAll(view).forEach(fenced::add);
            store.release(lease);
            assertThat(store.tryAcquire(view.name(), "other-engine", Duration.ofMinutes(1))).isPresent();
            try (fenced) {
                assertThatThrownBy(fenced::commit).isInstanceOf(LeaseLostException.class);
            }
            assertThat(spillFiles(spill)).isEmpty();
            assertThat(stampedIds(t)).isEmpty();
            assertThat(scratchRows()).isZero();
        } finally {
            deleteDirectory(spill);
        }
    }

    /** A store whose batches beyond {@code chunk} rows stamp ahead (PostgreSQL; H2 ignores it). */
    private DefaultJdbcPushStore stampingAhead(int chunk, java.nio.file.Path spill) {
        return (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).stampBatchSize(chunk).spillDirectory(spill)
                .stampAhead(true).migrateOnBuild(false).build();
    }

    /**
     * @return the ids of {@code table}'s rows that another transaction cannot lock {@code FOR UPDATE}
     *         (the rows an open stamping transaction has updated), waiting up to 10 s for {@code expected}
     */
    private java.util.Set<Integer> lockedIds(String table, java.util.Set<Integer> expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            java.util.Set<Integer> all = new java.util.TreeSet<>();
            java.util.Set<Integer> free = new java.util.TreeSet<>();
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    try (var rs = s.executeQuery("SELECT id FROM " + table)) {
                        while (rs.next()) {
                            all.add(rs.getInt(1));
                        }
                    }
                    try (var rs = s.executeQuery("SELECT id FROM " + table + " FOR UPDATE SKIP LOCKED")) {
                        while (rs.next()) {
                            free.add(rs.getInt(1));
                        }
                    }
                }
                c.rollback();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            all.removeAll(free);
            if (all.equals(expected) || System.nanoTime() > deadline) {
                return all;
            }
            sleep(10);
        }
    }

    @Test
    void stampingAheadStampsChunksWhileTheBatchIsSentButShowsNothingBeforeItsCommit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path spill) throws Exception {
        DefaultJdbcPushStore stamper = stampingAhead(3, spill);
        String t = ordersWithRows(20);
        View view = pushView("stamped ahead", t, true);
        List<Row> rows = readAll(view);
        // changed after the read, before the batch stamps them: the optimistic check leaves them
        db.execute("UPDATE " + t + " SET last_modified = last_modified + INTERVAL '1' SECOND WHERE id IN (5, 17)");
        StampBatch batch = stamper.batch(view, lease(view.name()), null);
        rows.forEach(batch::add);
        java.util.Set<Integer> aheadIds = new java.util.TreeSet<>();
        for (int id = 1; id <= 18; id++) {
            if (id != 5 && id != 17) {
                aheadIds.add(id); // six full chunks of three; rows 19 and 20 are still in memory
            }
        }
        if (isPostgres()) {
            assertThat(lockedIds(t, aheadIds)).as("stamped ahead, in the batch's open transaction")
                    .isEqualTo(aheadIds);
        } else {
            assertThat(lockedIds(t, java.util.Set.of())).as("H2 does not stamp ahead").isEmpty();
        }
        assertThat(stampedIds(t)).as("nothing is visible before the commit").isEmpty();
        try (batch) {
            batch.seal();
            assertThat(batch.commit()).isEqualTo(new StampResult(18, 2));
        }
        java.util.Set<Integer> expected = new java.util.TreeSet<>(aheadIds);
        expected.addAll(List.of(19, 20));
        assertThat(stampedIds(t)).containsExactlyElementsOf(expected);
        assertThat(lockedIds(t, java.util.Set.of())).as("the transaction ended").isEmpty();
        assertThat(spillFiles(spill)).isEmpty();
    }

    @Test
    void aBatchStampedAheadThatIsClosedUnsentOrLosesItsLeaseStampsNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path spill) throws Exception {
        DefaultJdbcPushStore stamper = stampingAhead(2, spill);
        String t = ordersWithRows(7);
        View view = pushView("stamped ahead, then not", t, true);
        LeaseToken lease = lease(view.name());
        java.util.Set<Integer> ahead = isPostgres() ? java.util.Set.of(1, 2, 3, 4, 5, 6) : java.util.Set.of();

        StampBatch unsent = stamper.batch(view, lease, null);
        readAll(view).forEach(unsent::add);
        assertThat(lockedIds(t, ahead)).isEqualTo(ahead);
        unsent.close();
        assertThat(lockedIds(t, java.util.Set.of())).as("rolled back").isEmpty();
        assertThat(stampedIds(t)).isEmpty();
        assertThat(spillFiles(spill)).isEmpty();

        StampBatch expired = stamper.batch(view, lease, null);
        readAll(view).forEach(expired::add);
        assertThat(lockedIds(t, ahead)).isEqualTo(ahead);
        // the lease runs out while the request is on its way (an update of the lease row, as a
        // renewal is, does not wait for the stamping transaction's lock)
        db.execute("UPDATE \"viewpush_lease\" SET \"expires_at\" = \"expires_at\" - INTERVAL '1' DAY"
                + " WHERE \"view_name\" = '" + view.name().replace("'", "''") + "'");
        try (expired) {
            assertThatThrownBy(expired::commit).isInstanceOf(LeaseLostException.class);
        }
        assertThat(lockedIds(t, java.util.Set.of())).as("rolled back").isEmpty();
        assertThat(stampedIds(t)).isEmpty();
        assertThat(spillFiles(spill)).isEmpty();
    }

    @Test
    void anEngineStampingAheadStampsNothingOfAFailedRequestAndEveryRowOfTheNextOnlyAfterItsAnswer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path spill) throws Exception {
        DefaultJdbcPushStore stamper = stampingAhead(3, spill);
        String t = ordersWithRows(20);
        ViewDefinition def = ordersView("engine stamps ahead", t).push(policy("last pushed", "last modified [auto]")).build();
        java.util.Set<Integer> firstChunks = new java.util.TreeSet<>();
        for (int id = 1; id <= 18; id++) {
            firstChunks.add(id);
        }
        List<java.util.Set<Integer>> lockedDuringRequests = new java.util.ArrayList<>();
        List<List<Integer>> stampedDuringRequests = new java.util.ArrayList<>();
        io.viewpush.testing.RecordingTransport transport = new io.viewpush.testing.RecordingTransport().failNext(1, 503)
                .onSend(rows -> {
                    lockedDuringRequests.add(lockedIds(t, isPostgres() ? firstChunks : java.util.Set.of()));
                    stampedDuringRequests.add(stampedIds(t));
                });
        try (io.viewpush.engine.ViewPush engine = io.viewpush.engine.ViewPush.builder().store(stamper)
                .transport(transport).view(def).build()) {
            io.viewpush.push.PushAttempt failed = engine.pushNow(def.name());
            assertThat(failed.status()).isEqualTo(io.viewpush.push.PushAttempt.Status.FAILED);
            assertThat(stampedIds(t)).as("nothing of the failed request").isEmpty();
            assertThat(lockedIds(t, java.util.Set.of())).as("its stamping ahead rolled back").isEmpty();

            io.viewpush.push.PushAttempt ok = engine.pushNow(def.name());
            assertThat(ok.status()).isEqualTo(io.viewpush.push.PushAttempt.Status.SUCCESS);
            assertThat(ok.rowsStamped()).isEqualTo(20);
        }
        assertThat(lockedDuringRequests).as("while each request was on its way, its first six chunks were stamped"
                + " ahead (PostgreSQL) but not committed").containsOnly(isPostgres() ? firstChunks : java.util.Set.of());
        assertThat(stampedDuringRequests).containsOnly(List.of());
        assertThat(stampedIds(t)).hasSize(20);
        assertThat(lockedIds(t, java.util.Set.of())).isEmpty();
        assertThat(spillFiles(spill)).isEmpty();
    }

    @Test
    void whenStampingAheadFailsTheBatchIsStampedAfterItsRequestAsWithoutIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path spill) throws Exception {
        Assumptions.assumeTrue(isPostgres(), "only PostgreSQL stamps ahead");
        DefaultJdbcPushStore stamper = stampingAhead(2, spill);
        String t = ordersWithRows(7);
        View view = pushView("stamped ahead, connection lost", t, true);
        StampBatch batch = stamper.batch(view, lease(view.name()), null);
        readAll(view).forEach(batch::add);
        assertThat(lockedIds(t, java.util.Set.of(1, 2, 3, 4, 5, 6))).isEqualTo(java.util.Set.of(1, 2, 3, 4, 5, 6));
        // the stamping transaction's server process ends (an administrator, a deadlock victim, a restart)
        assertThat(db.queryValue("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE state = 'idle in transaction' AND query ILIKE '%update%" + t + "%'"))
                .isEqualTo(1L);
        assertThat(lockedIds(t, java.util.Set.of())).isEmpty();
        try (batch) {
            assertThat(batch.commit()).isEqualTo(new StampResult(7, 0));
        }
        assertThat(stampedIds(t)).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(spillFiles(spill)).isEmpty();
    }

    @Test
    void aSpillDirectoryThatIsNotADirectoryIsRefusedByName() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("viewpush-not-a-directory", ".txt");
        try {
            assertThatThrownBy(() -> JdbcPushStore.builder(db.dataSource()).spillDirectory(file).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spillDirectory")
                    .hasMessageContaining(file.toString());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    private static List<java.nio.file.Path> spillFiles(java.nio.file.Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.collect(java.util.stream.Collectors.toList());
        }
    }

    private static void deleteDirectory(java.nio.file.Path dir) throws java.io.IOException {
        for (java.nio.file.Path f : spillFiles(dir)) {
            java.nio.file.Files.delete(f);
        }
        java.nio.file.Files.delete(dir);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
