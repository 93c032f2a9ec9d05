package io.viewpush.jdbc;

import io.viewpush.engine.ViewPush;
import io.viewpush.push.PushAttempt;
import io.viewpush.testing.RecordingTransport;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The graceful stop (README, "Operations") and "nothing lost" (docs/ARCHITECTURE.md), through the engine an embedder builds on a real
 * database: a batch whose receiver answers only after {@link ViewPush#close()} gave up waiting is
 * never stamped, the attempt is journalled as failed, and the next engine delivers the rows again.
 */
abstract class GracefulStopCases extends StoreCases {

    GracefulStopCases(TestDatabase.Kind kind) {
        super(kind);
    }

    @Test
    void aBatchAnsweredAfterCloseGaveUpIsNeverStampedAndTheNextEngineDeliversItAgain() throws Exception {
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id, customer, last_modified) VALUES (1, 'a', TIMESTAMP '2024-05-01 00:00:00')");
        ViewDefinition def = ordersView("stop", t)
                .filter("{last pushed} is empty")
                .push(policy("last pushed", "last modified [auto]").withMinInterval(Duration.ZERO))
                .build();
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        RecordingTransport slow = new RecordingTransport().onSend(rows -> {
            sending.countDown();
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            boolean interrupted = false;
            while (System.nanoTime() < until) {   // a receiver that answers late, even when interrupted
                try {
                    Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            answered.countDown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        });
        ViewPush first = ViewPush.builder().store(store).transport(slow).view(def)
                .shutdownTimeout(Duration.ofMillis(200)).build();
        first.start();
        assertThat(sending.await(10, TimeUnit.SECONDS)).as("the scheduler started the push").isTrue();

        first.close();
        assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300);   // time for a stamp that must not happen

        assertThat(slow.batches()).as("the receiver answered 200 to the batch").hasSize(1);
        assertThat(unstampedIds(t)).as("rows of a batch answered after close gave up").containsExactly(1);
        List<PushAttempt> journal = first.recentPushes("stop", 5);
        assertThat(journal).hasSize(1);
        assertThat(journal.get(0).status()).isEqualTo(PushAttempt.Status.FAILED);
        assertThat(journal.get(0).rowsStamped()).isZero();

        RecordingTransport next = new RecordingTransport();
        try (ViewPush second = ViewPush.builder().store(store).transport(next).view(def).build()) {
            PushAttempt again = second.pushNow("stop");
            assertThat(again.status()).isEqualTo(PushAttempt.Status.SUCCESS);
            assertThat(again.rowsStamped()).isEqualTo(1);
        }
        assertThat(next.batches().get(0).webhookId()).as("the re-sent batch keeps its idempotency key")
                .isEqualTo(slow.batches().get(0).webhookId());
        assertThat(unstampedIds(t)).isEmpty();
    }

    private List<Integer> unstampedIds(String table) {
        List<Integer> ids = new java.util.ArrayList<>();
        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT id FROM " + table + " WHERE last_pushed IS NULL ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }
}
