package io.viewpush.jdbc;

import io.viewpush.port.StampBatch;
import io.viewpush.push.StampResult;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL's plan of the stamping statement: a chunk's keys probe the key's index. */
class StampPlanTest extends StoreCases {

    StampPlanTest() {
        super(TestDatabase.Kind.POSTGRESQL);
    }

    @Test
    void aChunkOfThousandsOfKeysIsStampedThroughTheKeysIndexNotByReadingTheWholeTable() throws Exception {
        String t = createOrders();
        LocalDateTime modified = LocalDateTime.of(2026, 1, 2, 3, 4, 5);
        db.execute("INSERT INTO " + t + " (id, customer, last_modified) SELECT g, 'c', TIMESTAMP '2026-01-02 03:04:05'"
                + " FROM generate_series(1, 100000) g", "ANALYZE " + t);
        View view = bind(ordersView("indexed stamp", t).push(policy("last pushed", "last modified [auto]")).build());
        // the rows as the view reads them, built here: reading them would scan the table itself
        StampBatch batch = store.batch(view, lease(view.name()), null);
        for (int id = 1; id <= JdbcPushStore.DEFAULT_STAMP_BATCH_SIZE; id++) {
            batch.add(Row.of(view.columns(), new BigDecimal(id), "c", null, null, modified, null, null));
        }
        long[] before = scans(t);
        try (batch) {
            assertThat(batch.commit()).isEqualTo(new StampResult(JdbcPushStore.DEFAULT_STAMP_BATCH_SIZE, 0));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long[] after = scans(t);
        while (after[1] == before[1] && System.nanoTime() < deadline) {
            sleep(100); // the stamping backend reports its statistics within seconds of its commit
            after = scans(t);
        }
        // a probe of the key's index per key; a hash join would read the table once and probe nothing
        assertThat(after[1] - before[1]).as("index scans of %s while stamping", t)
                .isGreaterThanOrEqualTo(JdbcPushStore.DEFAULT_STAMP_BATCH_SIZE);
    }

    /** @return the table's sequential and index scans so far */
    private long[] scans(String table) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT seq_scan, idx_scan FROM pg_stat_user_tables WHERE relname = '"
                     + table.toLowerCase(java.util.Locale.ROOT) + "'")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2)};
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
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
