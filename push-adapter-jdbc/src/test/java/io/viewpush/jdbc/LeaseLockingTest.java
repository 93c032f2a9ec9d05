package io.viewpush.jdbc;

import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL's finer row locks on the lease: a fenced write (a stamp, a journal entry) keeps other
 * engines from taking the lease over until it commits, yet the holder can renew its lease
 * meanwhile, so a push's next batch never waits for the stamping of the previous one; and the
 * lock and the database's time are read in one statement, the time after the lock is held.
 */
class LeaseLockingTest {
    private static final Duration TTL = Duration.ofMinutes(1);

    private final TestDatabase db = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
    private final DefaultJdbcPushStore store = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();

    @Test
    void theHolderRenewsWhileItsFencedWriteIsOpenAndATakeOverWaitsForTheWriteToEnd() throws Exception {
        LeaseToken held = store.tryAcquire("locked view", "engine-a", TTL).orElseThrow();
        DSLContext ctx = DSL.using(db.dataSource(), SQLDialect.POSTGRES);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Void> fencedWrite = CompletableFuture.runAsync(() -> ctx.transaction(cfg -> {
            new Leases(Dialect.POSTGRESQL).checkHeld(cfg.dsl(), held);
            writing.countDown();
            assertThat(finish.await(30, TimeUnit.SECONDS)).isTrue();
        }));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(CompletableFuture.supplyAsync(() -> store.renew(held, TTL)).get(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Optional<LeaseToken>> takeOver = CompletableFuture.supplyAsync(
                () -> store.tryAcquire("locked view", "engine-b", TTL));
        Thread.sleep(500);
        assertThat(takeOver).as("another engine waits while the holder writes").isNotDone();

        finish.countDown();
        fencedWrite.get(10, TimeUnit.SECONDS);
        assertThat(takeOver.get(10, TimeUnit.SECONDS)).as("the renewed lease is still held").isEmpty();
    }

    @Test
    void aFencedWriteThatWaitedForTheLeaseRowJudgesTheLeaseByTheTimeItGotIt() throws Exception {
        LeaseToken held = store.tryAcquire("waited view", "engine-a", Duration.ofSeconds(1)).orElseThrow();
        DSLContext ctx = DSL.using(db.dataSource(), SQLDialect.POSTGRES);
        CountDownLatch locked = new CountDownLatch(1);
        CompletableFuture<Void> otherEngine = CompletableFuture.runAsync(() -> ctx.transaction(cfg -> {
            cfg.dsl().execute("SELECT 1 FROM viewpush_lease WHERE view_name = 'waited view' FOR UPDATE");
            locked.countDown();
            Thread.sleep(1500); // the lease expires meanwhile; this engine changes nothing
        }));
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> fencedWrite = CompletableFuture.runAsync(() -> ctx.transaction(cfg ->
                new Leases(Dialect.POSTGRESQL).checkHeld(cfg.dsl(), held)));

        otherEngine.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> fencedWrite.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LeaseLostException.class);
    }
}
