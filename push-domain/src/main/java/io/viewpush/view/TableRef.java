package io.viewpush.view;

import java.util.Objects;

/**
 * A table as the database's catalog names it.
 *
 * @param schema its schema, or null where the database has none
 * @param name   its name, exactly as the catalog spells it
 */
public record TableRef(String schema, String name) {
    public TableRef {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return name;
    }
}
