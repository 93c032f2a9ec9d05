package io.viewpush.testing;

import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.port.PushSession;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.StampResult;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory store checks a calculated modified value as the JDBC store does: computed again at stamping. */
class InMemoryCalculatedModifiedTest {
    @Test
    void aRowWhoseCalculatedModifiedValueChangedAfterTheReadIsNotStamped() {
        InMemoryStore store = InMemoryStore.create();
        Map<String, ValueType> columns = new LinkedHashMap<>();
        columns.put("id", ValueType.NUMBER);
        columns.put("changed", ValueType.TIMESTAMP);
        columns.put("other_changed", ValueType.TIMESTAMP);
        columns.put("sent", ValueType.TIMESTAMP);
        InMemoryTable t = store.createTable("orders", columns, "id");
        for (int i = 1; i <= 3; i++) {
            t.insert(Map.of("id", BigDecimal.valueOf(i), "changed", LocalDateTime.parse("2024-01-01T00:00:00"),
                    "other_changed", LocalDateTime.parse("2024-02-01T00:00:00")));
        }
        ViewDefinition d = ViewDefinition.builder("orders", "orders").key("id").field("id").field("changed")
                .field("other changed", "other_changed").field("sent")
                .calculation("modified", "greatest({changed}, {other changed})")
                .push(PushPolicy.builder("sent").modifiedField("modified").build()).build();
        View view = d.bind(store.fieldTypes(d));
        try (PushSession session = store.begin(view, "test", Duration.ofMinutes(1), Snapshot.at(Instant.now()), false)
                .orElseThrow(); RowCursor rows = session.rows(); StampBatch batch = session.batch()) {
            rows.forEachRemaining(batch::add);
            t.update(BigDecimal.valueOf(2), Map.of("other_changed", LocalDateTime.parse("2024-03-01T00:00:00")));
            t.update(BigDecimal.valueOf(3), Map.of("changed", LocalDateTime.parse("2023-01-01T00:00:00")));
            assertThat(batch.commit()).as("row 3's own change leaves its calculated value as it was")
                    .isEqualTo(new StampResult(2, 1));
        }
        assertThat(t.row(BigDecimal.valueOf(2)).orElseThrow().get("sent")).isNull();
        assertThat(t.row(BigDecimal.valueOf(1)).orElseThrow().get("sent")).isNotNull();
    }
}
