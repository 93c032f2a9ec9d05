package io.viewpush.view;

import io.viewpush.expression.Expression;
import io.viewpush.expression.Expressions;
import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.push.PushPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A view whose field types are known and whose expressions are type-checked: what the ports read,
 * send, stamp and update. Obtain one from {@link ViewDefinition#bind(Map)}. Immutable.
 */
public final class View {
    private final ViewDefinition definition;
    private final Map<String, ValueType> types;
    private final Map<String, Expression> calculations;
    private final Map<String, Expression> inlinedCalculations;
    private final List<Expression> filters;
    private final List<Expression> inlinedFilters;
    private final Columns columns;

    View(ViewDefinition definition, Map<String, ValueType> types, Map<String, Expression> calculations,
         List<Expression> filters) {
        this.definition = definition;
        this.types = Map.copyOf(types);
        this.calculations = Map.copyOf(calculations);
        this.filters = List.copyOf(filters);
        Map<String, Expression> inlined = new HashMap<>();
        for (Map.Entry<String, Expression> e : calculations.entrySet()) {
            inlined.put(e.getKey(), Expressions.inline(e.getValue(), calculations));
        }
        this.inlinedCalculations = Map.copyOf(inlined);
        List<Expression> inf = new ArrayList<>();
        for (Expression f : filters) {
            inf.add(Expressions.inline(f, calculations));
        }
        this.inlinedFilters = List.copyOf(inf);
        List<String> names = new ArrayList<>();
        List<ValueType> ts = new ArrayList<>();
        for (Field f : definition.fields()) {
            names.add(f.name());
            ts.add(types.get(f.name()));
        }
        for (Calculation c : definition.calculations()) {
            names.add(c.name());
            ts.add(types.get(c.name()));
        }
        this.columns = new Columns(names, ts, definition.keyFields());
    }

    /** @return the definition this view was bound from */
    public ViewDefinition definition() {
        return definition;
    }

    /** @return the view's name */
    public String name() {
        return definition.name();
    }

    /** @return the table it selects from */
    public String table() {
        return definition.table();
    }

    /** @return the (first) key field: for a one-column key, the field that identifies a row */
    public String keyField() {
        return definition.keyField();
    }

    /** @return the key's fields in key order (one or more) */
    public List<String> keyFields() {
        return definition.keyFields();
    }

    /** @return the plain fields in order */
    public List<Field> fields() {
        return definition.fields();
    }

    /** @return the output fields (fields, then calculations) and their types */
    public Columns columns() {
        return columns;
    }

    /** @return the fields the row update API may change */
    public Set<String> writable() {
        return definition.writable();
    }

    /** @return the push policy; empty for a pull-only view */
    public Optional<PushPolicy> push() {
        return definition.push();
    }

    /**
     * @return the type of a field or calculation
     * @throws NoSuchElementException when the view has none of that name
     */
    public ValueType typeOf(String fieldOrCalculation) {
        ValueType t = types.get(fieldOrCalculation);
        if (t == null) {
            throw new NoSuchElementException("view '" + name() + "' has no field '" + fieldOrCalculation + "'");
        }
        return t;
    }

    /**
     * @return the column of a plain field
     * @throws NoSuchElementException when it is not a plain field of this view
     */
    public String columnOf(String field) {
        return definition.field(field).map(Field::column)
                .orElseThrow(() -> new NoSuchElementException("view '" + name() + "' has no plain field '" + field + "'"));
    }

    /** @return the checked expressions of the calculations, by name; they may reference each other */
    public Map<String, Expression> calculations() {
        return calculations;
    }

    /** @return the calculations with references to other calculations inlined: plain fields only */
    public Map<String, Expression> inlinedCalculations() {
        return inlinedCalculations;
    }

    /** @return the checked filters; they may reference calculations */
    public List<Expression> filters() {
        return filters;
    }

    /** @return the filters with calculations inlined: plain fields only, what SQL translation needs */
    public List<Expression> inlinedFilters() {
        return inlinedFilters;
    }

    /**
     * Computes a full row (fields then calculations) from the values of the plain fields.
     *
     * @param plainValues value of each plain field by field name, {@code null} for empty
     * @param snapshot    what {@code now()} stands for
     * @return the row
     */
    public Row computeRow(Function<String, Object> plainValues, Snapshot snapshot) {
        Object[] values = new Object[columns.size()];
        Map<String, Object> known = new HashMap<>();
        List<Field> fs = definition.fields();
        for (int i = 0; i < fs.size(); i++) {
            Object v = plainValues.apply(fs.get(i).name());
            values[i] = v;
            known.put(fs.get(i).name(), v);
        }
        List<Calculation> cs = definition.calculations();
        for (int i = 0; i < cs.size(); i++) {
            Object v = Expressions.evaluate(inlinedCalculations.get(cs.get(i).name()), known::get, snapshot);
            values[fs.size() + i] = v;
        }
        return Row.of(columns, values);
    }

    /**
     * @param row      a row of this view
     * @param snapshot what {@code now()} stands for
     * @return whether every filter holds for the row (an empty boolean counts as false)
     */
    public boolean includes(Row row, Snapshot snapshot) {
        for (Expression f : inlinedFilters) {
            if (!Expressions.test(f, row::get, snapshot)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "View[" + name() + " on " + table() + ", " + columns.names() + "]";
    }
}
