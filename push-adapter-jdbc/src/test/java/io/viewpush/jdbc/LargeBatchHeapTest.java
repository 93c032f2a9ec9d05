package io.viewpush.jdbc;

import io.viewpush.port.LeaseToken;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.StampResult;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams and stamps a large view in a small heap: surefire runs this class alone in a JVM with
 * {@code -Xmx64m} (execution {@code small-heap}). 100,000 rows by default; {@code -Plarge} sets
 * {@code viewpush.largeRows=1000000}.
 */
class LargeBatchHeapTest {
    private static final int ROWS = Integer.getInteger("viewpush.largeRows", 100_000);

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void streamsAndStampsEveryRowOfALargeViewInASmallHeap() {
        long maxHeap = Runtime.getRuntime().maxMemory();
        TestDatabase db = TestDatabase.postgres();
        JdbcPushStore store = JdbcPushStore.builder(db.dataSource()).build();
        db.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, customer VARCHAR(100), amount NUMERIC(12,2),"
                        + " note TEXT, last_modified TIMESTAMP(0), last_pushed TIMESTAMP(0))",
                "INSERT INTO big SELECT g, 'customer ' || g, g * 1.25, repeat('x', 50),"
                        + " TIMESTAMP '2024-01-01 00:00:00' + g * INTERVAL '1 second', NULL FROM generate_series(1, " + ROWS + ") g",
                "ANALYZE big");
        ViewDefinition def = ViewDefinition.builder("big", "big").key("id")
                .field("id", "id").field("customer", "customer").field("amount", "amount").field("note", "note")
                .field("last modified [auto]", "last_modified").field("last pushed", "last_pushed")
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true")
                .push(StoreCases.policy("last pushed", "last modified [auto]"))
                .build();
        View view = def.bind(store.fieldTypes(def));
        LeaseToken lease = store.tryAcquire("big", "engine", Duration.ofMinutes(10)).orElseThrow();

        long start = System.nanoTime();
        long read = 0;
        long peak = 0;
        StampResult result;
        try (StampBatch batch = store.begin(view, StoreCases.SNAPSHOT, lease);
             RowCursor rows = store.open(view, StoreCases.SNAPSHOT, Page.ALL)) {
            while (rows.hasNext()) {
                Row r = rows.next();
                batch.add(r);
                read++;
                if (read % 50_000 == 0) {
                    peak = Math.max(peak, usedHeap());
                }
            }
            long readMillis = (System.nanoTime() - start) / 1_000_000;
            result = batch.commit();
            long totalMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("LargeBatchHeapTest: %,d rows read and recorded in %,d ms, stamped in %,d ms more"
                            + " (%,d rows/s overall); max heap %d MB, peak used seen %d MB%n",
                    read, readMillis, totalMillis - readMillis, read * 1000 / Math.max(1, totalMillis),
                    maxHeap >> 20, peak >> 20);
        }

        assertThat(read).isEqualTo(ROWS);
        assertThat(result).isEqualTo(new StampResult(ROWS, 0));
        assertThat(db.queryValue("SELECT COUNT(*) FROM big WHERE last_pushed IS NULL OR last_modified > last_pushed", Long.class))
                .isZero();
        assertThat(db.queryValue("SELECT COUNT(*) FROM \"viewpush_stamp_row\"", Long.class)).isZero();
        try (RowCursor rows = store.open(view, StoreCases.SNAPSHOT, Page.ALL)) {
            assertThat(rows.hasNext()).isFalse();
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
