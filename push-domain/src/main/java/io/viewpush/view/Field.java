package io.viewpush.view;

import java.util.Objects;

/**
 * A named field of a view mapped to a column of its table.
 *
 * @param name   the field's name as the view shows it (may hold spaces and brackets)
 * @param column the table's column, exactly as the database names it
 */
public record Field(String name, String column) {
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(column, "column");
    }
}
