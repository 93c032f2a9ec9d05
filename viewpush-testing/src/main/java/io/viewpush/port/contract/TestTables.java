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

    /** Inserts a row; columns left out are empty. */
    void insert(String table, Map<String, Object> values);

    /** Updates columns of the row with that key, as a host application would. */
    void update(String table, Object key, Map<String, Object> values);

    /** Deletes the row with that key, if any. */
    void delete(String table, Object key);

    /** Sets a timestamp column of the row to the database's current time, as a host's {@code now()} would. */
    void touch(String table, Object key, String column);

    /** @return the row with that key, column name to value; empty map when there is none */
    Map<String, Object> row(String table, Object key);
}
