package io.viewpush.jdbc;

import io.viewpush.port.Page;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL's plan of the idle "anything to send?" check (the engine's probe: the view's read
 * from its first row, {@code LIMIT 1}) of a view with two one-hop lookups and a summary, over a
 * table whose rows are all pushed: it reads the "needs pushing" partial index and nothing else. The
 * lookups' joins and the summary's subquery are in the statement, but with no row to send they are
 * never executed; a plan that scanned a related table (a hash join built from a sequential scan, an
 * aggregate over every order line) would make every idle check cost a pass over that table.
 */
class IdleCheckPlanTest extends StoreCases {
    private static final String CUSTOMER = "ic_customer";
    private static final String SHOP = "ic_shop";
    private static final String ORDERS = "ic_orders";
    private static final String LINE = "ic_line";
    private static final String INDEX = ORDERS + "_needs_pushing";

    private final RoundTripCounter statements = new RoundTripCounter();
    private DefaultJdbcPushStore counted;

    IdleCheckPlanTest() {
        super(TestDatabase.Kind.POSTGRESQL);
    }

    @BeforeAll
    void createPushedOrders() {
        db.execute("CREATE TABLE " + CUSTOMER + " (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)",
                "CREATE TABLE " + SHOP + " (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)",
                "CREATE TABLE " + ORDERS + " (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES " + CUSTOMER
                        + " (id), shop_id INTEGER NOT NULL REFERENCES " + SHOP + " (id), amount NUMERIC(12,2) NOT NULL,"
                        + " last_modified TIMESTAMP(3) NOT NULL, last_pushed TIMESTAMP(3))",
                "CREATE TABLE " + LINE + " (order_id INTEGER NOT NULL REFERENCES " + ORDERS + " (id),"
                        + " line_no INTEGER NOT NULL, amount NUMERIC(12,2) NOT NULL, PRIMARY KEY (order_id, line_no))",
                "INSERT INTO " + CUSTOMER + " SELECT g, 'customer ' || g FROM generate_series(1, 5000) g",
                "INSERT INTO " + SHOP + " SELECT g, 'shop ' || g FROM generate_series(1, 50) g",
                // every order pushed after its last change; every 50th has no customer
                "INSERT INTO " + ORDERS + " SELECT g, CASE WHEN g % 50 = 0 THEN NULL ELSE g % 5000 + 1 END, g % 50 + 1,"
                        + " g % 1000, TIMESTAMP '2024-01-01 00:00:00' + g * INTERVAL '1 second', TIMESTAMP '2025-01-01 00:00:00'"
                        + " FROM generate_series(1, 50000) g",
                "INSERT INTO " + LINE + " SELECT g, k, k * 1.5 FROM generate_series(1, 50000) g,"
                        + " generate_series(1, (g % 4)::int) k",
                // the operations advice's index for the view's filter (docs/BENCHMARKS.md)
                "CREATE INDEX " + INDEX + " ON " + ORDERS + " (id) WHERE last_pushed IS NULL OR last_pushed < last_modified",
                "ANALYZE " + CUSTOMER, "ANALYZE " + SHOP, "ANALYZE " + ORDERS, "ANALYZE " + LINE);
        counted = (DefaultJdbcPushStore) JdbcPushStore.builder(statements.wrap(db.dataSource())).build();
    }

    /** The view of the benchmark's scenario (8): two one-hop lookups and a summary, "modified since last pushed". */
    private static ViewDefinition definition() {
        return ViewDefinition.builder("orders with lookups", ORDERS).key("id")
                .field("id", "id")
                .field("customer", CUSTOMER + ".name")
                .field("shop", SHOP + ".name")
                .field("amount", "amount")
                .field("lines total", "sum(" + LINE + ".amount)")
                .field("last modified [auto]", "last_modified")
                .field("last pushed", "last_pushed")
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true")
                .push(policy("last pushed", "last modified [auto]"))
                .build();
    }

    @Test
    void theIdleCheckOfAViewWithLookupsAndASummaryReadsOnlyTheNeedsPushingIndex() throws Exception {
        View view = definition().bind(counted.fieldTypes(definition()), counted.enumLabels(definition()));
        statements.reset();
        assertThat(read(view)).as("rows needing a push").isZero();
        List<String> probes = statements.trips().stream().filter(t -> t.contains(ORDERS)).toList();
        assertThat(probes).as("statements of the probe").hasSize(1);

        try (Connection c = db.dataSource().getConnection()) {
            RenderedQueries.Rendered probe = RenderedQueries.get(view, counted.mapping(c, view.definition()), SNAPSHOT, 1,
                    true, DSL.using(c, org.jooq.SQLDialect.POSTGRES, counted.settings())).orElseThrow();
            // the statement explained below is the one the store ran for the probe
            assertThat(probes.get(0)).isEqualTo("executeQuery: " + probe.text());
            assertThat(probe.text()).as("the probe reads the lookups and the summary")
                    .contains("left outer join", "sum(");

            List<String> plan = explainAnalyze(c, probe);
            String text = String.join("\n", plan);
            assertThat(text).as("plan of the idle check:\n%s", text)
                    .containsPattern("Index (Only )?Scan using " + INDEX + " on " + ORDERS)
                    .doesNotContain("Seq Scan", "Bitmap Heap Scan", "Hash", "Materialize", "Sort");
            List<String> related = plan.stream().filter(l -> l.contains(" on " + CUSTOMER) || l.contains(" on " + SHOP)
                    || l.contains(" on " + LINE)).toList();
            assertThat(related).as("the joined tables and the summary's table are in the plan:\n%s", text).hasSize(3);
            assertThat(related).as("with nothing to send they are never read:\n%s", text)
                    .allMatch(l -> l.contains("(never executed)"));
        }
    }

    /** One view per shop over the orders, "modified since last pushed": the idle views an engine checks together. */
    private static ViewDefinition shopView(int shop) {
        return ViewDefinition.builder("orders of shop " + shop, ORDERS).key("id")
                .field("id", "id")
                .field("shop id", "shop_id")
                .field("amount", "amount")
                .field("last modified [auto]", "last_modified")
                .field("last pushed", "last_pushed")
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true")
                .filter("{shop id} = " + shop)
                .push(policy("last pushed", "last modified [auto]"))
                .build();
    }

    /**
     * The check of 50 idle views in one statement reads the same partial index, once for all of
     * them, also once PostgreSQL has planned it often enough to consider a generic plan: the
     * shared {@code true} of the filter is a constant in the statement (as a column of the values'
     * rows it made a hash join over every order, 640 ms a check for 10,000 views over a million
     * rows; as a parameter, the generic plan scanned every order).
     */
    @Test
    void theCheckOfManyIdleViewsInOneStatementReadsOnlyTheNeedsPushingIndex() throws Exception {
        List<View> views = new ArrayList<>();
        for (int shop = 1; shop <= 50; shop++) {
            ViewDefinition d = shopView(shop);
            views.add(d.bind(counted.fieldTypes(d), counted.enumLabels(d)));
        }
        statements.reset();
        assertThat(counted.hasRows(views, SNAPSHOT)).hasSize(50).doesNotContainValue(true);
        List<String> checking = statements.trips().stream().filter(t -> t.contains(ORDERS)).toList();
        assertThat(checking).as("statements of the check (beside the first mapping's catalog reads)").hasSize(1);
        String ran = checking.get(0);

        try (Connection c = db.dataSource().getConnection()) {
            org.jooq.DSLContext dsl = DSL.using(c, org.jooq.SQLDialect.POSTGRES, counted.settings());
            List<ManyViews.Check> checks = new ArrayList<>();
            for (View v : views) {
                checks.add(ManyViews.check(v, counted.mapping(c, v.definition()), SNAPSHOT, dsl).orElseThrow());
            }
            List<Boolean> varying = ManyViews.varying(checks);
            assertThat(varying).as("the shared true, the shop").containsExactly(false, true);
            String statement = ManyViews.statement(checks.get(0).group(), varying, checks.get(0).binds()).orElseThrow();
            assertThat(ran).isEqualTo("executeQuery: " + statement);

            String[] dollars = statement.split("\\?", -1);
            StringBuilder prepared = new StringBuilder(dollars[0]);
            for (int i = 1; i < dollars.length; i++) {
                prepared.append('$').append(i).append(dollars[i]);
            }
            StringBuilder shops = new StringBuilder("ARRAY[");
            for (int i = 0; i < checks.size(); i++) {
                shops.append(i == 0 ? "" : ",").append(checks.get(i).binds()[1]);
            }
            String args = shops.append("]::").append(checks.get(0).types().split(",")[1]).append("[]").toString();
            List<String> plan = new ArrayList<>();
            try (var s = c.createStatement()) {
                s.execute("PREPARE many AS " + prepared);
                for (int i = 0; i < 8; i++) { // past the five custom plans after which PostgreSQL may go generic
                    s.execute("EXECUTE many(" + args + ")");
                }
                try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE many(" + args + ")")) {
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
                s.execute("DEALLOCATE many");
            }
            String text = String.join("\n", plan);
            assertThat(text).as("plan of the check of 50 views:\n%s", text)
                    .containsPattern("Index (Only )?Scan using " + INDEX + " on " + ORDERS)
                    .doesNotContain("Seq Scan on " + ORDERS, "Bitmap Heap Scan");
        }
    }

    /** @return the rows the engine's probe reads: {@code LIMIT 1} from the first row */
    private int read(View view) {
        int n = 0;
        try (var cursor = counted.open(view, SNAPSHOT, Page.first(1))) {
            while (cursor.hasNext()) {
                cursor.next();
                n++;
            }
        }
        return n;
    }

    /** @return the lines of {@code EXPLAIN ANALYZE} of the statement, run with its bind values */
    private static List<String> explainAnalyze(Connection c, RenderedQueries.Rendered probe) throws Exception {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) "
                + probe.text())) {
            probe.bind(ps, 0);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
        }
        return lines;
    }
}
