package io.viewpush.expression;

import io.viewpush.expression.Expression.And;
import io.viewpush.expression.Expression.Comparison;
import io.viewpush.expression.Expression.FieldRef;
import io.viewpush.expression.Expression.IsEmpty;
import io.viewpush.expression.Expression.Literal;
import io.viewpush.expression.Expression.Not;
import io.viewpush.expression.Expression.Now;
import io.viewpush.expression.Expression.Operator;
import io.viewpush.expression.Expression.Or;
import io.viewpush.expression.Expression.TextMatch;
import io.viewpush.expression.Expression.TextOperator;

import java.math.BigDecimal;

/** Short constructors of tree nodes for tests, and a way to compare trees regardless of positions. */
final class Nodes {
    private Nodes() {
    }

    static FieldRef field(String name, int pos) {
        return new FieldRef(name, pos);
    }

    static Literal text(String value, int pos) {
        return new Literal(value, ValueType.TEXT, pos);
    }

    static Literal number(String value, int pos) {
        return new Literal(new BigDecimal(value), ValueType.NUMBER, pos);
    }

    static Literal bool(boolean value, int pos) {
        return new Literal(value, ValueType.BOOLEAN, pos);
    }

    static Now now(int pos) {
        return new Now(ValueType.TIMESTAMP_TZ, pos);
    }

    static Comparison cmp(Expression left, Operator op, Expression right, int pos) {
        return new Comparison(op, left, right, pos);
    }

    static IsEmpty isEmpty(Expression operand, int pos) {
        return new IsEmpty(operand, false, pos);
    }

    static IsEmpty isNotEmpty(Expression operand, int pos) {
        return new IsEmpty(operand, true, pos);
    }

    static TextMatch contains(Expression left, Expression right, int pos) {
        return new TextMatch(TextOperator.CONTAINS, left, right, pos);
    }

    static TextMatch startsWith(Expression left, Expression right, int pos) {
        return new TextMatch(TextOperator.STARTS_WITH, left, right, pos);
    }

    static And and(Expression left, Expression right, int pos) {
        return new And(left, right, pos);
    }

    static Or or(Expression left, Expression right, int pos) {
        return new Or(left, right, pos);
    }

    static Not not(Expression operand, int pos) {
        return new Not(operand, pos);
    }

    /** The same tree with every position set to 0, to compare trees that came from different texts. */
    static Expression withoutPositions(Expression e) {
        if (e instanceof FieldRef) {
            return new FieldRef(((FieldRef) e).name(), 0);
        }
        if (e instanceof Literal) {
            return new Literal(((Literal) e).value(), ((Literal) e).type(), 0);
        }
        if (e instanceof Now) {
            return new Now(((Now) e).type(), 0);
        }
        if (e instanceof Comparison) {
            Comparison c = (Comparison) e;
            return new Comparison(c.operator(), withoutPositions(c.left()), withoutPositions(c.right()), 0);
        }
        if (e instanceof IsEmpty) {
            return new IsEmpty(withoutPositions(((IsEmpty) e).operand()), ((IsEmpty) e).negated(), 0);
        }
        if (e instanceof TextMatch) {
            TextMatch m = (TextMatch) e;
            return new TextMatch(m.operator(), withoutPositions(m.left()), withoutPositions(m.right()), 0);
        }
        if (e instanceof And) {
            return new And(withoutPositions(((And) e).left()), withoutPositions(((And) e).right()), 0);
        }
        if (e instanceof Or) {
            return new Or(withoutPositions(((Or) e).left()), withoutPositions(((Or) e).right()), 0);
        }
        if (e instanceof Expression.Arithmetic) {
            Expression.Arithmetic a = (Expression.Arithmetic) e;
            return new Expression.Arithmetic(a.operator(), withoutPositions(a.left()), withoutPositions(a.right()), 0);
        }
        if (e instanceof Expression.Negate) {
            return new Expression.Negate(withoutPositions(((Expression.Negate) e).operand()), 0);
        }
        if (e instanceof Expression.Call) {
            Expression.Call c = (Expression.Call) e;
            return new Expression.Call(c.function(), c.arguments().stream().map(Nodes::withoutPositions).toList(), 0);
        }
        return new Not(withoutPositions(((Not) e).operand()), 0);
    }
}
