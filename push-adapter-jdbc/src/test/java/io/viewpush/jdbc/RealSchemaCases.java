package io.viewpush.jdbc;

import io.viewpush.port.LeaseToken;
import io.viewpush.port.Page;
import io.viewpush.port.StampBatch;
import io.viewpush.push.StampResult;
import io.viewpush.view.InvalidViewException;
import io.viewpush.view.Problem;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Views over a schema as people have it (see {@link SampleSchema}): composite keys, keys that are
 * not unique, schema-qualified and quoted names, the search path, database views and
 * partitioned tables.
 */
abstract class RealSchemaCases extends StoreCases {

    RealSchemaCases(TestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeAll
    void createSampleSchema() {
        db.execute(isPostgres() ? SampleSchema.postgres() : SampleSchema.h2());
    }

    private static ViewDefinition.Builder filmActors(String name) {
        return ViewDefinition.builder(name, "film_actor").key("actor_id", "film_id")
                .field("actor_id", "actor_id").field("film_id", "film_id").field("note", "note")
                .field("pushed at", "pushed_at");
    }

    private List<Problem> problems(ViewDefinition d) {
        try {
            store.fieldTypes(d);
            return List.of();
        } catch (InvalidViewException e) {
            return e.problems();
        }
    }

    private static List<String> keys(List<Row> rows) {
        return rows.stream().map(r -> r.rowKey().text()).collect(Collectors.toList());
    }

    @Test
    void aCompositeKeyReadsRowsInKeyOrderAndPagesByTheWholeKey() {
        View view = bind(filmActors("cast").build());
        assertThat(keys(readAll(view))).containsExactly("1/1", "1/2", "1/10", "2/1", "2/3", "10/1");
        assertThat(keys(read(view, SNAPSHOT, new Page(Optional.of(RowKey.of(1, 2)), 2)))).containsExactly("1/10", "2/1");
        assertThat(keys(read(view, SNAPSHOT, new Page(Optional.of(RowKey.of(2, 3)), 0)))).containsExactly("10/1");
        assertThat(keys(read(view, SNAPSHOT, new Page(Optional.of(RowKey.of(10, 1)), 0)))).isEmpty();
    }

    @Test
    void aCompositeKeyIsStampedByTheWholeKeyFromMemoryAndFromTheSpill() throws Exception {
        Path spill = Files.createTempDirectory("viewpush-spill-test");
        try {
            for (int chunk : new int[]{JdbcPushStore.DEFAULT_STAMP_BATCH_SIZE, 2}) {
                db.execute("UPDATE film_actor SET pushed_at = NULL");
                DefaultJdbcPushStore stamper = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource())
                        .stampBatchSize(chunk).spillDirectory(spill).migrateOnBuild(false).build();
                View view = bind(filmActors("cast stamped " + chunk).push(policy("pushed at", null)).build());
                LeaseToken lease = lease(view.name());
                StampBatch batch = stamper.batch(view, lease, null);
                // (1, 2) and (2, 1) share their values but not their key: only the sent one is stamped
                readAll(view).stream().filter(r -> !r.rowKey().text().equals("2/1") && !r.rowKey().text().equals("10/1"))
                        .forEach(batch::add);
                try (batch) {
                    assertThat(batch.commit()).as("chunk %d", chunk).isEqualTo(new StampResult(4, 0));
                }
                assertThat(keys(readAll(view).stream().filter(r -> r.get("pushed at") == null)
                        .collect(Collectors.toList()))).as("chunk %d", chunk).containsExactly("2/1", "10/1");
                try (var files = Files.list(spill)) {
                    assertThat(files).as("the spill file is deleted once stamped").isEmpty();
                }
            }
        } finally {
            Files.deleteIfExists(spill);
        }
    }

    @Test
    void aCompositeKeyWithAModifiedFieldStampsOnlyRowsThatDidNotChange() {
        db.execute("UPDATE film_actor SET pushed_at = NULL");
        View view = bind(ViewDefinition.builder("cast modified", "film_actor").key("actor_id", "film_id")
                .field("actor_id", "actor_id").field("film_id", "film_id").field("last update", "last_update")
                .field("pushed at", "pushed_at").push(policy("pushed at", "last update")).build());
        StampBatch batch = store.batch(view, lease(view.name()), null);
        readAll(view).forEach(batch::add);
        db.execute("UPDATE film_actor SET last_update = last_update + INTERVAL '1' SECOND WHERE actor_id = 1 AND film_id = 10");
        try (batch) {
            assertThat(batch.commit()).isEqualTo(new StampResult(5, 1));
        }
        assertThat(keys(readAll(view).stream().filter(r -> r.get("pushed at") == null).collect(Collectors.toList())))
                .containsExactly("1/10");
    }

    @Test
    void aRowIsUpdatedByItsWholeKey() {
        View view = bind(filmActors("cast update").writable("note").build());
        Optional<Row> updated = store.update(view, RowKey.of(new BigDecimal(2), new BigDecimal(1)), Map.of("note", "lead"), SNAPSHOT);
        assertThat(updated).hasValueSatisfying(r -> assertThat(r.get("note")).isEqualTo("lead"));
        assertThat(readAll(view)).filteredOn(r -> "lead".equals(r.get("note"))).extracting(r -> r.rowKey().text())
                .containsExactly("2/1");
        assertThat(store.update(view, RowKey.of(new BigDecimal(2), new BigDecimal(2)), Map.of("note", "x"), SNAPSHOT)).isEmpty();
    }

    @Test
    void aKeyThatIsNotUniqueIsRefusedNamingTheUniqueIndexesTheTableHas() {
        ViewDefinition d = ViewDefinition.builder("tags", "tagged").key("id").field("id", "id").field("tag", "tag").build();
        List<Problem> problems = problems(d);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("key");
            assertThat(p.message()).contains("'id'").contains("is not unique")
                    .containsIgnoringCase("tagged_id_tag (id, tag)").contains("CREATE UNIQUE INDEX ON");
        });
        assertThat(problems(ViewDefinition.builder("tags", "tagged").key("id", "tag").field("id", "id")
                .field("tag", "tag").build())).isEmpty();
        assertThat(problems(ViewDefinition.builder("tags", "tagged").key("tag", "id").field("id", "id")
                .field("tag", "tag").build())).as("the index's columns, in another order, are as unique").isEmpty();
        assertThat(problems(ViewDefinition.builder("cast", "film_actor").key("actor_id").field("actor_id", "actor_id")
                .build())).singleElement().satisfies(p -> assertThat(p.message()).contains("is not unique")
                .containsIgnoringCase("(actor_id, film_id)"));
    }

    @Test
    void aSchemaQualifiedTableIsFound() {
        View view = bind(ViewDefinition.builder("sales orders", "sales.orders").key("id").field("id", "id")
                .field("customer", "customer").build());
        assertThat(readAll(view)).extracting(r -> r.get("customer")).containsExactly("Ada", "Grace");
        assertThat(problems(ViewDefinition.builder("x", "nowhere.orders").key("id").field("id", "id").build()))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("schema 'nowhere'").contains("does not exist"));
    }

    @Test
    void quotedNamesWithCapitalsSpacesAndNonAsciiLettersAreFoundExactly() {
        View view = bind(ViewDefinition.builder("lines", "\"Sales\".\"Order Lines\"").key("order", "line")
                .field("order", "Order Id").field("line", "Zeile Nr").field("Größe", "Größe").field("sent", "Gesendet am")
                .push(policy("sent", null)).build());
        assertThat(keys(readAll(view))).containsExactly("1/1", "1/2", "2/1");
        assertThat(readAll(view)).extracting(r -> r.get("Größe")).containsExactly("S", "M", "L");
        StampBatch batch = store.batch(view, lease(view.name()), null);
        readAll(view).stream().filter(r -> r.rowKey().text().equals("1/2")).forEach(batch::add);
        try (batch) {
            assertThat(batch.commit()).isEqualTo(new StampResult(1, 0));
        }
        assertThat(readAll(view)).filteredOn(r -> r.get("sent") != null).extracting(r -> r.rowKey().text()).containsExactly("1/2");
    }

    @Test
    void anUnqualifiedNameNotOnTheSearchPathNamesTheSchemaThatHasIt() {
        assertThat(problems(ViewDefinition.builder("o", "orders").key("id").field("id", "id").build()))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("does not exist in schema")
                        .containsIgnoringCase("sales.orders"));
    }

    // ---- PostgreSQL only: the search path, partitioned tables, views ----

    /** A store whose connections have the search path {@code path} (pgjdbc's {@code currentSchema}). */
    private DefaultJdbcPushStore storeWithSearchPath(String path) throws java.sql.SQLException {
        String url;
        try (java.sql.Connection c = db.dataSource().getConnection()) {
            url = c.getMetaData().getURL();
        }
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser("postgres");
        ds.setCurrentSchema(path);
        return (DefaultJdbcPushStore) JdbcPushStore.builder(ds).migrateOnBuild(false).build();
    }

    @Test
    void theSearchPathIsHonouredForUnqualifiedNamesAndAnAmbiguousNameNamesTheSchemas() throws Exception {
        assumeThat(isPostgres()).isTrue();
        DefaultJdbcPushStore onPath = storeWithSearchPath("public,sales");
        ViewDefinition orders = ViewDefinition.builder("o", "orders").key("id").field("id", "id").field("customer", "customer").build();
        assertThat(onPath.fieldTypes(orders)).containsOnlyKeys("id", "customer");
        try {
            onPath.fieldTypes(ViewDefinition.builder("d", "dup").key("id").field("id", "id").build());
        } catch (InvalidViewException e) {
            assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("ambiguous")
                    .contains("public.Dup").contains("sales.dUP").contains("public, sales"));
            return;
        }
        throw new AssertionError("an ambiguous name was accepted");
    }

    @Test
    void aPartitionedTableNeedsItsWholePrimaryKeyAndIsStampedInEveryPartition() {
        assumeThat(isPostgres()).isTrue();
        assertThat(problems(ViewDefinition.builder("p", "payment").key("payment_id").field("payment_id", "payment_id")
                .field("payment_date", "payment_date").build())).singleElement().satisfies(p -> {
                    assertThat(p.key()).isEqualTo("key");
                    assertThat(p.message()).contains("is not unique").contains("payment_pkey (payment_date, payment_id)");
                });
        View view = bind(ViewDefinition.builder("payments", "payment").key("payment_date", "payment_id")
                .field("payment_id", "payment_id").field("payment_date", "payment_date").field("pushed", "pushed_at")
                .push(policy("pushed", null)).build());
        assertThat(keys(readAll(view))).containsExactly("2024-03-01/1", "2024-12-31/2", "2025-01-01/1");
        StampBatch batch = store.batch(view, lease(view.name()), null);
        readAll(view).stream().filter(r -> !r.rowKey().text().equals("2024-12-31/2")).forEach(batch::add);
        try (batch) {
            assertThat(batch.commit()).isEqualTo(new StampResult(2, 0));
        }
        assertThat(db.queryValue("SELECT count(*) FROM payment_2025 WHERE pushed_at IS NOT NULL").toString()).isEqualTo("1");
        assertThat(db.queryValue("SELECT count(*) FROM payment_2024 WHERE pushed_at IS NOT NULL").toString()).isEqualTo("1");
    }

    @Test
    void anUpdatableViewIsPushedThroughAndStamped() {
        assumeThat(isPostgres()).isTrue();
        View view = bind(ViewDefinition.builder("active", "active_orders").key("id").field("id", "id")
                .field("pushed", "pushed_at").push(policy("pushed", null)).build());
        StampBatch batch = store.batch(view, lease(view.name()), null);
        readAll(view).forEach(batch::add);
        try (batch) {
            assertThat(batch.commit()).isEqualTo(new StampResult(2, 0));
        }
        assertThat(db.queryValue("SELECT count(*) FROM sales.orders WHERE pushed_at IS NOT NULL").toString()).isEqualTo("2");
    }

    @Test
    void aViewWithAnInsteadOfUpdateTriggerIsPushedThroughItsTrigger() {
        assumeThat(isPostgres()).isTrue();
        String customers = newTable("trig_customer");
        String orders = newTable("trig_order");
        String view = newTable("trig_order_view");
        db.execute("CREATE TABLE " + customers + " (id integer PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE " + orders + " (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES " + customers
                        + ", pushed_at timestamp(3))",
                "INSERT INTO " + customers + " VALUES (1, 'Ada'), (2, 'Grace')",
                "INSERT INTO " + orders + " (id, customer_id) VALUES (10, 1), (11, 2), (12, 1)",
                // a join: not automatically updatable
                "CREATE VIEW " + view + " AS SELECT o.id, c.name, o.pushed_at FROM " + orders + " o JOIN " + customers
                        + " c ON c.id = o.customer_id",
                "CREATE FUNCTION " + view + "_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE " + orders
                        + " SET pushed_at = NEW.pushed_at WHERE id = OLD.id; RETURN NEW; END $$",
                "CREATE TRIGGER " + view + "_update INSTEAD OF UPDATE ON " + view + " FOR EACH ROW EXECUTE FUNCTION "
                        + view + "_update()");
        ViewDefinition d = ViewDefinition.builder("through a trigger", view).key("id").field("id", "id")
                .field("name", "name").field("pushed", "pushed_at").filter("{pushed} is empty")
                .push(policy("pushed", null)).build();
        assertThat(problems(d)).as("check accepts a view PostgreSQL updates through its trigger").isEmpty();
        View v = bind(d);
        StampBatch batch = store.batch(v, lease(v.name()), null);
        readAll(v).stream().filter(r -> !r.rowKey().text().equals("11")).forEach(batch::add);
        try (batch) {
            assertThat(batch.commit()).isEqualTo(new StampResult(2, 0));
        }
        assertThat(db.queryValue("SELECT string_agg(id::text, ',' ORDER BY id) FROM " + orders + " WHERE pushed_at IS NOT NULL")
                .toString()).isEqualTo("10,12");
        assertThat(readAll(v)).extracting(r -> r.get("name")).containsExactly("Grace");
    }

    @Test
    void aViewPostgreSqlCannotUpdateIsPullOnlyAndCheckSaysWhy() {
        assumeThat(isPostgres()).isTrue();
        ViewDefinition.Builder totals = ViewDefinition.builder("totals", "order_totals").key("customer")
                .field("customer", "customer").field("n", "n");
        assertThat(readAll(bind(totals.build()))).hasSize(2);
        db.execute("ALTER TABLE sales.orders ADD COLUMN IF NOT EXISTS dummy TIMESTAMP(3)");
        assertThat(problems(ViewDefinition.builder("totals", "order_totals_at").key("customer").field("customer", "customer")
                .field("at", "at").push(policy("at", null)).build())).singleElement().satisfies(p -> {
                    assertThat(p.key()).isEqualTo("push");
                    assertThat(p.message()).contains("cannot update").contains("INSTEAD OF UPDATE trigger");
                });
        ViewDefinition snapshot = ViewDefinition.builder("snap", "order_snapshot").key("id").field("id", "id")
                .field("at", "pushed_at").build();
        assertThat(readAll(bind(snapshot))).hasSize(2);
        assertThat(problems(snapshot.withPush(policy("at", null)))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("materialized view"));
    }
}
