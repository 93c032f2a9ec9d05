package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.StampBatch;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A batch of sent rows waiting for the receiver's answer, stamped on commit with the session's
 * stamp value. The keys (and modified values) of the rows are kept in memory up to {@code chunk}
 * rows; beyond that, as they stream out, memory stays bounded however many rows are sent: where
 * they go, and how the batch is stamped, is the database's ({@link PostgreSqlStampBatch},
 * {@link H2StampBatch}, made by {@link Dialect#newBatch}).
 */
abstract class JdbcStampBatch implements StampBatch {
    final DSLContext ctx;
    final Leases leases;
    final View view;
    final Mapping mapping;
    final LeaseToken lease;
    final long batchId;
    final Object stampValue;
    final int chunk;
    final ValueType keyType;
    /** The types of the key's fields, in key order (one unless the key is composite). */
    final List<ValueType> keyTypes;
    final Optional<String> modifiedField;
    final ValueType modifiedType;
    /** The kept rows' values of the (first) key field. */
    final List<Object> keys = new ArrayList<>();
    /** For a composite key, the kept rows' values of its second, third ... field; empty otherwise. */
    final List<List<Object>> moreKeys = new ArrayList<>();
    final List<Object> modified = new ArrayList<>();
    long added;
    boolean sealed;
    boolean committed;
    boolean closed;

    JdbcStampBatch(DSLContext ctx, Leases leases, View view, Mapping mapping, LeaseToken lease, long batchId,
                   Object stampValue, int chunk) {
        this.ctx = ctx;
        this.leases = leases;
        this.view = view;
        this.mapping = mapping;
        this.lease = lease;
        this.batchId = batchId;
        this.stampValue = stampValue;
        this.chunk = chunk;
        this.keyType = view.typeOf(view.keyField());
        List<ValueType> types = new ArrayList<>();
        for (String k : view.keyFields()) {
            types.add(view.typeOf(k));
        }
        this.keyTypes = List.copyOf(types);
        for (int i = 1; i < keyTypes.size(); i++) {
            moreKeys.add(new ArrayList<>());
        }
        this.modifiedField = view.push().orElseThrow().modifiedField();
        this.modifiedType = modifiedField.map(view::typeOf).orElse(null);
    }

    /** @return the value the rows get: the database's time at begin, floored to the column's precision, minus one unit */
    Object stampValue() {
        return stampValue;
    }

    @Override
    public void add(Row row) {
        requireOpen();
        if (sealed) {
            throw new IllegalStateException("the stamp batch of view '" + view.name() + "' is sealed: no row is added");
        }
        if (row.columns() != view.columns() && !row.columns().equals(view.columns())) {
            throw new IllegalArgumentException("the row is not a row of view '" + view.name() + "'");
        }
        if (keys.size() >= chunk) {
            flush(); // before, not after: a batch of exactly chunk rows stays in memory
        }
        keys.add(row.key());
        for (int i = 0; i < moreKeys.size(); i++) {
            moreKeys.get(i).add(row.get(row.columns().keyIndex(i + 1)));
        }
        modifiedField.ifPresent(m -> modified.add(row.get(m)));
        added++;
    }


    /** Moves the kept chunk out of memory (the batch outgrew it). */
    abstract void flush();

    /** Empties the kept chunk. */
    void clearKept() {
        keys.clear();
        moreKeys.forEach(List::clear);
        modified.clear();
    }

    /** @return whether the view's key has more than one field */
    boolean composite() {
        return !moreKeys.isEmpty();
    }

    /** @return the kept values of each key field, in key order */
    List<List<Object>> keptKeyColumns() {
        List<List<Object>> columns = new ArrayList<>();
        columns.add(keys);
        columns.addAll(moreKeys);
        return columns;
    }

    /** @return text arrays of keys (and modified values) unnested, cast back, named as the scratch table's columns */
    org.jooq.Table<?> unnested(Field<?> keyTexts, Field<?> modifiedTexts, boolean micros) {
        return unnested(List.of(keyTexts), modifiedTexts, micros);
    }

    /**
     * @param keyTexts one text array per key field, in key order
     * @return text arrays of keys (and modified values) unnested, cast back, named as the scratch
     *         table's columns ({@link Tables.StampRow#key} for the second field of a composite key on)
     */
    org.jooq.Table<?> unnested(List<Field<?>> keyTexts, Field<?> modifiedTexts, boolean micros) {
        Dialect dialect = mapping.dialect();
        List<Field<?>> values = new ArrayList<>();
        List<Object> arrays = new ArrayList<>(keyTexts);
        List<org.jooq.Name> names = new ArrayList<>();
        for (int i = 0; i < keyTexts.size(); i++) {
            String u = i == 0 ? "k" : "k" + (i + 1);
            names.add(DSL.name(u));
            values.add(castText(dialect, DSL.field(DSL.name("viewpush_u", u), SQLDataType.VARCHAR), keyTypes.get(i))
                    .as(Tables.StampRow.key(i, keyTypes.get(i)).getName()));
        }
        org.jooq.Table<?> unnest;
        if (modifiedTexts == null && keyTexts.size() == 1) {
            unnest = DSL.table("unnest({0}) as {1}({2})", keyTexts.get(0), DSL.name("viewpush_u"), DSL.name("k"));
        } else if (keyTexts.size() > 1) {
            if (modifiedTexts != null) {
                arrays.add(modifiedTexts);
                names.add(DSL.name("m"));
            }
            StringBuilder template = new StringBuilder("unnest(");
            for (int i = 0; i < arrays.size(); i++) {
                template.append(i == 0 ? "" : ", ").append('{').append(i).append('}');
            }
            template.append(") as {").append(arrays.size()).append("}({").append(arrays.size() + 1).append("})");
            List<org.jooq.QueryPart> parts = new ArrayList<>();
            for (Object a : arrays) {
                parts.add((Field<?>) a);
            }
            parts.add(DSL.name("viewpush_u"));
            parts.add(DSL.list(names.stream().map(n -> (org.jooq.QueryPart) n).collect(java.util.stream.Collectors.toList())));
            if (modifiedTexts != null) {
                values.add(modifiedValue(micros).as(Tables.StampRow.column('m', modifiedType).getName()));
            }
            unnest = DSL.table(template.toString(), parts.toArray(new org.jooq.QueryPart[0]));
        } else {
            Field<?> mod = Tables.StampRow.column('m', modifiedType);
            values.add(modifiedValue(micros).as(mod.getName()));
            unnest = DSL.table("unnest({0}, {1}) as {2}({3}, {4})", keyTexts.get(0), modifiedTexts, DSL.name("viewpush_u"),
                    DSL.name("k"), DSL.name("m"));
        }
        return DSL.select(values).from(unnest).asTable(Tables.StampRow.ALIAS);
    }

    /** @return the unnested modified value, cast back from text or from microseconds since the epoch */
    private Field<?> modifiedValue(boolean micros) {
        return micros
                // exact: a whole number of microseconds below 2^53 is exact in the float8 the product is computed in
                ? DSL.field("(" + (modifiedType == ValueType.TIMESTAMP_TZ ? "timestamptz" : "timestamp")
                        + " 'epoch' + {0} * interval '1 microsecond')", SqlTypes.of(modifiedType),
                        DSL.field(DSL.name("viewpush_u", "m"), SQLDataType.BIGINT))
                : castText(mapping.dialect(), DSL.field(DSL.name("viewpush_u", "m"), SQLDataType.VARCHAR), modifiedType);
    }

    /** {@code cast(text as <the scratch column's type>)}: exact, and never through the JVM's time zone. */
    static Field<?> castText(Dialect dialect, Field<String> text, ValueType type) {
        return DSL.field("cast({0} as " + SqlText.castType(dialect, type) + ")", SqlTypes.of(type), text);
    }


    /**
     * @return the condition that a row of the view's table is a sent row of {@code sent}'s (the
     *         scratch table's columns): the same key and, with a modified field, still the modified
     *         value that was sent
     */
    @SuppressWarnings("unchecked")
    Condition matchesSent() {
        Condition match = ((Field<Object>) mapping.value(view.keyField()))
                .eq((Field<Object>) mapping.inColumnType(view.keyField(), Tables.StampRow.aliased('k', keyType)));
        for (int i = 1; i < keyTypes.size(); i++) {
            String k = view.keyFields().get(i);
            match = match.and(((Field<Object>) mapping.value(k))
                    .eq((Field<Object>) mapping.inColumnType(k, Tables.StampRow.aliasedKey(i, keyTypes.get(i)))));
        }
        if (modifiedField.isPresent() && view.definition().field(modifiedField.get()).isEmpty()) {
            match = match.and(((Field<Object>) CalculatedModified.value(view, mapping))
                    .isNotDistinctFrom((Field<Object>) Tables.StampRow.aliased('m', modifiedType)));
        } else if (modifiedField.isPresent()) {
            String m = modifiedField.get();
            match = match.and(((Field<Object>) mapping.value(m))
                    .isNotDistinctFrom((Field<Object>) mapping.inColumnType(m, Tables.StampRow.aliased('m', modifiedType))));
        }
        return match;
    }

    /** @return the view's stamp column */
    @SuppressWarnings("unchecked")
    Field<Object> stampColumn() {
        String stampField = view.push().orElseThrow().stampField();
        return (Field<Object>) mapping.column(stampField, SqlTypes.of(mapping.type(stampField)));
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the stamp batch of view '" + view.name() + "' is closed");
        }
        if (committed) {
            throw new IllegalStateException("the stamp batch of view '" + view.name() + "' was already committed");
        }
    }

}
