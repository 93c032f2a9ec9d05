package io.viewpush.jdbc;

import io.viewpush.port.LeaseToken;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.StampResult;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The large-view scenario, run by {@link LargeBatchHeapTest} in a child JVM with a 64 MB heap:
 * fills a PostgreSQL table, streams the view through the row source into one stamp batch, stamps
 * it, and checks that every row was stamped. Prints its figures; exits 1 on failure (and on
 * running out of memory, with {@code -XX:+ExitOnOutOfMemoryError}).
 */
final class LargeBatch {
    private LargeBatch() {
    }

    /** @param args the database's JDBC URL, the number of rows */
    public static void main(String[] args) throws SQLException {
        String url = args[0];
        int rows = Integer.parseInt(args[1]);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        DefaultJdbcPushStore store = (DefaultJdbcPushStore) JdbcPushStore.builder(ds).build();
        long setup = System.nanoTime();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, customer VARCHAR(100), amount NUMERIC(12,2),"
                    + " note TEXT, last_modified TIMESTAMP(0), last_pushed TIMESTAMP(0))");
            s.execute("INSERT INTO big SELECT g, 'customer ' || g, g * 1.25, repeat('x', 50),"
                    + " TIMESTAMP '2024-01-01 00:00:00' + g * INTERVAL '1 second', NULL FROM generate_series(1, " + rows + ") g");
            s.execute("ANALYZE big");
        }
        long setupMillis = (System.nanoTime() - setup) / 1_000_000;
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
        long readMillis;
        try (StampBatch batch = store.batch(view, lease, null);
             RowCursor cursor = store.open(view, StoreCases.SNAPSHOT, Page.ALL)) {
            while (cursor.hasNext()) {
                batch.add(cursor.next());
                read++;
                if (read % 50_000 == 0) {
                    peak = Math.max(peak, usedHeap());
                }
            }
            readMillis = (System.nanoTime() - start) / 1_000_000;
            result = batch.commit();
        }
        long totalMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("LargeBatch: %,d rows (table filled in %,d ms); read and recorded in %,d ms, stamped in"
                        + " %,d ms more: %,d rows/s; max heap %d MB, peak used seen %d MB%n",
                read, setupMillis, readMillis, totalMillis - readMillis, read * 1000 / Math.max(1, totalMillis),
                Runtime.getRuntime().maxMemory() >> 20, peak >> 20);

        check(read == rows, "read " + read + " rows, expected " + rows);
        check(result.equals(new StampResult(rows, 0)), "stamp result " + result);
        check(count(ds, "SELECT COUNT(*) FROM big WHERE last_pushed IS NULL OR last_modified > last_pushed") == 0,
                "rows left unstamped");
        check(count(ds, "SELECT COUNT(*) FROM \"viewpush_stamp_row\"") == 0, "scratch rows left behind");
        try (RowCursor cursor = store.open(view, StoreCases.SNAPSHOT, Page.ALL)) {
            check(!cursor.hasNext(), "the view still has rows");
        }
        System.out.println("LargeBatch: OK");
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            System.out.println("LargeBatch: FAILED: " + failure);
            System.exit(1);
        }
    }

    private static long count(PGSimpleDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
