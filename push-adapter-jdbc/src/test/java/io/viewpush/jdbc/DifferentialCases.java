package io.viewpush.jdbc;

import io.viewpush.expression.Expression;
import io.viewpush.expression.Expressions;
import io.viewpush.expression.RandomExpressions;
import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.port.Page;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL translation against the domain's evaluator on generated inputs: for each table fill of
 * generated rows, many generated expressions are computed by SQL as calculations of one view (one
 * query for all of them) and compared with {@link View#computeRow}; some are also used as filters
 * and the rows SQL selects are compared with {@link View#includes}. Seeded: the default seed is
 * fixed so every build runs the same cases; {@code -Dviewpush.seed=N} explores others. A failure
 * prints the seed, the expression, the row and both answers.
 */
abstract class DifferentialCases extends StoreCases {
    private static final long DEFAULT_SEED = 20240601L;
    private static final int FILLS = 12;
    private static final int ROWS_PER_FILL = 40;
    private static final int EXPRESSIONS_PER_FILL = 250;
    private static final int FILTERS_PER_FILL = 12;
    private static final int MAX_DEPTH = 3;
    private static final int VALUES_PER_FILL = 150;

    /**
     * Two fields of each type the database has a column type for, so that fields are compared with
     * fields of their type (H2 has no inet; its arrays and intervals are left to ColumnTypesTest).
     */
    private final Map<String, ValueType> fields = new LinkedHashMap<>();
    private final Map<String, List<String>> labels = new LinkedHashMap<>();
    private final String enumType = newTable("diff_rating");

    DifferentialCases(TestDatabase.Kind kind) {
        super(kind);
        for (ValueType t : ValueType.values()) {
            if (!isPostgres() && (t == ValueType.OTHER || t == ValueType.ARRAY || t == ValueType.INTERVAL)) {
                continue;
            }
            for (String suffix : List.of(" a", " b")) {
                fields.put(t.name().toLowerCase() + suffix, t);
                if (t == ValueType.ENUM) {
                    labels.put(t.name().toLowerCase() + suffix, RandomExpressions.ENUM_LABELS);
                }
            }
        }
        if (isPostgres()) {
            db.execute("CREATE TYPE " + enumType + " AS ENUM ("
                    + String.join(", ", RandomExpressions.ENUM_LABELS.stream().map(l -> "'" + l + "'").toList()) + ")");
        }
    }

    @Test
    void sqlSelectsAndComputesWhatTheDomainEvaluatorDoes() {
        long seed = Long.getLong("viewpush.seed", DEFAULT_SEED);
        Random random = new Random(seed);
        RandomExpressions gen = new RandomExpressions(random);
        if (!isPostgres()) {
            gen.withoutExactScales();
        }
        int cases = 0;
        for (int fill = 0; fill < FILLS; fill++) {
            String table = fillTable(gen);
            Snapshot snapshot = gen.snapshot();
            List<Expression> expressions = new ArrayList<>();
            ViewDefinition.Builder def = base(table);
            for (int i = 0; i < EXPRESSIONS_PER_FILL; i++) {
                Expression e = gen.booleanExpression(fields, labels, MAX_DEPTH);
                expressions.add(e);
                def.calculation("c" + i, RandomExpressions.source(e));
            }
            for (int i = 0; i < VALUES_PER_FILL; i++) {
                Expression e = gen.valueExpression(fields, labels, MAX_DEPTH);
                expressions.add(e);
                def.calculation("c" + (EXPRESSIONS_PER_FILL + i), RandomExpressions.source(e));
            }
            View view = bind(def.build());
            List<Row> rows = read(view, snapshot, Page.ALL);
            assertThat(rows).as("rows of fill %d (seed %d)", fill, seed).hasSize(ROWS_PER_FILL);
            for (Row sqlRow : rows) {
                Row domainRow = view.computeRow(sqlRow::get, snapshot);
                for (int i = 0; i < expressions.size(); i++) {
                    String calc = "c" + i;
                    if (!same(sqlRow.get(calc), domainRow.get(calc))) {
                        throw new AssertionError(String.format("%s, seed %d, fill %d: %s%n  is %s in SQL but %s in the"
                                        + " domain%n  on row %s%n  at %s", db.kind(), seed, fill,
                                RandomExpressions.source(expressions.get(i)), sqlRow.get(calc), domainRow.get(calc),
                                plain(sqlRow), snapshot));
                    }
                    cases++;
                }
            }
            for (int i = 0; i < FILTERS_PER_FILL; i++) {
                Expression e = expressions.get(i);
                View filtered = bind(base(table).filter(RandomExpressions.source(e)).build());
                List<Object> selected = read(filtered, snapshot, Page.ALL).stream().map(Row::key).toList();
                List<Object> expected = rows.stream()
                        .filter(r -> Expressions.test(e, r::get, snapshot)).map(Row::key).toList();
                assertThat(selected).as("%s, seed %d, fill %d: rows selected by filter %s at %s", db.kind(), seed, fill,
                        RandomExpressions.source(e), snapshot).isEqualTo(expected);
            }
        }
        assertThat(cases).isGreaterThanOrEqualTo(FILLS * ROWS_PER_FILL * (EXPRESSIONS_PER_FILL + VALUES_PER_FILL));
    }

    /**
     * Equal values: timestamps with time zone as instants (the database gives its session's offset);
     * numbers with their scale on PostgreSQL, by value on H2, which gives a value the scale of the SQL
     * type where values of different scales meet (if, coalesce, greatest, least, number).
     */
    private boolean same(Object sql, Object domain) {
        if (sql instanceof java.time.OffsetDateTime && domain instanceof java.time.OffsetDateTime) {
            return Expressions.compare(sql, domain) == 0;
        }
        if (!isPostgres() && sql instanceof BigDecimal && domain instanceof BigDecimal) {
            return ((BigDecimal) sql).compareTo((BigDecimal) domain) == 0;
        }
        return java.util.Objects.equals(sql, domain);
    }

    private ViewDefinition.Builder base(String table) {
        ViewDefinition.Builder b = ViewDefinition.builder("differential", table).key("id").field("id", "id");
        fields.keySet().forEach(f -> b.field(f, column(f)));
        return b;
    }

    private static String column(String field) {
        return field.replace(' ', '_');
    }

    private Map<String, Object> plain(Row row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", row.get("id"));
        fields.keySet().forEach(f -> m.put(f, row.get(f)));
        return m;
    }

    /** Creates a table with a column per field and fills it with generated rows. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private String fillTable(RandomExpressions gen) {
        String table = newTable("diff");
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY");
        fields.forEach((f, t) -> ddl.append(", ").append(column(f)).append(' ').append(sqlType(t)));
        db.execute(ddl.append(')').toString());
        DSLContext dsl = DSL.using(db.dataSource(), isPostgres() ? org.jooq.SQLDialect.POSTGRES : org.jooq.SQLDialect.H2,
                new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER));
        List<Field<?>> columns = new ArrayList<>();
        columns.add(DSL.field(DSL.unquotedName("id")));
        fields.keySet().forEach(f -> columns.add(DSL.field(DSL.unquotedName(column(f)))));
        var insert = dsl.insertInto(DSL.table(DSL.unquotedName(table)), columns);
        for (int id = 1; id <= ROWS_PER_FILL; id++) {
            Map<String, Object> values = gen.row(fields);
            List<Field<?>> row = new ArrayList<>();
            row.add(DSL.val(BigDecimal.valueOf(id)));
            fields.forEach((f, t) -> row.add(insertValue(t, values.get(f))));
            insert = insert.values(row);
        }
        insert.execute();
        return table;
    }

    /** A value as the column of its type takes it: the types beyond the first six through a cast from their text. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Field<?> insertValue(ValueType t, Object v) {
        switch (t) {
            case UUID:
                return DSL.val(v, org.jooq.impl.SQLDataType.UUID);
            case BYTES:
                return DSL.val(v, org.jooq.impl.SQLDataType.VARBINARY);
            case FLOAT:
                return DSL.val(v, org.jooq.impl.SQLDataType.DOUBLE);
            case JSON:
                return isPostgres() ? cast(v, "jsonb") : DSL.field("{0} format json", DSL.val(v, org.jooq.impl.SQLDataType.VARCHAR));
            case ARRAY:
                return cast(v == null ? null : ((String) v).replace('[', '{').replace(']', '}').replace("null", "NULL"),
                        "integer[]");
            case TIME_TZ:
                return cast(v == null ? null : java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSxxx")
                        .format((java.time.OffsetTime) v), sqlType(t));
            case ENUM:
            case OTHER:
            case TIME:
            case INTERVAL:
                return cast(v == null ? null : v.toString(), sqlType(t));
            default:
                return DSL.val(v, (org.jooq.DataType) SqlTypes.of(t));
        }
    }

    private static Field<?> cast(Object text, String type) {
        return DSL.field("cast({0} as " + type + ")", DSL.val(text, org.jooq.impl.SQLDataType.VARCHAR));
    }

    private String sqlType(ValueType t) {
        return columnType(t, isPostgres(), enumType);
    }

    /**
     * The column type the differential tests give a field of type {@code t} (LookupDifferentialCases
     * too); {@code enumType} is the PostgreSQL enum type's name.
     */
    static String columnType(ValueType t, boolean postgres, String enumType) {
        switch (t) {
            case UUID:
                return "UUID";
            case ENUM:
                return postgres ? enumType : "ENUM(" + String.join(", ", RandomExpressions.ENUM_LABELS.stream()
                        .map(l -> "'" + l + "'").toList()) + ")";
            case OTHER:
                return "INET";
            case JSON:
                return postgres ? "JSONB" : "JSON";
            case ARRAY:
                return "INTEGER[]";
            case BYTES:
                return postgres ? "BYTEA" : "VARBINARY";
            case FLOAT:
                return "DOUBLE PRECISION";
            case TIME:
                return "TIME(6)";
            case TIME_TZ:
                return postgres ? "TIMETZ" : "TIME(6) WITH TIME ZONE";
            case INTERVAL:
                return "INTERVAL";
            case TEXT:
                return postgres ? "TEXT" : "CHARACTER VARYING";
            case NUMBER:
                return "NUMERIC(18, 6)";
            case BOOLEAN:
                return "BOOLEAN";
            case TIMESTAMP:
                return "TIMESTAMP(6)";
            case TIMESTAMP_TZ:
                return "TIMESTAMP(6) WITH TIME ZONE";
            case DATE:
                return "DATE";
            default:
                throw new IllegalArgumentException("no column type for " + t);
        }
    }
}
