package io.viewpush.jdbc;

import io.viewpush.port.LeaseToken;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.StampResult;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** An H2 file database, as the app's default: a push cycle, then a restart on the same file. */
class H2FileDatabaseTest {

    @Test
    void aPushCycleSurvivesARestartOnTheSameFile(@TempDir Path dir) {
        TestDatabase db = TestDatabase.h2File(dir);
        DefaultJdbcPushStore store = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();
        db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer VARCHAR(20), last_modified TIMESTAMP(0),"
                        + " last_pushed TIMESTAMP(0))",
                "INSERT INTO orders VALUES (1, 'a', TIMESTAMP '2024-01-01 00:00:00', NULL)",
                "INSERT INTO orders VALUES (2, 'b', TIMESTAMP '2024-01-01 00:00:00', NULL)");
        ViewDefinition def = ViewDefinition.builder("orders to push", "orders").key("id")
                .field("id", "id").field("customer", "customer")
                .field("last modified [auto]", "last_modified").field("last pushed", "last_pushed")
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true")
                .push(StoreCases.policy("last pushed", "last modified [auto]"))
                .build();
        View view = def.bind(store.fieldTypes(def));
        LeaseToken lease = store.tryAcquire(view.name(), "engine", Duration.ofMinutes(1)).orElseThrow();
        Instant start = Instant.now();
        try (StampBatch batch = store.batch(view, lease, null);
             RowCursor rows = store.open(view, StoreCases.SNAPSHOT, Page.ALL)) {
            rows.forEachRemaining(batch::add);
            assertThat(batch.commit()).isEqualTo(new StampResult(2, 0));
        }
        store.record(new PushAttempt(view.name(), PushAttempt.Trigger.SCHEDULE, start, Instant.now(),
                PushAttempt.Status.SUCCESS, 2, 2, 0, 1, 100, OptionalInt.of(200), "200 OK", List.of("msg_1")), lease);
        store.release(lease);
        db.close();

        DefaultJdbcPushStore restarted = (DefaultJdbcPushStore) JdbcPushStore.builder(TestDatabase.h2File(dir, db.name()).dataSource()).build();

        View again = def.bind(restarted.fieldTypes(def));
        try (RowCursor rows = restarted.open(again, StoreCases.SNAPSHOT, Page.ALL)) {
            assertThat(rows.hasNext()).as("both rows were pushed").isFalse();
        }
        assertThat(restarted.recent(view.name(), 5)).extracting(PushAttempt::reason).containsExactly("200 OK");
        assertThat(restarted.history(view.name()).lastSuccess()).isPresent();
        assertThat(restarted.tryAcquire(view.name(), "engine 2", Duration.ofMinutes(1)).orElseThrow().fence())
                .isGreaterThan(lease.fence());
    }
}
