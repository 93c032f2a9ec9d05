package io.viewpush.port.contract;

import io.viewpush.port.PushStore;

import java.util.List;
import java.util.Map;

/**
 * What a store's contract suites need from the database under test: create a table, write rows as
 * a host application would, read them back. Each adapter's test implements it for each database.
 * Values use the domain's Java types ({@link io.viewpush.expression.ValueType#javaType()}).
 */
public interface TestTables {

    /** @return the store under test, on the same database */
    PushStore store();

    /** Creates (or drops and re-creates) a table with a primary key. */
    void createTable(String table, List<TestColumn> columns, String keyColumn);

    /**
     * Creates (or drops and re-creates) a table with a primary key of one or more columns, in order.
     * Methods that take a {@code key} then take a {@link io.viewpush.view.RowKey} with a value for each.
     * {@link CompositeKeyContractTest} needs it; the default supports one column only.
     */
    default void createTable(String table, List<TestColumn> columns, List<String> keyColumns) {
        if (keyColumns.size() != 1) {
            throw new UnsupportedOperationException("these test tables have one-column keys only, not " + keyColumns);
        }
        createTable(table, columns, keyColumns.get(0));
    }

    /** Inserts a row; columns left out are empty. */
    void insert(String table, Map<String, Object> values);

    /** Updates columns of the row with that key (a {@link io.viewpush.view.RowKey} for a composite key), as a host application would. */
    void update(String table, Object key, Map<String, Object> values);

    /** Deletes the row with that key, if any. */
    void delete(String table, Object key);

    /** Sets a timestamp column of the row to the database's current time, as a host's {@code now()} would. */
    void touch(String table, Object key, String column);

    /** @return the row with that key, column name to value; empty map when there is none */
    Map<String, Object> row(String table, Object key);
}
