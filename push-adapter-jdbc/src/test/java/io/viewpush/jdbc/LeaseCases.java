package io.viewpush.jdbc;

import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.StampBatch;
import io.viewpush.push.PushAttempt;
import io.viewpush.view.View;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Leases beyond the contract: database time, fences, and stale tokens refused by every fenced write. */
abstract class LeaseCases extends StoreCases {
    private static final Duration LONG = Duration.ofMinutes(5);

    LeaseCases(TestDatabase.Kind kind) {
        super(kind);
    }

    private static PushAttempt attempt(String view) {
        Instant t = Instant.parse("2024-06-01T12:00:00Z");
        return new PushAttempt(view, PushAttempt.Trigger.MANUAL, t, t.plusSeconds(1), PushAttempt.Status.SUCCESS,
                1, 1, 0, 1, 10, OptionalInt.of(200), "200 OK", List.of("msg_1"));
    }

    @Test
    void theFenceGrowsWithEveryAcquisitionEvenByTheSameOwner() {
        LeaseToken a = store.tryAcquire("fences", "engine-a", LONG).orElseThrow();
        LeaseToken again = store.tryAcquire("fences", "engine-a", LONG).orElseThrow();
        store.release(again);
        LeaseToken b = store.tryAcquire("fences", "engine-b", LONG).orElseThrow();

        assertThat(List.of(a.fence(), again.fence(), b.fence())).isSorted().doesNotHaveDuplicates();
        assertThat(store.renew(a, LONG)).as("the first token is stale once re-acquired").isFalse();
    }

    @Test
    void expiryIsMeasuredByTheDatabaseClock() {
        OffsetDateTime before = db.queryValue("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);
        store.tryAcquire("db time", "engine-a", Duration.ofHours(3)).orElseThrow();
        OffsetDateTime after = db.queryValue("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);

        OffsetDateTime acquired = db.queryValue("SELECT \"acquired_at\" FROM \"viewpush_lease\" WHERE \"view_name\" = 'db time'",
                OffsetDateTime.class);
        OffsetDateTime expires = db.queryValue("SELECT \"expires_at\" FROM \"viewpush_lease\" WHERE \"view_name\" = 'db time'",
                OffsetDateTime.class);
        assertThat(acquired.toInstant()).isBetween(before.toInstant().minusMillis(1), after.toInstant().plusMillis(1));
        assertThat(Duration.between(acquired, expires)).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void aRenewalMovesTheExpiryToTheDatabaseClockPlusTheTimeToLive() {
        LeaseToken a = store.tryAcquire("renewed", "engine-a", Duration.ofMinutes(1)).orElseThrow();
        OffsetDateTime before = db.queryValue("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);
        assertThat(store.renew(a, Duration.ofHours(3))).isTrue();
        OffsetDateTime after = db.queryValue("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);

        OffsetDateTime expires = db.queryValue("SELECT \"expires_at\" FROM \"viewpush_lease\" WHERE \"view_name\" = 'renewed'",
                OffsetDateTime.class);
        assertThat(expires.toInstant()).isBetween(before.toInstant().plus(Duration.ofHours(3)).minusMillis(1),
                after.toInstant().plus(Duration.ofHours(3)).plusMillis(1));
        assertThat(store.renew(new LeaseToken("renewed", "engine-b", a.fence()), LONG)).as("another owner").isFalse();
        assertThat(store.renew(new LeaseToken("renewed", "engine-a", a.fence() + 1), LONG)).as("another fence").isFalse();
        assertThat(store.renew(new LeaseToken("never leased", "engine-a", 1), LONG)).as("no lease row").isFalse();
    }

    @Test
    void aStaleOrExpiredTokenCannotStampABatchLargerThanOneStatementStamps() throws InterruptedException {
        String t = createOrders();
        int rows = PostgreSqlStampBatch.ONE_STATEMENT_MAX_ROWS + 10;
        for (int id = 1; id <= rows; id += 500) {
            StringBuilder insert = new StringBuilder("INSERT INTO " + t + " (id, customer) VALUES ");
            for (int i = id; i < Math.min(id + 500, rows + 1); i++) {
                insert.append(i == id ? "" : ", ").append("(").append(i).append(", 'a')");
            }
            db.execute(insert.toString());
        }
        View view = bind(ordersView("stale large", t).push(policy("last pushed", null)).build());
        LeaseToken expired = store.tryAcquire("stale large", "engine-a", Duration.ofMillis(300)).orElseThrow();
        StampBatch lapsed = store.batch(view, expired, null);
        readAll(view).forEach(lapsed::add);
        Thread.sleep(600);
        try (lapsed) {
            assertThatThrownBy(lapsed::commit).as("expired, nobody took it").isInstanceOf(LeaseLostException.class);
        }
        LeaseToken current = store.tryAcquire("stale large", "engine-b", LONG).orElseThrow();
        StampBatch stale = store.batch(view, expired, null);
        readAll(view).forEach(stale::add);
        try (stale) {
            assertThatThrownBy(stale::commit).as("taken over").isInstanceOf(LeaseLostException.class);
        }
        assertThat(readAll(view)).hasSize(rows).allSatisfy(r -> assertThat(r.get("last pushed")).isNull());

        StampBatch held = store.batch(view, current, null);
        readAll(view).forEach(held::add);
        try (held) {
            assertThat(held.commit().stamped()).isEqualTo(rows);
        }
    }

    @Test
    void aStaleTokenCanNeitherStampNorRecordAndAReleaseByItFreesNothing() throws InterruptedException {
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id, customer) VALUES (1, 'a')");
        View view = bind(ordersView("stale", t).push(policy("last pushed", null)).build());
        LeaseToken stale = store.tryAcquire("stale", "engine-a", Duration.ofMillis(300)).orElseThrow();
        StampBatch batch = store.batch(view, stale, null);
        readAll(view).forEach(batch::add);
        Thread.sleep(600);
        LeaseToken current = store.tryAcquire("stale", "engine-b", LONG).orElseThrow();

        try (batch) {
            assertThatThrownBy(batch::commit).isInstanceOf(LeaseLostException.class);
        }
        assertThatThrownBy(() -> store.record(attempt("stale"), stale)).isInstanceOf(LeaseLostException.class);
        store.release(stale);

        assertThat(readAll(view).get(0).get("last pushed")).isNull();
        assertThat(store.recent("stale", 10)).isEmpty();
        assertThat(store.tryAcquire("stale", "engine-c", LONG)).as("engine-b still holds it").isEmpty();
        assertThat(store.renew(current, LONG)).isTrue();
    }

    @Test
    void anExpiredLeaseNobodyTookRefusesWritesButCanBeRenewed() throws InterruptedException {
        LeaseToken a = store.tryAcquire("lapsed", "engine-a", Duration.ofMillis(300)).orElseThrow();
        Thread.sleep(600);

        assertThatThrownBy(() -> store.record(attempt("lapsed"), a)).isInstanceOf(LeaseLostException.class);
        assertThat(store.renew(a, LONG)).isTrue();
        store.record(attempt("lapsed"), a);
        assertThat(store.recent("lapsed", 10)).hasSize(1);
    }

    @Test
    void engineStoresRacingForManyViewsNeverBothHoldOne() throws Exception {
        DefaultJdbcPushStore second = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 30; round++) {
                String view = "race " + round;
                List<Callable<Optional<LeaseToken>>> tasks = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    DefaultJdbcPushStore engine = i % 2 == 0 ? store : second;
                    String owner = "engine-" + i;
                    tasks.add(() -> engine.tryAcquire(view, owner, LONG));
                }
                List<LeaseToken> winners = new ArrayList<>();
                for (Future<Optional<LeaseToken>> f : pool.invokeAll(tasks)) {
                    f.get().ifPresent(winners::add);
                }
                assertThat(winners).as("winners of %s", view).hasSize(1);
                assertThat(store.renew(winners.get(0), LONG)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- take-over of a holder that is gone (issue 14) ----

    private long holderSession(String view) {
        return db.queryValue("SELECT \"holder_session\" FROM \"viewpush_lease\" WHERE \"view_name\" = '" + view + "'",
                Long.class);
    }

    /** PostgreSQL: ends the database session holding the advisory lock a lease names, as a killed process's would end. */
    private void endHolderSession(String view) {
        long key = holderSession(view);
        Integer pid = db.queryValue("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
                + " AND classid::bigint = " + (key >>> 32) + " AND objid::bigint = " + (key & 0xffffffffL), Integer.class);
        assertThat(pid).as("the holder's session holds its lock").isNotNull();
        assertThat(db.queryValue("SELECT pg_terminate_backend(" + pid + ")", Boolean.class)).isTrue();
        for (int i = 0; i < 100 && db.queryValue("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid, Long.class) > 0; i++) {
            sleepQuietly(50);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aLeaseNamesItsHolderSinceWhenAndUntilWhenAndNobodyOnceReleased() {
        OffsetDateTime before = db.queryValue("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);
        LeaseToken a = store.tryAcquire("named", "engine-a", LONG).orElseThrow();
        io.viewpush.port.LeaseHolder holder = store.leaseHolder("named").orElseThrow();

        assertThat(holder.owner()).isEqualTo("engine-a");
        assertThat(holder.host()).contains(LeaseHolders.host());
        assertThat(holder.processId()).hasValue(ProcessHandle.current().pid());
        assertThat(holder.since().orElseThrow()).isAfterOrEqualTo(before.toInstant().minusMillis(1));
        assertThat(Duration.between(holder.since().orElseThrow(), holder.expiresAt())).isEqualTo(LONG);
        assertThat(holder.describe()).startsWith("host " + LeaseHolders.host() + ", process " + ProcessHandle.current().pid()
                + ", since ").contains("its lease expires at " + holder.expiresAt());
        store.release(a);
        assertThat(store.leaseHolder("named")).isEmpty();
        assertThat(store.leaseHolder("never leased")).isEmpty();
    }

    @Test
    void aLiveHolderInAnotherStoreIsNotTakenOverBeforeItsLeaseExpires() {
        DefaultJdbcPushStore other = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();
        try {
            LeaseToken a = other.tryAcquire("alive", "engine-a", LONG).orElseThrow();
            assertThat(store.tryAcquire("alive", "engine-b", LONG)).as("its holder lives").isEmpty();
            assertThat(other.renew(a, LONG)).isTrue();
        } finally {
            other.close();
        }
    }

    @Test
    void aHolderWhoseDatabaseSessionEndedIsTakenOverAtOnceAndCanNeitherStampNorRecord() {
        org.junit.jupiter.api.Assumptions.assumeTrue(isPostgres(), "PostgreSQL sees a session end");
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id, customer) VALUES (1, 'a')");
        View view = bind(ordersView("session ended", t).push(policy("last pushed", null)).build());
        DefaultJdbcPushStore dying = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();
        try {
            LeaseToken dead = dying.tryAcquire("session ended", "engine-a", LONG).orElseThrow();
            StampBatch late = dying.batch(view, dead, null);
            readAll(view).forEach(late::add);
            assertThat(store.tryAcquire("session ended", "engine-b", LONG)).as("alive so far").isEmpty();

            endHolderSession("session ended"); // what PostgreSQL sees when the holder's process is killed

            LeaseToken taken = store.tryAcquire("session ended", "engine-b", LONG).orElseThrow();
            assertThat(taken.fence()).isGreaterThan(dead.fence());
            // fencing is as strong as before: the old holder, were it only paused, cannot write
            try (late) {
                assertThatThrownBy(late::commit).isInstanceOf(LeaseLostException.class);
            }
            assertThatThrownBy(() -> dying.record(attempt("session ended"), dead)).isInstanceOf(LeaseLostException.class);
            assertThat(dying.renew(dead, LONG)).isFalse();
            assertThat(readAll(view).get(0).get("last pushed")).isNull();
            assertThat(store.leaseHolder("session ended").orElseThrow().owner()).isEqualTo("engine-b");
        } finally {
            dying.close();
        }
    }

    @Test
    void aPausedHolderWhoseSessionLivesIsTakenOverOnlyWhenItsLeaseExpiresAndThenCannotStamp() throws InterruptedException {
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id, customer) VALUES (1, 'a')");
        View view = bind(ordersView("paused", t).push(policy("last pushed", null)).build());
        DefaultJdbcPushStore paused = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();
        try {
            LeaseToken token = paused.tryAcquire("paused", "engine-a", Duration.ofMillis(500)).orElseThrow();
            StampBatch late = paused.batch(view, token, null);
            readAll(view).forEach(late::add);
            assertThat(store.tryAcquire("paused", "engine-b", LONG)).as("its session lives, its lease runs").isEmpty();
            Thread.sleep(800); // the holder does nothing (a SIGSTOP, a long GC) while its session stays open

            LeaseToken taken = store.tryAcquire("paused", "engine-b", LONG).orElseThrow();
            try (late) {
                assertThatThrownBy(late::commit).isInstanceOf(LeaseLostException.class);
            }
            assertThatThrownBy(() -> paused.record(attempt("paused"), token)).isInstanceOf(LeaseLostException.class);
            assertThat(paused.renew(token, LONG)).isFalse();
            assertThat(readAll(view).get(0).get("last pushed")).isNull();
            assertThat(store.renew(taken, LONG)).isTrue();
        } finally {
            paused.close();
        }
    }

    @Test
    void aClosedStoresLeasesAreTakenOverAtOnce() {
        org.junit.jupiter.api.Assumptions.assumeTrue(isPostgres(), "on H2 a store of this process is never taken for gone");
        DefaultJdbcPushStore closing = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();
        closing.tryAcquire("closed store", "engine-a", LONG).orElseThrow();
        closing.close();
        assertThat(store.tryAcquire("closed store", "engine-b", LONG)).isPresent();
    }

    @Test
    void aStoreWhoseOwnSessionWasCutOpensANewOneAndItsNextLeaseNamesIt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(isPostgres(), "PostgreSQL sees a session end");
        DefaultJdbcPushStore cut = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();
        try {
            cut.tryAcquire("cut 1", "engine-a", LONG).orElseThrow();
            long lost = holderSession("cut 1");
            endHolderSession("cut 1");

            LeaseToken second = cut.tryAcquire("cut 2", "engine-a", LONG).orElseThrow();
            assertThat(holderSession("cut 2")).as("a new session").isNotEqualTo(lost);
            assertThat(store.tryAcquire("cut 2", "engine-b", LONG)).as("the holder lives, through its new session").isEmpty();
            assertThat(store.tryAcquire("cut 1", "engine-b", LONG)).as("the lease taken with the lost session").isPresent();
            assertThat(cut.renew(second, LONG)).isTrue();
        } finally {
            cut.close();
        }
    }

    @Test
    void onH2OpenedByThisProcessAloneALeaseOfAnotherProcessIsTakenAtOnce() {
        org.junit.jupiter.api.Assumptions.assumeFalse(isPostgres(), "H2 opened by one process");
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id, customer) VALUES (1, 'a')");
        View view = bind(ordersView("other process", t).push(policy("last pushed", null)).build());
        LeaseToken left = store.tryAcquire("other process", "engine-a", LONG).orElseThrow();
        StampBatch late = store.batch(view, left, null);
        readAll(view).forEach(late::add);
        assertThat(store.tryAcquire("other process", "engine-b", LONG)).as("a holder in this process").isEmpty();
        // as a process that ended left it: its own number, not this process's
        db.execute("UPDATE \"viewpush_lease\" SET \"holder_session\" = " + (LeaseHolders.PROCESS ^ 1)
                + " WHERE \"view_name\" = 'other process'");

        LeaseToken taken = store.tryAcquire("other process", "engine-b", LONG).orElseThrow();
        assertThat(taken.fence()).isGreaterThan(left.fence());
        try (late) {
            assertThatThrownBy(late::commit).isInstanceOf(LeaseLostException.class);
        }
        assertThat(readAll(view).get(0).get("last pushed")).isNull();

        // a lease left by a version that did not name its holder's process is taken at once too
        store.tryAcquire("old version", "engine-a", LONG).orElseThrow();
        db.execute("UPDATE \"viewpush_lease\" SET \"holder_session\" = NULL WHERE \"view_name\" = 'old version'");
        assertThat(store.tryAcquire("old version", "engine-b", LONG)).isPresent();
    }

    @Test
    void onlyAnH2DatabaseThatNoOtherProcessCanOpenTakesOtherProcessesLeasesForGone() {
        assertThat(LeaseHolders.singleProcessH2("jdbc:h2:file:./viewpush-data/viewpush;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0")).isTrue();
        assertThat(LeaseHolders.singleProcessH2("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isTrue();
        assertThat(LeaseHolders.singleProcessH2("jdbc:h2:./data/db")).isTrue();
        assertThat(LeaseHolders.singleProcessH2("jdbc:h2:tcp://db:9092/~/test")).isFalse();
        assertThat(LeaseHolders.singleProcessH2("jdbc:h2:ssl://db/~/test")).isFalse();
        assertThat(LeaseHolders.singleProcessH2("jdbc:h2:file:./x;AUTO_SERVER=TRUE")).isFalse();
        assertThat(LeaseHolders.singleProcessH2("jdbc:h2:file:./x;auto_server=true;WRITE_DELAY=0")).isFalse();
        assertThat(LeaseHolders.singleProcessH2("jdbc:postgresql://db/x")).isFalse();
    }

    @Test
    void badArgumentsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> store.tryAcquire("v", " ", LONG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner");
        assertThatThrownBy(() -> store.tryAcquire("v", "engine", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("time to live");
        LeaseToken other = store.tryAcquire("one view", "engine", LONG).orElseThrow();
        assertThatThrownBy(() -> store.record(attempt("another view"), other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'one view'").hasMessageContaining("'another view'");
    }
}
