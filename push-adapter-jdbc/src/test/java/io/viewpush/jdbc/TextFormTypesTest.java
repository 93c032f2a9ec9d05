package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The types of the last row that have no JSON form (cidr, macaddr, xml, bit, bit varying,
 * ranges, geometric types) are read as their text form, as psql shows it, and {@code name} as text;
 * {@code =} compares them as that text.
 */
class TextFormTypesTest extends StoreCases {
    TextFormTypesTest() {
        super(TestDatabase.Kind.POSTGRESQL);
    }

    @Test
    void typesWithoutAJsonFormAreReadAsTheirTextFormAndNameAsText() {
        String t = newTable("text_forms");
        db.execute("CREATE TABLE " + t + " (id integer PRIMARY KEY, n name, net cidr, mac macaddr, x xml, b bit(3),"
                        + " vb bit varying(8), r int4range, tr tstzrange, p point, bx box)",
                "INSERT INTO " + t + " VALUES (1, 'pg_catalog', '192.168.0.0/24', '08:00:2b:01:02:03', '<a>b</a>', B'101',"
                        + " B'1', int4range(1, 5), tstzrange('2024-01-01 00:00+00', NULL), point(1.5, -2), box(point(0,0), point(1,1)))",
                "INSERT INTO " + t + " (id) VALUES (2)");
        List<String> columns = List.of("n", "net", "mac", "x", "b", "vb", "r", "tr", "p", "bx");
        ViewDefinition.Builder b = ViewDefinition.builder("text forms", t).key("id").field("id", "id");
        columns.forEach(c -> b.field(c, c));
        ViewDefinition d = b.build();

        Map<String, ValueType> types = store.fieldTypes(d);
        assertThat(types).containsEntry("n", ValueType.TEXT);
        columns.stream().filter(c -> !c.equals("n")).forEach(c -> assertThat(types).as(c).containsEntry(c, ValueType.OTHER));

        View view = d.bind(types, store.enumLabels(d));
        List<Row> rows = readAll(view);
        Row r = rows.get(0);
        assertThat(r.get("n")).isEqualTo("pg_catalog");
        assertThat(r.get("net")).isEqualTo("192.168.0.0/24");
        assertThat(r.get("mac")).isEqualTo("08:00:2b:01:02:03");
        assertThat(r.get("x")).isEqualTo("<a>b</a>");
        assertThat(r.get("b")).isEqualTo("101");
        assertThat(r.get("vb")).isEqualTo("1");
        assertThat(r.get("r")).isEqualTo("[1,5)");
        assertThat(r.get("tr")).isEqualTo("[\"2024-01-01 00:00:00+00\",)");
        assertThat(r.get("p")).isEqualTo("(1.5,-2)");
        assertThat(r.get("bx")).isEqualTo("(1,1),(0,0)");
        for (String c : columns) {
            assertThat(rows.get(1).get(c)).as(c).isNull();
        }

        View filtered = ViewDefinition.builder("by text form", t).key("id").field("id", "id").field("r", "r")
                .field("mac", "mac").filter("{r} = '[1,5)' and {mac} != '08:00:2b:01:02:04'").build()
                .bind(store.fieldTypes(ViewDefinition.builder("by text form", t).key("id").field("id", "id")
                        .field("r", "r").field("mac", "mac").build()), Map.of());
        assertThat(readAll(filtered)).extracting(Row::rowKey).extracting(k -> k.text()).containsExactly("1");
    }
}
