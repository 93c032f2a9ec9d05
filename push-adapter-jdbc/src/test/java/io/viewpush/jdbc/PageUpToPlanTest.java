package io.viewpush.jdbc;

import io.viewpush.port.Page;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page read up to a key (the pull API's page: rows after the previous page's last key, up to the
 * key its {@code Link} names) stops reading at that key: its upper bound is one PostgreSQL can put
 * into the index range it scans. Without it the read went on along the "needs pushing" index past
 * the page's last row to the end of the index, filtering out every row there: paging through a
 * million rows in pages of 10,000 took 70 s instead of 6 (the benchmark's scenario (9)). Both ends
 * are bound as {@code bigint} for an integer key column: bound as {@code numeric}, PostgreSQL
 * compared {@code id::numeric} and could use no index range at all.
 */
class PageUpToPlanTest extends StoreCases {
    private static final String ORDERS = "pu_orders";
    private static final String INDEX = ORDERS + "_needs_pushing";

    private final RoundTripCounter statements = new RoundTripCounter();
    private DefaultJdbcPushStore counted;

    PageUpToPlanTest() {
        super(TestDatabase.Kind.POSTGRESQL);
    }

    @BeforeAll
    void createOrdersToPull() {
        db.execute("CREATE TABLE " + ORDERS + " (id INTEGER PRIMARY KEY, amount NUMERIC(12,2) NOT NULL,"
                        + " last_modified TIMESTAMP(3) NOT NULL, last_pushed TIMESTAMP(3))",
                "INSERT INTO " + ORDERS + " SELECT g, g % 1000, TIMESTAMP '2024-01-01 00:00:00' + g * INTERVAL '1 second',"
                        + " NULL FROM generate_series(1, 50000) g",
                "CREATE INDEX " + INDEX + " ON " + ORDERS + " (id) WHERE last_pushed IS NULL OR last_pushed < last_modified",
                "ANALYZE " + ORDERS);
        counted = (DefaultJdbcPushStore) JdbcPushStore.builder(statements.wrap(db.dataSource())).build();
    }

    private static ViewDefinition definition() {
        return ViewDefinition.builder("orders to pull", ORDERS).key("id")
                .field("id", "id")
                .field("amount", "amount")
                .field("last modified [auto]", "last_modified")
                .field("last pushed", "last_pushed")
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true")
                .build();
    }

    @Test
    void aPageUpToAKeyScansTheIndexOnlyUpToThatKey() throws Exception {
        View view = definition().bind(counted.fieldTypes(definition()), counted.enumLabels(definition()));
        Page page = new Page(Optional.of(RowKey.of(1000)), 0, Optional.of(RowKey.of(3000)));
        statements.reset();
        List<Long> ids = new ArrayList<>();
        try (var cursor = counted.open(view, SNAPSHOT, page)) {
            while (cursor.hasNext()) {
                Row r = cursor.next();
                ids.add(((Number) r.get("id")).longValue());
            }
        }
        assertThat(ids).as("the page's rows").hasSize(2000).startsWith(1001L).endsWith(3000L);

        try (Connection c = db.dataSource().getConnection()) {
            DSLContext dsl = DSL.using(c, org.jooq.SQLDialect.POSTGRES, counted.settings());
            Mapping mapping = counted.mapping(c, view.definition());
            ViewSql sql = new ViewSql(view, mapping, SNAPSHOT);
            var query = dsl.select(sql.select()).from(mapping.source()).where(DefaultJdbcPushStore.where(sql, page))
                    .orderBy(sql.keyOrder());
            // the statement explained below is the one the store streamed the page with
            assertThat(statements.trips()).as("statements of the page read")
                    .anyMatch(t -> t.equals("execute: " + query.getSQL()));

            // explained with its bind values as the store binds them: a key bound as numeric would
            // compare id::numeric, which the index does not serve
            String plan = explainAnalyze(c, query.getSQL(), query.getBindValues());
            assertThat(plan).as("plan of the page read:\n%s", plan)
                    .containsPattern("Index (Only )?Scan using " + INDEX + " on " + ORDERS + "[^\\n]*actual rows=2000 ")
                    .containsPattern("Index Cond: \\(\\(id > '?1000'?(::bigint)?\\) AND \\(id <= '?3000'?(::bigint)?\\)\\)")
                    .doesNotContain("Rows Removed by Filter", "Seq Scan", "Sort");
        }
    }

    private static String explainAnalyze(Connection c, String sql, List<Object> binds) throws Exception {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql)) {
            for (int i = 0; i < binds.size(); i++) {
                ps.setObject(i + 1, binds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
        }
        return String.join("\n", lines);
    }
}
