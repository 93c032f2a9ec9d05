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

    /**
     * {@code left op right} on values: {@code + - * /} on numbers, {@code ||} on text. Empty when
     * either operand is empty; a division by zero is empty too.
     */
    record Arithmetic(ArithmeticOperator operator, Expression left, Expression right, int position)
            implements Expression {
        public Arithmetic {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code -operand} on a number; empty when the operand is. (A minus before a number literal is part of the literal.) */
    record Negate(Expression operand, int position) implements Expression {
        public Negate {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /**
     * A function applied to its arguments, such as {@code round({price} * 1.2, 2)}; its position is
     * where the function's name starts. See {@link Function} for what each computes, and
     * {@link Expressions} for the rule on empty arguments.
     */
    record Call(Function function, java.util.List<Expression> arguments, int position) implements Expression {
        public Call {
            Objects.requireNonNull(function, "function");
            arguments = java.util.List.copyOf(arguments);
        }
    }

    /** The operators of {@link Arithmetic}. */
    enum ArithmeticOperator {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), CONCATENATE("||");

        private final String symbol;

        ArithmeticOperator(String symbol) {
            this.symbol = symbol;
        }

        /** @return the operator as written in the language */
        public String symbol() {
            return symbol;
        }
    }

    /**
     * The functions of the language, by the name they are written with (case-insensitive). Unless
     * said otherwise a function is empty when any argument is empty.
     */
    enum Function {
        /** {@code today()}: the snapshot's date in its zone. Never empty. */
        TODAY("today", 0, 0),
        /** {@code upper(text)}: the letters a-z made A-Z; every other character unchanged. */
        UPPER("upper", 1, 1),
        /** {@code lower(text)}: the letters A-Z made a-z; every other character unchanged. */
        LOWER("lower", 1, 1),
        /** {@code trim(text)}: without the spaces (U+0020) at its start and end. */
        TRIM("trim", 1, 1),
        /** {@code length(text)}: the number of characters (Unicode code points). */
        LENGTH("length", 1, 1),
        /** {@code substring(text, start[, count])}: {@code count} characters (default: the rest) from the {@code start}-th (1-based); whole-number literals. */
        SUBSTRING("substring", 2, 3),
        /** {@code replace(text, search, replacement)}: every occurrence replaced, left to right; an empty {@code search} changes nothing. */
        REPLACE("replace", 3, 3),
        /** {@code concat(a, b, ...)}: the texts put together, an empty one counting as {@code ''}. Never empty. */
        CONCAT("concat", 1, Integer.MAX_VALUE),
        /**
         * {@code add_days(date or timestamp, n)}: moved by n days (the whole part of n; 24 hours on a
         * timestamp with time zone); empty when n is beyond ±100,000 days.
         */
        ADD_DAYS("add_days", 2, 2),
        /** {@code add_hours(timestamp, n)}: moved by n hours (the whole part of n); empty beyond ±2,400,000. */
        ADD_HOURS("add_hours", 2, 2),
        /** {@code add_minutes(timestamp, n)}: moved by n minutes (the whole part of n); empty beyond ±144,000,000. */
        ADD_MINUTES("add_minutes", 2, 2),
        /** {@code days_between(from, to)}: the number of days from one date to another (negative when {@code to} is earlier). */
        DAYS_BETWEEN("days_between", 2, 2),
        /**
         * {@code year(date or timestamp)}; this and the other date parts and truncations read a
         * timestamp with time zone as its local time in the snapshot's zone.
         */
        YEAR("year", 1, 1),
        /** {@code month(date or timestamp)}: 1 to 12. */
        MONTH("month", 1, 1),
        /** {@code day(date or timestamp)}: the day of the month, 1 to 31. */
        DAY("day", 1, 1),
        /** {@code weekday(date or timestamp)}: ISO, Monday 1 to Sunday 7. */
        WEEKDAY("weekday", 1, 1),
        /** {@code start_of_day(timestamp)}: the same day at 00:00, a timestamp without time zone. */
        START_OF_DAY("start_of_day", 1, 1),
        /** {@code start_of_month(date or timestamp)}: the first day of the month (a timestamp without zone at 00:00). */
        START_OF_MONTH("start_of_month", 1, 1),
        /** {@code date(timestamp)}: its date. */
        DATE("date", 1, 1),
        /** {@code if(condition, a, b)}: {@code a} when the condition is true, else {@code b} (an empty condition counts as false). */
        IF("if", 3, 3),
        /** {@code coalesce(a, b, ...)}: the first argument that is not empty; empty when all are. */
        COALESCE("coalesce", 1, Integer.MAX_VALUE),
        /** {@code greatest(a, b, ...)}: the largest argument that is not empty (the first of equals); empty when all are. */
        GREATEST("greatest", 1, Integer.MAX_VALUE),
        /** {@code least(a, b, ...)}: the smallest argument that is not empty (the first of equals); empty when all are. */
        LEAST("least", 1, Integer.MAX_VALUE),
        /** {@code round(number[, digits])}: to {@code digits} decimal places (a whole-number literal 0 to 18, default 0), halves away from zero. */
        ROUND("round", 1, 2),
        /** {@code text(number or date)}: a number as plain digits with its scale ({@code 12.50}), a date as {@code 2024-01-31}. */
        TEXT("text", 1, 1),
        /** {@code number(text)}: text that is a plain decimal ({@code 12}, {@code -3.50}, at most 18 decimal places, spaces around allowed) as a number; empty for any other text. */
        NUMBER("number", 1, 1);

        private final String functionName;
        private final int minArguments;
        private final int maxArguments;

        Function(String functionName, int minArguments, int maxArguments) {
            this.functionName = functionName;
            this.minArguments = minArguments;
            this.maxArguments = maxArguments;
        }

        /** @return the name as written in the language, lower case */
        public String functionName() {
            return functionName;
        }

        /** @return the fewest arguments it takes */
        public int minArguments() {
            return minArguments;
        }

        /** @return the most arguments it takes ({@link Integer#MAX_VALUE}: any number) */
        public int maxArguments() {
            return maxArguments;
        }

        /** @return the function written with that name (any case), if there is one */
        public static java.util.Optional<Function> named(String name) {
            for (Function f : values()) {
                if (f.functionName.equalsIgnoreCase(name)) {
                    return java.util.Optional.of(f);
                }
            }
            return java.util.Optional.empty();
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
