package io.viewpush.view;

import java.util.Objects;
import java.util.Optional;

/**
 * A named field of a view mapped to a column of its table, or to what a {@link FieldPath} reaches
 * from it: a column of a related table (a lookup, {@code customer.name}) or a summary of the rows
 * that refer to the view's row ({@code count(rental)}).
 *
 * @param name   the field's name as the view shows it (may hold spaces and brackets)
 * @param column the table's column, exactly as the database names it; or a lookup or summary
 */
public record Field(String name, String column) {
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(column, "column");
    }

    /**
     * @return the lookup or summary this field shows; empty when it is a column of the view's table
     * @throws IllegalArgumentException saying what is wrong when the text is meant as a path but is not one
     */
    public Optional<FieldPath> path() {
        return FieldPath.parse(column);
    }

    /**
     * @return for a lookup or summary, what it is as a message says it: {@code a lookup (customer.name)},
     *         {@code a summary (count(rental))}; empty for a column of the view's table
     */
    public Optional<String> derivedDescription() {
        Optional<FieldPath> p;
        try {
            p = path();
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + column + "'");
        }
        return p.map(x -> (x.isSummary() ? "a summary (" : "a lookup (") + column + ")");
    }

    /** @return whether the field shows a lookup or a summary (read-only), not a column of the view's table */
    public boolean isDerived() {
        try {
            return path().isPresent();
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
