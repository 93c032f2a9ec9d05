package io.viewpush.port;

import io.viewpush.expression.ValueType;
import io.viewpush.view.InvalidViewException;
import io.viewpush.view.ViewDefinition;

import java.util.List;
import java.util.Map;

/** Port: what type each field of a view has, as the database knows it. */
public interface ViewSchema {

    /**
     * Reads the types of a view's plain fields from the view's table, and of its lookups and
     * summaries ({@link io.viewpush.view.FieldPath}) from the tables they reach: an adapter follows
     * each path with {@link io.viewpush.view.ResolvedPath#resolve} over the foreign keys its database
     * knows (a {@link io.viewpush.view.Catalog}), so that every adapter explains a wrong path alike.
     * A count is a number; a sum, min or max has its column's type.
     *
     * @param definition the view
     * @return the type of every plain field, lookup and summary, by field name
     * @throws InvalidViewException naming the view, field and column when the table or a column is
     *                              missing, a column's type is not supported, or the stamp field is
     *                              not a date/time column (with the DDL that would fix it); for a
     *                              lookup or summary, the step that names no foreign key or several
     *                              (with the candidates) or the column the table reached lacks
     * @throws StorageException     when the database cannot be reached
     */
    Map<String, ValueType> fieldTypes(ViewDefinition definition);

    /**
     * The labels of the view's enum fields ({@link ValueType#ENUM}), each in its type's order: what
     * a text literal compared with such a field must be, and the order {@code <} and {@code >} follow.
     *
     * @param definition the view
     * @return the labels of each enum field, by field name; by default none are known (then any label
     *         is accepted for {@code =} and {@code !=}, and enum fields have no order)
     * @throws InvalidViewException as {@link #fieldTypes}
     * @throws StorageException     when the database cannot be reached
     */
    default Map<String, List<String>> enumLabels(ViewDefinition definition) {
        return Map.of();
    }

    /**
     * Runs {@code reads}, many calls of {@link #fieldTypes} and {@link #enumLabels} (what an engine
     * makes when it starts with many views), letting the store read each table's metadata once for
     * all of them instead of once per view; the store forgets it when {@code reads} returns, so a
     * later call sees a table that changed. The default runs {@code reads} as it is.
     *
     * @param reads the reads
     * @param <T>   what they return
     * @return what {@code reads} returned
     */
    default <T> T readingTogether(java.util.function.Supplier<T> reads) {
        return reads.get();
    }
}
