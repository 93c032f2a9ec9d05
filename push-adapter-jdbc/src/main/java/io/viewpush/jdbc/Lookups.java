package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.view.FieldPath;
import io.viewpush.view.ForeignKey;
import io.viewpush.view.ResolvedPath;
import io.viewpush.view.TableRef;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Table;
import org.jooq.TableLike;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of a view's lookups and summaries. A lookup is a column of a table LEFT JOINed along
 * its foreign keys (so a missing related row gives an empty field and never removes the view's
 * row; lookups that share a first part of their path share its joins). A summary is a correlated
 * subquery over the rows that refer to the view's row ({@code count(*)} is 0 over none; {@code sum},
 * {@code min}, {@code max} are empty). The view's own table is never aliased, so every statement
 * that does not read lookups (stamping, the optimistic check) stays as it was.
 */
final class Lookups {
    /**
     * A lookup or summary of one field.
     *
     * @param path       the path followed
     * @param column     the column read at the end; null for a count
     * @param columnType the database's description of that column, or null
     * @param type       the field's view type
     */
    record Derived(ResolvedPath path, Schema.Column column, ColumnType columnType, ValueType type) {
    }

    private final Dialect dialect;
    private final Name base;
    private final Map<String, Derived> byField;
    /** Each joined path (its foreign keys, in order) and the alias of the table it ends at. */
    private final Map<List<ForeignKey>, String> aliases = new LinkedHashMap<>();
    private final List<Join> joins = new ArrayList<>();
    /**
     * In the grouped form ({@link #grouped}), the referring rows a summary reads are only those
     * that refer to a row of the view's table that meets this condition (null: all of them).
     */
    private final Condition restriction;
    private final boolean grouped;
    /** In the grouped form, each summary's derived table, by field, with its alias. */
    private final Map<String, Name> groups = new LinkedHashMap<>();
    private final List<Join> groupJoins = new ArrayList<>();

    private record Join(Table<?> table, Condition on) {
    }

    Lookups(Dialect dialect, Name base, Map<String, Derived> byField) {
        this(dialect, base, byField, false, null);
    }

    private Lookups(Dialect dialect, Name base, Map<String, Derived> byField, boolean grouped, Condition restriction) {
        this.dialect = dialect;
        this.base = base;
        this.byField = Map.copyOf(byField);
        this.grouped = grouped;
        this.restriction = restriction;
        for (Derived d : this.byField.values()) {
            if (!d.path().path().isSummary()) {
                join(d.path().hops());
            }
        }
        if (grouped) {
            for (Map.Entry<String, Derived> e : this.byField.entrySet()) {
                // the min or max of text stays an ordered subquery: code-point order, not the collation's min
                if (e.getValue().path().path().isSummary() && e.getValue().type() != ValueType.TEXT) {
                    group(e.getKey(), e.getValue());
                }
            }
        }
    }

    /**
     * @param restriction a condition on the view's own table that every row the read returns meets
     *                    (the view's filters that use no lookup or summary), or null for none
     * @return the same lookups, with each summary read from a grouped derived table LEFT JOINed to
     *         the view's table instead of a correlated subquery: the same values (a count over no
     *         rows is 0, the others empty), but one pass over the referring rows of the rows read
     *         (PostgreSQL merges it along the foreign key's index) instead of one subquery a row.
     *         For a read of many rows; a read of a few rows is cheaper with the correlated form,
     *         which probes the referring rows of each row only.
     */
    Lookups grouped(Condition restriction) {
        return new Lookups(dialect, base, byField, true, restriction);
    }

    /** @return whether the view has a summary */
    boolean summaries() {
        return byField.values().stream().anyMatch(d -> d.path().path().isSummary());
    }

    boolean isEmpty() {
        return byField.isEmpty();
    }

    boolean has(String field) {
        return byField.containsKey(field);
    }

    Derived derived(String field) {
        return byField.get(field);
    }

    /** @return whether the view's rows are read from joined tables (it has lookups) */
    boolean joins() {
        return !joins.isEmpty() || !groupJoins.isEmpty();
    }

    /** @return the view's table with every lookup's table LEFT JOINed to it */
    TableLike<?> from(Table<?> table) {
        Table<?> t = table;
        for (Join j : joins) {
            t = t.leftJoin(j.table()).on(j.on());
        }
        for (Join j : groupJoins) {
            t = t.leftJoin(j.table()).on(j.on());
        }
        return t;
    }

    private String join(List<ResolvedPath.Hop> hops) {
        List<ForeignKey> so = new ArrayList<>();
        Name from = base;
        String alias = null;
        for (ResolvedPath.Hop hop : hops) {
            so.add(hop.key());
            String known = aliases.get(so);
            if (known == null) {
                known = "viewpush_j" + (aliases.size() + 1);
                aliases.put(List.copyOf(so), known);
                joins.add(new Join(table(hop.to()).as(known), matches(hop.key(), from, DSL.name(known))));
            }
            alias = known;
            from = DSL.name(known);
        }
        return alias;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Condition equal(Field<?> a, Field<?> b) {
        return ((Field) a).eq((Field) b);
    }

    /** The referring columns of {@code key} (in {@code referring}) equal to the ones they refer to (in {@code referred}). */
    private static Condition matches(ForeignKey key, Name referring, Name referred) {
        Condition c = DSL.noCondition();
        for (int i = 0; i < key.columns().size(); i++) {
            c = c.and(DSL.field(referred.append(key.referencedColumns().get(i)))
                    .eq(DSL.field(referring.append(key.columns().get(i)))));
        }
        return c;
    }

    private static Table<?> table(TableRef t) {
        return DSL.table(t.schema() == null ? DSL.name(t.name()) : DSL.name(t.schema(), t.name()));
    }

    /** @return the field's SQL value: the joined column, or the summary's subquery */
    Field<?> value(String field) {
        Derived d = byField.get(field);
        Name group = groups.get(field);
        if (group != null) {
            if (d.path().path().aggregate().orElseThrow() == FieldPath.Aggregate.COUNT) {
                return DSL.coalesce(DSL.field(group.append("v"), SQLDataType.BIGINT), DSL.inline(0L))
                        .coerce(SqlTypes.of(ValueType.NUMBER));
            }
            return DSL.field(group.append("v")).coerce(SqlTypes.of(d.type()));
        }
        return d.path().path().isSummary() ? summary(d) : read(DSL.name(aliases.get(keys(d.path().hops()))), d);
    }

    /**
     * The grouped form of a summary: {@code LEFT JOIN (SELECT fk, agg(...) AS v FROM referring rows
     * WHERE fk IN (SELECT key FROM the view's table WHERE restriction) GROUP BY fk) ON fk = key}.
     */
    private void group(String field, Derived d) {
        List<ResolvedPath.Hop> hops = d.path().hops();
        ForeignKey key = hops.get(0).key();
        Name s0 = DSL.name("viewpush_s0");
        Table<?> from = table(hops.get(0).to()).as(s0);
        Name at = s0;
        for (int i = 1; i < hops.size(); i++) {
            Name next = DSL.name("viewpush_s" + i);
            from = from.leftJoin(table(hops.get(i).to()).as(next)).on(matches(hops.get(i).key(), at, next));
            at = next;
        }
        List<org.jooq.SelectFieldOrAsterisk> select = new ArrayList<>();
        List<Field<?>> referring = new ArrayList<>();
        List<Field<?>> referred = new ArrayList<>();
        for (int i = 0; i < key.columns().size(); i++) {
            Field<?> column = DSL.field(s0.append(key.columns().get(i)));
            referring.add(column);
            referred.add(DSL.field(base.append(key.referencedColumns().get(i))));
            select.add(column.as("k" + i));
        }
        FieldPath.Aggregate aggregate = d.path().path().aggregate().orElseThrow();
        Field<?> value;
        switch (aggregate) {
            case COUNT:
                value = DSL.count();
                break;
            case SUM:
                value = DSL.sum(read(at, d).coerce(SQLDataType.NUMERIC));
                break;
            case MIN:
                value = DSL.min(read(at, d));
                break;
            default:
                value = DSL.max(read(at, d));
                break;
        }
        select.add(value.as("v"));
        Condition only = restriction == null ? DSL.noCondition()
                : DSL.row(referring).in(DSL.select(referred).from(DSL.table(base)).where(restriction));
        Name alias = DSL.name("viewpush_g" + (groups.size() + 1));
        Table<?> derived = DSL.select(select).from(from).where(only).groupBy(referring).asTable(alias.last());
        Condition on = DSL.noCondition();
        for (int i = 0; i < referred.size(); i++) {
            on = on.and(equal(DSL.field(alias.append("k" + i)), referred.get(i)));
        }
        groups.put(field, alias);
        groupJoins.add(new Join(derived, on));
    }

    private static List<ForeignKey> keys(List<ResolvedPath.Hop> hops) {
        List<ForeignKey> keys = new ArrayList<>();
        hops.forEach(h -> keys.add(h.key()));
        return keys;
    }

    /** The column at the end of a path, read as a column of the view's own table would be. */
    private Field<?> read(Name alias, Derived d) {
        Field<?> raw = DSL.field(alias.append(d.column().name()), SqlTypes.of(d.type()));
        if (d.type() == ValueType.TEXT && d.column().isCharacter()) {
            return DSL.rtrim(raw.cast(SQLDataType.VARCHAR));
        }
        return d.columnType() == null ? raw : dialect.columnTypes().read(raw, d.columnType());
    }

    private Field<?> summary(Derived d) {
        List<ResolvedPath.Hop> hops = d.path().hops();
        ResolvedPath.Hop first = hops.get(0);
        Name s0 = DSL.name("viewpush_s0");
        Table<?> from = table(first.to()).as(s0);
        Name at = s0;
        for (int i = 1; i < hops.size(); i++) {
            Name next = DSL.name("viewpush_s" + i);
            from = from.leftJoin(table(hops.get(i).to()).as(next)).on(matches(hops.get(i).key(), at, next));
            at = next;
        }
        Condition refers = matches(first.key(), s0, base);
        FieldPath.Aggregate aggregate = d.path().path().aggregate().orElseThrow();
        if (aggregate == FieldPath.Aggregate.COUNT) {
            return DSL.field(DSL.select(DSL.count()).from(from).where(refers)).coerce(SqlTypes.of(ValueType.NUMBER));
        }
        Field<?> column = read(at, d);
        if (d.type() == ValueType.TEXT) {
            // text is ordered by code point, as the domain orders it, not by the database's collation
            @SuppressWarnings("unchecked")
            Field<?> order = dialect.codePointOrder((Field<String>) column);
            return DSL.field(DSL.select(column).from(from).where(refers.and(column.isNotNull()))
                    .orderBy(aggregate == FieldPath.Aggregate.MIN ? order.asc() : order.desc()).limit(1))
                    .coerce(SqlTypes.of(d.type()));
        }
        Field<?> value;
        switch (aggregate) {
            case SUM:
                value = DSL.sum(column.coerce(SQLDataType.NUMERIC));
                break;
            case MIN:
                value = DSL.min(column);
                break;
            default:
                value = DSL.max(column);
                break;
        }
        return DSL.field(DSL.select(value).from(from).where(refers)).coerce(SqlTypes.of(d.type()));
    }

    /**
     * @return the field's value for a statement on the view's own table alone (an UPDATE or MERGE of
     *         it, such as stamping's optimistic check): a lookup as a correlated subquery that follows
     *         its foreign keys from the row (no row, so empty, where the chain breaks, as the LEFT JOIN
     *         of the read gives), locking the rows it reads ({@code FOR SHARE}) when {@code lock}; a
     *         summary as {@link #value} gives it
     */
    Field<?> correlated(String field, boolean lock) {
        Derived d = byField.get(field);
        if (d.path().path().isSummary()) {
            return summary(d);
        }
        List<ResolvedPath.Hop> hops = d.path().hops();
        Name m0 = DSL.name("viewpush_m0");
        Table<?> from = table(hops.get(0).to()).as(m0);
        Name at = m0;
        for (int i = 1; i < hops.size(); i++) {
            Name next = DSL.name("viewpush_m" + i);
            from = from.join(table(hops.get(i).to()).as(next)).on(matches(hops.get(i).key(), at, next));
            at = next;
        }
        org.jooq.SelectConditionStep<?> select = DSL.select(read(at, d)).from(from).where(matches(hops.get(0).key(), base, m0));
        @SuppressWarnings("unchecked")
        org.jooq.Select<? extends org.jooq.Record1<Object>> value = (org.jooq.Select<? extends org.jooq.Record1<Object>>)
                (lock ? select.forShare() : select);
        return DSL.field(value).coerce(SqlTypes.of(d.type()));
    }
}
