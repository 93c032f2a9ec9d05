package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * PostgreSQL's column types, from its catalog: domains are followed to their base type, enums bring
 * their labels, arrays are read as JSON ({@code to_json}), json/jsonb, enum labels and every type
 * without a form of its own as their text (the type's output function, so {@code inet} reads
 * {@code 10.0.0.1}, as {@code psql} shows it), {@code money} as {@code numeric}, {@code citext} as
 * plain text (compared case-sensitively, as the expression language compares text).
 */
final class PostgreSqlColumnTypes implements ColumnTypes {
    /**
     * Each column of a relation with its base type after every domain (a recursive walk of
     * {@code typbasetype}), the base's kind and category, an enum's labels and whether it is generated.
     */
    private static final String COLUMNS = "with recursive rel as ("
            + " select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " where n.nspname = ? and c.relname = ?),"
            + " base(attnum, typ, depth) as ("
            + " select a.attnum, a.atttypid, 0 from pg_attribute a join rel on a.attrelid = rel.oid"
            + " where a.attnum > 0 and not a.attisdropped"
            + " union all select base.attnum, t.typbasetype, base.depth + 1 from base join pg_type t on t.oid = base.typ"
            + " where t.typtype = 'd')"
            + " select a.attname, format_type(a.atttypid, a.atttypmod), t.typtype = 'd', a.attgenerated <> '',"
            + " b.typname, b.typtype, b.typcategory,"
            + " (select array_agg(e.enumlabel::text order by e.enumsortorder) from pg_enum e where e.enumtypid = b.oid)"
            + " from pg_attribute a join rel on a.attrelid = rel.oid"
            + " join pg_type t on t.oid = a.atttypid"
            + " join base on base.attnum = a.attnum"
            + " join pg_type b on b.oid = base.typ and b.typtype <> 'd'"
            + " where a.attnum > 0 and not a.attisdropped";

    private static final Set<String> TEXT = Set.of("text", "varchar", "bpchar", "char", "name", "citext");
    private static final Set<String> NUMBER = Set.of("int2", "int4", "int8", "numeric", "money");

    @Override
    public Map<String, ColumnType> of(Connection connection, Schema.Table table) throws SQLException {
        Map<String, ColumnType> types = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS)) {
            ps.setString(1, table.schema() == null ? connection.getSchema() : table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String base = rs.getString(5);
                    String kind = rs.getString(6);
                    String category = rs.getString(7);
                    Array labels = rs.getArray(8);
                    List<String> labelList = labels == null ? List.of() : List.of((String[]) labels.getArray());
                    types.put(rs.getString(1), new ColumnType(Optional.of(type(base, kind, category)), base,
                            rs.getString(2), rs.getBoolean(3), labelList, rs.getBoolean(4)));
                }
            }
        }
        return types;
    }

    private static ValueType type(String base, String kind, String category) {
        if ("e".equals(kind)) {
            return ValueType.ENUM;
        }
        if ("A".equals(category)) {
            return ValueType.ARRAY;
        }
        if (TEXT.contains(base)) {
            return ValueType.TEXT;
        }
        if (NUMBER.contains(base)) {
            return ValueType.NUMBER;
        }
        switch (base) {
            case "bool":
                return ValueType.BOOLEAN;
            case "timestamp":
                return ValueType.TIMESTAMP;
            case "timestamptz":
                return ValueType.TIMESTAMP_TZ;
            case "date":
                return ValueType.DATE;
            case "uuid":
                return ValueType.UUID;
            case "json":
            case "jsonb":
                return ValueType.JSON;
            case "bytea":
                return ValueType.BYTES;
            case "float4":
            case "float8":
                return ValueType.FLOAT;
            case "time":
                return ValueType.TIME;
            case "timetz":
                return ValueType.TIME_TZ;
            case "interval":
                return ValueType.INTERVAL;
            default:
                return ValueType.OTHER;
        }
    }

    @Override
    public Field<?> read(Field<?> column, ColumnType type) {
        ValueType t = type.type().orElseThrow();
        switch (t) {
            case TEXT:
                return type.base().equals("citext") || type.domain() ? column.cast(SQLDataType.VARCHAR) : column;
            case NUMBER:
                return type.base().equals("money") || type.domain() ? column.cast(SQLDataType.NUMERIC) : column;
            case ENUM:
            case JSON:
                return column.cast(SQLDataType.VARCHAR);
            case ARRAY:
                return DSL.field("cast(to_json({0}) as text)", SQLDataType.VARCHAR, column);
            case INTERVAL:
                return DSL.field("case when {0} is null then null else concat_ws(' ', extract(year from {0}),"
                        + " extract(month from {0}), extract(day from {0}), extract(hour from {0}),"
                        + " extract(minute from {0}), extract(second from {0})) end", SQLDataType.VARCHAR, column);
            case FLOAT:
            case OTHER:
                // the type's output function (format's %s), not a cast: inet's cast to text adds /32
                return DSL.field("case when {0} is null then null else format('%s', {0}) end", SQLDataType.VARCHAR,
                        column);
            default:
                return column;
        }
    }

    @Override
    public String interval(ResultSet rs, int index) throws SQLException {
        return IsoInterval.fromParts(rs.getString(index));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Field<?> write(Object value, ColumnType type, Mapping mapping, String field, String where) {
        ValueType t = type.type().orElseThrow();
        String column = mapping.column(field).name();
        switch (t) {
            case ARRAY:
                // the JSON array as the column's type, nested arrays as dimensions, through the table's row type
                return DSL.field("(jsonb_populate_record(cast(null as {0}), jsonb_build_object({1}, cast({2} as jsonb)))).{3}",
                        Object.class, mapping.table(), DSL.inline(column), DSL.val(value, SQLDataType.VARCHAR),
                        DSL.name(column));
            case BYTES:
                return DSL.val(value, SQLDataType.VARBINARY);
            case FLOAT:
                return castTo(DSL.val(value, SQLDataType.DOUBLE), type);
            case UUID:
                return castTo(DSL.val(value, SQLDataType.UUID), type);
            case TIME:
                return castTo(DSL.val(value.toString(), SQLDataType.VARCHAR), type);
            case TIME_TZ:
                return castTo(DSL.val(value.toString(), SQLDataType.VARCHAR), type);
            case ENUM:
            case JSON:
            case INTERVAL:
            case OTHER:
                return castTo(DSL.val(value, SQLDataType.VARCHAR), type);
            default: {
                Field<?> plain = DSL.val(value, (org.jooq.DataType) SqlTypes.of(t));
                return type.domain() || type.base().equals("money") || type.base().equals("citext")
                        ? castTo(plain, type) : plain;
            }
        }
    }

    private static Field<?> castTo(Field<?> value, ColumnType type) {
        return DSL.field("cast({0} as " + type.declared() + ")", Object.class, value);
    }
}
