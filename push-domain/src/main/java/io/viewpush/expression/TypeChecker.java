package io.viewpush.expression;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Type checker of the expression language. Comparisons need operands of one type, with two
 * coercions: {@code now()} takes the date/time type of the other side, and a text literal compared
 * with a date/time side is read as ISO-8601 in that type.
 */
final class TypeChecker {
    private static final int DESCRIBE_MAX = 40;

    private static final DateTimeFormatter LOCAL_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd().optionalEnd()
            .toFormatter().withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    private static final DateTimeFormatter OFFSET_DATE_TIME = new DateTimeFormatterBuilder()
            .append(LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter().withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE
            .withResolverStyle(ResolverStyle.STRICT);

    private final String source;
    private final Map<String, ValueType> fieldTypes;
    private final Map<String, List<String>> enumLabels;

    private TypeChecker(String source, Map<String, ValueType> fieldTypes, Map<String, List<String>> enumLabels) {
        this.source = source;
        this.fieldTypes = fieldTypes;
        this.enumLabels = enumLabels;
    }

    static Expression check(String source, Expression expression, Map<String, ValueType> fieldTypes) {
        return check(source, expression, fieldTypes, Map.of());
    }

    static Expression check(String source, Expression expression, Map<String, ValueType> fieldTypes,
                            Map<String, List<String>> enumLabels) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(fieldTypes, "fieldTypes");
        Objects.requireNonNull(enumLabels, "enumLabels");
        return new TypeChecker(source == null ? Trees.format(expression) : source, fieldTypes, enumLabels)
                .visit(expression).expression;
    }

    static ValueType typeOf(Expression expression, Map<String, ValueType> fieldTypes) {
        return typeOf(expression, (java.util.function.Function<String, ValueType>) fieldTypes::get);
    }

    static ValueType typeOf(Expression expression, java.util.function.Function<String, ValueType> fieldTypes) {
        if (expression instanceof Expression.FieldRef) {
            String name = ((Expression.FieldRef) expression).name();
            ValueType t = fieldTypes.apply(name);
            if (t == null) {
                throw new IllegalArgumentException("no type is known for the field {" + name + "}");
            }
            return t;
        }
        if (expression instanceof Expression.Literal) {
            return ((Expression.Literal) expression).type();
        }
        if (expression instanceof Expression.Now) {
            return ((Expression.Now) expression).type();
        }
        if (expression instanceof Expression.Arithmetic) {
            return ((Expression.Arithmetic) expression).operator() == Expression.ArithmeticOperator.CONCATENATE
                    ? ValueType.TEXT : ValueType.NUMBER;
        }
        if (expression instanceof Expression.Negate) {
            return ValueType.NUMBER;
        }
        if (expression instanceof Expression.Call) {
            Expression.Call c = (Expression.Call) expression;
            switch (c.function()) {
                case TODAY:
                case DATE:
                    return ValueType.DATE;
                case UPPER:
                case LOWER:
                case TRIM:
                case SUBSTRING:
                case REPLACE:
                case CONCAT:
                case TEXT:
                    return ValueType.TEXT;
                case LENGTH:
                case DAYS_BETWEEN:
                case YEAR:
                case MONTH:
                case DAY:
                case WEEKDAY:
                case ROUND:
                case NUMBER:
                    return ValueType.NUMBER;
                case IF:
                    return typeOf(c.arguments().get(1), fieldTypes);
                case START_OF_DAY:
                    return ValueType.TIMESTAMP;
                case START_OF_MONTH: // a date stays a date; a timestamp, with or without zone, gives one without
                    return typeOf(c.arguments().get(0), fieldTypes) == ValueType.DATE ? ValueType.DATE
                            : ValueType.TIMESTAMP;
                default: // add_*, coalesce, greatest, least: the type of the first argument
                    return typeOf(c.arguments().get(0), fieldTypes);
            }
        }
        return ValueType.BOOLEAN;
    }

    /** A checked subtree and its type. */
    private record Typed(Expression expression, ValueType type) {
    }

    private Typed visit(Expression e) {
        if (e instanceof Expression.FieldRef) {
            Expression.FieldRef f = (Expression.FieldRef) e;
            ValueType t = fieldTypes.get(f.name());
            if (t == null) {
                throw error(f.position(), "unknown field " + Trees.format(f) + " at " + f.position() + "; "
                        + knownFields());
            }
            return new Typed(f, t);
        }
        if (e instanceof Expression.Literal) {
            return new Typed(e, ((Expression.Literal) e).type());
        }
        if (e instanceof Expression.Now) {
            return new Typed(new Expression.Now(ValueType.TIMESTAMP_TZ, e.position()), ValueType.TIMESTAMP_TZ);
        }
        if (e instanceof Expression.Comparison) {
            return comparison((Expression.Comparison) e);
        }
        if (e instanceof Expression.IsEmpty) {
            Expression.IsEmpty i = (Expression.IsEmpty) e;
            Typed operand = visit(i.operand());
            return bool(new Expression.IsEmpty(operand.expression, i.negated(), i.position()));
        }
        if (e instanceof Expression.TextMatch) {
            Expression.TextMatch m = (Expression.TextMatch) e;
            Typed left = visit(m.left());
            Typed right = visit(m.right());
            requireType(left, ValueType.TEXT, "'" + m.operator().keyword() + "' needs text on both sides");
            requireType(right, ValueType.TEXT, "'" + m.operator().keyword() + "' needs text on both sides");
            return bool(new Expression.TextMatch(m.operator(), left.expression, right.expression, m.position()));
        }
        if (e instanceof Expression.And) {
            Expression.And a = (Expression.And) e;
            Typed left = logicOperand(a.left(), "'and' needs true or false on both sides");
            Typed right = logicOperand(a.right(), "'and' needs true or false on both sides");
            return bool(new Expression.And(left.expression, right.expression, a.position()));
        }
        if (e instanceof Expression.Or) {
            Expression.Or o = (Expression.Or) e;
            Typed left = logicOperand(o.left(), "'or' needs true or false on both sides");
            Typed right = logicOperand(o.right(), "'or' needs true or false on both sides");
            return bool(new Expression.Or(left.expression, right.expression, o.position()));
        }
        if (e instanceof Expression.Arithmetic) {
            return arithmetic((Expression.Arithmetic) e);
        }
        if (e instanceof Expression.Negate) {
            Expression.Negate n = (Expression.Negate) e;
            Typed operand = visit(n.operand());
            requireType(operand, ValueType.NUMBER, "'-' at " + n.position() + " needs a number");
            return new Typed(new Expression.Negate(operand.expression, n.position()), ValueType.NUMBER);
        }
        if (e instanceof Expression.Call) {
            return call((Expression.Call) e);
        }
        Expression.Not n = (Expression.Not) e;
        Typed operand = logicOperand(n.operand(), "'not' needs true or false");
        return bool(new Expression.Not(operand.expression, n.position()));
    }

    private Typed comparison(Expression.Comparison c) {
        Typed left = visit(c.left());
        Typed right = visit(c.right());
        boolean leftNow = left.expression instanceof Expression.Now;
        boolean rightNow = right.expression instanceof Expression.Now;
        if (leftNow && !rightNow) {
            left = nowAgainst(left, right, c);
        } else if (rightNow && !leftNow) {
            right = nowAgainst(right, left, c);
        }
        if (isTextLiteral(left) && right.type.isTemporal()) {
            left = temporalLiteral((Expression.Literal) left.expression, right.type);
        } else if (isTextLiteral(right) && left.type.isTemporal()) {
            right = temporalLiteral((Expression.Literal) right.expression, left.type);
        }
        if (left.type != right.type) {
            Typed l = followsNow(left, right.type);
            Typed r = followsNow(right, left.type);
            if (l != null) {
                left = l;
            } else if (r != null) {
                right = r;
            }
        }
        if (isTextLiteral(left) && readsTextLiterals(right.type)) {
            left = textLiteralAs((Expression.Literal) left.expression, right);
        } else if (isTextLiteral(right) && readsTextLiterals(left.type)) {
            right = textLiteralAs((Expression.Literal) right.expression, left);
        }
        if (isNumberLiteral(left) && right.type == ValueType.FLOAT) {
            left = floatLiteral((Expression.Literal) left.expression);
        } else if (isNumberLiteral(right) && left.type == ValueType.FLOAT) {
            right = floatLiteral((Expression.Literal) right.expression);
        }
        for (Typed side : List.of(left, right)) {
            if (!side.type.hasEquality()) {
                throw error(c.position(), "cannot compare " + describe(left.expression) + " with "
                        + describe(right.expression) + " at " + c.position() + ": " + describe(side.expression) + " is "
                        + withArticle(side.type) + ", which has no order and no equality in expressions;"
                        + " test it with 'is empty' or 'is not empty'");
            }
        }
        if (left.type != right.type) {
            throw error(c.position(), "cannot compare " + describe(left.expression) + " (" + left.type.label()
                    + ") with " + describe(right.expression) + " (" + right.type.label() + ") at " + c.position());
        }
        ValueType t = left.type;
        boolean ordering = c.operator() != Expression.Operator.EQ && c.operator() != Expression.Operator.NE;
        if (t == ValueType.ENUM) {
            return enumComparison(c, left, right, ordering);
        }
        if (ordering && !t.isOrdered()) {
            throw error(c.position(), "cannot use '" + c.operator().symbol() + "' on " + describe(left.expression)
                    + " at " + c.position() + ": " + withArticle(t) + " has no order; use = or !=");
        }
        return bool(new Expression.Comparison(c.operator(), left.expression, right.expression, c.position()));
    }

    private Typed arithmetic(Expression.Arithmetic a) {
        Typed left = visit(a.left());
        Typed right = visit(a.right());
        String op = "'" + a.operator().symbol() + "' at " + a.position();
        if (a.operator() == Expression.ArithmeticOperator.CONCATENATE) {
            requireType(left, ValueType.TEXT, op + " puts text together and needs text on both sides");
            requireType(right, ValueType.TEXT, op + " puts text together and needs text on both sides");
            return new Typed(new Expression.Arithmetic(a.operator(), left.expression, right.expression, a.position()),
                    ValueType.TEXT);
        }
        for (Typed side : List.of(left, right)) {
            if (side.type.isTemporal() && (a.operator() == Expression.ArithmeticOperator.ADD
                    || a.operator() == Expression.ArithmeticOperator.SUBTRACT)) {
                int at = side.expression.position();
                throw error(at, op + " needs numbers on both sides, but " + describe(side.expression) + " at " + at
                        + " is " + withArticle(side.type) + "; move a date or time with add_days(x, n), add_hours(x, n)"
                        + " or add_minutes(x, n) and count days between dates with days_between(a, b)");
            }
            if (side.type == ValueType.TEXT && a.operator() == Expression.ArithmeticOperator.ADD) {
                int at = side.expression.position();
                throw error(at, op + " needs numbers on both sides, but " + describe(side.expression) + " at " + at
                        + " is text; text is put together with '||' or concat(a, b, ...)");
            }
            requireType(side, ValueType.NUMBER, op + " needs numbers on both sides");
        }
        return new Typed(new Expression.Arithmetic(a.operator(), left.expression, right.expression, a.position()),
                ValueType.NUMBER);
    }

    private Typed call(Expression.Call c) {
        String fn = c.function().functionName() + "() at " + c.position();
        List<Expression> args = c.arguments();
        List<Typed> typed = new java.util.ArrayList<>();
        for (Expression a : args) {
            typed.add(visit(a));
        }
        ValueType result;
        switch (c.function()) {
            case TODAY:
                result = ValueType.DATE;
                break;
            case UPPER:
            case LOWER:
            case TRIM:
                requireType(typed.get(0), ValueType.TEXT, fn + " needs text");
                result = ValueType.TEXT;
                break;
            case LENGTH:
                requireType(typed.get(0), ValueType.TEXT, fn + " needs text");
                result = ValueType.NUMBER;
                break;
            case SUBSTRING:
                requireType(typed.get(0), ValueType.TEXT, fn + " needs text as its first argument");
                wholeLiteral(typed.get(1), 1, Integer.MAX_VALUE, fn + " needs the start (1 for the first character) as"
                        + " a whole number of at least 1");
                if (typed.size() > 2) {
                    wholeLiteral(typed.get(2), 0, Integer.MAX_VALUE, fn + " needs the count of characters as a whole"
                            + " number of at least 0");
                }
                result = ValueType.TEXT;
                break;
            case REPLACE:
            case CONCAT:
                for (Typed t : typed) {
                    requireType(t, ValueType.TEXT, fn + " needs text arguments");
                }
                result = ValueType.TEXT;
                break;
            case ADD_DAYS:
                typed.set(0, temporalArgument(typed.get(0), fn, true, true));
                requireType(typed.get(1), ValueType.NUMBER, fn + " needs a number of days as its second argument");
                result = typed.get(0).type;
                break;
            case ADD_HOURS:
            case ADD_MINUTES:
                typed.set(0, temporalArgument(typed.get(0), fn, false, true));
                requireType(typed.get(1), ValueType.NUMBER, fn + " needs a number as its second argument");
                result = typed.get(0).type;
                break;
            case DAYS_BETWEEN:
                for (int i = 0; i < 2; i++) {
                    Typed t = typed.get(i);
                    if (isTextLiteral(t)) {
                        t = temporalLiteral((Expression.Literal) t.expression, ValueType.DATE);
                    } else if (t.expression instanceof Expression.Now) {
                        t = new Typed(new Expression.Now(ValueType.DATE, t.expression.position()), ValueType.DATE);
                    }
                    requireType(t, ValueType.DATE, fn + " needs two dates (a timestamp becomes its date with date(x))");
                    typed.set(i, t);
                }
                result = ValueType.NUMBER;
                break;
            case YEAR:
            case MONTH:
            case DAY:
            case WEEKDAY:
                // a timestamp with time zone is read as its local time in the snapshot's (session's) zone
                typed.set(0, localArgument(typed.get(0), fn, true));
                result = ValueType.NUMBER;
                break;
            case START_OF_DAY:
                typed.set(0, localArgument(typed.get(0), fn, false));
                result = ValueType.TIMESTAMP;
                break;
            case START_OF_MONTH:
                typed.set(0, localArgument(typed.get(0), fn, true));
                result = typed.get(0).type == ValueType.DATE ? ValueType.DATE : ValueType.TIMESTAMP;
                break;
            case DATE:
                typed.set(0, localArgument(typed.get(0), fn, false));
                result = ValueType.DATE;
                break;
            case IF: {
                requireType(typed.get(0), ValueType.BOOLEAN, fn + " needs a condition (true or false) as its first"
                        + " argument");
                List<Typed> values = unify(typed.subList(1, 3), fn + " needs its second and third arguments to have one"
                        + " type");
                typed.set(1, values.get(0));
                typed.set(2, values.get(1));
                result = values.get(0).type;
                break;
            }
            case COALESCE:
            case GREATEST:
            case LEAST: {
                List<Typed> values = unify(typed, fn + " needs arguments of one type");
                typed = new java.util.ArrayList<>(values);
                result = values.get(0).type;
                if (c.function() != Expression.Function.COALESCE && !result.isOrdered()) {
                    Typed first = values.get(0);
                    throw error(first.expression.position(), fn + " compares its arguments, but "
                            + describe(first.expression) + " at " + first.expression.position() + " is "
                            + withArticle(result) + ", which has no order in expressions");
                }
                break;
            }
            case ROUND:
                requireType(typed.get(0), ValueType.NUMBER, fn + " needs a number as its first argument");
                if (typed.size() > 1) {
                    wholeLiteral(typed.get(1), 0, 18, fn + " needs the number of decimal places as a whole number"
                            + " from 0 to 18");
                }
                result = ValueType.NUMBER;
                break;
            case TEXT: {
                Typed t = typed.get(0);
                if (t.type != ValueType.NUMBER && t.type != ValueType.DATE) {
                    int at = t.expression.position();
                    throw error(at, fn + " turns a number or a date into text, but " + describe(t.expression) + " at "
                            + at + " is " + withArticle(t.type));
                }
                result = ValueType.TEXT;
                break;
            }
            case NUMBER:
                requireType(typed.get(0), ValueType.TEXT, fn + " reads a number from text");
                result = ValueType.NUMBER;
                break;
            default:
                throw new IllegalStateException("unknown function " + c.function());
        }
        List<Expression> checked = new java.util.ArrayList<>();
        for (Typed t : typed) {
            checked.add(t.expression);
        }
        return new Typed(new Expression.Call(c.function(), checked, c.position()), result);
    }

    /**
     * The argument of a date part or truncation: a date (where {@code dates}), a timestamp, or a
     * timestamp with time zone, which the function reads as its local time in the snapshot's zone
     * (the session's); {@code now()} becomes that local timestamp here already.
     */
    private Typed localArgument(Typed t, String fn, boolean dates) {
        if (t.expression instanceof Expression.Now) {
            return new Typed(new Expression.Now(ValueType.TIMESTAMP, t.expression.position()), ValueType.TIMESTAMP);
        }
        return temporalArgument(t, fn, dates, true);
    }

    /**
     * A date/time argument: {@code now()} becomes a local timestamp (converted in the snapshot's zone)
     * where a timestamp with time zone is not accepted.
     */
    private Typed temporalArgument(Typed t, String fn, boolean dates, boolean withZone) {
        if (t.expression instanceof Expression.Now && !withZone) {
            return new Typed(new Expression.Now(ValueType.TIMESTAMP, t.expression.position()), ValueType.TIMESTAMP);
        }
        boolean ok = t.type == ValueType.TIMESTAMP || (dates && t.type == ValueType.DATE)
                || (withZone && t.type == ValueType.TIMESTAMP_TZ);
        if (!ok) {
            int at = t.expression.position();
            String wanted = (dates ? "a date or " : "") + "a timestamp" + (withZone ? " (with or without time zone)"
                    : " without time zone");
            throw error(at, fn + " needs " + wanted + ", but " + describe(t.expression) + " at " + at + " is "
                    + withArticle(t.type));
        }
        return t;
    }

    /** A whole-number literal within bounds. */
    private void wholeLiteral(Typed t, int min, int max, String what) {
        Object v = t.expression instanceof Expression.Literal ? ((Expression.Literal) t.expression).value() : null;
        boolean ok = false;
        if (v instanceof java.math.BigDecimal) {
            java.math.BigDecimal n = (java.math.BigDecimal) v;
            ok = n.signum() == 0 || n.stripTrailingZeros().scale() <= 0;
            ok = ok && n.compareTo(java.math.BigDecimal.valueOf(min)) >= 0 && n.compareTo(java.math.BigDecimal.valueOf(max)) <= 0;
        }
        if (!ok) {
            int at = t.expression.position();
            String is;
            if (v instanceof java.math.BigDecimal) {
                is = "outside that range or not whole";
            } else if (t.type != ValueType.NUMBER) {
                is = withArticle(t.type);
            } else {
                is = (t.expression instanceof Expression.FieldRef ? "a field" : "computed") + ", not a number written out";
            }
            throw error(at, what + ", written as a number like 3, but " + describe(t.expression) + " at " + at
                    + " is " + is);
        }
    }

    /**
     * Arguments that must have one type: the first whose type is fixed (not {@code now()}, not a text
     * literal) decides; {@code now()} and date/time text literals take that type.
     */
    private List<Typed> unify(List<Typed> values, String what) {
        ValueType target = null;
        for (Typed t : values) {
            if (!(t.expression instanceof Expression.Now) && !isTextLiteral(t)) {
                target = t.type;
                break;
            }
        }
        if (target == null) {
            target = values.get(0).type;
        }
        List<Typed> out = new java.util.ArrayList<>();
        Typed first = null;
        for (Typed t : values) {
            if (t.expression instanceof Expression.Now && target.isTemporal()) {
                t = new Typed(new Expression.Now(target, t.expression.position()), target);
            } else if (isTextLiteral(t) && target.isTemporal()) {
                t = temporalLiteral((Expression.Literal) t.expression, target);
            } else if (isTextLiteral(t) && readsTextLiterals(target) && first != null) {
                t = textLiteralAs((Expression.Literal) t.expression, first);
            }
            if (t.type != target) {
                Typed f = first != null ? first : values.stream().filter(v -> !(v.expression instanceof Expression.Now)
                        && !isTextLiteral(v)).findFirst().orElse(values.get(0));
                int at = t.expression.position();
                throw error(at, what + ", but " + describe(t.expression) + " at " + at + " is " + withArticle(t.type)
                        + " and " + describe(f.expression) + " is " + withArticle(target));
            }
            if (first == null) {
                first = t;
            }
            out.add(t);
        }
        return out;
    }

    /**
     * {@code now()} moved by {@code add_days/add_hours/add_minutes} (nested any number of times),
     * taken in another date/time type, as a bare {@code now()} is: {@code {created} > add_hours(now(), -1)}
     * compares with the local time when {@code {created}} has no zone.
     *
     * @return the expression in {@code target}'s type, or null when it is not such an expression
     */
    private Typed followsNow(Typed t, ValueType target) {
        if (!target.isTemporal() || !(t.expression instanceof Expression.Call)) {
            return null;
        }
        Expression.Call c = (Expression.Call) t.expression;
        boolean moves = c.function() == Expression.Function.ADD_DAYS || c.function() == Expression.Function.ADD_HOURS
                || c.function() == Expression.Function.ADD_MINUTES;
        if (!moves || (target == ValueType.DATE && c.function() != Expression.Function.ADD_DAYS)) {
            return null;
        }
        Expression inner = c.arguments().get(0);
        Expression moved;
        if (inner instanceof Expression.Now) {
            moved = new Expression.Now(target, inner.position());
        } else {
            Typed followed = followsNow(new Typed(inner, t.type), target);
            if (followed == null) {
                return null;
            }
            moved = followed.expression;
        }
        return new Typed(new Expression.Call(c.function(), List.of(moved, c.arguments().get(1)), c.position()), target);
    }

    /** Types whose values a text literal may stand for: the literal is read as a value of the type. */
    private static boolean readsTextLiterals(ValueType t) {
        return t == ValueType.UUID || t == ValueType.ENUM || t == ValueType.OTHER || t.isTimeOfDay();
    }

    /** A number literal compared with a floating-point value: the nearest double, as a numeric cast to double precision is. */
    private Typed floatLiteral(Expression.Literal literal) {
        double d = ((java.math.BigDecimal) literal.value()).doubleValue();
        if (Double.isInfinite(d)) {
            throw error(literal.position(), describe(literal) + " at " + literal.position()
                    + " is beyond the range of a floating-point number (about 1.8E308)");
        }
        return new Typed(new Expression.Literal(d, ValueType.FLOAT, literal.position()), ValueType.FLOAT);
    }

    private static boolean isNumberLiteral(Typed t) {
        return t.expression instanceof Expression.Literal && t.type == ValueType.NUMBER;
    }

    /** A text literal compared with a time of day: ISO-8601, with an offset for a time with time zone. */
    private Typed timeLiteral(Expression.Literal literal, ValueType type) {
        String text = ((String) literal.value()).strip();
        try {
            Object value = type == ValueType.TIME
                    ? java.time.LocalTime.parse(text, DateTimeFormatter.ISO_LOCAL_TIME)
                    : java.time.OffsetTime.parse(text, DateTimeFormatter.ISO_OFFSET_TIME);
            return new Typed(new Expression.Literal(value, type, literal.position()), type);
        } catch (DateTimeParseException e) {
            throw error(literal.position(), describe(literal) + " at " + literal.position() + " is not a valid "
                    + type.label() + "; write " + (type == ValueType.TIME ? "a time like '10:15' or '10:15:30.5'"
                    : "a time with an offset like '10:15+02:00' or '10:15:30Z'"));
        }
    }

    /** A text literal compared with a UUID, an enum label or a value sent as text, read as a value of that type. */
    private Typed textLiteralAs(Expression.Literal literal, Typed other) {
        String text = (String) literal.value();
        switch (other.type) {
            case UUID:
                return new Typed(new Expression.Literal(parseUuid(text).orElseThrow(() -> error(literal.position(),
                        describe(literal) + " at " + literal.position() + " is not a uuid; write one like"
                                + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'")), ValueType.UUID, literal.position()),
                        ValueType.UUID);
            case ENUM: {
                List<String> labels = labelsOf(other.expression);
                if (labels != null && !labels.contains(text)) {
                    throw error(literal.position(), describe(literal) + " at " + literal.position()
                            + " is not a label of " + describe(other.expression) + "; its labels are "
                            + labelList(labels));
                }
                return new Typed(new Expression.Literal(text, ValueType.ENUM, literal.position()), ValueType.ENUM);
            }
            case TIME:
            case TIME_TZ:
                return timeLiteral(literal, other.type);
            default:
                return new Typed(new Expression.Literal(text, other.type, literal.position()), other.type);
        }
    }

    /**
     * {@code =} and {@code !=} compare labels; an order compares a field with a label in its type's
     * order, written as the labels it admits: {@code {rating} < 'PG'} is
     * {@code {rating} is empty or {rating} = 'G'} (empty sorts first), which SQL and the evaluator
     * both compute as they compute text.
     */
    private Typed enumComparison(Expression.Comparison c, Typed left, Typed right, boolean ordering) {
        List<String> leftLabels = labelsOf(left.expression);
        List<String> rightLabels = labelsOf(right.expression);
        if (leftLabels != null && rightLabels != null && !leftLabels.equals(rightLabels)) {
            throw error(c.position(), "cannot compare " + describe(left.expression) + " with "
                    + describe(right.expression) + " at " + c.position() + ": they are labels of different enum types ("
                    + labelList(leftLabels) + " and " + labelList(rightLabels) + ")");
        }
        if (!ordering) {
            return bool(new Expression.Comparison(c.operator(), left.expression, right.expression, c.position()));
        }
        Expression.Operator op = c.operator();
        Typed field = left;
        Typed label = right;
        if (left.expression instanceof Expression.Literal) {
            field = right;
            label = left;
            op = op == Expression.Operator.LT ? Expression.Operator.GT : op == Expression.Operator.LE
                    ? Expression.Operator.GE : op == Expression.Operator.GT ? Expression.Operator.LT : Expression.Operator.LE;
        }
        List<String> labels = labelsOf(field.expression);
        if (!(label.expression instanceof Expression.Literal) || labels == null) {
            throw error(c.position(), "cannot use '" + c.operator().symbol() + "' between " + describe(left.expression)
                    + " and " + describe(right.expression) + " at " + c.position()
                    + ": enum labels are ordered against a label written as text, such as {field} < 'label'");
        }
        int at = labels.indexOf((String) ((Expression.Literal) label.expression).value());
        int p = c.position();
        Expression result = null;
        if (op == Expression.Operator.LT || op == Expression.Operator.LE) {
            result = new Expression.IsEmpty(field.expression, false, p);
        }
        int count = 0;
        for (int i = 0; i < labels.size(); i++) {
            boolean admitted;
            switch (op) {
                case LT:
                    admitted = i < at;
                    break;
                case LE:
                    admitted = i <= at;
                    break;
                case GT:
                    admitted = i > at;
                    break;
                default:
                    admitted = i >= at;
                    break;
            }
            if (admitted) {
                count++;
                Expression eq = new Expression.Comparison(Expression.Operator.EQ, field.expression,
                        new Expression.Literal(labels.get(i), ValueType.ENUM, label.expression.position()), p);
                result = result == null ? eq : new Expression.Or(result, eq, p);
            }
        }
        if (count == labels.size()) {
            // every label: with empty, always true; without it, any value
            return bool(op == Expression.Operator.LT || op == Expression.Operator.LE
                    ? new Expression.Literal(true, ValueType.BOOLEAN, p) : new Expression.IsEmpty(field.expression, true, p));
        }
        return bool(result == null ? new Expression.Literal(false, ValueType.BOOLEAN, p) : result);
    }

    /** @return the labels of the enum type of a field, in their order; null when they are not known */
    private List<String> labelsOf(Expression e) {
        return e instanceof Expression.FieldRef ? enumLabels.get(((Expression.FieldRef) e).name()) : null;
    }

    private static String labelList(List<String> labels) {
        return labels.stream().map(l -> "'" + l.replace("'", "''") + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    /** @return the UUID in canonical form (8-4-4-4-12 hexadecimal digits, either case) */
    static Optional<java.util.UUID> parseUuid(String text) {
        String s = text.strip();
        if (s.length() != 36 || !UUID_TEXT.matcher(s).matches()) {
            return Optional.empty();
        }
        return Optional.of(java.util.UUID.fromString(s));
    }

    private static final java.util.regex.Pattern UUID_TEXT = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** {@code now()} takes the type of the other side; against a text literal, the literal's form decides. */
    private Typed nowAgainst(Typed now, Typed other, Expression.Comparison c) {
        ValueType t = other.type;
        if (isTextLiteral(other)) {
            t = literalTemporalType((String) ((Expression.Literal) other.expression).value());
            if (t == null) {
                Expression.Literal l = (Expression.Literal) other.expression;
                throw error(l.position(), describe(l) + " at " + l.position()
                        + " is not a date or timestamp to compare with now(); write it like '2024-01-31',"
                        + " '2024-01-31T10:00:00' or '2024-01-31T10:00:00Z'");
            }
        }
        if (!t.isTemporal()) {
            throw error(c.position(), "cannot compare now() with " + describe(other.expression) + " (" + t.label()
                    + ") at " + c.position() + "; now() is compared with dates and timestamps only");
        }
        return new Typed(new Expression.Now(t, now.expression.position()), t);
    }

    private static ValueType literalTemporalType(String text) {
        if (parseTemporal(text, ValueType.TIMESTAMP_TZ).isPresent()) {
            return ValueType.TIMESTAMP_TZ;
        }
        if (parseTemporal(text, ValueType.DATE).isPresent()) {
            return ValueType.DATE;
        }
        if (parseTemporal(text, ValueType.TIMESTAMP).isPresent()) {
            return ValueType.TIMESTAMP;
        }
        return null;
    }

    private Typed temporalLiteral(Expression.Literal literal, ValueType type) {
        Optional<Object> value = parseTemporal((String) literal.value(), type);
        if (value.isEmpty()) {
            String example;
            switch (type) {
                case DATE:
                    example = "a date like '2024-01-31'";
                    break;
                case TIMESTAMP:
                    example = "a timestamp like '2024-01-31T10:00:00', '2024-01-31 10:00' or '2024-01-31'";
                    break;
                default:
                    example = "a timestamp with an offset like '2024-01-31T10:00:00Z' or '2024-01-31T10:00:00+02:00'";
                    break;
            }
            throw error(literal.position(), describe(literal) + " at " + literal.position() + " is not a valid "
                    + type.label() + "; write " + example);
        }
        return new Typed(new Expression.Literal(value.get(), type, literal.position()), type);
    }

    /**
     * Reads ISO-8601 text as a value of a date/time type: DATE {@code 2024-01-31}; TIMESTAMP
     * {@code 2024-01-31T10:00[:00[.fraction]]} or a date (start of day); TIMESTAMP_TZ the same with
     * an offset or {@code Z}. A space may stand for the {@code T}.
     */
    static Optional<Object> parseTemporal(String text, ValueType type) {
        String s = text.strip();
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11).stripLeading();
        }
        try {
            switch (type) {
                case DATE:
                    return Optional.of(LocalDate.parse(s, DATE));
                case TIMESTAMP:
                    if (s.length() == 10) {
                        return Optional.of(LocalDate.parse(s, DATE).atStartOfDay());
                    }
                    return Optional.of(LocalDateTime.parse(s, LOCAL_DATE_TIME));
                case TIMESTAMP_TZ:
                    return Optional.of(OffsetDateTime.parse(s, OFFSET_DATE_TIME));
                default:
                    return Optional.empty();
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private Typed logicOperand(Expression operand, String what) {
        Typed t = visit(operand);
        requireType(t, ValueType.BOOLEAN, what);
        return t;
    }

    private void requireType(Typed t, ValueType type, String what) {
        if (t.type != type) {
            int at = t.expression.position();
            throw error(at, what + ", but " + describe(t.expression) + " at " + at + " is "
                    + withArticle(t.type));
        }
    }

    /** "text", "a number", "a timestamp with time zone": how a type reads after "is". */
    static String withArticle(ValueType t) {
        return t == ValueType.TEXT ? t.label() : ("aeio".indexOf(t.label().charAt(0)) >= 0 ? "an " : "a ") + t.label();
    }

    private static boolean isTextLiteral(Typed t) {
        return t.expression instanceof Expression.Literal && t.type == ValueType.TEXT;
    }

    private static Typed bool(Expression e) {
        return new Typed(e, ValueType.BOOLEAN);
    }

    private String knownFields() {
        if (fieldTypes.isEmpty()) {
            return "there are no fields";
        }
        return "the known fields are " + new TreeSet<>(fieldTypes.keySet()).stream()
                .map(n -> Trees.format(new Expression.FieldRef(n, 1)))
                .collect(Collectors.joining(", "));
    }

    /** An operand as the user wrote it, shortened. */
    static String describe(Expression e) {
        String s = Trees.format(e);
        if (!(e instanceof Expression.FieldRef || e instanceof Expression.Literal || e instanceof Expression.Now
                || e instanceof Expression.Call)) {
            s = "(" + s + ")";
        }
        if (s.codePointCount(0, s.length()) > DESCRIBE_MAX) {
            s = s.substring(0, s.offsetByCodePoints(0, DESCRIBE_MAX - 3)) + "...";
        }
        return s;
    }

    private ExpressionException error(int position, String detail) {
        return new ExpressionException(source, position, detail);
    }
}
