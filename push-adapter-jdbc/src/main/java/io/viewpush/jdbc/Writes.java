package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.port.RejectedValueException;
import io.viewpush.view.View;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.math.BigDecimal;
import java.sql.Types;

/** Checks a value written by the row update API against its column, so the database never silently rounds or cuts it. */
final class Writes {
    private Writes() {
    }

    /**
     * @return the value bound in the column's type
     * @throws IllegalArgumentException when the value has the wrong type
     * @throws RejectedValueException   when the column cannot hold it exactly (too many decimals for an
     *                                  integer or numeric(p,s) column, too long for a varchar(n))
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Field<?> value(View view, Mapping mapping, String field, Object value) {
        ValueType type = mapping.type(field);
        Schema.Column column = mapping.column(field);
        String where = "field '" + field + "' of view '" + view.name() + "' (column '" + column.name() + "')";
        Object v = ViewSql.convert(value, type, where);
        if (v instanceof BigDecimal) {
            BigDecimal n = (BigDecimal) v;
            Integer scale = column.isInteger() ? Integer.valueOf(0)
                    : column.jdbcType() == Types.NUMERIC || column.jdbcType() == Types.DECIMAL ? column.decimalDigits() : null;
            if (scale != null && n.stripTrailingZeros().scale() > scale) {
                throw new RejectedValueException(field, where + " cannot hold " + n.toPlainString() + " exactly: it is "
                        + column.describe() + (column.isInteger() ? "" : " with " + scale + " decimal places"),
                        "it holds " + (column.isInteger() ? "whole numbers" : "numbers with at most " + scale
                                + " decimal places") + ", not " + n.toPlainString());
            }
        }
        java.util.Optional<ColumnType> columnType = mapping.columnType(field);
        if (columnType.isPresent() && columnType.get().generated()) {
            throw new RejectedValueException(field, where + " is a generated column: the database computes it, and"
                    + " nobody can write it", "it is computed by the database and cannot be written");
        }
        if (type == ValueType.ENUM && v != null && columnType.isPresent() && !columnType.get().labels().isEmpty()
                && !columnType.get().labels().contains(v)) {
            throw new RejectedValueException(field, where + " cannot hold '" + v + "': it is "
                    + columnType.get().describe() + ", whose labels are " + columnType.get().labels(),
                    "'" + v + "' is not one of its labels " + columnType.get().labels());
        }
        if (type == ValueType.TEXT && v instanceof String && column.jdbcType() != Types.CLOB && column.jdbcType() != Types.NCLOB
                && column.size() > 0 && column.size() < Integer.MAX_VALUE) {
            String s = (String) v;
            long length = mapping.dialect().textLength(s);
            if (length > column.size()) {
                throw new RejectedValueException(field, where + " holds at most " + column.size() + " characters, not "
                        + length, "it holds at most " + column.size() + " characters, not " + length);
            }
        }
        if (columnType.isPresent() && columnType.get().type().isPresent()) {
            return mapping.dialect().columnTypes().write(v, columnType.get(), mapping, field, where);
        }
        return DSL.val(v, (DataType) SqlTypes.of(type));
    }
}
