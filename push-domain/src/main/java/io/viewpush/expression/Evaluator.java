package io.viewpush.expression;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.function.Function;

/** Evaluator of checked expressions with the language's two-valued semantics. */
final class Evaluator {
    private Evaluator() {
    }

    static Object evaluate(Expression expression, Function<String, Object> fields, Snapshot snapshot) {
        if (expression instanceof Expression.FieldRef) {
            return fields.apply(((Expression.FieldRef) expression).name());
        }
        if (expression instanceof Expression.Literal) {
            return ((Expression.Literal) expression).value();
        }
        if (expression instanceof Expression.Now) {
            return now(((Expression.Now) expression).type(), snapshot);
        }
        if (expression instanceof Expression.Comparison) {
            Expression.Comparison c = (Expression.Comparison) expression;
            int order = compare(evaluate(c.left(), fields, snapshot), evaluate(c.right(), fields, snapshot));
            switch (c.operator()) {
                case EQ:
                    return order == 0;
                case NE:
                    return order != 0;
                case LT:
                    return order < 0;
                case LE:
                    return order <= 0;
                case GT:
                    return order > 0;
                default:
                    return order >= 0;
            }
        }
        if (expression instanceof Expression.IsEmpty) {
            Expression.IsEmpty i = (Expression.IsEmpty) expression;
            return (evaluate(i.operand(), fields, snapshot) == null) != i.negated();
        }
        if (expression instanceof Expression.TextMatch) {
            Expression.TextMatch m = (Expression.TextMatch) expression;
            Object left = evaluate(m.left(), fields, snapshot);
            Object right = evaluate(m.right(), fields, snapshot);
            if (left == null || right == null) {
                return false;
            }
            String l = text(left);
            String r = text(right);
            return m.operator() == Expression.TextOperator.CONTAINS ? l.contains(r) : l.startsWith(r);
        }
        if (expression instanceof Expression.And) {
            Expression.And a = (Expression.And) expression;
            return isTrue(evaluate(a.left(), fields, snapshot)) && isTrue(evaluate(a.right(), fields, snapshot));
        }
        if (expression instanceof Expression.Or) {
            Expression.Or o = (Expression.Or) expression;
            return isTrue(evaluate(o.left(), fields, snapshot)) || isTrue(evaluate(o.right(), fields, snapshot));
        }
        if (expression instanceof Expression.Arithmetic) {
            return arithmetic((Expression.Arithmetic) expression, fields, snapshot);
        }
        if (expression instanceof Expression.Negate) {
            Object v = evaluate(((Expression.Negate) expression).operand(), fields, snapshot);
            return v == null ? null : ((BigDecimal) v).negate();
        }
        if (expression instanceof Expression.Call) {
            return Functions.call((Expression.Call) expression, fields, snapshot);
        }
        Expression.Not n = (Expression.Not) expression;
        return !isTrue(evaluate(n.operand(), fields, snapshot));
    }

    private static Object arithmetic(Expression.Arithmetic a, Function<String, Object> fields, Snapshot snapshot) {
        Object l = evaluate(a.left(), fields, snapshot);
        Object r = evaluate(a.right(), fields, snapshot);
        if (l == null || r == null) {
            return null;
        }
        switch (a.operator()) {
            case CONCATENATE:
                return text(l) + text(r);
            case ADD:
                return ((BigDecimal) l).add((BigDecimal) r);
            case SUBTRACT:
                return ((BigDecimal) l).subtract((BigDecimal) r);
            case MULTIPLY:
                return ((BigDecimal) l).multiply((BigDecimal) r);
            default:
                return divide((BigDecimal) l, (BigDecimal) r);
        }
    }

    /** Decimal places of a quotient. */
    static final int DIVISION_SCALE = 6;

    /** {@code a / b} rounded to {@link #DIVISION_SCALE} places, halves away from zero; empty when {@code b} is zero. */
    static BigDecimal divide(BigDecimal a, BigDecimal b) {
        return b.signum() == 0 ? null : a.divide(b, DIVISION_SCALE, java.math.RoundingMode.HALF_UP);
    }

    /** {@code now()} in the type it was checked against, converted in the snapshot's zone. */
    static Object now(ValueType type, Snapshot snapshot) {
        switch (type) {
            case TIMESTAMP:
                return LocalDateTime.ofInstant(snapshot.now(), snapshot.zone());
            case DATE:
                return LocalDate.ofInstant(snapshot.now(), snapshot.zone());
            default:
                return OffsetDateTime.ofInstant(snapshot.now(), snapshot.zone());
        }
    }

    private static boolean isTrue(Object value) {
        if (value != null && !(value instanceof Boolean)) {
            throw new IllegalArgumentException("expected a Boolean, got " + value.getClass().getSimpleName());
        }
        return Boolean.TRUE.equals(value);
    }

    private static String text(Object value) {
        if (!(value instanceof String)) {
            throw new IllegalArgumentException("expected a String, got " + value.getClass().getSimpleName());
        }
        return (String) value;
    }

    static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof String && b instanceof String) {
            return compareCodePoints((String) a, (String) b);
        }
        if (a instanceof BigDecimal && b instanceof BigDecimal) {
            return ((BigDecimal) a).compareTo((BigDecimal) b);
        }
        if (a instanceof Boolean && b instanceof Boolean) {
            return Boolean.compare((Boolean) a, (Boolean) b);
        }
        if (a instanceof LocalDateTime && b instanceof LocalDateTime) {
            return ((LocalDateTime) a).compareTo((LocalDateTime) b);
        }
        if (a instanceof OffsetDateTime && b instanceof OffsetDateTime) {
            return ((OffsetDateTime) a).toInstant().compareTo(((OffsetDateTime) b).toInstant());
        }
        if (a instanceof LocalDate && b instanceof LocalDate) {
            return ((LocalDate) a).compareTo((LocalDate) b);
        }
        if (a instanceof java.util.UUID && b instanceof java.util.UUID) {
            // unsigned, byte by byte: the order PostgreSQL and H2 give uuid columns (UUID.compareTo is signed)
            java.util.UUID x = (java.util.UUID) a;
            java.util.UUID y = (java.util.UUID) b;
            int high = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
            return high != 0 ? high : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
        }
        if (a instanceof Double && b instanceof Double) {
            return Double.compare((Double) a, (Double) b);
        }
        if (a instanceof java.time.LocalTime && b instanceof java.time.LocalTime) {
            return ((java.time.LocalTime) a).compareTo((java.time.LocalTime) b);
        }
        if (a instanceof java.time.OffsetTime && b instanceof java.time.OffsetTime) {
            return ((java.time.OffsetTime) a).compareTo((java.time.OffsetTime) b);
        }
        if (a instanceof byte[] && b instanceof byte[]) {
            return java.util.Arrays.compareUnsigned((byte[]) a, (byte[]) b);
        }
        throw new IllegalArgumentException("cannot compare a " + a.getClass().getSimpleName() + " with a "
                + b.getClass().getSimpleName() + "; values of one ValueType are needed");
    }

    /**
     * Unicode code-point order over UTF-16 strings. {@link String#compareTo} compares UTF-16 units,
     * which puts supplementary characters (surrogate pairs, 0xD800-0xDFFF) before U+E000..U+FFFF;
     * shifting the units at and above 0xD800 restores code-point order without decoding.
     */
    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return fixUp(x) - fixUp(y);
            }
        }
        return a.length() - b.length();
    }

    private static int fixUp(char c) {
        if (c >= 0xE000) {
            return c - 0x800;
        }
        if (c >= 0xD800) {
            return c + 0x2000;
        }
        return c;
    }
}
