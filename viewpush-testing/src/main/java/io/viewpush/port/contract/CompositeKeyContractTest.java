package io.viewpush.port.contract;

import io.viewpush.expression.ValueType;
import io.viewpush.port.Page;
import io.viewpush.port.PushSession;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.StampResult;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract of a store's views keyed by several columns (a join table's {@code (actor_id, film_id)}):
 * rows are read in key order, column by column, paged by the whole key, stamped by the whole key and
 * updated when addressed by it. Needs {@link TestTables#createTable(String, List, List)}.
 */
public abstract class CompositeKeyContractTest extends StoreContractSupport {
    /** The join table this suite creates: a two-column primary key, a text column, a stamp. */
    public static final String FILM_ACTOR = "contract_film_actor";

    private static final LocalDateTime T1 = T0.plusHours(1);

    @BeforeEach
    public void createJoinTable() {
        tables.createTable(FILM_ACTOR, List.of(TestColumn.of("actor_id", ValueType.NUMBER),
                TestColumn.of("film_id", ValueType.NUMBER), TestColumn.of("role", ValueType.TEXT),
                TestColumn.of("last_modified", ValueType.TIMESTAMP), TestColumn.of("last_pushed", ValueType.TIMESTAMP)),
                List.of("actor_id", "film_id"));
        // inserted out of order: the store orders them
        for (int[] k : new int[][]{{2, 1}, {1, 10}, {1, 2}, {10, 1}, {2, 2}, {1, 1}}) {
            Map<String, Object> row = new HashMap<>();
            row.put("actor_id", BigDecimal.valueOf(k[0]));
            row.put("film_id", BigDecimal.valueOf(k[1]));
            row.put("role", "r" + k[0] + "-" + k[1]);
            row.put("last_modified", T0);
            tables.insert(FILM_ACTOR, row);
        }
    }

    private static ViewDefinition.Builder filmActors(String name) {
        return ViewDefinition.builder(name, FILM_ACTOR).key("actor_id", "film_id").field("actor_id", "actor_id")
                .field("film_id", "film_id").field("role", "role").field("last modified", "last_modified")
                .field("last pushed", "last_pushed");
    }

    private static RowKey key(int actor, int film) {
        return RowKey.of(BigDecimal.valueOf(actor), BigDecimal.valueOf(film));
    }

    private static List<String> keyTexts(List<Row> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.rowKey().text()));
        return out;
    }

    @Test
    public void readsRowsInTheOrderOfTheWholeKeyColumnByColumn() {
        View view = bind(filmActors("film actors").build());
        assertThat(keyTexts(read(view))).containsExactly("1/1", "1/2", "1/10", "2/1", "2/2", "10/1");
        assertThat(read(view).get(0).rowKey()).isEqualTo(key(1, 1));
    }

    @Test
    public void pagesAfterAndUpToAWholeKey() {
        View view = bind(filmActors("film actors").build());
        assertThat(keyTexts(read(view, new Page(Optional.of(key(1, 2)), 2)))).containsExactly("1/10", "2/1");
        assertThat(keyTexts(read(view, new Page(Optional.of(key(2, 1)), 0)))).containsExactly("2/2", "10/1");
        assertThat(keyTexts(read(view, new Page(Optional.of(key(1, 10)), 0).upTo(key(2, 2))))).containsExactly("2/1", "2/2");
        assertThat(keyTexts(read(view, new Page(Optional.of(key(10, 1)), 5)))).isEmpty();
    }

    @Test
    public void aKeyInAnotherColumnOrderThanTheTablesOrdersByItsOwnColumns() {
        View view = bind(ViewDefinition.builder("by film", FILM_ACTOR).key("film_id", "actor_id")
                .field("film_id", "film_id").field("actor_id", "actor_id").field("role", "role").build());
        assertThat(keyTexts(read(view))).containsExactly("1/1", "1/2", "1/10", "2/1", "2/2", "10/1");
        assertThat(read(view).get(2).get("role")).isEqualTo("r10-1");
    }

    @Test
    public void stampsRowsByTheirWholeKeyAndNotOthersSharingAColumn() {
        View view = bind(filmActors("film actors to push").filter("{last pushed} is empty")
                .push(PushPolicy.builder("last pushed").modifiedField("last modified").build()).build());
        StampResult result;
        try (PushSession s = store.begin(view, "contract-" + System.nanoTime(), Duration.ofMinutes(5), now(), false)
                .orElseThrow(); RowCursor c = s.rows(); StampBatch batch = s.batch()) {
            List<Row> rows = new ArrayList<>();
            c.forEachRemaining(rows::add);
            batch.add(rows.get(1)); // 1/2
            batch.add(rows.get(3)); // 2/1
            batch.add(rows.get(4)); // 2/2, changed after it was read: not stamped
            tables.update(FILM_ACTOR, key(2, 2), Map.of("last_modified", T1));
            batch.seal();
            result = batch.commit();
        }
        assertThat(result).isEqualTo(new StampResult(2, 1));
        assertThat(keyTexts(read(view))).containsExactly("1/1", "1/10", "2/2", "10/1");
        assertThat(tables.row(FILM_ACTOR, key(1, 2)).get("last_pushed")).isNotNull();
        assertThat(tables.row(FILM_ACTOR, key(2, 1)).get("last_pushed")).isNotNull();
        assertThat(tables.row(FILM_ACTOR, key(1, 1)).get("last_pushed")).isNull();
    }

    @Test
    public void updatesTheRowAddressedByItsWholeKey() {
        View view = bind(filmActors("editable film actors").writable("role").build());
        Optional<Row> after = store.update(view, key(1, 10), Map.of("role", "lead"), now());
        assertThat(after).isPresent();
        assertThat(after.get().get("role")).isEqualTo("lead");
        assertThat(after.get().rowKey()).isEqualTo(key(1, 10));
        assertThat(tables.row(FILM_ACTOR, key(1, 10)).get("role")).isEqualTo("lead");
        assertThat(tables.row(FILM_ACTOR, key(1, 1)).get("role")).isEqualTo("r1-1");
        assertThat(tables.row(FILM_ACTOR, key(10, 1)).get("role")).isEqualTo("r10-1");
        assertThat(store.update(view, key(3, 3), Map.of("role", "x"), now())).as("no such row").isEmpty();
    }
}
