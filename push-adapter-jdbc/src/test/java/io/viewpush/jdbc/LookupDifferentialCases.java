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
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential test ({@link DifferentialCases}) over a view with lookups and summaries: each
 * fill generates a table of related rows (some rows point to none), the view's table and rows that
 * refer to it. The lookups' and summaries' values SQL reads are checked against the same values
 * computed in Java from the generated rows (a missing related row is empty, a count over none 0, a
 * sum, min or max over none empty); then generated expressions over own fields, lookups and
 * summaries are computed by SQL as calculations and filters and compared with the domain's
 * evaluator. Seeded like {@link DifferentialCases} ({@code -Dviewpush.seed=N}).
 */
abstract class LookupDifferentialCases extends StoreCases {
    private static final long DEFAULT_SEED = 20241207L;
    private static final int FILLS = 4;
    private static final int RELATED_ROWS = 8;
    private static final int ROWS_PER_FILL = 30;
    private static final int EXPRESSIONS_PER_FILL = 150;
    private static final int FILTERS_PER_FILL = 10;
    private static final List<ValueType> TYPES = List.of(ValueType.TEXT, ValueType.NUMBER, ValueType.BOOLEAN,
            ValueType.TIMESTAMP, ValueType.TIMESTAMP_TZ, ValueType.DATE);

    LookupDifferentialCases(TestDatabase.Kind kind) {
        super(kind);
    }

    private static String name(ValueType t) {
        return t.name().toLowerCase();
    }

    /** Own fields "<type> a", lookups "<type> b", and four summaries. */
    private static Map<String, ValueType> fields() {
        Map<String, ValueType> fields = new LinkedHashMap<>();
        TYPES.forEach(t -> fields.put(name(t) + " a", t));
        TYPES.forEach(t -> fields.put(name(t) + " b", t));
        fields.put("number c", ValueType.NUMBER);
        fields.put("number d", ValueType.NUMBER);
        fields.put("timestamp c", ValueType.TIMESTAMP);
        fields.put("date c", ValueType.DATE);
        fields.put("text c", ValueType.TEXT);
        return fields;
    }

    @Test
    void lookupsAndSummariesReadWhatTheRelatedRowsHoldAndSqlComputesWhatTheDomainDoes() {
        long seed = Long.getLong("viewpush.seed", DEFAULT_SEED);
        Random random = new Random(seed);
        RandomExpressions gen = new RandomExpressions(random);
        Map<String, ValueType> fields = fields();
        int cases = 0;
        for (int fill = 0; fill < FILLS; fill++) {
            Fill f = fill(gen, random);
            Snapshot snapshot = gen.snapshot();
            List<Expression> expressions = new ArrayList<>();
            ViewDefinition.Builder def = base(f);
            for (int i = 0; i < EXPRESSIONS_PER_FILL; i++) {
                Expression e = gen.booleanExpression(fields, Map.of(), 3);
                expressions.add(e);
                def.calculation("c" + i, RandomExpressions.source(e));
            }
            // the fields alone (nothing uses now(), so the store reads them with its rendered statements:
            // whole past the first fetch, summaries grouped, when the store fetches fewer rows than a fill)
            List<Row> alone = read(bind(base(f).build()), snapshot, Page.ALL);
            assertThat(alone).as("rows of fill %d (seed %d), fields alone", fill, seed).hasSize(ROWS_PER_FILL);
            for (Row row : alone) {
                int id = ((BigDecimal) row.key()).intValue();
                for (Map.Entry<String, Object> e : f.expected(id).entrySet()) {
                    assertThat(normal(row.get(e.getKey()))).as("%s, seed %d, fill %d, row %d, fields alone: field '%s'",
                            db.kind(), seed, fill, id, e.getKey()).isEqualTo(normal(e.getValue()));
                }
            }
            View view = bind(def.build());
            List<Row> rows = read(view, snapshot, Page.ALL);
            assertThat(rows).as("rows of fill %d (seed %d): a lookup never removes a row", fill, seed).hasSize(ROWS_PER_FILL);
            for (Row row : rows) {
                int id = ((BigDecimal) row.key()).intValue();
                Map<String, Object> expected = f.expected(id);
                for (Map.Entry<String, Object> e : expected.entrySet()) {
                    assertThat(normal(row.get(e.getKey()))).as("%s, seed %d, fill %d, row %d: field '%s'", db.kind(), seed,
                            fill, id, e.getKey()).isEqualTo(normal(e.getValue()));
                }
                Row domainRow = view.computeRow(row::get, snapshot);
                for (int i = 0; i < expressions.size(); i++) {
                    String calc = "c" + i;
                    if (!Objects.equals(row.get(calc), domainRow.get(calc))) {
                        throw new AssertionError(String.format("%s, seed %d, fill %d: %s%n  is %s in SQL but %s in the"
                                        + " domain%n  on row %s%n  at %s", db.kind(), seed, fill,
                                RandomExpressions.source(expressions.get(i)), row.get(calc), domainRow.get(calc),
                                row, snapshot));
                    }
                    cases++;
                }
            }
            for (int i = 0; i < FILTERS_PER_FILL; i++) {
                Expression e = expressions.get(i);
                View filtered = bind(base(f).filter(RandomExpressions.source(e)).build());
                List<Object> selected = read(filtered, snapshot, Page.ALL).stream().map(Row::key).toList();
                List<Object> wanted = rows.stream().filter(r -> Expressions.test(e, r::get, snapshot)).map(Row::key).toList();
                assertThat(selected).as("%s, seed %d, fill %d: rows selected by filter %s at %s", db.kind(), seed, fill,
                        RandomExpressions.source(e), snapshot).isEqualTo(wanted);
            }
        }
        assertThat(cases).isEqualTo(FILLS * ROWS_PER_FILL * EXPRESSIONS_PER_FILL);
    }

    private static Object normal(Object v) {
        if (v instanceof BigDecimal) {
            return ((BigDecimal) v).stripTrailingZeros();
        }
        if (v instanceof OffsetDateTime) {
            return ((OffsetDateTime) v).toInstant();
        }
        return v;
    }

    private static ViewDefinition.Builder base(Fill f) {
        ViewDefinition.Builder b = ViewDefinition.builder("lookups", f.base).key("id").field("id", "id");
        TYPES.forEach(t -> b.field(name(t) + " a", name(t) + "_a"));
        TYPES.forEach(t -> b.field(name(t) + " b", f.related + "." + name(t) + "_v"));
        b.field("number c", "count(" + f.child + ")");
        b.field("number d", "sum(" + f.child + ".amount)");
        b.field("timestamp c", "max(" + f.child + ".happened)");
        b.field("date c", "min(" + f.child + ".on_day)");
        b.field("text c", "max(" + f.child + ".label)");
        return b;
    }

    /** The generated tables of one fill and what the view's derived fields must read. */
    private static final class Fill {
        final String related = newTable("diff_rel");
        final String base = newTable("diff_base");
        final String child = newTable("diff_child");
        final Map<Integer, Map<String, Object>> relatedRows = new HashMap<>();
        final Map<Integer, Integer> relatedOf = new HashMap<>();
        final Map<Integer, List<Object[]>> children = new HashMap<>();

        Map<String, Object> expected(int id) {
            Map<String, Object> out = new LinkedHashMap<>();
            Integer rel = relatedOf.get(id);
            for (ValueType t : TYPES) {
                out.put(name(t) + " b", rel == null ? null : relatedRows.get(rel).get(name(t)));
            }
            List<Object[]> mine = children.getOrDefault(id, List.of());
            out.put("number c", BigDecimal.valueOf(mine.size()));
            out.put("number d", mine.stream().map(c -> (BigDecimal) c[0]).filter(Objects::nonNull)
                    .reduce(BigDecimal::add).orElse(null));
            out.put("timestamp c", mine.stream().map(c -> (LocalDateTime) c[1]).filter(Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(null));
            out.put("date c", mine.stream().map(c -> (LocalDate) c[2]).filter(Objects::nonNull)
                    .min(Comparator.naturalOrder()).orElse(null));
            out.put("text c", mine.stream().map(c -> (String) c[3]).filter(Objects::nonNull)
                    .max(Comparator.comparing((String t) -> t.codePoints().toArray(), java.util.Arrays::compare)).orElse(null));
            return out;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Fill fill(RandomExpressions gen, Random random) {
        Fill f = new Fill();
        StringBuilder rel = new StringBuilder("CREATE TABLE " + f.related + " (id INTEGER PRIMARY KEY");
        TYPES.forEach(t -> rel.append(", ").append(name(t)).append("_v ").append(sqlType(t)));
        StringBuilder base = new StringBuilder("CREATE TABLE " + f.base + " (id INTEGER PRIMARY KEY");
        TYPES.forEach(t -> base.append(", ").append(name(t)).append("_a ").append(sqlType(t)));
        base.append(", rel_id INTEGER REFERENCES ").append(f.related).append(" (id))");
        db.execute(rel.append(')').toString(), base.toString(),
                "CREATE TABLE " + f.child + " (id INTEGER PRIMARY KEY, base_id INTEGER NOT NULL REFERENCES " + f.base
                        + " (id), amount " + sqlType(ValueType.NUMBER) + ", happened TIMESTAMP(6), on_day DATE, label " + sqlType(ValueType.TEXT) + ")");
        DSLContext dsl = DSL.using(db.dataSource(), isPostgres() ? org.jooq.SQLDialect.POSTGRES : org.jooq.SQLDialect.H2,
                new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER));
        Map<String, ValueType> relTypes = new LinkedHashMap<>();
        TYPES.forEach(t -> relTypes.put(name(t), t));
        List<Field<?>> relColumns = new ArrayList<>(List.of(DSL.field(DSL.unquotedName("id"))));
        TYPES.forEach(t -> relColumns.add(DSL.field(DSL.unquotedName(name(t) + "_v"))));
        var relInsert = dsl.insertInto(DSL.table(DSL.unquotedName(f.related)), relColumns);
        for (int id = 1; id <= RELATED_ROWS; id++) {
            Map<String, Object> values = gen.row(relTypes);
            f.relatedRows.put(id, values);
            List<Field<?>> row = new ArrayList<>(List.of(DSL.val(id)));
            TYPES.forEach(t -> row.add(DSL.val(values.get(name(t)), (DataType) SqlTypes.of(t))));
            relInsert = relInsert.values(row);
        }
        relInsert.execute();
        List<Field<?>> baseColumns = new ArrayList<>(List.of(DSL.field(DSL.unquotedName("id"))));
        TYPES.forEach(t -> baseColumns.add(DSL.field(DSL.unquotedName(name(t) + "_a"))));
        baseColumns.add(DSL.field(DSL.unquotedName("rel_id")));
        var baseInsert = dsl.insertInto(DSL.table(DSL.unquotedName(f.base)), baseColumns);
        var childInsert = dsl.insertInto(DSL.table(DSL.unquotedName(f.child)), DSL.field(DSL.unquotedName("id")),
                DSL.field(DSL.unquotedName("base_id")), DSL.field(DSL.unquotedName("amount")),
                DSL.field(DSL.unquotedName("happened")), DSL.field(DSL.unquotedName("on_day")),
                DSL.field(DSL.unquotedName("label")));
        int childId = 0;
        for (int id = 1; id <= ROWS_PER_FILL; id++) {
            Map<String, Object> values = gen.row(relTypes);
            Integer relId = random.nextInt(4) == 0 ? null : 1 + random.nextInt(RELATED_ROWS);
            if (relId != null) {
                f.relatedOf.put(id, relId);
            }
            List<Field<?>> row = new ArrayList<>(List.of(DSL.val(id)));
            TYPES.forEach(t -> row.add(DSL.val(values.get(name(t)), (DataType) SqlTypes.of(t))));
            row.add(DSL.val(relId, Integer.class));
            baseInsert = baseInsert.values(row);
            List<Object[]> mine = new ArrayList<>();
            for (int c = random.nextInt(4); c > 0; c--) {
                Object[] child = {gen.value(ValueType.NUMBER), gen.value(ValueType.TIMESTAMP), gen.value(ValueType.DATE),
                    gen.value(ValueType.TEXT)};
                mine.add(child);
                childInsert = childInsert.values(DSL.val(++childId), DSL.val(id),
                        DSL.val(child[0], (DataType) SqlTypes.of(ValueType.NUMBER)),
                        DSL.val(child[1], (DataType) SqlTypes.of(ValueType.TIMESTAMP)),
                        DSL.val(child[2], (DataType) SqlTypes.of(ValueType.DATE)),
                        DSL.val(child[3], (DataType) SqlTypes.of(ValueType.TEXT)));
            }
            f.children.put(id, mine);
        }
        baseInsert.execute();
        if (childId > 0) {
            childInsert.execute();
        }
        return f;
    }

    private String sqlType(ValueType t) {
        return DifferentialCases.columnType(t, isPostgres(), null); // no enums here
    }
}
