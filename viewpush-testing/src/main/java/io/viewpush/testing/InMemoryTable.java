package io.viewpush.testing;

import io.viewpush.expression.Expressions;
import io.viewpush.expression.ValueType;

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
 * A table of an {@link InMemoryStore}: typed columns and rows keyed by the key column. Thread-safe.
 * Timestamps written by {@link #touch} are at microsecond precision, like PostgreSQL's.
 */
public final class InMemoryTable {
    private final String name;
    private final Map<String, ValueType> columns;
    private final String keyColumn;
    private final Clock clock;
    private final NavigableMap<Object, Map<String, Object>> rows = new TreeMap<>(Expressions::compare);

    InMemoryTable(String name, Map<String, ValueType> columns, String keyColumn, Clock clock) {
        if (!columns.containsKey(keyColumn)) {
            throw new IllegalArgumentException("key column " + keyColumn + " is not a column of " + name);
        }
        this.name = name;
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        this.keyColumn = keyColumn;
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

    /** @return the key column */
    public String keyColumn() {
        return keyColumn;
    }

    /** Inserts a row; columns left out are empty. */
    public synchronized InMemoryTable insert(Map<String, Object> values) {
        Map<String, Object> row = new HashMap<>();
        for (String c : columns.keySet()) {
            row.put(c, null);
        }
        put(row, values);
        Object key = row.get(keyColumn);
        if (key == null) {
            throw new IllegalArgumentException("the key column " + keyColumn + " must not be empty");
        }
        if (rows.containsKey(key)) {
            throw new IllegalArgumentException("duplicate key " + key + " in " + name);
        }
        rows.put(key, row);
        return this;
    }

    /** Updates columns of an existing row. */
    public synchronized InMemoryTable update(Object key, Map<String, Object> values) {
        Map<String, Object> row = rows.get(key);
        if (row == null) {
            throw new IllegalArgumentException("no row " + key + " in " + name);
        }
        if (values.containsKey(keyColumn) && Expressions.compare(values.get(keyColumn), key) != 0) {
            throw new IllegalArgumentException("the key cannot be changed");
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
        rows.remove(key);
    }

    /** @return a copy of the row with that key */
    public synchronized Optional<Map<String, Object>> row(Object key) {
        Map<String, Object> r = rows.get(key);
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
