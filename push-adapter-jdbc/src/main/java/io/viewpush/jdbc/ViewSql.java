package io.viewpush.jdbc;

import io.viewpush.expression.Expression;
import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.view.Calculation;
import io.viewpush.view.Columns;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.Uncarriable;
import io.viewpush.view.View;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.SortField;
import org.jooq.impl.DSL;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one view at one snapshot: the selected fields (plain fields, then calculations), the
 * filters, the key order, and the mapping of a result record back to a {@link Row}.
 */
final class ViewSql {
    private final View view;
    private final Mapping mapping;
    private final SqlTranslator translator;
    private final List<SelectField<?>> select = new ArrayList<>();
    /** For each calculation, its constant value, or null when it is read from the result (position in {@link #calcIndex}). */
    private final Object[] constants;
    private final int[] calcIndex;
    private final Condition filters;

    /**
     * The start of the statement that reads a small page in autocommit, as an instant and as the
     * session's local time: selected after the view's fields. It is no later than the statement's
     * snapshot, so it can stand for the read's start (see {@link ReadStart}).
     */
    static final List<Field<?>> STATEMENT_START = List.of(DSL.field("current_timestamp", SqlTypes.TIMESTAMP_TZ),
            DSL.field("localtimestamp", SqlTypes.TIMESTAMP));

    ViewSql(View view, Mapping mapping, Snapshot snapshot) {
        this.view = view;
        this.mapping = mapping;
        this.translator = new SqlTranslator(mapping.dialect(), mapping::value, mapping::type, snapshot);
        int i = 0;
        for (io.viewpush.view.Field f : view.fields()) {
            select.add(mapping.value(f.name()).as("f" + i++));
        }
        List<Calculation> calcs = view.definition().calculations();
        constants = new Object[calcs.size()];
        calcIndex = new int[calcs.size()];
        for (int c = 0; c < calcs.size(); c++) {
            Expression e = view.inlinedCalculations().get(calcs.get(c).name());
            if (SqlTranslator.isConstant(e)) {
                // a constant keeps the exact Java value the domain gives it (scale, offset)
                constants[c] = translator.constant(e);
                calcIndex[c] = -1;
            } else {
                calcIndex[c] = i;
                select.add(translator.value(e).as("f" + i++));
            }
        }
        Condition all = DSL.noCondition();
        for (Expression f : view.inlinedFilters()) {
            all = all.and(translator.condition(f));
        }
        this.filters = all;
    }

    List<SelectField<?>> select() {
        return select;
    }

    /** @return the view's filters, all of which must hold: never NULL */
    Condition filters() {
        return filters;
    }

    /** @return the (first) key field's SQL value */
    Field<?> key() {
        return mapping.value(view.keyField());
    }

    /** @return the SQL value of the key's {@code i}-th field */
    Field<?> key(int i) {
        return mapping.value(view.keyFields().get(i));
    }

    /** @return the row whose key is {@code key}: every key field equal to its value */
    Condition keyEquals(RowKey key) {
        requireSize(key, "key");
        Condition c = DSL.noCondition();
        for (int i = 0; i < key.size(); i++) {
            ValueType t = keyType(i);
            c = c.and(translator.compare(Expression.Operator.EQ, key(i), true, keyBound(i, key, "key"), false, t));
        }
        return c;
    }

    /**
     * @return the value of key field {@code i} as a bind value to compare the key column with: for
     *         an integer column and a whole number that fits, a {@code bigint} (PostgreSQL then
     *         compares the column with it along the column's index; bound as {@code numeric}, it
     *         compared {@code id::numeric}, which no index of the column serves, so a pull's page
     *         after a key read the view from its first row); any other value in its field type
     */
    private Field<?> keyBound(int i, RowKey key, String what) {
        ValueType t = keyType(i);
        Object value = keyValue(i, key.values().get(i), what);
        if (value instanceof BigDecimal && mapping.column(view.keyFields().get(i)).isInteger()) {
            try {
                return DSL.val(((BigDecimal) value).longValueExact(), org.jooq.impl.SQLDataType.BIGINT);
            } catch (ArithmeticException notWholeOrTooBig) {
                // compared as a number, exactly as before
            }
        }
        return translator.bind(value, t);
    }

    /** @return the key equal to {@code value} (a one-field key) */
    Condition keyEquals(Object value) {
        return keyEquals(RowKey.of(value));
    }

    /**
     * @return rows whose key comes after {@code key} in key order: for a composite key,
     *         lexicographically, {@code (k1 > a1) or (k1 = a1 and k2 > a2) or ...}
     */
    Condition keyAfter(RowKey key) {
        requireSize(key, "page.after");
        Condition equalSoFar = DSL.noCondition();
        Condition any = null;
        for (int i = 0; i < key.size(); i++) {
            ValueType t = keyType(i);
            Field<?> bound = keyBound(i, key, "page.after");
            Condition greater = equalSoFar.and(translator.compare(Expression.Operator.GT, key(i), true, bound, false, t));
            any = any == null ? greater : any.or(greater);
            equalSoFar = equalSoFar.and(translator.compare(Expression.Operator.EQ, key(i), true, bound, false, t));
        }
        return any;
    }

    /**
     * @return rows whose key does not come after {@code key} in key order (the end of a page read up
     *         to a key): the negation of {@link #keyAfter(RowKey)}, and with it the bound it implies on
     *         the first key field, {@code first <= its value} (empty first), which the database can
     *         use as the upper end of an index range; without it a page read along the key's index
     *         would go on past its last row to the end of the index, filtering out every row there
     */
    Condition keyNotAfter(RowKey key) {
        requireSize(key, "page.upTo");
        ValueType t = keyType(0);
        Field<?> bound = keyBound(0, key, "page.upTo");
        boolean nullable = mapping.column(view.keyFields().get(0)).nullable();
        return keyAfter(key).not().and(translator.compare(Expression.Operator.LE, key(0), nullable, bound, false, t));
    }

    /** @return rows whose key comes after {@code value} in key order (a one-field key) */
    Condition keyAfter(Object value) {
        return keyAfter(RowKey.of(value));
    }

    private void requireSize(RowKey key, String what) {
        if (key.size() != view.keyFields().size()) {
            throw new IllegalArgumentException(what + " of view '" + view.name() + "' must have " + view.keyFields().size()
                    + " values " + view.keyFields() + ", not " + key.size());
        }
    }

    private ValueType keyType(int i) {
        return view.typeOf(view.keyFields().get(i));
    }

    /**
     * @return the key order, field by field in key order: code-point order for text, empty first. A
     *         key column that cannot be empty (a primary key) is ordered plainly, so that the
     *         database can read it along its index and stream the first rows at once instead of
     *         sorting the whole view first.
     */
    List<SortField<?>> keyOrder() {
        List<SortField<?>> order = new ArrayList<>();
        for (int i = 0; i < view.keyFields().size(); i++) {
            Field<?> k = key(i);
            if (keyType(i) == ValueType.TEXT) {
                @SuppressWarnings("unchecked")
                Field<String> text = (Field<String>) k;
                k = mapping.dialect().codePointOrder(text);
            }
            order.add(mapping.column(view.keyFields().get(i)).nullable() ? k.asc().nullsFirst() : k.asc());
        }
        return order;
    }

    /**
     * @return the value as the key field's Java type (integral numbers are accepted for a number key)
     * @throws IllegalArgumentException when it has another type
     */
    Object keyValue(Object value, String what) {
        return keyValue(0, value, what);
    }

    private Object keyValue(int i, Object value, String what) {
        String field = view.keyFields().get(i);
        return convert(value, keyType(i), what + " of view '" + view.name() + "' (key field '" + field + "')");
    }

    static Object convert(Object value, ValueType t, String what) {
        if (value == null || t.javaType().isInstance(value)) {
            return value;
        }
        if (t == ValueType.NUMBER && (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte)) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (t == ValueType.NUMBER && value instanceof BigInteger) {
            return new BigDecimal((BigInteger) value);
        }
        if (t == ValueType.UUID && value instanceof String) {
            try {
                return java.util.UUID.fromString((String) value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " must be a uuid, not '" + value + "'");
            }
        }
        throw new IllegalArgumentException(what + " must be a " + t.label() + " (" + t.javaType().getSimpleName()
                + "), not a " + value.getClass().getSimpleName());
    }

    /**
     * @return the row at the result set's current position, selected with {@link #select()}: each
     *         value read as the field's data type reads it ({@link SqlTypes}: the temporal types
     *         through {@code getObject(int, Class)}), without a jOOQ record in between
     */
    Row toRow(ResultSet rs) throws SQLException {
        Columns columns = view.columns();
        Object[] values = new Object[columns.size()];
        int plain = view.fields().size();
        for (int i = 0; i < plain; i++) {
            values[i] = read(rs, i + 1, columns.type(i));
        }
        for (int c = 0; c < constants.length; c++) {
            values[plain + c] = calcIndex[c] < 0 ? constants[c] : read(rs, calcIndex[c] + 1, columns.type(plain + c));
        }
        return Row.of(columns, values);
    }

    /**
     * A number column may hold what no decimal is (PostgreSQL's numeric NaN and ±Infinity): read as
     * an {@link Uncarriable} so that only its row is held back, not the whole read failed.
     */
    private static Object specialNumber(ResultSet rs, int index, SQLException failure) throws SQLException {
        String text;
        try {
            text = rs.getString(index);
        } catch (SQLException e) {
            failure.addSuppressed(e);
            throw failure;
        }
        if ("NaN".equals(text) || "Infinity".equals(text) || "-Infinity".equals(text)) {
            return Uncarriable.specialNumber(text);
        }
        throw failure;
    }

    private Object read(ResultSet rs, int index, ValueType type) throws SQLException {
        switch (type) {
            case UUID:
                return rs.getObject(index, java.util.UUID.class);
            case ENUM:
            case JSON:
            case ARRAY:
            case OTHER:
                return rs.getString(index);
            case INTERVAL:
                return mapping.dialect().columnTypes().interval(rs, index);
            case BYTES:
                return rs.getBytes(index);
            case FLOAT: {
                // as text: the database's shortest exact form, so a real's 0.1 stays 0.1 (not 0.10000000149011612)
                String text = rs.getString(index);
                return text == null ? null : Double.valueOf(text);
            }
            case TIME:
                return rs.getObject(index, java.time.LocalTime.class);
            case TIME_TZ:
                return rs.getObject(index, java.time.OffsetTime.class);
            case TEXT:
                return rs.getString(index);
            case NUMBER:
                try {
                    return rs.getBigDecimal(index);
                } catch (SQLException e) {
                    return specialNumber(rs, index, e);
                }
            case BOOLEAN: {
                boolean b = rs.getBoolean(index);
                return rs.wasNull() ? null : b;
            }
            case TIMESTAMP:
                return rs.getObject(index, LocalDateTime.class);
            case TIMESTAMP_TZ:
                return rs.getObject(index, OffsetDateTime.class);
            case DATE:
                return rs.getObject(index, LocalDate.class);
            default:
                throw new IllegalStateException("unhandled value type " + type);
        }
    }
}
