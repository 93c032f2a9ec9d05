package io.viewpush.jdbc;

import io.viewpush.expression.Expression;
import io.viewpush.expression.Expressions;
import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import org.jooq.Condition;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

/**
 * Translates checked, inlined expressions into jOOQ conditions and fields with exactly the
 * language's two-valued semantics: empty (NULL) sorts before every value, {@code empty = empty} is
 * true, every comparison is true or false (never NULL, so {@code not} works), an empty boolean
 * counts as false, text is ordered by Unicode code point, {@code contains} / {@code starts with}
 * are case-sensitive with LIKE wildcards escaped.
 *
 * <p>Values never become SQL text: a sub-expression without field references is evaluated by the
 * domain's own evaluator and bound as a value; literals compared with columns are bound values.
 */
final class SqlTranslator {
    /** Times of day as both databases read them (H2 needs the seconds). */
    private static final java.time.format.DateTimeFormatter TIME_TEXT =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSSSS");
    private static final java.time.format.DateTimeFormatter TIME_TZ_TEXT =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSSSSxxx");
    private final Dialect dialect;
    private final Function<String, Field<?>> fields;
    private final Function<String, ValueType> types;
    private final Snapshot snapshot;

    /**
     * @param fields   the SQL value of each plain field
     * @param types    the type of each plain field
     * @param snapshot what {@code now()} stands for
     */
    SqlTranslator(Dialect dialect, Function<String, Field<?>> fields, Function<String, ValueType> types,
                  Snapshot snapshot) {
        this.dialect = dialect;
        this.fields = fields;
        this.types = types;
        this.snapshot = snapshot;
    }

    /** @return a condition that is TRUE exactly when the boolean expression is true, never NULL */
    Condition condition(Expression e) {
        if (isConstant(e)) {
            return Boolean.TRUE.equals(constant(e)) ? DSL.trueCondition() : DSL.falseCondition();
        }
        if (e instanceof Expression.FieldRef) {
            requireType(e, ValueType.BOOLEAN);
            @SuppressWarnings("unchecked")
            Field<Boolean> f = (Field<Boolean>) value(e);
            return f.isNotDistinctFrom(DSL.inline(true));
        }
        if (e instanceof Expression.Comparison) {
            return comparison((Expression.Comparison) e);
        }
        if (e instanceof Expression.IsEmpty) {
            Expression.IsEmpty is = (Expression.IsEmpty) e;
            Field<?> v = value(is.operand());
            return is.negated() ? v.isNotNull() : v.isNull();
        }
        if (e instanceof Expression.TextMatch) {
            return textMatch((Expression.TextMatch) e);
        }
        if (e instanceof Expression.And) {
            return condition(((Expression.And) e).left()).and(condition(((Expression.And) e).right()));
        }
        if (e instanceof Expression.Or) {
            return condition(((Expression.Or) e).left()).or(condition(((Expression.Or) e).right()));
        }
        if (e instanceof Expression.Not) {
            return DSL.not(condition(((Expression.Not) e).operand()));
        }
        throw new IllegalStateException("not a boolean expression: " + e);
    }

    /** @return the expression's value; NULL only for an empty field */
    Field<?> value(Expression e) {
        if (isConstant(e)) {
            return bind(constant(e), typeOf(e));
        }
        if (e instanceof Expression.FieldRef) {
            return fields.apply(((Expression.FieldRef) e).name());
        }
        return DSL.field(condition(e));
    }

    /** @return whether the expression references no field, so it can be evaluated once, in Java */
    static boolean isConstant(Expression e) {
        if (e instanceof Expression.FieldRef) {
            return false;
        }
        if (e instanceof Expression.Literal || e instanceof Expression.Now) {
            return true;
        }
        if (e instanceof Expression.Comparison) {
            return isConstant(((Expression.Comparison) e).left()) && isConstant(((Expression.Comparison) e).right());
        }
        if (e instanceof Expression.IsEmpty) {
            return isConstant(((Expression.IsEmpty) e).operand());
        }
        if (e instanceof Expression.TextMatch) {
            return isConstant(((Expression.TextMatch) e).left()) && isConstant(((Expression.TextMatch) e).right());
        }
        if (e instanceof Expression.And) {
            return isConstant(((Expression.And) e).left()) && isConstant(((Expression.And) e).right());
        }
        if (e instanceof Expression.Or) {
            return isConstant(((Expression.Or) e).left()) && isConstant(((Expression.Or) e).right());
        }
        if (e instanceof Expression.Not) {
            return isConstant(((Expression.Not) e).operand());
        }
        throw new IllegalStateException("unknown expression " + e);
    }

    /** @return the value of an expression without field references, as the domain evaluates it */
    Object constant(Expression e) {
        if (e instanceof Expression.Literal) {
            return ((Expression.Literal) e).value();
        }
        if (e instanceof Expression.Now) {
            return now(((Expression.Now) e).type());
        }
        return Expressions.evaluate(e, name -> {
            throw new IllegalStateException("a constant expression references {" + name + "}");
        }, snapshot);
    }

    /** @return the snapshot's time as a value of {@code type}, converted in the snapshot's zone */
    private Object now(ValueType type) {
        switch (type) {
            case TIMESTAMP_TZ:
                return OffsetDateTime.ofInstant(snapshot.now(), snapshot.zone());
            case TIMESTAMP:
                return LocalDateTime.ofInstant(snapshot.now(), snapshot.zone());
            case DATE:
                return LocalDate.ofInstant(snapshot.now(), snapshot.zone());
            default:
                throw new IllegalStateException("now() cannot be a " + type.label());
        }
    }

    ValueType typeOf(Expression e) {
        if (e instanceof Expression.FieldRef) {
            return types.apply(((Expression.FieldRef) e).name());
        }
        if (e instanceof Expression.Literal) {
            return ((Expression.Literal) e).type();
        }
        if (e instanceof Expression.Now) {
            return ((Expression.Now) e).type();
        }
        return ValueType.BOOLEAN;
    }

    /** Only field references can be empty: literals and now() never are, boolean operators never are. */
    private static boolean nullable(Expression e) {
        return e instanceof Expression.FieldRef;
    }

    private void requireType(Expression e, ValueType expected) {
        ValueType t = typeOf(e);
        if (t != expected) {
            throw new IllegalStateException("expected a " + expected.label() + " expression, got a " + t.label() + ": " + e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Field<?> bind(Object value, ValueType type) {
        if (type.isTimeOfDay()) {
            // as ISO text cast to the type: jOOQ binds a LocalTime / OffsetTime through java.sql.Time, without fractions
            String sqlType = "time(" + dialect.maxFractionDigits() + ")" + (type == ValueType.TIME ? "" : " with time zone");
            return DSL.field("cast({0} as " + sqlType + ")", (DataType) SqlTypes.of(type),
                    DSL.val((type == ValueType.TIME ? TIME_TEXT : TIME_TZ_TEXT).format((java.time.temporal.TemporalAccessor) value),
                            org.jooq.impl.SQLDataType.VARCHAR));
        }
        return DSL.val(value, (DataType) SqlTypes.of(type));
    }

    private Condition comparison(Expression.Comparison c) {
        Expression left = c.left();
        Expression right = c.right();
        Expression.Operator op = c.operator();
        if (isConstant(left)) { // keep the constant on the right
            Expression t = left;
            left = right;
            right = t;
            op = mirror(op);
        }
        ValueType type = typeOf(left);
        Field<?> a = value(left);
        if (!isConstant(right)) {
            return compare(op, a, nullable(left), value(right), nullable(right), type);
        }
        Object v = constant(right);
        if (dialect.maxFractionDigits() < 9 && hasNanosBeyond(v, dialect.maxFractionDigits())) {
            // The database cannot hold this instant exactly; every column value is a whole number of
            // microseconds, so compare with the microsecond just before it instead.
            v = truncateToMicros(v);
            switch (op) {
                case EQ:
                    return DSL.falseCondition();
                case NE:
                    return DSL.trueCondition();
                case LT:
                case LE:
                    op = Expression.Operator.LE;
                    break;
                default:
                    op = Expression.Operator.GT;
                    break;
            }
        }
        return compare(op, a, nullable(left), bind(v, type), false, type);
    }

    /**
     * {@code a op b} with empty first, never NULL.
     *
     * @param aNullable whether {@code a} may be NULL (a field); false for constants and conditions
     */
    Condition compare(Expression.Operator op, Field<?> a, boolean aNullable, Field<?> b, boolean bNullable,
                      ValueType type) {
        if (type == ValueType.FLOAT) {
            // compared as double precision, from the text the view reads (a real's 0.1 is 0.1, as in the row)
            a = aNullable ? asDouble(a) : a;
            b = bNullable ? asDouble(b) : b;
        } else if (type == ValueType.TIME_TZ) {
            a = dialect.timeWithTimeZoneOrder(a);
            b = dialect.timeWithTimeZoneOrder(b);
        }
        switch (op) {
            case EQ:
                return aNullable || bNullable ? eq(a, b, true) : eq(a, b, false);
            case NE:
                return DSL.not(aNullable || bNullable ? eq(a, b, true) : eq(a, b, false));
            case LT:
                return less(a, aNullable, b, bNullable, type, false);
            case LE:
                return less(a, aNullable, b, bNullable, type, true);
            case GT:
                return less(b, bNullable, a, aNullable, type, false);
            case GE:
                return less(b, bNullable, a, aNullable, type, true);
            default:
                throw new IllegalStateException("unknown operator " + op);
        }
    }

    private static Field<Double> asDouble(Field<?> value) {
        return value.cast(org.jooq.impl.SQLDataType.VARCHAR).cast(org.jooq.impl.SQLDataType.DOUBLE);
    }

    @SuppressWarnings("unchecked")
    private static Condition eq(Field<?> a, Field<?> b, boolean nullSafe) {
        Field<Object> x = (Field<Object>) a;
        Field<Object> y = (Field<Object>) b;
        return nullSafe ? x.isNotDistinctFrom(y) : x.eq(y);
    }

    /** {@code a < b} (or {@code <=}) where empty is less than every value. */
    @SuppressWarnings("unchecked")
    private Condition less(Field<?> a, boolean aNullable, Field<?> b, boolean bNullable, ValueType type, boolean orEqual) {
        Field<Object> x = (Field<Object>) (type == ValueType.TEXT ? dialect.codePointOrder((Field<String>) a) : a);
        Field<Object> y = (Field<Object>) (type == ValueType.TEXT ? dialect.codePointOrder((Field<String>) b) : b);
        Condition plain = orEqual ? x.le(y) : x.lt(y);
        if (orEqual) {
            // a IS NULL OR (b IS NOT NULL AND a <= b)
            Condition both = bNullable ? b.isNotNull().and(plain) : plain;
            return aNullable ? a.isNull().or(both) : both;
        }
        // (a IS NULL AND b IS NOT NULL) OR (b IS NOT NULL AND a < b)
        if (!bNullable) {
            return aNullable ? a.isNull().or(plain) : plain;
        }
        Condition lessOrEmpty = b.isNotNull().and(plain);
        return aNullable ? a.isNull().and(b.isNotNull()).or(lessOrEmpty) : lessOrEmpty;
    }

    @SuppressWarnings("unchecked")
    private Condition textMatch(Expression.TextMatch m) {
        Field<String> a = (Field<String>) value(m.left());
        Field<String> b = (Field<String>) value(m.right());
        Condition like = m.operator() == Expression.TextOperator.CONTAINS ? a.contains(b) : a.startsWith(b);
        if (nullable(m.right())) {
            like = b.isNotNull().and(like);
        }
        if (nullable(m.left())) {
            like = a.isNotNull().and(like);
        }
        return like;
    }

    private static Expression.Operator mirror(Expression.Operator op) {
        switch (op) {
            case LT:
                return Expression.Operator.GT;
            case LE:
                return Expression.Operator.GE;
            case GT:
                return Expression.Operator.LT;
            case GE:
                return Expression.Operator.LE;
            default:
                return op;
        }
    }

    private static boolean hasNanosBeyond(Object v, int digits) {
        long unit = 1;
        for (int i = digits; i < 9; i++) {
            unit *= 10;
        }
        if (v instanceof LocalDateTime) {
            return ((LocalDateTime) v).getNano() % unit != 0;
        }
        if (v instanceof OffsetDateTime) {
            return ((OffsetDateTime) v).getNano() % unit != 0;
        }
        if (v instanceof java.time.LocalTime) {
            return ((java.time.LocalTime) v).getNano() % unit != 0;
        }
        if (v instanceof java.time.OffsetTime) {
            return ((java.time.OffsetTime) v).getNano() % unit != 0;
        }
        return false;
    }

    private static Object truncateToMicros(Object v) {
        if (v instanceof LocalDateTime) {
            return ((LocalDateTime) v).truncatedTo(ChronoUnit.MICROS);
        }
        if (v instanceof java.time.LocalTime) {
            return ((java.time.LocalTime) v).truncatedTo(ChronoUnit.MICROS);
        }
        if (v instanceof java.time.OffsetTime) {
            return ((java.time.OffsetTime) v).truncatedTo(ChronoUnit.MICROS);
        }
        return ((OffsetDateTime) v).truncatedTo(ChronoUnit.MICROS);
    }
}
