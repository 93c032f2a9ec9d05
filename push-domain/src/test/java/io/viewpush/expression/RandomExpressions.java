package io.viewpush.expression;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A seeded generator of values, rows, snapshots and checked boolean expressions of the expression
 * language, for <em>differential tests</em>: an adapter that translates expressions (to SQL, say)
 * evaluates the generated expressions over generated rows in its own way and compares the result
 * with {@link Expressions#evaluate}. The JDBC adapter's differential test on PostgreSQL and H2 is
 * the first user; any host that writes its own row source can run the same kind of test.
 *
 * <p>Everything it returns depends only on the {@link Random} it is given, so a failing case is
 * reproduced by the seed; print {@link #source(Expression)} of the failing expression and the row.
 *
 * <p>The values aim at the corners where two implementations disagree:
 * <ul>
 *   <li>empty (null) often, and values drawn again from a small pool so that equal values (and
 *       values one step apart) meet in comparisons;</li>
 *   <li>numbers with different scales for one value ({@code 1} and {@code 1.0}, {@code 0} and
 *       {@code 0.00}), negatives, and the extremes of {@code NUMERIC(18,6)}
 *       ({@code ±99999999.999999} is not the extreme of the type, but every value fits it);</li>
 *   <li>timestamps at microsecond precision (never finer), one microsecond apart, at midnight;
 *       timestamps with time zone with offsets from -12:00 to +14:00, the same instant written
 *       with different offsets; dates;</li>
 *   <li>text with {@code ''}, spaces, quotes, backslash, {@code %} and {@code _} (LIKE wildcards),
 *       {@code é} both precomposed and combining, {@code 漢字}, emoji and other supplementary
 *       characters, U+FFFD and private-use characters U+E000..U+F8FF (where UTF-16 order differs
 *       from code-point order). Never U+0000 and never a lone surrogate: PostgreSQL cannot store
 *       them.</li>
 * </ul>
 *
 * <p>Not thread-safe (neither is the {@link Random} it draws from); use one per thread.
 */
public final class RandomExpressions {
    private static final int POOL_SIZE = 4;
    private static final double EMPTY_CHANCE = 0.25;
    private static final double POOL_CHANCE = 0.45;
    private static final LocalDateTime ORIGIN = LocalDateTime.of(2024, 1, 31, 0, 0);
    private static final long SPREAD_DAYS = 3 * 365;

    /** Values that are not drawn but always in the pool, per type. */
    private static final List<BigDecimal> EDGE_NUMBERS = List.of(
            new BigDecimal("0"), new BigDecimal("0.00"), new BigDecimal("-0.01"), new BigDecimal("1.0"),
            new BigDecimal("1"), new BigDecimal("99999999.999999"), new BigDecimal("-99999999.999999"),
            new BigDecimal("0.000001"), new BigDecimal("12.50"));

    private static final List<String> TEXT_PIECES = List.of(
            "a", "b", "A", "ab", "abc", "Z", "0", "1", " ", "  ", "'", "\\", "%", "_", "a%b", "_x", "é", "e\u0301",
            "漢字", "漢", "😀", "𝄞", "\uFFFD", "\uE000", "\uF8FF", "\uE123", "\n", "\"", "{", "}", "-");

    private static final List<ZoneOffset> OFFSETS = List.of(
            ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHours(-5), ZoneOffset.ofHoursMinutes(5, 30),
            ZoneOffset.ofHours(14), ZoneOffset.ofHours(-12), ZoneOffset.ofHoursMinutes(-3, -30),
            ZoneOffset.ofHours(1));

    private static final List<ZoneId> ZONES = List.of(
            ZoneOffset.UTC, ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"), ZoneId.of("Asia/Tokyo"),
            ZoneId.of("Asia/Kolkata"), ZoneId.of("Pacific/Kiritimati"), ZoneId.of("Pacific/Pago_Pago"));

    /**
     * Instants at and around daylight saving changes and the local midnights of those days, in zones
     * of {@link #ZONES}: the date parts and truncations of a timestamp with time zone read it there.
     */
    private static final List<OffsetDateTime> DAYLIGHT_SAVING_EDGES = List.of(
            OffsetDateTime.parse("2024-03-31T01:00:00Z"), // Berlin 02:00 CET becomes 03:00 CEST
            OffsetDateTime.parse("2024-03-31T00:59:59.999999Z"),
            OffsetDateTime.parse("2024-03-30T23:00:00+00:00"), // Berlin midnight, 31 March
            OffsetDateTime.parse("2024-03-30T22:59:59.999999-02:00"),
            OffsetDateTime.parse("2024-10-27T01:00:00Z"), // Berlin 03:00 CEST becomes 02:00 CET
            OffsetDateTime.parse("2024-10-26T22:00:00Z"), // Berlin midnight, 27 October
            OffsetDateTime.parse("2024-10-27T22:59:59.999999Z"), // Berlin, the last moment of 27 October
            OffsetDateTime.parse("2024-03-10T07:00:00Z"), // New York 02:00 EST becomes 03:00 EDT
            OffsetDateTime.parse("2024-03-10T05:00:00+00:00"), // New York midnight, 10 March
            OffsetDateTime.parse("2024-11-03T04:00:00-04:00"), // New York midnight, 3 November (EDT)
            OffsetDateTime.parse("2024-02-29T23:30:00Z")); // a month's end in UTC, the next month's start east

    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    /**
     * The labels of every {@link ValueType#ENUM} field it draws values for, in their order: pass them
     * to {@link #booleanExpression(Map, Map, int)} and give the database's enum type these labels.
     */
    public static final List<String> ENUM_LABELS = List.of("G", "PG", "PG-13", "R", "NC-17");

    /** Text forms of {@link ValueType#OTHER} values: inet addresses as PostgreSQL writes them. */
    public static final List<String> OTHER_TEXTS = List.of("10.0.0.1", "10.0.0.2", "192.168.0.0/24", "::1",
            "10.0.0.1/8", "fe80::1");

    /** JSON texts of {@link ValueType#JSON} values, as PostgreSQL's jsonb writes them; {@code null} is JSON's null, not empty. */
    public static final List<String> JSON_TEXTS = List.of("{}", "[]", "null", "{\"a\": 1}", "[1, \"x\", null]", "\"text\"");

    /** The types whose values it draws by default (the types every store has kept since the first release). */
    static final List<ValueType> CLASSIC = List.of(ValueType.TEXT, ValueType.NUMBER, ValueType.BOOLEAN,
            ValueType.TIMESTAMP, ValueType.TIMESTAMP_TZ, ValueType.DATE);

    /** The types a generated value expression ({@link #valueExpression}) may have. */
    public static final List<ValueType> VALUE_TYPES = List.of(ValueType.NUMBER, ValueType.TEXT, ValueType.DATE,
            ValueType.TIMESTAMP, ValueType.TIMESTAMP_TZ, ValueType.BOOLEAN);

    private final Random random;
    private final Map<ValueType, List<Object>> pools = new EnumMap<>(ValueType.class);
    private boolean exactScales = true;
    private int valueDepth;
    private boolean valuePredicates = true;

    /**
     * @param random the source of randomness, seeded by the caller (print the seed on failure)
     */
    public RandomExpressions(Random random) {
        this.random = Objects.requireNonNull(random, "random");
        for (ValueType t : CLASSIC) {
            List<Object> pool = new ArrayList<>();
            for (int i = 0; i < POOL_SIZE; i++) {
                pool.add(fresh(t));
            }
            pools.put(t, pool);
        }
        pools.get(ValueType.NUMBER).addAll(EDGE_NUMBERS);
        pools.get(ValueType.TEXT).add("");
        pools.get(ValueType.TEXT).add("\uE000");
        pools.get(ValueType.TEXT).add("😀");
        pools.get(ValueType.TEXT).add("\uFFFD");
        Instant shared = ((OffsetDateTime) pools.get(ValueType.TIMESTAMP_TZ).get(0)).toInstant();
        pools.get(ValueType.TIMESTAMP_TZ).add(shared.atOffset(ZoneOffset.ofHours(-5)));
        pools.get(ValueType.TIMESTAMP_TZ).add(shared.atOffset(ZoneOffset.ofHoursMinutes(5, 30)));
        pools.get(ValueType.TIMESTAMP).add(ORIGIN);
        pools.get(ValueType.TIMESTAMP_TZ).addAll(DAYLIGHT_SAVING_EDGES);
    }

    /**
     * A random value of a type, or {@code null} (empty) about one time in four. Values are often
     * reused from a small pool, or one step (a microsecond, a day, 0.000001) away from a pooled
     * value, so that equalities and near misses are common.
     *
     * @param type the type
     * @return {@code null} or an instance of {@link ValueType#javaType()}
     */
    public Object value(ValueType type) {
        if (random.nextDouble() < EMPTY_CHANCE) {
            return null;
        }
        return nonEmptyValue(type);
    }

    /**
     * @param type the type
     * @return like {@link #value(ValueType)} but never {@code null}
     */
    public Object nonEmptyValue(ValueType type) {
        if (!CLASSIC.contains(type)) {
            return pick(otherPool(type));
        }
        double d = random.nextDouble();
        if (d < POOL_CHANCE) {
            return pick(pools.get(type));
        }
        if (d < POOL_CHANCE + 0.15) {
            return adjacent(type, pick(pools.get(type)));
        }
        return fresh(type);
    }

    /**
     * A random row: a {@link #value(ValueType)} for every field.
     *
     * @param fields field names and types
     * @return field name to value ({@code null} for empty), ordered by field name
     */
    public Map<String, Object> row(Map<String, ValueType> fields) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, ValueType> f : sorted(fields)) {
            row.put(f.getKey(), value(f.getValue()));
        }
        return row;
    }

    /** Fields by name, so that the result does not depend on a map's iteration order (Map.of's varies by run). */
    private static List<Map.Entry<String, ValueType>> sorted(Map<String, ValueType> fields) {
        List<Map.Entry<String, ValueType>> list = new ArrayList<>(fields.entrySet());
        list.sort(Map.Entry.comparingByKey());
        return list;
    }

    /**
     * A random snapshot: often exactly a pooled timestamp, date (at midnight) or instant in the
     * snapshot's zone, so that {@code now()} equals field values; zones include UTC, zones with
     * daylight saving time, +05:30 and +14:00. Microsecond precision.
     *
     * @return the snapshot
     */
    public Snapshot snapshot() {
        ZoneId zone = pick(ZONES);
        switch (random.nextInt(4)) {
            case 0:
                return new Snapshot(((OffsetDateTime) pick(pools.get(ValueType.TIMESTAMP_TZ))).toInstant(), zone);
            case 1:
                return new Snapshot(((LocalDateTime) pick(pools.get(ValueType.TIMESTAMP))).atZone(zone).toInstant(), zone);
            case 2:
                return new Snapshot(((LocalDate) pick(pools.get(ValueType.DATE))).atStartOfDay(zone).toInstant(), zone);
            default:
                return new Snapshot(((OffsetDateTime) fresh(ValueType.TIMESTAMP_TZ)).toInstant(), zone);
        }
    }

    /**
     * A random boolean expression over the given fields, already type-checked with
     * {@link Expressions#check} (so {@code now()} is typed and date/time text literals are
     * converted). It uses every construct of the language: comparisons between fields of one type,
     * field against literal (either side; date/time literals written in the several accepted
     * forms), {@code now()} against date/time fields, {@code is empty} / {@code is not empty},
     * {@code contains} / {@code starts with} with literals holding {@code %} and {@code _},
     * comparisons of conditions with each other, {@code and} / {@code or} / {@code not}, and
     * boolean fields used directly as conditions.
     *
     * @param fields   the fields it may reference and their types (names not empty); may be
     *                 empty (then only literals and {@code now()} appear). The result does not
     *                 depend on the map's iteration order.
     * @param maxDepth how many levels of {@code and} / {@code or} / {@code not} / comparisons of
     *                 conditions may enclose each other (0: a single condition)
     * @return a checked boolean expression. It may be a bare boolean field, which evaluates to
     *         {@code null} when the field is empty: compare filters with {@link Expressions#test},
     *         which counts empty as false, as SQL's {@code WHERE} does
     */
    public Expression booleanExpression(Map<String, ValueType> fields, int maxDepth) {
        return booleanExpression(fields, Map.of(), maxDepth);
    }

    /**
     * {@link #booleanExpression(Map, int)} over fields of any type: uuids, enum labels and text forms
     * are compared with {@code =} / {@code !=} (enum labels also ordered against a label), floating-point
     * numbers (against number literals too) and times of day with every operator, and every
     * field is tested with {@code is empty} / {@code is not empty}. Values of the types beyond the
     * first six come from small fixed sets ({@link #ENUM_LABELS}, {@link #OTHER_TEXTS},
     * {@link #JSON_TEXTS}, a few uuids, numbers, times, bytes, intervals and arrays).
     *
     * @param enumLabels the labels of each enum field: {@link #ENUM_LABELS} for every one
     */
    public Expression booleanExpression(Map<String, ValueType> fields, Map<String, List<String>> enumLabels,
                                        int maxDepth) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be at least 0, got " + maxDepth);
        }
        valuePredicates = maxDepth > 0;
        Expression raw;
        try {
            raw = condition(sorted(fields), maxDepth);
        } finally {
            valuePredicates = true;
        }
        String source = Expressions.format(raw);
        Expression checked = Expressions.check(source, Expressions.parse(source), fields, enumLabels);
        if (Expressions.typeOf(checked, fields) != ValueType.BOOLEAN) {
            throw new IllegalStateException("generated a non-boolean expression: " + source);
        }
        return checked;
    }

    /**
     * For a translation that keeps numbers' values but not always their scale where values of
     * different scales meet in one SQL type ({@code if}, {@code coalesce}, {@code greatest},
     * {@code least}, {@code number} on H2): {@code text(...)} of a number is then only generated
     * over {@code round(x, n)}, whose scale is fixed. Compare numbers by value in such a test.
     *
     * @return this generator
     */
    public RandomExpressions withoutExactScales() {
        exactScales = false;
        return this;
    }

    /**
     * A random checked expression that computes a value of the given type: arithmetic, text, date
     * and conditional functions over the fields, nested up to {@code maxDepth}; values of every
     * kind may be empty (empty fields, {@code 1 / 0}, {@code number('x')}). Counts of days, hours
     * and minutes stay small, so that moved dates stay within the years databases store.
     *
     * @param type one of {@link #VALUE_TYPES}
     */
    public Expression valueExpression(Map<String, ValueType> fields, ValueType type, int maxDepth) {
        return valueExpression(fields, Map.of(), type, maxDepth);
    }

    /** {@link #valueExpression(Map, ValueType, int)} over fields of any type (see {@link #booleanExpression(Map, Map, int)}). */
    public Expression valueExpression(Map<String, ValueType> fields, Map<String, List<String>> enumLabels,
                                      ValueType type, int maxDepth) {
        if (!VALUE_TYPES.contains(type)) {
            throw new IllegalArgumentException("no value expressions of type " + type);
        }
        Expression raw = term(sorted(fields), type, maxDepth);
        String source = Expressions.format(raw);
        Expression checked = Expressions.check(source, Expressions.parse(source), fields, enumLabels);
        ValueType got = Expressions.typeOf(checked, fields);
        if (got != type) {
            throw new IllegalStateException("generated a " + got + " expression for " + type + ": " + source);
        }
        return checked;
    }

    /** @return {@link #valueExpression(Map, ValueType, int)} of a random type of {@link #VALUE_TYPES} */
    public Expression valueExpression(Map<String, ValueType> fields, int maxDepth) {
        return valueExpression(fields, Map.of(), maxDepth);
    }

    /** @return {@link #valueExpression(Map, Map, ValueType, int)} of a random type of {@link #VALUE_TYPES} */
    public Expression valueExpression(Map<String, ValueType> fields, Map<String, List<String>> enumLabels, int maxDepth) {
        return valueExpression(fields, enumLabels, pick(VALUE_TYPES), maxDepth);
    }

    private Expression term(List<Map.Entry<String, ValueType>> fields, ValueType type, int depth) {
        if (type == ValueType.BOOLEAN) {
            if (depth > 0 && random.nextInt(4) == 0) {
                return conditional(fields, type, depth);
            }
            valueDepth++;
            try {
                return condition(fields, Math.min(depth, 1));
            } finally {
                valueDepth--;
            }
        }
        if (depth <= 0 || random.nextDouble() < 0.25) {
            return leaf(fields, type);
        }
        int d = depth - 1;
        if (random.nextInt(5) == 0) {
            return conditional(fields, type, depth);
        }
        switch (type) {
            case NUMBER:
                switch (random.nextInt(11)) {
                    case 0:
                    case 1:
                    case 2: {
                        Expression.ArithmeticOperator op = pick(List.of(Expression.ArithmeticOperator.ADD,
                                Expression.ArithmeticOperator.SUBTRACT, Expression.ArithmeticOperator.MULTIPLY,
                                Expression.ArithmeticOperator.DIVIDE));
                        return new Expression.Arithmetic(op, term(fields, type, d), term(fields, type, d), 1);
                    }
                    case 3:
                        return new Expression.Negate(term(fields, type, d), 1);
                    case 4:
                        return call(Expression.Function.LENGTH, term(fields, ValueType.TEXT, d));
                    case 5:
                        return call(Expression.Function.DAYS_BETWEEN, term(fields, ValueType.DATE, d),
                                term(fields, ValueType.DATE, d));
                    case 6:
                        return call(pick(List.of(Expression.Function.YEAR, Expression.Function.MONTH,
                                        Expression.Function.DAY, Expression.Function.WEEKDAY)),
                                term(fields, pick(List.of(ValueType.DATE, ValueType.TIMESTAMP, ValueType.TIMESTAMP_TZ)), d));
                    case 7:
                        return random.nextBoolean() ? call(Expression.Function.ROUND, term(fields, type, d))
                                : call(Expression.Function.ROUND, term(fields, type, d), whole(0, 6));
                    case 8:
                        return call(Expression.Function.NUMBER, random.nextBoolean() ? term(fields, ValueType.TEXT, d)
                                : new Expression.Literal(pick(List.of("12", " -3.50 ", "0.000001", "1e5", "x", "1.",
                                "007", "-0")), ValueType.TEXT, 1));
                    default:
                        return extreme(fields, type, d);
                }
            case TEXT:
                switch (random.nextInt(9)) {
                    case 0:
                    case 1:
                        return new Expression.Arithmetic(Expression.ArithmeticOperator.CONCATENATE,
                                term(fields, type, d), term(fields, type, d), 1);
                    case 2:
                        return call(pick(List.of(Expression.Function.UPPER, Expression.Function.LOWER,
                                Expression.Function.TRIM)), term(fields, type, d));
                    case 3:
                        return random.nextBoolean()
                                ? call(Expression.Function.SUBSTRING, term(fields, type, d), whole(1, 5))
                                : call(Expression.Function.SUBSTRING, term(fields, type, d), whole(1, 5), whole(0, 4));
                    case 4:
                        return call(Expression.Function.REPLACE, term(fields, type, d),
                                new Expression.Literal(matchText(), ValueType.TEXT, 1), term(fields, type, d));
                    case 5: {
                        List<Expression> args = new ArrayList<>();
                        int n = 1 + random.nextInt(3);
                        for (int i = 0; i < n; i++) {
                            args.add(term(fields, type, d));
                        }
                        return new Expression.Call(Expression.Function.CONCAT, args, 1);
                    }
                    case 6: {
                        Expression n = term(fields, ValueType.NUMBER, d);
                        if (!exactScales) {
                            n = call(Expression.Function.ROUND, n, whole(0, 3));
                        }
                        return random.nextInt(3) == 0 ? call(Expression.Function.TEXT, term(fields, ValueType.DATE, d))
                                : call(Expression.Function.TEXT, n);
                    }
                    default:
                        return extreme(fields, type, d);
                }
            case DATE:
                switch (random.nextInt(5)) {
                    case 0:
                    case 1:
                        return call(Expression.Function.ADD_DAYS, term(fields, type, d), count());
                    case 2:
                        return call(Expression.Function.START_OF_MONTH, term(fields, type, d));
                    case 3:
                        return call(Expression.Function.DATE, term(fields, localOrZoned(), d));
                    default:
                        return extreme(fields, type, d);
                }
            case TIMESTAMP:
                switch (random.nextInt(5)) {
                    case 0:
                    case 1:
                        return call(pick(List.of(Expression.Function.ADD_DAYS, Expression.Function.ADD_HOURS,
                                Expression.Function.ADD_MINUTES)), term(fields, type, d), count());
                    case 2:
                        return call(Expression.Function.START_OF_DAY, term(fields, localOrZoned(), d));
                    case 3:
                        return call(Expression.Function.START_OF_MONTH, term(fields, localOrZoned(), d));
                    default:
                        return extreme(fields, type, d);
                }
            default: // TIMESTAMP_TZ
                if (random.nextInt(3) == 0) {
                    return extreme(fields, type, d);
                }
                return call(pick(List.of(Expression.Function.ADD_DAYS, Expression.Function.ADD_HOURS,
                        Expression.Function.ADD_MINUTES)), term(fields, type, d), count());
        }
    }

    /**
     * The argument type of a timestamp's date part or truncation: a timestamp, or one with time zone,
     * which is read in the snapshot's zone.
     */
    private ValueType localOrZoned() {
        return random.nextBoolean() ? ValueType.TIMESTAMP : ValueType.TIMESTAMP_TZ;
    }

    /** {@code if}, {@code coalesce}. */
    private Expression conditional(List<Map.Entry<String, ValueType>> fields, ValueType type, int depth) {
        int d = depth - 1;
        if (random.nextBoolean()) {
            valueDepth++;
            try {
                return call(Expression.Function.IF, condition(fields, Math.min(d, 1)), term(fields, type, d),
                        term(fields, type, d));
            } finally {
                valueDepth--;
            }
        }
        List<Expression> args = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            args.add(term(fields, type, d));
        }
        return new Expression.Call(Expression.Function.COALESCE, args, 1);
    }

    /** {@code greatest}, {@code least}: at most three arguments (their SQL grows with each). */
    private Expression extreme(List<Map.Entry<String, ValueType>> fields, ValueType type, int d) {
        List<Expression> args = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            args.add(term(fields, type, Math.min(d, 1)));
        }
        return new Expression.Call(random.nextBoolean() ? Expression.Function.GREATEST : Expression.Function.LEAST,
                args, 1);
    }

    /** A leaf of the type: a field, a literal or (for dates and times) today() / now() / a moved field. */
    private Expression leaf(List<Map.Entry<String, ValueType>> fields, ValueType type) {
        Map.Entry<String, ValueType> f = fieldOf(fields, type);
        int r = random.nextInt(10);
        if (f != null && r < 6) {
            return ref(f);
        }
        switch (type) {
            case NUMBER:
                if (r == 9) {
                    return new Expression.Arithmetic(Expression.ArithmeticOperator.DIVIDE, literal(type),
                            new Expression.Literal(BigDecimal.ZERO, ValueType.NUMBER, 1), 1);
                }
                return literal(type);
            case TEXT:
                return random.nextBoolean() ? new Expression.Literal(matchText(), ValueType.TEXT, 1) : literal(type);
            case DATE:
                return random.nextBoolean() ? call(Expression.Function.TODAY)
                        : call(Expression.Function.DATE, new Expression.Now(ValueType.TIMESTAMP_TZ, 1));
            case TIMESTAMP:
                return call(Expression.Function.START_OF_DAY, new Expression.Now(ValueType.TIMESTAMP_TZ, 1));
            default:
                return new Expression.Now(ValueType.TIMESTAMP_TZ, 1);
        }
    }

    /** A small count of days, hours or minutes, sometimes with a fraction, sometimes computed. */
    private Expression count() {
        switch (random.nextInt(4)) {
            case 0:
                return new Expression.Literal(BigDecimal.valueOf(random.nextInt(801) - 400, random.nextInt(2)),
                        ValueType.NUMBER, 1);
            case 1:
                return new Expression.Negate(new Expression.Literal(BigDecimal.valueOf(random.nextInt(50)),
                        ValueType.NUMBER, 1), 1);
            default:
                return new Expression.Literal(BigDecimal.valueOf(random.nextInt(100)), ValueType.NUMBER, 1);
        }
    }

    private Expression whole(int min, int max) {
        return new Expression.Literal(BigDecimal.valueOf(min + random.nextInt(max - min + 1)), ValueType.NUMBER, 1);
    }

    private static Expression call(Expression.Function f, Expression... args) {
        return new Expression.Call(f, List.of(args), 1);
    }

    /**
     * The expression written in the language (what {@link Expressions#format} returns), to print
     * a failing case; parsing and checking it gives the same tree back (positions aside).
     *
     * @param expression any expression
     * @return its text
     */
    public static String source(Expression expression) {
        return Expressions.format(expression);
    }

    // ------------------------------------------------------------------ expressions

    private Expression condition(List<Map.Entry<String, ValueType>> fields, int depth) {
        if (depth == 0 || random.nextDouble() < 0.3) {
            return predicate(fields);
        }
        switch (random.nextInt(7)) {
            case 0:
            case 1:
                return new Expression.And(condition(fields, depth - 1), condition(fields, depth - 1), 1);
            case 2:
            case 3:
                return new Expression.Or(condition(fields, depth - 1), condition(fields, depth - 1), 1);
            case 4:
            case 5:
                return new Expression.Not(condition(fields, depth - 1), 1);
            default:
                return new Expression.Comparison(operator(), condition(fields, depth - 1),
                        random.nextBoolean() ? condition(fields, depth - 1) : literal(ValueType.BOOLEAN), 1);
        }
    }

    private Expression predicate(List<Map.Entry<String, ValueType>> fields) {
        while (true) {
            Expression e = tryPredicate(fields);
            if (e != null) {
                return e;
            }
        }
    }

    /** One kind of simple condition, or null when the fields do not allow that kind. */
    private Expression tryPredicate(List<Map.Entry<String, ValueType>> fields) {
        if (valuePredicates && valueDepth == 0 && random.nextInt(4) == 0) {
            ValueType t = pick(VALUE_TYPES.subList(0, 5));
            valueDepth++;
            try {
                Expression a = term(fields, t, 2);
                switch (random.nextInt(4)) {
                    case 0:
                        return new Expression.IsEmpty(a, random.nextBoolean(), 1);
                    case 1:
                        if (t == ValueType.TEXT) {
                            return new Expression.TextMatch(random.nextBoolean() ? Expression.TextOperator.CONTAINS
                                    : Expression.TextOperator.STARTS_WITH, a, term(fields, t, 1), 1);
                        }
                        return comparison(a, term(fields, t, 1));
                    case 2:
                        if (t.isTemporal()) { // now() moved, taken in the compared type
                            Expression.Function move = t == ValueType.DATE ? Expression.Function.ADD_DAYS
                                    : pick(List.of(Expression.Function.ADD_DAYS, Expression.Function.ADD_HOURS));
                            return comparison(a, call(move, new Expression.Now(ValueType.TIMESTAMP_TZ, 1), count()));
                        }
                        return comparison(a, term(fields, t, 1));
                    default:
                        return comparison(a, term(fields, t, 1));
                }
            } finally {
                valueDepth--;
            }
        }
        switch (random.nextInt(10)) {
            case 0: {
                Map.Entry<String, ValueType> a = comparableField(fields);
                if (a == null) {
                    return null;
                }
                Map.Entry<String, ValueType> b = fieldOf(fields, a.getValue());
                return comparison(ref(a), ref(b), a.getValue().isOrdered());
            }
            case 1:
            case 2: {
                Map.Entry<String, ValueType> a = comparableField(fields);
                if (a == null) {
                    return null;
                }
                return comparison(ref(a), literal(a.getValue()),
                        a.getValue().isOrdered() || a.getValue() == ValueType.ENUM);
            }
            case 3: {
                Map.Entry<String, ValueType> a = temporalField(fields);
                if (a == null) {
                    return null;
                }
                return comparison(ref(a), new Expression.Now(ValueType.TIMESTAMP_TZ, 1));
            }
            case 4: {
                Map.Entry<String, ValueType> a = anyField(fields);
                if (a == null) {
                    return null;
                }
                return new Expression.IsEmpty(ref(a), random.nextBoolean(), 1);
            }
            case 5: {
                Map.Entry<String, ValueType> a = fieldOf(fields, ValueType.TEXT);
                if (a == null) {
                    return null;
                }
                Expression left = ref(a);
                Expression right;
                if (random.nextInt(3) == 0) {
                    right = ref(fieldOf(fields, ValueType.TEXT));
                } else {
                    right = new Expression.Literal(matchText(), ValueType.TEXT, 1);
                }
                if (random.nextInt(4) == 0) {
                    Expression swap = left;
                    left = right;
                    right = swap;
                }
                Expression.TextOperator op = random.nextBoolean()
                        ? Expression.TextOperator.CONTAINS : Expression.TextOperator.STARTS_WITH;
                return new Expression.TextMatch(op, left, right, 1);
            }
            case 6: {
                Map.Entry<String, ValueType> a = fieldOf(fields, ValueType.BOOLEAN);
                return a == null ? null : ref(a);
            }
            case 7: {
                Map.Entry<String, ValueType> a = fieldOf(fields, ValueType.BOOLEAN);
                return a == null ? null : comparison(ref(a), literal(ValueType.BOOLEAN));
            }
            case 8: {
                if (random.nextInt(3) != 0) {
                    return null;
                }
                ValueType t = pick(CLASSIC);
                return comparison(literal(t), literal(t));
            }
            default: {
                if (random.nextInt(3) != 0) {
                    return null;
                }
                ValueType t = pick(List.of(ValueType.TIMESTAMP, ValueType.TIMESTAMP_TZ, ValueType.DATE));
                return comparison(new Expression.Now(ValueType.TIMESTAMP_TZ, 1), literal(t));
            }
        }
    }

    private Expression comparison(Expression a, Expression b) {
        return comparison(a, b, true);
    }

    /** {@code a op b} or {@code b op a}; {@code ordered}: any operator, else {@code =} or {@code !=}. */
    private Expression comparison(Expression a, Expression b, boolean ordered) {
        Expression.Operator op = ordered ? operator()
                : random.nextBoolean() ? Expression.Operator.EQ : Expression.Operator.NE;
        return random.nextBoolean()
                ? new Expression.Comparison(op, a, b, 1)
                : new Expression.Comparison(op, b, a, 1);
    }

    /** A field whose type has an equality: every type but json, arrays, bytes and intervals. */
    private Map.Entry<String, ValueType> comparableField(List<Map.Entry<String, ValueType>> fields) {
        List<Map.Entry<String, ValueType>> of = new ArrayList<>();
        for (Map.Entry<String, ValueType> f : fields) {
            if (f.getValue().hasEquality()) {
                of.add(f);
            }
        }
        return of.isEmpty() ? null : pick(of);
    }

    private Expression.Operator operator() {
        return pick(List.of(Expression.Operator.values()));
    }

    /** A literal as the parser would produce it: date/time values are written as text in an ISO form. */
    private Expression literal(ValueType type) {
        Object v = nonEmptyValue(type);
        switch (type) {
            case DATE:
                return new Expression.Literal(v.toString(), ValueType.TEXT, 1);
            case TIMESTAMP: {
                LocalDateTime t = (LocalDateTime) v;
                String s;
                switch (random.nextInt(4)) {
                    case 0:
                        s = t.toString();
                        break;
                    case 1:
                        s = MICROS.format(t).replace('T', ' ');
                        break;
                    case 2:
                        s = t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? t.toLocalDate().toString()
                                : MICROS.format(t);
                        break;
                    default:
                        s = MICROS.format(t);
                        break;
                }
                return new Expression.Literal(s, ValueType.TEXT, 1);
            }
            case TIMESTAMP_TZ: {
                OffsetDateTime t = (OffsetDateTime) v;
                String s = random.nextBoolean() ? t.toString()
                        : MICROS.format(t.toLocalDateTime()).replace('T', ' ') + t.getOffset().getId();
                return new Expression.Literal(s, ValueType.TEXT, 1);
            }
            case UUID: {
                String s = v.toString();
                return new Expression.Literal(random.nextBoolean() ? s : s.toUpperCase(java.util.Locale.ROOT), ValueType.TEXT, 1);
            }
            case ENUM:
            case OTHER:
            case TIME:
            case TIME_TZ:
                return new Expression.Literal(v.toString(), ValueType.TEXT, 1);
            case FLOAT: {
                double d = (Double) v;
                // a number literal: NaN and the infinities have none
                return new Expression.Literal(Double.isFinite(d) ? BigDecimal.valueOf(d) : new BigDecimal("-2.5"),
                        ValueType.NUMBER, 1);
            }
            default:
                return new Expression.Literal(v, type, 1);
        }
    }

    /** Text to look for: often part of a pooled value, sometimes a LIKE wildcard or the empty text. */
    private String matchText() {
        switch (random.nextInt(5)) {
            case 0: {
                String s = (String) pick(pools.get(ValueType.TEXT));
                int[] cps = s.codePoints().toArray();
                int from = cps.length == 0 ? 0 : random.nextInt(cps.length + 1);
                int to = from + (cps.length - from == 0 ? 0 : random.nextInt(cps.length - from + 1));
                return new String(cps, from, to - from);
            }
            case 1:
                return pick(List.of("%", "_", "a%", "%a", "_b", "\\", "\\%", "''", "'", ""));
            default:
                return (String) nonEmptyValue(ValueType.TEXT);
        }
    }

    private static Expression ref(Map.Entry<String, ValueType> field) {
        return new Expression.FieldRef(field.getKey(), 1);
    }

    /** The few values of a type beyond the first six, drawn once (lazily, so that runs over those six draw as before). */
    private List<Object> otherPool(ValueType type) {
        List<Object> pool = pools.get(type);
        if (pool != null) {
            return pool;
        }
        pool = new ArrayList<>();
        switch (type) {
            case UUID:
                for (int i = 0; i < POOL_SIZE; i++) {
                    pool.add(new java.util.UUID(random.nextLong(), random.nextLong()));
                }
                pool.add(new java.util.UUID(0, 0));
                pool.add(new java.util.UUID(-1L, -1L));
                break;
            case ENUM:
                pool.addAll(ENUM_LABELS);
                break;
            case OTHER:
                pool.addAll(OTHER_TEXTS);
                break;
            case JSON:
                pool.addAll(JSON_TEXTS);
                break;
            case ARRAY:
                pool.addAll(List.of("[]", "[1,2]", "[null]", "[[1,2],[3,null]]"));
                break;
            case BYTES:
                pool.addAll(List.of(new byte[0], new byte[]{0}, new byte[]{1, 2, (byte) 0xff}));
                break;
            case FLOAT:
                pool.addAll(List.of(0.0, 0.1, -2.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        -0.0, 1e300));
                break;
            case TIME:
                pool.addAll(List.of(java.time.LocalTime.MIDNIGHT, java.time.LocalTime.of(10, 15),
                        java.time.LocalTime.of(23, 59, 59, 999_999_000)));
                break;
            case TIME_TZ:
                pool.addAll(List.of(java.time.OffsetTime.of(10, 15, 0, 0, ZoneOffset.UTC),
                        java.time.OffsetTime.of(10, 15, 0, 0, ZoneOffset.ofHours(2)),
                        java.time.OffsetTime.of(12, 15, 0, 0, ZoneOffset.ofHours(2)),
                        java.time.OffsetTime.of(23, 30, 0, 500_000_000, ZoneOffset.ofHours(-5))));
                break;
            case INTERVAL:
                pool.addAll(List.of("PT0S", "P1D", "P1Y2M3DT4H5M6.5S", "P-1DT2H"));
                break;
            default:
                throw new IllegalArgumentException("no values for " + type);
        }
        pools.put(type, pool);
        return pool;
    }

    private Map.Entry<String, ValueType> anyField(List<Map.Entry<String, ValueType>> fields) {
        return fields.isEmpty() ? null : pick(fields);
    }

    private Map.Entry<String, ValueType> fieldOf(List<Map.Entry<String, ValueType>> fields, ValueType type) {
        List<Map.Entry<String, ValueType>> of = new ArrayList<>();
        for (Map.Entry<String, ValueType> f : fields) {
            if (f.getValue() == type) {
                of.add(f);
            }
        }
        return of.isEmpty() ? null : pick(of);
    }

    private Map.Entry<String, ValueType> temporalField(List<Map.Entry<String, ValueType>> fields) {
        List<Map.Entry<String, ValueType>> of = new ArrayList<>();
        for (Map.Entry<String, ValueType> f : fields) {
            if (f.getValue().isTemporal()) {
                of.add(f);
            }
        }
        return of.isEmpty() ? null : pick(of);
    }

    // ------------------------------------------------------------------ values

    private Object fresh(ValueType type) {
        switch (type) {
            case TEXT:
                return freshText();
            case NUMBER: {
                long unscaled = (long) ((random.nextDouble() * 2 - 1) * 1e11);
                if (random.nextInt(3) == 0) {
                    unscaled = random.nextInt(2001) - 1000;
                }
                return BigDecimal.valueOf(unscaled, random.nextInt(7));
            }
            case BOOLEAN:
                return random.nextBoolean();
            case TIMESTAMP:
                return freshTimestamp();
            case TIMESTAMP_TZ:
                return freshTimestamp().atOffset(pick(OFFSETS));
            default:
                return ORIGIN.toLocalDate().plusDays(random.nextInt((int) (2 * SPREAD_DAYS)) - SPREAD_DAYS);
        }
    }

    private LocalDateTime freshTimestamp() {
        LocalDateTime day = ORIGIN.plusDays(random.nextInt((int) (2 * SPREAD_DAYS)) - SPREAD_DAYS);
        switch (random.nextInt(4)) {
            case 0:
                return day;
            case 1:
                return day.plusSeconds(random.nextInt(86_400));
            default:
                return day.plus(Math.floorMod(random.nextLong(), 86_400_000_000L), ChronoUnit.MICROS);
        }
    }

    private String freshText() {
        if (random.nextInt(8) == 0) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        int pieces = 1 + random.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            s.append(pick(TEXT_PIECES));
        }
        return s.toString();
    }

    /** A value one step away from {@code v} (or equal in value but written differently). */
    private Object adjacent(ValueType type, Object v) {
        int sign = random.nextBoolean() ? 1 : -1;
        switch (type) {
            case TEXT: {
                String s = (String) v;
                switch (random.nextInt(3)) {
                    case 0:
                        return s + pick(TEXT_PIECES);
                    case 1:
                        return s.isEmpty() ? s : s.substring(0, s.offsetByCodePoints(s.length(), -1));
                    default:
                        return pick(TEXT_PIECES) + s;
                }
            }
            case NUMBER: {
                BigDecimal n = (BigDecimal) v;
                if (random.nextBoolean()) {
                    return n.setScale(Math.min(6, n.scale() + 1));
                }
                return n.add(new BigDecimal("0.000001").multiply(BigDecimal.valueOf(sign)));
            }
            case BOOLEAN:
                return !(Boolean) v;
            case TIMESTAMP:
                return ((LocalDateTime) v).plus(sign, ChronoUnit.MICROS);
            case TIMESTAMP_TZ: {
                OffsetDateTime t = (OffsetDateTime) v;
                return random.nextBoolean() ? t.plus(sign, ChronoUnit.MICROS)
                        : t.toInstant().atOffset(pick(OFFSETS));
            }
            default:
                return ((LocalDate) v).plusDays(sign);
        }
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
