package io.viewpush.view;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A foreign key as the database's catalog describes it: the columns of {@code table} whose values
 * are those of {@code referencedColumns} of {@code referencedTable} (its primary key or a unique key).
 *
 * @param name              the constraint's name (may be empty when the catalog gives none)
 * @param table             the referring table
 * @param columns           its columns, in the key's order (one or more)
 * @param referencedTable   the table referred to
 * @param referencedColumns the columns referred to, in the same order
 */
public record ForeignKey(String name, TableRef table, List<String> columns, TableRef referencedTable,
                         List<String> referencedColumns) {
    public ForeignKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
        Objects.requireNonNull(referencedTable, "referencedTable");
        referencedColumns = List.copyOf(referencedColumns);
        if (columns.isEmpty() || columns.size() != referencedColumns.size()) {
            throw new IllegalArgumentException("a foreign key has as many columns as it refers to, at least one: "
                    + columns + " -> " + referencedColumns);
        }
    }

    /** @return its columns as a path's bracket writes them: {@code a} or {@code a,b} */
    public String columnText() {
        return columns.stream().map(FieldPath::write).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return table.name() + "(" + String.join(", ", columns) + ") -> " + referencedTable.name() + "("
                + String.join(", ", referencedColumns) + ")" + (name.isEmpty() ? "" : " [" + name + "]");
    }
}
