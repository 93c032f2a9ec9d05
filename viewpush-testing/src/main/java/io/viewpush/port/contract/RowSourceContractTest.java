package io.viewpush.port.contract;

import io.viewpush.expression.Snapshot;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.viewpush.port.contract.ContractViews.key;
import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;

/** Contract of {@link io.viewpush.port.RowSource}: every store passes it. */
public abstract class RowSourceContractTest extends StoreContractSupport {

    @Test
    public void readsTheRowsOfTheViewInKeyOrder() {
        for (int id : new int[] {3, 1, 20, 2}) {
            tables.insert(ContractViews.TABLE, order(id, "c" + id, "1.00", T0));
        }
        assertThat(keys(read(bind(ContractViews.modifiedSincePushed())))).containsExactly(1, 2, 3, 20);
    }

    @Test
    public void neverPushedRowNeedsPushingBecauseEmptySortsFirst() {
        tables.insert(ContractViews.TABLE, order(1, "a", "1.00", T0));
        List<Row> rows = read(bind(ContractViews.modifiedSincePushed()));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("needs pushing")).isEqualTo(true);
        assertThat(rows.get(0).get("last pushed")).isNull();
    }

    @Test
    public void filtersAndCalculationsDecideWhichRowsAreIn() {
        tables.insert(ContractViews.TABLE, order(1, "pushed, unchanged", "1.00", T0));
        tables.update(ContractViews.TABLE, key(1), Map.of("last_pushed", T0.plusSeconds(5)));
        tables.insert(ContractViews.TABLE, order(2, "pushed, changed since", "2.00", T0.plusSeconds(10)));
        tables.update(ContractViews.TABLE, key(2), Map.of("last_pushed", T0.plusSeconds(5)));
        tables.insert(ContractViews.TABLE, order(3, "never pushed, never modified", "3.00", null));
        Map<String, Object> bothEmpty = order(4, "both empty", "4.00", null);
        tables.insert(ContractViews.TABLE, bothEmpty);
        tables.update(ContractViews.TABLE, key(4), Map.of("last_pushed", T0));

        assertThat(keys(read(bind(ContractViews.modifiedSincePushed())))).containsExactly(2);
        assertThat(keys(read(bind(ContractViews.neverPushed())))).containsExactly(3);
    }

    @Test
    public void everyValueTypeIsReadExactly() {
        Map<String, Object> row = order(7, "é 漢字 😀 'q' \"d\" \\ % _", "12345678901.123456", LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123456000));
        row.put("flag", true);
        row.put("due", LocalDate.of(2024, 12, 31));
        tables.insert(ContractViews.TABLE, row);
        Row r = read(bind(ContractViews.neverPushed())).get(0);
        assertThat(r.get("customer")).isEqualTo("é 漢字 😀 'q' \"d\" \\ % _");
        assertThat((BigDecimal) r.get("amount")).isEqualByComparingTo("12345678901.123456");
        assertThat(r.get("last modified [auto]")).isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123456000));
        assertThat(r.get("flag")).isEqualTo(true);
        assertThat(r.get("due")).isEqualTo(LocalDate.of(2024, 12, 31));
        assertThat(r.get("receipt id")).isNull();
        assertThat(r.columns().names()).containsExactly("id", "customer", "amount", "last modified [auto]",
                "last pushed", "receipt id", "flag", "due");
    }

    @Test
    public void nowIsTheSnapshotTime() {
        tables.insert(ContractViews.TABLE, order(1, "due long ago", "1", T0));
        Map<String, Object> later = order(2, "due in 2030", "1", T0);
        later.put("due", LocalDate.of(2030, 1, 1));
        tables.insert(ContractViews.TABLE, later);
        View view = bind(ContractViews.base("due now").filter("{due} <= now()").build());
        Snapshot in2029 = new Snapshot(LocalDateTime.of(2029, 6, 1, 0, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        Snapshot in2031 = new Snapshot(LocalDateTime.of(2031, 6, 1, 0, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        assertThat(keys(readAt(view, in2029))).containsExactly(1);
        assertThat(keys(readAt(view, in2031))).containsExactly(1, 2);
    }

    @Test
    public void pagesAfterAKeyWithALimit() {
        for (int id = 1; id <= 7; id++) {
            tables.insert(ContractViews.TABLE, order(id, "c", "1", T0));
        }
        View view = bind(ContractViews.neverPushed());
        assertThat(keys(read(view, new Page(Optional.empty(), 3)))).containsExactly(1, 2, 3);
        assertThat(keys(read(view, new Page(Optional.of(RowKey.of(key(3))), 3)))).containsExactly(4, 5, 6);
        assertThat(keys(read(view, new Page(Optional.of(RowKey.of(key(6))), 3)))).containsExactly(7);
        assertThat(keys(read(view, new Page(Optional.of(RowKey.of(key(7))), 3)))).isEmpty();
    }

    @Test
    public void aPageEndsAtItsLastKeyWhenOneIsGiven() {
        for (int id = 1; id <= 7; id++) {
            tables.insert(ContractViews.TABLE, order(id, "c", "1", T0));
        }
        View view = bind(ContractViews.neverPushed());
        assertThat(keys(read(view, new Page(Optional.of(RowKey.of(key(2))), 0).upTo(RowKey.of(key(5))))))
                .containsExactly(3, 4, 5);
        assertThat(keys(read(view, Page.ALL.upTo(RowKey.of(key(2)))))).containsExactly(1, 2);
        assertThat(keys(read(view, new Page(Optional.empty(), 1).upTo(RowKey.of(key(5)))))).containsExactly(1);
    }

    @Test
    public void anEmptyViewHasNoRows() {
        tables.insert(ContractViews.TABLE, order(1, "c", "1", T0));
        tables.update(ContractViews.TABLE, key(1), Map.of("receipt_id", "R-1"));
        assertThat(read(bind(ContractViews.notConfirmed()))).isEmpty();
    }

    @Test
    public void closingACursorEarlyAndTwiceIsFine() {
        for (int id = 1; id <= 5; id++) {
            tables.insert(ContractViews.TABLE, order(id, "c", "1", T0));
        }
        View view = bind(ContractViews.neverPushed());
        RowCursor c = store.open(view, now(), Page.ALL);
        assertThat(c.hasNext()).isTrue();
        assertThat(c.next().key()).isEqualTo(key(1));
        c.close();
        c.close();
        assertThat(read(view)).hasSize(5);
    }

    @Test
    public void manyViewsCheckedAtOnceAreFoundWithoutRowsExactlyWhenTheirOwnReadsFindNone() {
        Map<String, Object> one = order(1, "c1", "2.50", T0);
        one.put("flag", true);
        one.put("due", LocalDate.of(2024, 5, 1));
        tables.insert(ContractViews.TABLE, one);
        tables.insert(ContractViews.TABLE, order(2, "c3", "7.00", T0.plusSeconds(10)));
        tables.update(ContractViews.TABLE, key(2), Map.of("last_pushed", T0));
        tables.insert(ContractViews.TABLE, order(3, "it's \"q\" ?", "1.00", null));
        tables.update(ContractViews.TABLE, key(3), Map.of("last_pushed", T0));
        List<View> views = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            // one view per customer: one check for all of them where the store can
            views.add(bind(ContractViews.base("customer " + n).filter("{last pushed} is empty")
                    .filter("{customer} = 'c" + n + "'").push(ContractViews.policy().build()).build()));
            views.add(bind(ContractViews.base("changed for customer " + n)
                    .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                    .filter("{needs pushing} = true").filter("{customer} = 'c" + n + "'")
                    .push(ContractViews.policy().modifiedField("last modified [auto]").build()).build()));
        }
        for (String amount : new String[] {"2", "2.5", "6.99", "7"}) {
            views.add(bind(ContractViews.base("amount over " + amount).filter("{amount} > " + amount)
                    .push(ContractViews.policy().build()).build()));
        }
        for (String due : new String[] {"2024-04-30", "2024-05-01", "2024-05-02"}) {
            views.add(bind(ContractViews.base("due after " + due).filter("{due} > '" + due + "'")
                    .push(ContractViews.policy().build()).build()));
        }
        views.add(bind(ContractViews.base("flagged").filter("{flag} = true").push(ContractViews.policy().build()).build()));
        views.add(bind(ContractViews.base("not flagged").filter("{flag} = false").push(ContractViews.policy().build()).build()));
        views.add(bind(ContractViews.base("quoted").filter("{customer} = 'it''s \"q\" ?'").push(ContractViews.policy().build()).build()));
        views.add(bind(ContractViews.base("quoted too").filter("{customer} = 'it''s \"r\" ?'").push(ContractViews.policy().build()).build()));
        views.add(bind(ContractViews.base("due by now").filter("{due} <= now()").push(ContractViews.policy().build()).build()));
        views.add(bind(ContractViews.base("never pushed, a").filter("{last pushed} is empty").push(ContractViews.policy().build()).build()));
        views.add(bind(ContractViews.base("never pushed, b").filter("{last pushed} is empty").push(ContractViews.policy().build()).build()));
        views.add(bind(ContractViews.base("receipt R").filter("{receipt id} = 'R'").push(ContractViews.policy().build()).build()));
        views.add(bind(ContractViews.base("receipt S").filter("{receipt id} = 'S'").push(ContractViews.policy().build()).build()));

        Snapshot at = now();
        Map<String, Boolean> expected = new java.util.TreeMap<>();
        for (View v : views) {
            try (RowCursor c = store.open(v, at, Page.first(1))) {
                expected.put(v.name(), c.hasNext());
            }
        }
        assertThat(expected).containsEntry("customer 2", false).containsEntry("changed for customer 2", false)
                .containsEntry("amount over 7", false).containsEntry("due after 2024-05-01", false)
                .containsEntry("not flagged", false).containsEntry("quoted too", false).containsEntry("receipt R", false)
                .containsEntry("customer 1", true).containsEntry("changed for customer 1", true)
                .containsEntry("changed for customer 3", true).containsEntry("amount over 6.99", true)
                .containsEntry("due after 2024-04-30", true).containsEntry("flagged", true).containsEntry("quoted", true)
                .containsEntry("due by now", true).containsEntry("never pushed, a", true);
        assertThat(new java.util.TreeMap<>(store.hasRows(views, at))).isEqualTo(expected);
        assertThat(store.hasRows(List.of(), at)).isEmpty();
        assertThat(store.hasRows(List.of(views.get(0)), at)).containsExactly(Map.entry("customer 1", true));
        assertThat(store.hasRows(List.of(views.get(2)), at)).containsExactly(Map.entry("customer 2", false));
    }

    private List<Row> readAt(View view, Snapshot snapshot) {
        List<Row> out = new ArrayList<>();
        try (RowCursor c = store.open(view, snapshot, Page.ALL)) {
            c.forEachRemaining(out::add);
        }
        return out;
    }
}
