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
        if (e instanceof Expression.FieldRef || e instanceof Expression.Call) {
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
        if (e instanceof Expression.Arithmetic) {
            return arithmetic((Expression.Arithmetic) e);
        }
        if (e instanceof Expression.Negate) {
            return ValueFunctions.sql("(-{0})", SqlTypes.NUMBER, operand(((Expression.Negate) e).operand()));
        }
        if (e instanceof Expression.Call) {
            return call((Expression.Call) e);
        }
        return DSL.field(condition(e));
    }

    /** The value of an operand of a value operator or function: constants bound with their type stated. */
    private Field<?> operand(Expression e) {
        if (isConstant(e)) {
            ValueType t = typeOf(e);
            return functions().typed(bind(constant(e), t), t);
        }
        return value(e);
    }

    private ValueFunctions functions() {
        return dialect.valueFunctions();
    }

    private Field<?> arithmetic(Expression.Arithmetic a) {
        Field<?> l = operand(a.left());
        Field<?> r = operand(a.right());
        switch (a.operator()) {
            case CONCATENATE:
                return ValueFunctions.sql("({0} || {1})", SqlTypes.TEXT, l, r);
            case ADD:
                return ValueFunctions.sql("({0} + {1})", SqlTypes.NUMBER, l, r);
            case SUBTRACT:
                return ValueFunctions.sql("({0} - {1})", SqlTypes.NUMBER, l, r);
            case MULTIPLY:
                return ValueFunctions.sql("({0} * {1})", SqlTypes.NUMBER, l, r);
            default:
                return divide(l, r);
        }
    }

    /**
     * {@code a / b} exactly as the evaluator rounds it (6 places, halves away from zero), in
     * integer arithmetic that both databases compute exactly: with {@code n = 2|a|·10⁶ + |b|} and
     * {@code d = 2|b|}, {@code round(|a/b|·10⁶) = (n - mod(n, d)) / d}; the sign is put back and
     * the result scaled by 10⁻⁶. Empty when {@code b} is zero.
     */
    private static Field<?> divide(Field<?> a, Field<?> b) {
        String q = "((abs({0}) * 2000000 + abs({1}) - mod(abs({0}) * 2000000 + abs({1}), abs({1}) * 2)) / (abs({1}) * 2))";
        return ValueFunctions.sql("(case when {1} = 0 then null when ({0} < 0) = ({1} < 0) then cast(" + q
                + " * 0.000001 as numeric(1000, 6)) else cast(-" + q + " * 0.000001 as numeric(1000, 6)) end)",
                SqlTypes.NUMBER, a, b);
    }

    private static final String LOWER_ASCII = "abcdefghijklmnopqrstuvwxyz";
    private static final String UPPER_ASCII = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private Field<?> call(Expression.Call c) {
        java.util.List<Expression> args = c.arguments();
        switch (c.function()) {
            case UPPER:
                return ValueFunctions.sql("translate({0}, '" + LOWER_ASCII + "', '" + UPPER_ASCII + "')", SqlTypes.TEXT,
                        operand(args.get(0)));
            case LOWER:
                return ValueFunctions.sql("translate({0}, '" + UPPER_ASCII + "', '" + LOWER_ASCII + "')", SqlTypes.TEXT,
                        operand(args.get(0)));
            case TRIM:
                return ValueFunctions.sql("trim(both ' ' from {0})", SqlTypes.TEXT, operand(args.get(0)));
            case LENGTH:
                return functions().length(operand(args.get(0)));
            case SUBSTRING:
                return functions().substring(operand(args.get(0)), whole(args.get(1)),
                        args.size() > 2 ? whole(args.get(2)) : null);
            case REPLACE:
                return ValueFunctions.sql("(case when {2} is null then null when {1} = '' then {0}"
                                + " else replace({0}, {1}, {2}) end)", SqlTypes.TEXT,
                        operand(args.get(0)), operand(args.get(1)), operand(args.get(2)));
            case CONCAT: {
                StringBuilder t = new StringBuilder("(");
                Object[] parts = new Object[args.size()];
                for (int i = 0; i < parts.length; i++) {
                    t.append(i == 0 ? "" : " || ").append("coalesce({").append(i).append("}, '')");
                    parts[i] = operand(args.get(i));
                }
                return ValueFunctions.sql(t.append(')').toString(), SqlTypes.TEXT, parts);
            }
            case ADD_DAYS:
                return move(args, ChronoUnit.DAYS);
            case ADD_HOURS:
                return move(args, ChronoUnit.HOURS);
            case ADD_MINUTES:
                return move(args, ChronoUnit.MINUTES);
            case DAYS_BETWEEN:
                return functions().daysBetween(operand(args.get(0)), operand(args.get(1)));
            case YEAR:
            case MONTH:
            case DAY:
                return ValueFunctions.sql("cast(extract(" + c.function().functionName() + " from {0}) as numeric)",
                        SqlTypes.NUMBER, localOperand(args.get(0)));
            case WEEKDAY:
                return functions().weekday(localOperand(args.get(0)));
            case START_OF_DAY:
                return ValueFunctions.sql("cast(cast({0} as date) as timestamp(6))", SqlTypes.TIMESTAMP,
                        localOperand(args.get(0)));
            case START_OF_MONTH:
                return functions().startOfMonth(localOperand(args.get(0)),
                        typeOf(args.get(0)) == ValueType.DATE ? ValueType.DATE : ValueType.TIMESTAMP);
            case DATE:
                return ValueFunctions.sql("cast({0} as date)", SqlTypes.DATE, localOperand(args.get(0)));
            case IF:
                return ValueFunctions.sql("(case when {0} then {1} else {2} end)", SqlTypes.of(typeOf(c)),
                        condition(args.get(0)), operand(args.get(1)), operand(args.get(2)));
            case COALESCE: {
                StringBuilder t = new StringBuilder("coalesce(");
                Object[] parts = new Object[args.size()];
                for (int i = 0; i < parts.length; i++) {
                    t.append(i == 0 ? "" : ", ").append('{').append(i).append('}');
                    parts[i] = operand(args.get(i));
                }
                return ValueFunctions.sql(t.append(')').toString(), SqlTypes.of(typeOf(c)), parts);
            }
            case GREATEST:
            case LEAST:
                return extreme(c);
            case ROUND: {
                int digits = args.size() > 1 ? whole(args.get(1)) : 0;
                return ValueFunctions.sql("cast(round({0}, " + digits + ") as numeric(1000, " + digits + "))",
                        SqlTypes.NUMBER, operand(args.get(0)));
            }
            case TEXT:
                return typeOf(args.get(0)) == ValueType.DATE ? functions().dateText(operand(args.get(0)))
                        : ValueFunctions.sql("cast({0} as varchar)", SqlTypes.TEXT, operand(args.get(0)));
            case NUMBER: {
                Field<?> text = operand(args.get(0));
                return ValueFunctions.sql("(case when {0} then cast(trim(both ' ' from {1}) as numeric" + numberScale()
                        + ") end)", SqlTypes.NUMBER, functions().isDecimal(text), text);
            }
            default: // today(): constant
                throw new IllegalStateException("not translated: " + c.function());
        }
    }

    /**
     * The argument of a date part or truncation: a timestamp with time zone as its local time in the
     * snapshot's zone, as the evaluator reads it (io.viewpush.expression.Functions).
     */
    private Field<?> localOperand(Expression e) {
        Field<?> f = operand(e);
        return typeOf(e) == ValueType.TIMESTAMP_TZ ? functions().localTime(f, snapshot.zone()) : f;
    }

    /** {@code add_days/hours/minutes}: empty beyond the language's largest count, as the evaluator. */
    private Field<?> move(java.util.List<Expression> args, ChronoUnit unit) {
        ValueType type = typeOf(args.get(0));
        Field<?> n = operand(args.get(1));
        long max = unit == ChronoUnit.MINUTES ? MAX_DAYS * 1440 : unit == ChronoUnit.HOURS ? MAX_DAYS * 24 : MAX_DAYS;
        return ValueFunctions.sql("(case when abs(trunc({1})) <= " + max + " then {0} end)", SqlTypes.of(type),
                functions().add(operand(args.get(0)), n, unit, type), n);
    }

    /** The most days {@code add_days} moves by: the evaluator's limit (io.viewpush.expression.Functions). */
    private static final long MAX_DAYS = 100_000;

    /** H2's numeric without a scale has none: the text's decimals are kept up to 18 places. */
    private String numberScale() {
        return functions() == ValueFunctions.H2 ? "(1000, 18)" : "";
    }

    /**
     * {@code greatest} / {@code least}: folded left to right, a later argument replacing the best so
     * far only when it is not empty and strictly greater (smaller), as the evaluator does.
     */
    private Field<?> extreme(Expression.Call c) {
        ValueType type = typeOf(c);
        boolean greatest = c.function() == Expression.Function.GREATEST;
        Field<?> best = operand(c.arguments().get(0));
        for (int i = 1; i < c.arguments().size(); i++) {
            Field<?> next = operand(c.arguments().get(i));
            Condition better = next.isNotNull().and(best.isNull().or(greatest
                    ? compare(Expression.Operator.GT, next, false, best, false, type)
                    : compare(Expression.Operator.LT, next, false, best, false, type)));
            best = ValueFunctions.sql("(case when {0} then {1} else {2} end)", SqlTypes.of(type), better, next, best);
        }
        return best;
    }

    /** A whole-number literal argument (the type checker admits only those). */
    private int whole(Expression e) {
        return ((java.math.BigDecimal) constant(e)).intValueExact();
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
        if (e instanceof Expression.Arithmetic || e instanceof Expression.Negate || e instanceof Expression.Call) {
            for (Expression child : Expressions.children(e)) {
                if (!isConstant(child)) {
                    return false;
                }
            }
            return true;
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
        return Expressions.typeOf(e, types);
    }

    /**
     * Whether the expression's SQL may be NULL: fields and computed values may be; literals, now()
     * and the boolean operators never are (constants are bound, see {@link #comparison}).
     */
    private static boolean nullable(Expression e) {
        return e instanceof Expression.FieldRef || e instanceof Expression.Arithmetic || e instanceof Expression.Negate
                || e instanceof Expression.Call;
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
        if (v == null) { // a constant computed value that is empty, such as 1 / 0
            return compare(op, a, nullable(left), functions().typed(bind(null, type), type), true, type);
        }
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
