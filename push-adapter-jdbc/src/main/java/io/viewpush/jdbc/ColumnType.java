package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the database says about a column's type beyond the JDBC metadata: the view type its values
 * have, the base type behind a domain, how to name the declared type in a cast, an enum's labels,
 * and whether the database computes the column (a generated column, never written).
 *
 * @param type      the view type of its values; empty when ViewPush cannot read it as any type
 * @param base      the base type's name, lower case (after every domain): {@code int4}, {@code citext},
 *                  {@code _text}, {@code mpaa_rating}, {@code INTEGER ARRAY}
 * @param declared  the declared type as a cast names it (a domain's own name, qualified and quoted as needed)
 * @param domain    whether the declared type is a domain (its CHECK constraints apply to every write)
 * @param labels    an enum's labels in their order; empty for other types
 * @param generated whether the database computes the column
 */
record ColumnType(Optional<ValueType> type, String base, String declared, boolean domain, List<String> labels,
                  boolean generated) {
    ColumnType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(declared, "declared");
        labels = List.copyOf(labels);
    }

    /** @return how the column's type reads in a message: the declared type, with its base type for a domain */
    String describe() {
        return domain ? declared + " (a domain over " + base + ")" : declared;
    }
}
