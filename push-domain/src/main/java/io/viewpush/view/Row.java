package io.viewpush.view;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One row of a view: a value per output field ({@link Columns}), {@code null} for empty. Values
 * have the Java type of their column's {@link io.viewpush.expression.ValueType}, or are an
 * {@link Uncarriable} (a value the database holds that has no form in that type). Immutable.
 */
public final class Row {
    private final Columns columns;
    private final Object[] values;

    private Row(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /**
     * @param columns the view's output fields
     * @param values  one value per column, in order ({@code null} is empty); copied
     * @return the row
     * @throws IllegalArgumentException when the count or a value's type does not fit (an
     *                                  {@link Uncarriable} fits every type)
     */
    public static Row of(Columns columns, Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " values, got " + values.length);
        }
        Object[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            Object v = copy[i];
            if (v != null && !columns.type(i).javaType().isInstance(v) && !(v instanceof Uncarriable)) {
                throw new IllegalArgumentException("field '" + columns.name(i) + "' is " + columns.type(i).label()
                        + " (" + columns.type(i).javaType().getSimpleName() + "), got " + v.getClass().getSimpleName());
            }
        }
        return new Row(columns, copy);
    }

    /** @return the row's output fields */
    public Columns columns() {
        return columns;
    }

    /** @return the value at position {@code i}, {@code null} for empty */
    public Object get(int i) {
        return values[i];
    }

    /**
     * @return the value of the named field, {@code null} for empty
     * @throws NoSuchElementException when the view has no such field
     */
    public Object get(String field) {
        return values[columns.indexOf(field).orElseThrow(() -> new NoSuchElementException("no field '" + field + "'"))];
    }

    /**
     * @return the value of the key field; for a composite key, of its first field (the whole key
     *         is {@link #rowKey()})
     */
    public Object key() {
        return values[columns.keyIndex()];
    }

    /**
     * @return the row's key: the values of all its key fields, in key order
     * @throws IllegalArgumentException when a key field is empty
     */
    public RowKey rowKey() {
        int n = columns.keySize();
        if (n == 1) {
            return RowKey.of(key());
        }
        Object[] key = new Object[n];
        for (int i = 0; i < n; i++) {
            key[i] = values[columns.keyIndex(i)];
        }
        return RowKey.of(key);
    }

    /** @return the values in column order (a read-only view; elements may be null) */
    public List<Object> values() {
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    /** @return field name to value, in column order */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(columns.name(i), values[i]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row && ((Row) o).columns.equals(columns) && Arrays.deepEquals(((Row) o).values, values);
    }

    @Override
    public int hashCode() {
        return 31 * columns.hashCode() + Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
