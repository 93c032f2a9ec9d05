package io.viewpush.engine;

import io.viewpush.expression.ValueType;
import io.viewpush.port.contract.ContractViews;
import io.viewpush.testing.InMemoryStore;
import io.viewpush.testing.InMemoryTable;

import java.util.LinkedHashMap;
import java.util.Map;

/** The contract suites' orders table, in an in-memory store, for the engine's tests. */
final class OrdersTable {
    private OrdersTable() {
    }

    static InMemoryTable createIn(InMemoryStore store) {
        Map<String, ValueType> columns = new LinkedHashMap<>();
        ContractViews.COLUMNS.forEach(c -> columns.put(c.name(), c.type()));
        return store.createTable(ContractViews.TABLE, columns, "id");
    }
}
