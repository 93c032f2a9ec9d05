package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Types;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A view's table and the column behind each plain field, as introspected: the only source of
 * identifiers in the SQL this adapter writes (jOOQ quotes them).
 */
final class Mapping {
    private final Dialect dialect;
    private final Schema.Table table;
    private final Map<String, Schema.Column> byField;
    private final Map<String, ValueType> types;
    private final Table<?> jooqTable;
    /** Statements rendered once for this mapping (reads, stamps), dropped with it when the table changes. */
    private final java.util.concurrent.ConcurrentHashMap<Object, Object> rendered = new java.util.concurrent.ConcurrentHashMap<>();

    /** The database's own description of the columns that need one ({@link ColumnTypes}), by field. */
    private final Map<String, ColumnType> columnTypes;

    Mapping(Dialect dialect, Schema.Table table, Map<String, Schema.Column> byField, Map<String, ValueType> types) {
        this(dialect, table, byField, types, Map.of());
    }

    Mapping(Dialect dialect, Schema.Table table, Map<String, Schema.Column> byField, Map<String, ValueType> types,
            Map<String, ColumnType> columnTypes) {
        this(dialect, table, byField, types, columnTypes, Map.of());
    }

    /** The view's lookups and summaries: the joins and subqueries that read them. */
    private final Lookups lookups;

    Mapping(Dialect dialect, Schema.Table table, Map<String, Schema.Column> byField, Map<String, ValueType> types,
            Map<String, ColumnType> columnTypes, Map<String, Lookups.Derived> derived) {
        this(dialect, table, byField, types, columnTypes, new Lookups(dialect, table.schema() == null
                ? DSL.name(table.name()) : DSL.name(table.schema(), table.name()), derived));
    }

    private Mapping(Dialect dialect, Schema.Table table, Map<String, Schema.Column> byField, Map<String, ValueType> types,
                    Map<String, ColumnType> columnTypes, Lookups lookups) {
        this.lookups = lookups;
        this.dialect = dialect;
        this.table = table;
        this.byField = Map.copyOf(byField);
        this.types = Map.copyOf(types);
        this.columnTypes = Map.copyOf(columnTypes);
        this.jooqTable = DSL.table(tableName());
    }

    /** @return the database's description of the field's column type, when it has one */
    java.util.Optional<ColumnType> columnType(String field) {
        return java.util.Optional.ofNullable(columnTypes.get(field));
    }

    private Name tableName() {
        return table.schema() == null ? DSL.name(table.name()) : DSL.name(table.schema(), table.name());
    }

    /** @return the view's own table: what is stamped and updated */
    Table<?> table() {
        return jooqTable;
    }

    /** @return what the view's rows are read from: its table, with the tables of its lookups LEFT JOINed */
    org.jooq.TableLike<?> source() {
        return lookups.joins() ? lookups.from(jooqTable) : jooqTable;
    }

    /**
     * @param inView a condition on the view's fields (its filters, a key), lookups included
     * @return the same condition for a statement on the view's own table alone (an UPDATE): as it
     *         is when the view has no lookups, else its key among the keys of the joined rows that meet it
     */
    org.jooq.Condition onTableAlone(org.jooq.Condition inView, java.util.List<String> keyFields) {
        if (!lookups.joins()) {
            return inView;
        }
        java.util.List<Field<?>> keys = new java.util.ArrayList<>();
        for (String k : keyFields) {
            keys.add(column(k, SqlTypes.of(type(k))));
        }
        return DSL.row(keys).in(DSL.select(keys).from(source()).where(inView));
    }

    /** @return whether the view has a summary (a count, sum, min or max of related rows) */
    boolean hasSummaries() {
        return lookups.summaries();
    }

    /**
     * @param restriction a condition on the view's own table that every row read meets, or null
     * @return this mapping with its summaries read from grouped derived tables ({@link Lookups#grouped}),
     *         for a read of many rows; it renders nothing once, so it is not cached itself
     */
    Mapping withGroupedSummaries(org.jooq.Condition restriction) {
        return new Mapping(dialect, table, byField, types, columnTypes, lookups.grouped(restriction));
    }

    /** @return whether the field is a lookup or a summary (read-only, not a column of the view's table) */
    boolean isDerived(String field) {
        return lookups.has(field);
    }

    /**
     * @param key    what is rendered (a record or enum that says which statement of the view)
     * @param render renders it the first time
     * @return the statement for {@code key}, rendered once per mapping: a mapping is introspected
     *         once per view definition and store, and introspected again (with nothing rendered)
     *         after the view's SQL failed
     */
    @SuppressWarnings("unchecked")
    <T> T renderedOnce(Object key, java.util.function.Supplier<T> render) {
        Object known = rendered.get(key);
        if (known == null) {
            known = render.get();
            Object raced = rendered.putIfAbsent(key, known);
            if (raced != null) {
                known = raced;
            }
        }
        return (T) known;
    }

    /** @return the table's name as the database spells it */
    String tableName(boolean qualified) {
        return qualified && table.schema() != null ? table.schema() + "." + table.name() : table.name();
    }

    Schema.Column column(String field) {
        Schema.Column c = byField.get(field);
        if (c == null) {
            throw new NoSuchElementException("no column for field '" + field + "'");
        }
        return c;
    }

    ValueType type(String field) {
        ValueType t = types.get(field);
        if (t == null) {
            throw new NoSuchElementException("no type for field '" + field + "'");
        }
        return t;
    }

    /** @return the column itself (qualified), for writing */
    @SuppressWarnings("unchecked")
    <T> Field<T> column(String field, DataType<T> type) {
        return DSL.field(tableName().append(column(field).name()), type);
    }

    /**
     * @return the field's value as the view reads and compares it: the column, except that a
     *         fixed-length character column is read as variable-length text as stored, blank-padded
     *         to its length, so that SQL compares what the row carries (the databases' own char
     *         comparisons ignore trailing blanks, the domain's evaluator does not)
     */
    Field<?> value(String field) {
        if (lookups.has(field)) {
            return lookups.value(field);
        }
        ValueType t = type(field);
        Field<?> raw = column(field, SqlTypes.of(t));
        if (t == ValueType.TEXT && column(field).isCharacter()) {
            return dialect.characterAsStored(raw);
        }
        ColumnType c = columnTypes.get(field);
        return c == null ? raw : dialect.columnTypes().read(raw, c);
    }

    /**
     * @return the field's value for a statement on the view's own table alone (stamping): as
     *         {@link #value}, except that a lookup is a correlated subquery rather than a joined column,
     *         locking the related rows where the database can ({@link Dialect#locksRelatedRowsWhenStamping})
     */
    Field<?> valueOnTableAlone(String field) {
        return lookups.has(field) ? lookups.correlated(field, dialect.locksRelatedRowsWhenStamping()) : value(field);
    }

    /**
     * A value of the scratch table cast to the column's own type where that matters: integer
     * columns are compared with integers so their indexes are used.
     */
    Field<?> inColumnType(String field, Field<?> scratch) {
        Schema.Column c = column(field);
        if (type(field) == ValueType.UUID) {
            return scratch.cast(SQLDataType.UUID);
        }
        if (type(field) == ValueType.NUMBER && c.isInteger()) {
            switch (c.jdbcType()) {
                case Types.BIGINT:
                    return scratch.cast(SQLDataType.BIGINT);
                case Types.SMALLINT:
                case Types.TINYINT:
                    return scratch.cast(SQLDataType.SMALLINT);
                default:
                    return scratch.cast(SQLDataType.INTEGER);
            }
        }
        return scratch;
    }

    Dialect dialect() {
        return dialect;
    }
}
