package io.viewpush.jdbc;

import org.jooq.Field;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * How one database's column types map to the view's types: which {@link ColumnType} each column of a
 * table has, the SQL value a view reads and compares for it (one expression for both, so that the
 * row JSON, the filters and the domain's evaluator all see the same value), and how a row update
 * binds a value for it. One implementation per database, chosen by its {@link Dialect}.
 */
interface ColumnTypes {

    /**
     * @return the type of each column of the table, by column name
     */
    Map<String, ColumnType> of(Connection connection, Schema.Table table) throws SQLException;

    /**
     * @param column the column, typed as its view type's {@link SqlTypes} type
     * @return the value the view reads and compares: the column itself for most types
     */
    Field<?> read(Field<?> column, ColumnType type);

    /**
     * @return an interval column's value read by {@link #read}, as ISO-8601 ({@link IsoInterval}), or null
     */
    String interval(ResultSet rs, int index) throws SQLException;

    /**
     * @param value  the value, an instance of the view type's Java class (not null)
     * @param field  the field being written
     * @param where  the field, view and column, for messages
     * @return what the update sets the column to: for a plain column of the types every database
     *         shares, the value bound as {@link SqlTypes} binds it
     * @throws io.viewpush.port.RejectedValueException when this database cannot write such a value
     */
    Field<?> write(Object value, ColumnType type, Mapping mapping, String field, String where);
}
