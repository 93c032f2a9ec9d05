package io.viewpush.jdbc;

import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL a whole read of more rows than one fetch (a push of many rows) reads each summary
 * from a grouped derived table LEFT JOINed to the view's table (one pass over the referring rows)
 * instead of a correlated subquery a row; reads with a limit (the idle check, the first fetch, a
 * batch) keep the correlated form. Both must give the same rows: a count over no rows 0, a sum,
 * min or max over none (or over empty values only) empty, a missing related row empty fields, with
 * filters on the view's own columns (which limit the grouped pass), on summaries, and a composite
 * foreign key.
 */
class GroupedSummaryTest extends StoreCases {
    private final RoundTripCounter statements = new RoundTripCounter();
    /** A store that fetches 2 rows at a time: a read of the 6 orders is streamed past its first fetch. */
    private DefaultJdbcPushStore streaming;

    GroupedSummaryTest() {
        super(TestDatabase.Kind.POSTGRESQL);
    }

    @BeforeAll
    void createTables() {
        db.execute(LookupSchema.statements());
        streaming = (DefaultJdbcPushStore) JdbcPushStore.builder(statements.wrap(db.dataSource())).fetchSize(2).build();
    }

    @Test
    void aWholeReadGroupsEachSummaryOnceAndGivesTheSameRowsAsTheCorrelatedForm() {
        List<ViewDefinition> views = List.of(
                LookupCases.orders("all").field("first line", "min(order_line.amount)")
                        .field("last line", "max(order_line.line_no)").build(),
                LookupCases.orders("own filter").filter("{last pushed} is empty").filter("{id} > 1").build(),
                LookupCases.orders("summary filter").filter("{lines} = 0 or {total} > 5").build(),
                LookupCases.orders("both").filter("{id} <= 5").filter("{lines} < 2").calculation("big", "{total} > 7")
                        .build(),
                ViewDefinition.builder("composite", "shop_order").key("shop", "id").field("shop", "shop").field("id", "id")
                        .field("lines", "count(shop_line)").field("total", "sum(shop_line.amount)").build());
        for (ViewDefinition d : views) {
            View view = bind(d);
            List<Row> correlated = readAll(view); // fewer rows than one fetch of the test's store: read with a limit
            statements.reset();
            List<Row> grouped = new ArrayList<>();
            try (RowCursor c = streaming.open(view, SNAPSHOT, Page.ALL)) {
                c.forEachRemaining(grouped::add);
            }
            assertThat(grouped).as("view '%s' read whole", d.name()).isEqualTo(correlated);
            if (correlated.size() > 2) {
                assertThat(statements.trips()).as("statements of view '%s'", d.name())
                        .anyMatch(t -> t.contains("viewpush_g1") && !t.contains("fetch next"));
            }
        }
    }

    @Test
    void theSummaryValuesOverNoRowsAndOverEmptyValuesStayZeroAndEmpty() {
        View view = bind(LookupCases.orders("edges").build());
        statements.reset();
        List<Row> rows = new ArrayList<>();
        try (RowCursor c = streaming.open(view, SNAPSHOT, Page.ALL)) {
            c.forEachRemaining(rows::add);
        }
        // order 1: two lines; 3, 4, 6: none (count 0, sum empty); 5: one line with an empty amount
        assertThat(rows).extracting(r -> r.get("lines").toString(), r -> String.valueOf(r.get("total")))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2", "14.75"), org.assertj.core.groups.Tuple.tuple("1", "7.00"),
                        org.assertj.core.groups.Tuple.tuple("0", "null"), org.assertj.core.groups.Tuple.tuple("0", "null"),
                        org.assertj.core.groups.Tuple.tuple("1", "null"), org.assertj.core.groups.Tuple.tuple("0", "null"));
        assertThat(statements.trips()).anyMatch(t -> t.contains("viewpush_g2"));
    }
}
