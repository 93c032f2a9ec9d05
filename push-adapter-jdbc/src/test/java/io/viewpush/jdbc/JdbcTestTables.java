package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.port.PushStore;
import io.viewpush.port.contract.TestColumn;
import io.viewpush.port.contract.TestTables;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TestTables} on a real database, writing as a host application would: tables are created
 * with unquoted names (so H2 upper-cases them, as it does for hosts), values are bound with the
 * adapter's zone-independent types. Each instance starts from empty ViewPush tables, so the
 * contract tests of one class can share a database.
 */
final class JdbcTestTables implements TestTables {
    private static final Map<TestDatabase, JdbcPushStore> STORES = new ConcurrentHashMap<>();
    private static final List<String> OUR_TABLES = List.of("viewpush_lease", "viewpush_push_attempt",
            "viewpush_push_history", "viewpush_stamp_row", "viewpush_stamp_batch");

    private final TestDatabase db;
    private final JdbcPushStore store;
    private final DSLContext dsl;
    private final Map<String, Map<String, ValueType>> columns = new HashMap<>();
    private final Map<String, List<String>> keys = new HashMap<>();

    private JdbcTestTables(TestDatabase db) {
        this.db = db;
        // the contract suites record attempts dated 2024: keep them, whatever today's date
        this.store = STORES.computeIfAbsent(db, d -> JdbcPushStore.builder(d.dataSource())
                .journalRetention(java.time.Duration.ofDays(100 * 365)).build());
        this.dsl = DSL.using(db.dataSource(), db.kind() == TestDatabase.Kind.POSTGRESQL
                        ? org.jooq.SQLDialect.POSTGRES : org.jooq.SQLDialect.H2,
                new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER));
    }

    /** @return tables on {@code db} whose store starts with no leases, journal or stamp batches */
    static JdbcTestTables fresh(TestDatabase db) {
        JdbcTestTables t = new JdbcTestTables(db);
        for (String table : OUR_TABLES) {
            db.execute("DELETE FROM \"" + table + "\"");
        }
        return t;
    }

    @Override
    public PushStore store() {
        return store;
    }

    @Override
    public void createTable(String table, List<TestColumn> cols, String keyColumn) {
        createTable(table, cols, List.of(keyColumn));
    }

    @Override
    public void createTable(String table, List<TestColumn> cols, List<String> keyColumns) {
        boolean pg = db.kind() == TestDatabase.Kind.POSTGRESQL;
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(table).append(" (");
        Map<String, ValueType> types = new LinkedHashMap<>();
        for (TestColumn c : cols) {
            types.put(c.name(), c.type());
            ddl.append(c.name()).append(' ').append(sqlType(c, keyColumns.contains(c.name()), pg)).append(", ");
        }
        ddl.append("PRIMARY KEY (").append(String.join(", ", keyColumns)).append("))");
        db.execute("DROP TABLE IF EXISTS " + table, ddl.toString());
        columns.put(table, types);
        keys.put(table, List.copyOf(keyColumns));
    }

    private static String sqlType(TestColumn c, boolean key, boolean pg) {
        switch (c.type()) {
            case TEXT:
                return pg ? "TEXT" : "CHARACTER VARYING";
            case NUMBER:
                return key ? "BIGINT" : pg ? "NUMERIC" : "NUMERIC(38, 12)";
            case BOOLEAN:
                return "BOOLEAN";
            case TIMESTAMP:
                return "TIMESTAMP(" + c.precision() + ")";
            case TIMESTAMP_TZ:
                return "TIMESTAMP(" + c.precision() + ") WITH TIME ZONE";
            default:
                return "DATE";
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Map<Field<?>, Field<?>> assignments(String table, Map<String, Object> values) {
        Map<Field<?>, Field<?>> set = new LinkedHashMap<>();
        values.forEach((column, value) -> {
            ValueType type = type(table, column);
            set.put(DSL.field(DSL.unquotedName(column)), DSL.val(value, (org.jooq.DataType) SqlTypes.of(type)));
        });
        return set;
    }

    private ValueType type(String table, String column) {
        ValueType t = columns.getOrDefault(table, Map.of()).get(column);
        if (t == null) {
            throw new IllegalArgumentException("no column " + column + " in " + table);
        }
        return t;
    }

    private Table<?> table(String table) {
        return DSL.table(DSL.unquotedName(table));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private org.jooq.Condition keyIs(String table, Object key) {
        List<String> ks = keys.get(table);
        List<Object> values = key instanceof io.viewpush.view.RowKey ? ((io.viewpush.view.RowKey) key).values() : List.of(key);
        org.jooq.Condition c = DSL.trueCondition();
        for (int i = 0; i < ks.size(); i++) {
            String k = ks.get(i);
            c = c.and(DSL.field(DSL.unquotedName(k)).eq((Field) DSL.val(values.get(i), (org.jooq.DataType) SqlTypes.of(type(table, k)))));
        }
        return c;
    }

    @Override
    public void insert(String table, Map<String, Object> values) {
        dsl.insertInto(table(table)).set(assignments(table, values)).execute();
    }

    @Override
    public void update(String table, Object key, Map<String, Object> values) {
        dsl.update(table(table)).set(assignments(table, values)).where(keyIs(table, key)).execute();
    }

    @Override
    public void delete(String table, Object key) {
        dsl.deleteFrom(table(table)).where(keyIs(table, key)).execute();
    }

    @Override
    public void touch(String table, Object key, String column) {
        dsl.update(table(table)).set(Map.of(DSL.field(DSL.unquotedName(column)), DSL.field("CURRENT_TIMESTAMP")))
                .where(keyIs(table, key)).execute();
    }

    @Override
    public Map<String, Object> row(String table, Object key) {
        Map<String, ValueType> types = columns.get(table);
        List<Field<?>> fields = types.entrySet().stream()
                .<Field<?>>map(e -> DSL.field(DSL.unquotedName(e.getKey()), SqlTypes.of(e.getValue())))
                .toList();
        Record r = dsl.select(fields).from(table(table)).where(keyIs(table, key)).fetchOne();
        Map<String, Object> out = new HashMap<>();
        if (r != null) {
            int i = 0;
            for (String name : types.keySet()) {
                out.put(name.toLowerCase(Locale.ROOT), r.get(i++));
            }
        }
        return out;
    }
}
