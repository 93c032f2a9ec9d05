package io.viewpush.testing;

import io.viewpush.expression.Expressions;
import io.viewpush.expression.ValueType;
import io.viewpush.view.RowKey;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A table of an {@link InMemoryStore}: typed columns and rows keyed by the key column, or by several
 * (a composite key, ordered column by column). Methods that take a {@code key} take the value of a
 * one-column key or a {@link RowKey} with the values of every key column in order. Thread-safe.
 * Timestamps written by {@link #touch} are at microsecond precision, like PostgreSQL's.
 */
public final class InMemoryTable {
    private final String name;
    private final Map<String, ValueType> columns;
    private final List<String> keyColumns;
    private final Clock clock;
    private final NavigableMap<RowKey, Map<String, Object>> rows = new TreeMap<>();

    InMemoryTable(String name, Map<String, ValueType> columns, List<String> keyColumns, Clock clock) {
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("the table " + name + " needs at least one key column");
        }
        for (String k : keyColumns) {
            if (!columns.containsKey(k)) {
                throw new IllegalArgumentException("key column " + k + " is not a column of " + name);
            }
        }
        if (new java.util.HashSet<>(keyColumns).size() != keyColumns.size()) {
            throw new IllegalArgumentException("the key columns of " + name + " repeat one: " + keyColumns);
        }
        this.name = name;
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        this.keyColumns = List.copyOf(keyColumns);
        this.clock = clock;
    }

    /** @return the table's name */
    public String name() {
        return name;
    }

    /** @return column name to type, in order */
    public Map<String, ValueType> columns() {
        return columns;
    }

    /**
     * @return the key column
     * @throws IllegalStateException when the key has several columns ({@link #keyColumns()})
     */
    public String keyColumn() {
        if (keyColumns.size() != 1) {
            throw new IllegalStateException("the table " + name + " has a composite key " + keyColumns);
        }
        return keyColumns.get(0);
    }

    /** @return the key columns, in key order (one for a one-column key) */
    public List<String> keyColumns() {
        return keyColumns;
    }

    /** @return the key of a row of this table */
    RowKey keyOf(Map<String, Object> row) {
        return keyOf(row, keyColumns);
    }

    /** @return the values of the given columns of a row, as a key; null when one is empty */
    static RowKey keyOf(Map<String, Object> row, List<String> columns) {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(columns.get(i));
            if (values[i] == null) {
                return null;
            }
        }
        return RowKey.of(values);
    }

    private RowKey key(Object key) {
        RowKey k = key instanceof RowKey ? (RowKey) key : RowKey.of(key);
        if (k.size() != keyColumns.size()) {
            throw new IllegalArgumentException("the key " + k + " of " + name + " needs " + keyColumns.size()
                    + " values, one for each of " + keyColumns);
        }
        return k;
    }

    /**
     * @return the row whose {@code columns} hold the {@code key}'s values (a copy): by the table's key
     *         when they are its key columns, else by looking at every row
     */
    synchronized Optional<Map<String, Object>> rowWhere(List<String> columns, RowKey key) {
        if (columns.equals(keyColumns)) {
            return row(key);
        }
        for (Map<String, Object> r : rows.values()) {
            RowKey k = keyOf(r, columns);
            if (k != null && k.compareTo(key) == 0) {
                return Optional.of(new HashMap<>(r));
            }
        }
        return Optional.empty();
    }

    /** Inserts a row; columns left out are empty. */
    public synchronized InMemoryTable insert(Map<String, Object> values) {
        Map<String, Object> row = new HashMap<>();
        for (String c : columns.keySet()) {
            row.put(c, null);
        }
        put(row, values);
        RowKey key = keyOf(row);
        if (key == null) {
            throw new IllegalArgumentException("the key columns " + keyColumns + " must not be empty");
        }
        if (rows.containsKey(key)) {
            throw new IllegalArgumentException("duplicate key " + key + " in " + name);
        }
        rows.put(key, row);
        return this;
    }

    /** Updates columns of an existing row. */
    public synchronized InMemoryTable update(Object key, Map<String, Object> values) {
        RowKey k = key(key);
        Map<String, Object> row = rows.get(k);
        if (row == null) {
            throw new IllegalArgumentException("no row " + key + " in " + name);
        }
        for (int i = 0; i < keyColumns.size(); i++) {
            String c = keyColumns.get(i);
            if (values.containsKey(c) && Expressions.compare(values.get(c), k.values().get(i)) != 0) {
                throw new IllegalArgumentException("the key cannot be changed");
            }
        }
        put(row, values);
        return this;
    }

    /** Sets a timestamp column to the clock's current time (microseconds), as a host's {@code now()} would. */
    public synchronized InMemoryTable touch(Object key, String column) {
        ValueType t = columns.get(column);
        if (t == null) {
            throw new IllegalArgumentException("no column " + column);
        }
        Map<String, Object> v = new HashMap<>();
        v.put(column, now(t));
        return update(key, v);
    }

    /** Deletes a row if present. */
    public synchronized void delete(Object key) {
        rows.remove(key(key));
    }

    /** @return a copy of the row with that key */
    public synchronized Optional<Map<String, Object>> row(Object key) {
        Map<String, Object> r = rows.get(key(key));
        return r == null ? Optional.empty() : Optional.of(new HashMap<>(r));
    }

    /** @return copies of all rows in key order */
    public synchronized List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>();
        rows.values().forEach(r -> out.add(new HashMap<>(r)));
        return out;
    }

    /** @return how many rows there are */
    public synchronized int size() {
        return rows.size();
    }

    Object now(ValueType type) {
        switch (type) {
            case TIMESTAMP:
                return LocalDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
            case TIMESTAMP_TZ:
                return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
            case DATE:
                return LocalDateTime.now(clock).toLocalDate();
            default:
                throw new IllegalArgumentException("column type " + type + " has no current time");
        }
    }

    private void put(Map<String, Object> row, Map<String, Object> values) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            ValueType t = columns.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("no column " + e.getKey() + " in " + name);
            }
            Object v = e.getValue();
            if (v != null && !t.javaType().isInstance(v)) {
                throw new IllegalArgumentException("column " + e.getKey() + " is " + t + ", got " + v.getClass().getSimpleName());
            }
            row.put(e.getKey(), v);
        }
    }
}
