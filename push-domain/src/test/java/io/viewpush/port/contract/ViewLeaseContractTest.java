package io.viewpush.port.contract;

import io.viewpush.port.LeaseToken;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract of {@link io.viewpush.port.ViewLease}: every store passes it. Leases expire by the
 * store's clock, so the expiry tests wait for a short lease to run out.
 */
public abstract class ViewLeaseContractTest extends StoreContractSupport {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Duration SHORT = Duration.ofMillis(400);

    /** Waits until a lease of {@link #SHORT} taken now has expired on the store's clock. */
    protected void waitForShortLeaseToExpire() throws InterruptedException {
        Thread.sleep(SHORT.toMillis() + 300);
    }

    @Test
    void aFreeViewCanBeTakenAndAHeldOneCannot() {
        Optional<LeaseToken> a = store.tryAcquire("v", "engine-a", LONG);
        assertThat(a).isPresent();
        assertThat(store.tryAcquire("v", "engine-b", LONG)).isEmpty();
        assertThat(store.tryAcquire("other view", "engine-b", LONG)).isPresent();
    }

    @Test
    void aReleasedLeaseCanBeTakenByAnotherWithAHigherFence() {
        LeaseToken a = store.tryAcquire("v", "engine-a", LONG).orElseThrow();
        store.release(a);
        LeaseToken b = store.tryAcquire("v", "engine-b", LONG).orElseThrow();
        assertThat(b.fence()).isGreaterThan(a.fence());
        assertThat(store.renew(a, LONG)).isFalse();
        assertThat(store.renew(b, LONG)).isTrue();
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldHolderCannotRenew() throws InterruptedException {
        LeaseToken a = store.tryAcquire("v", "engine-a", SHORT).orElseThrow();
        waitForShortLeaseToExpire();
        LeaseToken b = store.tryAcquire("v", "engine-b", LONG).orElseThrow();
        assertThat(b.fence()).isGreaterThan(a.fence());
        assertThat(store.renew(a, LONG)).isFalse();
        store.release(a);
        assertThat(store.tryAcquire("v", "engine-c", LONG)).isEmpty();
    }

    @Test
    void renewingKeepsTheLeasePastItsFirstExpiry() throws InterruptedException {
        LeaseToken a = store.tryAcquire("v", "engine-a", SHORT).orElseThrow();
        assertThat(store.renew(a, LONG)).isTrue();
        waitForShortLeaseToExpire();
        assertThat(store.tryAcquire("v", "engine-b", LONG)).isEmpty();
        assertThat(store.renew(a, LONG)).isTrue();
    }

    @Test
    void concurrentAcquirersNeverBothWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                String view = "race " + round;
                List<Callable<Optional<LeaseToken>>> tasks = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String owner = "engine-" + i;
                    tasks.add(() -> store.tryAcquire(view, owner, LONG));
                }
                int winners = 0;
                for (Future<Optional<LeaseToken>> f : pool.invokeAll(tasks)) {
                    if (f.get().isPresent()) {
                        winners++;
                    }
                }
                assertThat(winners).as("winners of %s", view).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tryAcquireAndOpenReadsEveryRowUnderTheLeaseOrNothingWhenItIsHeld() {
        for (int id : new int[]{3, 1, 2}) {
            tables.insert(ContractViews.TABLE, ContractViews.order(id, "c" + id, "1.00", T0));
        }
        io.viewpush.view.View view = bind(ContractViews.modifiedSincePushed());
        java.util.Optional<io.viewpush.port.LeasedRead> read = store.tryAcquireAndOpen("engine-a", LONG, store, view, now());
        assertThat(read).isPresent();
        List<io.viewpush.view.Row> rows = new ArrayList<>();
        try (io.viewpush.port.RowCursor cursor = read.get().cursor()) {
            cursor.forEachRemaining(rows::add);
        }
        assertThat(keys(rows)).containsExactly(1, 2, 3);
        assertThat(read.get().token().view()).isEqualTo(view.name());
        assertThat(store.tryAcquire(view.name(), "engine-b", LONG)).as("the lease is held").isEmpty();
        assertThat(store.tryAcquireAndOpen("engine-b", LONG, store, view, now())).as("held by engine-a").isEmpty();
        assertThat(store.renew(read.get().token(), LONG)).isTrue();
        store.release(read.get().token());
        assertThat(store.tryAcquire(view.name(), "engine-b", LONG)).isPresent();
    }

    @Test
    void tryAcquireAndOpenOfAnEmptyViewHoldsTheLeaseWithAnEmptyRead() {
        io.viewpush.view.View view = bind(ContractViews.modifiedSincePushed());
        io.viewpush.port.LeasedRead read = store.tryAcquireAndOpen("engine-a", LONG, store, view, now()).orElseThrow();
        try (io.viewpush.port.RowCursor cursor = read.cursor()) {
            assertThat(cursor.hasNext()).isFalse();
        }
        assertThat(store.tryAcquire(view.name(), "engine-b", LONG)).isEmpty();
        store.release(read.token());
    }
}
