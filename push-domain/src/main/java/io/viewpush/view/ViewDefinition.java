package io.viewpush.view;

import io.viewpush.expression.Expression;
import io.viewpush.expression.ExpressionException;
import io.viewpush.expression.Expressions;
import io.viewpush.expression.ValueType;
import io.viewpush.push.PushPolicy;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A view as its author defines it, before the database says what type each field has: name,
 * table, key field, fields (name to column, in order), calculations, filters (all must hold),
 * writable fields and an optional push policy. {@link Builder#build()} checks everything that can
 * be checked without the database; {@link #bind(Map)} adds the field types and checks the rest,
 * giving a {@link View} that can be pushed.
 */
public final class ViewDefinition {
    private final String name;
    private final String table;
    private final List<String> keyFields;
    private final List<Field> fields;
    private final List<Calculation> calculations;
    private final List<String> filters;
    private final Set<String> writable;
    private final Optional<PushPolicy> push;
    private final Map<String, Expression> parsedCalculations;
    private final List<Expression> parsedFilters;
    private final List<String> calculationOrder;

    private ViewDefinition(Builder b, Map<String, Expression> parsedCalculations, List<Expression> parsedFilters,
                           List<String> calculationOrder) {
        this.name = b.name;
        this.table = b.table;
        this.keyFields = List.copyOf(b.keyFields);
        this.fields = List.copyOf(b.fields);
        this.calculations = List.copyOf(b.calculations);
        this.filters = List.copyOf(b.filters);
        this.writable = Set.copyOf(new LinkedHashSet<>(b.writable));
        this.push = Optional.ofNullable(b.push);
        this.parsedCalculations = Map.copyOf(parsedCalculations);
        this.parsedFilters = List.copyOf(parsedFilters);
        this.calculationOrder = List.copyOf(calculationOrder);
    }

    /**
     * @param name  the view's name, unique in an engine (used in URLs, URL-encoded)
     * @param table the table the view selects from, exactly as the database names it
     * @return a builder
     */
    public static Builder builder(String name, String table) {
        return new Builder(name, table);
    }

    /** @return a builder holding this definition */
    public Builder toBuilder() {
        Builder b = new Builder(name, table);
        b.keyFields.addAll(keyFields);
        b.fields.addAll(fields);
        b.calculations.addAll(calculations);
        b.filters.addAll(filters);
        b.writable.addAll(writable);
        b.push = push.orElse(null);
        return b;
    }

    /** @return a copy with another push policy (or none) */
    public ViewDefinition withPush(PushPolicy policy) {
        return toBuilder().push(policy).build();
    }

    /** @return the view's name */
    public String name() {
        return name;
    }

    /** @return the table it selects from */
    public String table() {
        return table;
    }

    /**
     * @return the first key field: for a one-column key (the usual case) the field that identifies
     *         a row; for a composite key see {@link #keyFields()}
     */
    public String keyField() {
        return keyFields.get(0);
    }

    /**
     * @return the fields whose values together identify a row, in key order (one or more): rows are
     *         read, paged and stamped in this order, and a row's {@link RowKey} holds their values
     */
    public List<String> keyFields() {
        return keyFields;
    }

    /** @return the plain fields in order */
    public List<Field> fields() {
        return fields;
    }

    /** @return the calculations in order */
    public List<Calculation> calculations() {
        return calculations;
    }

    /** @return the filter texts, all of which must hold */
    public List<String> filters() {
        return filters;
    }

    /** @return the fields the row update API may change */
    public Set<String> writable() {
        return writable;
    }

    /** @return the push policy; empty for a pull-only view */
    public Optional<PushPolicy> push() {
        return push;
    }

    /** @return the plain field of that name */
    public Optional<Field> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /**
     * Adds the field types the database reports and type-checks the calculations and filters.
     *
     * @param fieldTypes the type of every plain field, by field name
     * @return the view, ready to push
     * @throws InvalidViewException listing every problem: a field without a type, a stamp field
     *                              that is not a date/time, a filter that is not boolean, a type error
     */
    public View bind(Map<String, ValueType> fieldTypes) {
        return bind(fieldTypes, Map.of());
    }

    /**
     * {@link #bind(Map)} with the labels of the view's enum fields, so that expressions comparing
     * them with a label are checked against the labels and ordered by them.
     *
     * @param enumLabels the labels of each enum field in their type's order, by field name
     * @return the view, ready to push
     * @throws InvalidViewException as {@link #bind(Map)}, also for a label an enum field does not have
     */
    public View bind(Map<String, ValueType> fieldTypes, Map<String, List<String>> enumLabels) {
        Map<String, List<String>> labels = new HashMap<>(enumLabels);
        List<Problem> problems = new ArrayList<>();
        Map<String, ValueType> types = new LinkedHashMap<>();
        // fields without a type and calculations that failed: expressions using them are not checked,
        // so that one problem is reported once rather than again as an "unknown field" everywhere
        Set<String> broken = new HashSet<>();
        for (Field f : fields) {
            ValueType t = fieldTypes.get(f.name());
            if (t == null) {
                problems.add(Problem.of(name, "fields." + f.name(), "no type is known for field '" + f.name()
                        + "' (column '" + f.column() + "' of table '" + table + "')"));
                broken.add(f.name());
            } else {
                types.put(f.name(), t);
            }
        }
        Map<String, Expression> checkedCalcs = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        calculations.forEach(c -> sources.put(c.name(), c.expression()));
        for (String calc : calculationOrder) {
            if (usesAny(parsedCalculations.get(calc), broken)) {
                broken.add(calc);
                continue;
            }
            try {
                Expression checked = Expressions.check(sources.get(calc), parsedCalculations.get(calc), types, labels);
                checkedCalcs.put(calc, checked);
                types.put(calc, Expressions.typeOf(checked, types));
                if (checked instanceof Expression.FieldRef && labels.containsKey(((Expression.FieldRef) checked).name())) {
                    labels.put(calc, labels.get(((Expression.FieldRef) checked).name()));
                }
            } catch (ExpressionException e) {
                problems.add(expressionProblem("calculations." + calc, e));
                broken.add(calc);
            }
        }
        List<Expression> checkedFilters = new ArrayList<>();
        for (int i = 0; i < parsedFilters.size(); i++) {
            String key = "filters[" + (i + 1) + "]";
            if (usesAny(parsedFilters.get(i), broken)) {
                continue;
            }
            try {
                Expression checked = Expressions.check(filters.get(i), parsedFilters.get(i), types, labels);
                ValueType t = Expressions.typeOf(checked, types);
                if (t != ValueType.BOOLEAN) {
                    problems.add(new Problem(name, key, "a filter must be true or false, but \"" + filters.get(i)
                            + "\" is " + (t == ValueType.TEXT ? "" : "a ") + t.label(), Optional.of(1)));
                } else {
                    checkedFilters.add(checked);
                }
            } catch (ExpressionException e) {
                problems.add(expressionProblem(key, e));
            }
        }
        push.ifPresent(p -> {
            ValueType stampType = types.get(p.stampField());
            if (stampType != null && stampType != ValueType.TIMESTAMP && stampType != ValueType.TIMESTAMP_TZ) {
                problems.add(Problem.of(name, "push.stamp", "the stamp field '" + p.stampField()
                        + "' must be a timestamp (with or without time zone), but it is a " + stampType.label()));
            }
            p.modifiedField().ifPresent(m -> {
                ValueType modifiedType = types.get(m);
                if (checkedCalcs.containsKey(m)) {
                    ModifiedCalculation.typed(name, m, sources.get(m), checkedCalcs.get(m), modifiedType)
                            .ifPresent(problems::add);
                } else if (modifiedType != null && !CLASSIC.contains(modifiedType)) {
                    problems.add(Problem.of(name, "push.modified", "the modified field '" + m + "' is "
                            + article(modifiedType) + "; it must be a timestamp, a date, a number, text or a boolean,"
                            + " whose value changes whenever the row does"));
                }
            });
        });
        for (String keyField : keyFields) {
            ValueType keyType = types.get(keyField);
            if (keyType != null && !CLASSIC.contains(keyType) && keyType != ValueType.UUID) {
                problems.add(Problem.of(name, "key", "the key field '" + keyField + "' is " + article(keyType)
                        + "; a key must be a number, text, a uuid, a date or a timestamp"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidViewException(problems);
        }
        return new View(this, types, checkedCalcs, checkedFilters);
    }

    /** The types every store keeps in its own tables (keys and modified values of stamp batches). */
    private static final Set<ValueType> CLASSIC = Set.of(ValueType.TEXT, ValueType.NUMBER, ValueType.BOOLEAN,
            ValueType.TIMESTAMP, ValueType.TIMESTAMP_TZ, ValueType.DATE);

    private static String article(ValueType t) {
        return t == ValueType.TEXT ? "text" : (t == ValueType.ENUM || t == ValueType.ARRAY || t == ValueType.INTERVAL
                ? "an " : "a ") + t.label();
    }

    private static boolean usesAny(Expression e, Set<String> names) {
        for (String ref : Expressions.references(e)) {
            if (names.contains(ref)) {
                return true;
            }
        }
        return false;
    }

    private Problem expressionProblem(String key, ExpressionException e) {
        return new Problem(name, key, e.detail() + " in \"" + e.source() + "\"", Optional.of(e.position()));
    }

    @Override
    public String toString() {
        return "ViewDefinition[" + name + " on " + table + "]";
    }

    /** Builds a {@link ViewDefinition}; {@link #build()} reports every structural problem at once. */
    public static final class Builder {
        private final String name;
        private final String table;
        private final List<String> keyFields = new ArrayList<>();
        private final List<Field> fields = new ArrayList<>();
        private final List<Calculation> calculations = new ArrayList<>();
        private final List<String> filters = new ArrayList<>();
        private final List<String> writable = new ArrayList<>();
        private PushPolicy push;

        private Builder(String name, String table) {
            this.name = name;
            this.table = table;
        }

        /** @param fieldName the field that identifies a row (required: this or a composite key) */
        public Builder key(String fieldName) {
            keyFields.clear();
            keyFields.add(fieldName);
            return this;
        }

        /**
         * A composite key: the fields whose values together identify a row, in key order (the
         * order rows are read, paged and stamped in, and the order of the key's values in a row
         * update's path). One field is the same as {@link #key(String)}.
         *
         * @param fieldNames one or more fields, each at most once
         */
        public Builder key(String... fieldNames) {
            return key(List.of(fieldNames));
        }

        /** @param fieldNames the key's fields in key order, as {@link #key(String...)} */
        public Builder key(List<String> fieldNames) {
            keyFields.clear();
            keyFields.addAll(fieldNames);
            return this;
        }

        /**
         * Adds a field; fields keep the order in which they are added.
         *
         * <p>Besides a column of the view's table, a field may show a column of a table reached
         * through foreign keys (a lookup, read-only: {@code "customer.name"},
         * {@code "customer.address.city.city"}, {@code "language[original_language_id].name"}) or a
         * summary of the rows of another table that refer to the view's row ({@code "count(rental)"},
         * {@code "sum(order_line.amount)"}, {@code "max(payment.payment_date)"}): see {@link FieldPath}.
         *
         * @param fieldName the name the view shows
         * @param column    the table's column, or a lookup or summary
         */
        public Builder field(String fieldName, String column) {
            fields.add(new Field(fieldName, column));
            return this;
        }

        /** Adds a field whose name is its column's name. */
        public Builder field(String column) {
            return field(column, column);
        }

        /** Adds a calculation; calculations follow the fields, in the order added. */
        public Builder calculation(String fieldName, String expression) {
            calculations.add(new Calculation(fieldName, expression));
            return this;
        }

        /** Adds a filter; all filters must hold for a row to be in the view. */
        public Builder filter(String expression) {
            filters.add(expression);
            return this;
        }

        /** Marks fields that the row update API may change. */
        public Builder writable(String... fieldNames) {
            writable.addAll(List.of(fieldNames));
            return this;
        }

        /** @param policy the push policy, or null for a pull-only view (the default) */
        public Builder push(PushPolicy policy) {
            this.push = policy;
            return this;
        }

        /**
         * @return the definition
         * @throws InvalidViewException listing every problem found
         */
        public ViewDefinition build() {
            String viewName = name == null ? "" : name;
            List<Problem> problems = new ArrayList<>();
            if (name == null || name.isBlank()) {
                problems.add(Problem.of(viewName, "name", "a view needs a name"));
            } else if (!name.equals(name.strip())) {
                problems.add(Problem.of(viewName, "name", "the name must not start or end with spaces"));
            }
            if (table == null || table.isBlank()) {
                problems.add(Problem.of(viewName, "table", "a view needs the table it selects from"));
            }
            if (fields.isEmpty()) {
                problems.add(Problem.of(viewName, "fields", "a view needs at least one field"));
            }
            Set<String> plain = new LinkedHashSet<>();
            Set<String> all = new LinkedHashSet<>();
            // lookups and summaries, with how to name them: read-only, never a key, stamp or modified field
            Map<String, String> derived = new LinkedHashMap<>();
            for (Field f : fields) {
                if (f.name().isBlank()) {
                    problems.add(Problem.of(viewName, "fields", "a field name must not be blank"));
                } else if (!all.add(f.name())) {
                    problems.add(Problem.of(viewName, "fields." + f.name(), "the name '" + f.name() + "' is used twice"));
                }
                if (f.column().isBlank()) {
                    problems.add(Problem.of(viewName, "fields." + f.name(), "the column must not be blank"));
                }
                try {
                    f.path().ifPresent(p -> derived.put(f.name(), p.isSummary() ? "a summary (" + f.column() + ")"
                            : "a lookup (" + f.column() + ")"));
                } catch (IllegalArgumentException e) {
                    problems.add(Problem.of(viewName, "fields." + f.name(), e.getMessage()));
                    derived.put(f.name(), "'" + f.column() + "'");
                }
                plain.add(f.name());
            }
            for (Calculation c : calculations) {
                if (c.name().isBlank()) {
                    problems.add(Problem.of(viewName, "calculations", "a calculation name must not be blank"));
                } else if (!all.add(c.name())) {
                    problems.add(Problem.of(viewName, "calculations." + c.name(), "the name '" + c.name()
                            + "' is used twice"));
                }
            }
            if (keyFields.isEmpty() || keyFields.stream().anyMatch(k -> k == null || k.isBlank())) {
                problems.add(Problem.of(viewName, "key", keyFields.size() > 1
                        ? "a key field must not be blank: " + keyFields
                        : "a view needs a key field that identifies a row"));
            } else {
                Set<String> seen = new HashSet<>();
                for (String k : keyFields) {
                    if (!plain.contains(k)) {
                        problems.add(Problem.of(viewName, "key", "the key '" + k + "' is not one of the fields "
                                + plain + (all.contains(k) ? " (a calculation cannot be a key)" : "")));
                    } else if (derived.containsKey(k)) {
                        problems.add(Problem.of(viewName, "key", "the key field '" + k + "' is " + derived.get(k)
                                + "; a key is made of columns of the view's own table"));
                    } else if (!seen.add(k)) {
                        problems.add(Problem.of(viewName, "key", "the key field '" + k + "' appears twice in the key "
                                + keyFields));
                    }
                }
            }
            for (String w : writable) {
                if (!plain.contains(w)) {
                    problems.add(Problem.of(viewName, "writable", "'" + w + "' is not one of the fields " + plain
                            + (all.contains(w) ? " (a calculation cannot be written)" : "")));
                } else if (derived.containsKey(w)) {
                    problems.add(Problem.of(viewName, "writable", "field '" + w + "' is " + derived.get(w)
                            + ", which is read-only: the row update API writes only columns of the view's own table '"
                            + table + "'"));
                } else if (keyFields.contains(w)) {
                    problems.add(Problem.of(viewName, "writable", "the key field '" + w + "' cannot be writable"));
                }
            }
            if (push != null) {
                if (!plain.contains(push.stampField())) {
                    problems.add(Problem.of(viewName, "push.stamp", "the stamp field '" + push.stampField()
                            + "' is not one of the fields " + plain));
                } else if (derived.containsKey(push.stampField())) {
                    problems.add(Problem.of(viewName, "push.stamp", "the stamp field '" + push.stampField() + "' is "
                            + derived.get(push.stampField()) + "; a push stamps a column of the view's own table"));
                } else if (keyFields.contains(push.stampField())) {
                    problems.add(Problem.of(viewName, "push.stamp", "the key field cannot be the stamp field"));
                }
                push.modifiedField().ifPresent(m -> {
                    if (!plain.contains(m) && all.contains(m)) {
                        return; // a calculation: checked once the calculations are parsed (ModifiedCalculation)
                    }
                    if (!plain.contains(m)) {
                        problems.add(Problem.of(viewName, "push.modified", "the modified field '" + m
                                + "' is not one of the fields " + plain));
                    } else if (derived.containsKey(m)) {
                        problems.add(Problem.of(viewName, "push.modified", "the modified field '" + m + "' is "
                                + derived.get(m) + "; the modified field is a column of the view's own table, or a calculation"
                                + " that uses the lookup, e.g. greatest({last update}, {" + m.replace("}", "}}") + "})"));
                    } else if (m.equals(push.stampField())) {
                        problems.add(Problem.of(viewName, "push.modified", "the modified field cannot be the stamp field"));
                    }
                });
            }
            Map<String, Expression> parsedCalcs = new LinkedHashMap<>();
            for (Calculation c : calculations) {
                Expression e = parse(viewName, "calculations." + c.name(), c.expression(), all, problems);
                if (e != null) {
                    parsedCalcs.put(c.name(), e);
                }
            }
            List<Expression> parsedFilters = new ArrayList<>();
            for (int i = 0; i < filters.size(); i++) {
                Expression e = parse(viewName, "filters[" + (i + 1) + "]", filters.get(i), all, problems);
                parsedFilters.add(e);
            }
            List<String> order = calculationOrder(viewName, parsedCalcs, problems);
            if (push != null && push.modifiedField().isPresent() && parsedCalcs.containsKey(push.modifiedField().get())
                    && problems.isEmpty()) {
                problems.addAll(ModifiedCalculation.structural(viewName, push, calculations, parsedCalcs));
            }
            if (!problems.isEmpty()) {
                throw new InvalidViewException(problems);
            }
            return new ViewDefinition(this, parsedCalcs, parsedFilters, order);
        }

        private static Expression parse(String view, String key, String source, Set<String> known, List<Problem> problems) {
            if (source == null || source.isBlank()) {
                problems.add(Problem.of(view, key, "the expression is empty"));
                return null;
            }
            try {
                Expression e = Expressions.parse(source);
                for (String ref : Expressions.references(e)) {
                    if (!known.contains(ref)) {
                        int at = positionOf(e, ref);
                        problems.add(new Problem(view, key, "unknown field " + braced(ref) + " at " + at + " in \""
                                + source + "\"; the view has " + known.stream().map(Builder::braced)
                                .collect(Collectors.joining(", ")), Optional.of(at)));
                    }
                }
                return e;
            } catch (ExpressionException ex) {
                problems.add(new Problem(view, key, ex.detail() + " in \"" + source + "\"", Optional.of(ex.position())));
                return null;
            }
        }

        private static String braced(String fieldName) {
            return "{" + fieldName.replace("}", "}}") + "}";
        }

        /** The position of the first reference to {@code ref} in the tree, in reading order. */
        private static int positionOf(Expression e, String ref) {
            if (e instanceof Expression.FieldRef) {
                return ((Expression.FieldRef) e).name().equals(ref) ? e.position() : -1;
            }
            List<Expression> children = Expressions.children(e);
            for (Expression child : children) {
                int at = positionOf(child, ref);
                if (at > 0) {
                    return at;
                }
            }
            return -1;
        }

        /** Orders calculations so that each comes after those it uses; reports cycles. */
        private static List<String> calculationOrder(String view, Map<String, Expression> calcs, List<Problem> problems) {
            List<String> order = new ArrayList<>();
            Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
            for (String c : calcs.keySet()) {
                visit(view, c, calcs, state, order, new ArrayDeque<>(), problems);
            }
            return order;
        }

        private static void visit(String view, String c, Map<String, Expression> calcs, Map<String, Integer> state,
                                  List<String> order, Deque<String> path, List<Problem> problems) {
            Integer s = state.get(c);
            if (s != null && s == 2) {
                return;
            }
            if (s != null && s == 1) {
                List<String> cycle = new ArrayList<>(path);
                int from = cycle.indexOf(c);
                List<String> loop = new ArrayList<>(cycle.subList(from, cycle.size()));
                loop.add(c);
                problems.add(Problem.of(view, "calculations." + c, "calculations refer to each other in a cycle: "
                        + String.join(" -> ", loop)));
                state.put(c, 2);
                return;
            }
            state.put(c, 1);
            path.addLast(c);
            for (String ref : Expressions.references(calcs.get(c))) {
                if (calcs.containsKey(ref)) {
                    visit(view, ref, calcs, state, order, path, problems);
                }
            }
            path.removeLast();
            if (state.get(c) == 1) {
                state.put(c, 2);
                order.add(c);
            }
        }
    }
}
