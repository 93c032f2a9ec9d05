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
    final Optional<String> modifiedField;
    final ValueType modifiedType;
    final List<Object> keys = new ArrayList<>();
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
        modifiedField.ifPresent(m -> modified.add(row.get(m)));
        added++;
    }


    /** Moves the kept chunk out of memory (the batch outgrew it). */
    abstract void flush();

    /** @return text arrays of keys (and modified values) unnested, cast back, named as the scratch table's columns */
    org.jooq.Table<?> unnested(Field<?> keyTexts, Field<?> modifiedTexts, boolean micros) {
        Dialect dialect = mapping.dialect();
        Field<?> key = Tables.StampRow.column('k', keyType);
        List<Field<?>> values = new ArrayList<>(List.of(
                castText(dialect, DSL.field(DSL.name("viewpush_u", "k"), SQLDataType.VARCHAR), keyType).as(key.getName())));
        org.jooq.Table<?> unnest;
        if (modifiedTexts == null) {
            unnest = DSL.table("unnest({0}) as {1}({2})", keyTexts, DSL.name("viewpush_u"), DSL.name("k"));
        } else {
            Field<?> mod = Tables.StampRow.column('m', modifiedType);
            Field<?> m = micros
                    // exact: a whole number of microseconds below 2^53 is exact in the float8 the product is computed in
                    ? DSL.field("(" + (modifiedType == ValueType.TIMESTAMP_TZ ? "timestamptz" : "timestamp")
                            + " 'epoch' + {0} * interval '1 microsecond')", SqlTypes.of(modifiedType),
                            DSL.field(DSL.name("viewpush_u", "m"), SQLDataType.BIGINT))
                    : castText(dialect, DSL.field(DSL.name("viewpush_u", "m"), SQLDataType.VARCHAR), modifiedType);
            values.add(m.as(mod.getName()));
            unnest = DSL.table("unnest({0}, {1}) as {2}({3}, {4})", keyTexts, modifiedTexts, DSL.name("viewpush_u"),
                    DSL.name("k"), DSL.name("m"));
        }
        return DSL.select(values).from(unnest).asTable(Tables.StampRow.ALIAS);
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
        if (modifiedField.isPresent()) {
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
