package io.viewpush.testing;

import io.viewpush.expression.ValueType;
import io.viewpush.port.PushStore;
import io.viewpush.port.contract.TestColumn;
import io.viewpush.port.contract.TestTables;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link TestTables} over an {@link InMemoryStore}: runs the contract suites against the fakes. */
public final class InMemoryTestTables implements TestTables {
    private final InMemoryStore store;

    /** @param store the store whose tables are used */
    public InMemoryTestTables(InMemoryStore store) {
        this.store = store;
    }

    @Override
    public PushStore store() {
        return store;
    }

    @Override
    public void createTable(String table, List<TestColumn> columns, String keyColumn) {
        Map<String, ValueType> types = new LinkedHashMap<>();
        columns.forEach(c -> types.put(c.name(), c.type()));
        store.createTable(table, types, keyColumn);
    }

    @Override
    public void createTable(String table, List<TestColumn> columns, List<String> keyColumns) {
        Map<String, ValueType> types = new LinkedHashMap<>();
        columns.forEach(c -> types.put(c.name(), c.type()));
        store.createTable(table, types, keyColumns);
    }

    @Override
    public void insert(String table, Map<String, Object> values) {
        store.table(table).insert(values);
    }

    @Override
    public void update(String table, Object key, Map<String, Object> values) {
        store.table(table).update(key, values);
    }

    @Override
    public void delete(String table, Object key) {
        store.table(table).delete(key);
    }

    @Override
    public void touch(String table, Object key, String column) {
        store.table(table).touch(key, column);
    }

    @Override
    public Map<String, Object> row(String table, Object key) {
        return store.table(table).row(key).orElseGet(HashMap::new);
    }
}
