package io.viewpush.view;

import java.util.List;

/**
 * What a database's catalog says about the tables a view's lookups and summaries pass through:
 * enough for {@link ResolvedPath#resolve} to follow a {@link FieldPath} and to say what was meant
 * when it cannot. A JDBC adapter reads it from the database's metadata; tests may write one by hand.
 */
public interface Catalog {

    /** @return the foreign keys of {@code table} (pointing to other tables, or to itself) */
    List<ForeignKey> foreignKeysOf(TableRef table);

    /** @return the foreign keys of every table that point to {@code table} */
    List<ForeignKey> foreignKeysTo(TableRef table);

    /** @return the columns of {@code table} in order */
    List<String> columnsOf(TableRef table);
}
