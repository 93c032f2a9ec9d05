package io.viewpush.expression;

import java.util.Objects;

/**
 * A parsed filter or calculation: an immutable tree. Every node carries a 1-based character
 * position in the source text (an index of Java {@code char}s), so that errors can point at it: a
 * field, literal, {@code now()} or {@code not} where it starts; an infix or postfix operator
 * (comparison, {@code is empty}, {@code contains}, {@code starts with}, {@code and}, {@code or})
 * where its operator is, e.g. the {@code =} of {@code {amount} = 'abc'}.
 *
 * <p>Obtain one with {@link Expressions#parse(String)}; make it ready to evaluate or translate with
 * {@link Expressions#check}, which resolves the types of {@link Now} and coerces text literals
 * compared with dates and timestamps.
 */
public sealed interface Expression {

    /** @return the 1-based character position in the source of this node (of its operator for infix nodes) */
    int position();

    /** A reference to a field or calculation of the view: {@code {last pushed}}. */
    record FieldRef(String name, int position) implements Expression {
        public FieldRef {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A literal value, never empty: {@code 'text'}, {@code 12.50}, {@code true}. {@code value} has
     * the Java type of {@code type} ({@link ValueType#javaType()}).
     */
    record Literal(Object value, ValueType type, int position) implements Expression {
        public Literal {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(type, "type");
            if (!type.javaType().isInstance(value)) {
                throw new IllegalArgumentException(
                        "a " + type.label() + " literal needs a " + type.javaType().getSimpleName()
                                + ", got " + value.getClass().getSimpleName());
            }
        }
    }

    /**
     * {@code now()}: the snapshot time of the push. {@code type} is {@link ValueType#TIMESTAMP_TZ}
     * as parsed; the type checker changes it to the type of the value it is compared with
     * (converted in the snapshot's zone).
     */
    record Now(ValueType type, int position) implements Expression {
        public Now {
            Objects.requireNonNull(type, "type");
            if (!type.isTemporal()) {
                throw new IllegalArgumentException("now() is a date/time, not " + type.label());
            }
        }
    }

    /** {@code left op right}; always true or false (empty sorts first, empty = empty). */
    record Comparison(Operator operator, Expression left, Expression right, int position)
            implements Expression {
        public Comparison {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code operand is empty}, or with {@code negated} {@code operand is not empty}. */
    record IsEmpty(Expression operand, boolean negated, int position) implements Expression {
        public IsEmpty {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /**
     * {@code left contains right} / {@code left starts with right} on text, case-sensitive; false
     * when either side is empty.
     */
    record TextMatch(TextOperator operator, Expression left, Expression right, int position)
            implements Expression {
        public TextMatch {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code left and right}; an empty boolean counts as false. */
    record And(Expression left, Expression right, int position) implements Expression {
        public And {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code left or right}; an empty boolean counts as false. */
    record Or(Expression left, Expression right, int position) implements Expression {
        public Or {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code not operand}; an empty boolean counts as false, so {@code not empty} is true. */
    record Not(Expression operand, int position) implements Expression {
        public Not {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** Comparison operators. */
    enum Operator {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        /** @return the operator as written in the language */
        public String symbol() {
            return symbol;
        }
    }

    /** Text matching operators. */
    enum TextOperator {
        CONTAINS("contains"), STARTS_WITH("starts with");

        private final String keyword;

        TextOperator(String keyword) {
            this.keyword = keyword;
        }

        /** @return the operator as written in the language */
        public String keyword() {
            return keyword;
        }
    }
}
