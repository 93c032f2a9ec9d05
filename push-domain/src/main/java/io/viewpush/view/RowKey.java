package io.viewpush.view;

import io.viewpush.expression.Expressions;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The key of one row of a view: its key columns' values, in the view's key order. A view's key is
 * one column today; the type holds several so that a composite key travels the same way (pages,
 * row updates, stamping). Values have the Java type of their field's type and are never empty.
 *
 * @param values the key's values, in key order; at least one, none {@code null}
 */
public record RowKey(List<Object> values) implements Comparable<RowKey> {
    public RowKey {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a row key has at least one value");
        }
        for (Object v : values) {
            if (v == null) {
                throw new IllegalArgumentException("a row key's values are never empty: " + values);
            }
        }
        values = List.copyOf(values);
    }

    /**
     * @param values the key's values, in key order
     * @return the key
     * @throws IllegalArgumentException when there is none or one is {@code null}
     */
    public static RowKey of(Object... values) {
        return new RowKey(Arrays.asList(values));
    }

    /** @return how many columns the key has */
    public int size() {
        return values.size();
    }

    /**
     * @return the value of a one-column key
     * @throws IllegalStateException when the key has more than one column
     */
    public Object single() {
        if (values.size() != 1) {
            throw new IllegalStateException("the key " + values + " has " + values.size() + " columns, not one");
        }
        return values.get(0);
    }

    /** Orders keys value by value, in key order, as the view orders its rows. */
    @Override
    public int compareTo(RowKey other) {
        int n = Math.min(values.size(), other.values.size());
        for (int i = 0; i < n; i++) {
            int c = Expressions.compare(values.get(i), other.values.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(values.size(), other.values.size());
    }

    @Override
    public String toString() {
        return values.size() == 1 ? String.valueOf(values.get(0)) : values.toString();
    }
}
