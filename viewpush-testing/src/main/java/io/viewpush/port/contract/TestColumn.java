package io.viewpush.port.contract;

import io.viewpush.expression.ValueType;

import java.util.Objects;

/**
 * A column of a table that a contract suite creates through {@link TestTables}.
 *
 * @param name      the column name, lower case, exactly as the suite refers to it
 * @param type      its type
 * @param precision fractional-second digits for timestamps (0..6), ignored otherwise
 */
public record TestColumn(String name, ValueType type, int precision) {
    public TestColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** @return a column with timestamp precision 6 */
    public static TestColumn of(String name, ValueType type) {
        return new TestColumn(name, type, 6);
    }
}
