package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.port.RejectedValueException;
import io.viewpush.view.InvalidViewException;
import io.viewpush.view.Problem;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every column type of a realistic sample schema (a film table with an enum, a domain with a CHECK,
 * arrays of one and two dimensions, json and jsonb, uuid, interval, bytea, money, real and double
 * with NaN, inet, tsvector, a generated column): the view type each column has, the values a read
 * gives, expressions over them, and row updates of every writable type with the values the column
 * cannot hold. H2 runs the subset it has.
 */
abstract class ColumnTypesCases extends StoreCases {
    static final UUID FILM_1 = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    static final UUID FILM_2 = UUID.fromString("F0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12".toLowerCase());
    String films;
    String rating;
    String year;

    ColumnTypesCases(TestDatabase.Kind kind) {
        super(kind);
    }

    @BeforeAll
    void sampleSchema() {
        films = newTable("film");
        rating = newTable("mpaa_rating");
        year = newTable("year");
        if (isPostgres()) {
            db.execute("CREATE EXTENSION IF NOT EXISTS citext",
                    "CREATE TYPE " + rating + " AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17')",
                    "CREATE DOMAIN " + year + " AS integer CONSTRAINT " + year + "_check CHECK (VALUE >= 1901 AND VALUE <= 2155)",
                    "CREATE TABLE " + films + " (id uuid PRIMARY KEY, title varchar(20) NOT NULL, rating " + rating
                            + ", release_year " + year + ", tags text[], grid integer[][], doc jsonb, raw json,"
                            + " length interval, cover bytea, price money, score real, ratio double precision,"
                            + " ip inet, fts tsvector, code char(5), nick citext, starts time, starts_tz timetz,"
                            + " title_length integer GENERATED ALWAYS AS (length(title)) STORED, last_pushed timestamp)",
                    "INSERT INTO " + films + " (id, title, rating, release_year, tags, grid, doc, raw, length, cover,"
                            + " price, score, ratio, ip, fts, code, nick, starts, starts_tz) VALUES ('" + FILM_1
                            + "', 'Academy Dinosaur', 'PG', 2006, ARRAY['Deleted Scenes', NULL, 'a \"quote\"'],"
                            + " ARRAY[[1,2],[3,NULL]], '{\"b\": [1, 2.50, null], \"a\": \"x\"}', '[1,  {\"k\":true}]',"
                            + " interval '1 year 2 months 3 days 04:05:06.5', '\\x0102ff', 12.34, 0.1, 'NaN',"
                            + " '10.0.0.1', 'a fat cat', 'ab', 'Ada', '10:15:00', '10:15:30.25+02')",
                    "INSERT INTO " + films + " (id, title, ratio, length, score) VALUES ('" + FILM_2
                            + "', 'Ace Goldfinger', '-Infinity', interval '-1 year 2 months -3 days', 'Infinity')");
        } else {
            db.execute("CREATE DOMAIN " + year + " AS INTEGER CONSTRAINT " + year + "_check CHECK (VALUE >= 1901 AND VALUE <= 2155)",
                    "CREATE TABLE " + films + " (id UUID PRIMARY KEY, title VARCHAR(20) NOT NULL,"
                            + " rating ENUM('G', 'PG', 'PG-13', 'R', 'NC-17'), release_year " + year + ", tags VARCHAR ARRAY,"
                            + " grid INTEGER ARRAY ARRAY, doc JSON, raw JSON, length INTERVAL DAY TO SECOND, cover VARBINARY,"
                            + " price NUMERIC(12,2), score REAL, ratio DOUBLE PRECISION, ip VARCHAR(40), fts VARCHAR(100),"
                            + " code CHAR(5), nick VARCHAR(20), starts TIME, starts_tz TIME(2) WITH TIME ZONE,"
                            + " title_length INTEGER GENERATED ALWAYS AS (CHAR_LENGTH(title)), last_pushed TIMESTAMP)",
                    "INSERT INTO " + films + " (id, title, rating, release_year, tags, grid, doc, raw, length, cover,"
                            + " price, score, ratio, ip, fts, code, nick, starts, starts_tz) VALUES ('" + FILM_1
                            + "', 'Academy Dinosaur', 'PG', 2006, ARRAY['Deleted Scenes', NULL, 'a \"quote\"'],"
                            + " ARRAY[ARRAY[1,2],ARRAY[3,NULL]], '{\"b\": [1, 2.50, null], \"a\": \"x\"}' FORMAT JSON,"
                            + " '[1,  {\"k\":true}]' FORMAT JSON, INTERVAL '3 04:05:06.5' DAY TO SECOND, X'0102ff', 12.34,"
                            + " 0.1, 'NaN', '10.0.0.1', '''a'' ''cat'' ''fat''', 'ab', 'Ada', TIME '10:15:00',"
                            + " TIME WITH TIME ZONE '10:15:30.25+02:00')",
                    "INSERT INTO " + films + " (id, title, ratio, length, score) VALUES ('" + FILM_2
                            + "', 'Ace Goldfinger', '-Infinity', INTERVAL '-3 00:00:01' DAY TO SECOND, 'Infinity')");
        }
    }

    ViewDefinition.Builder filmView(String name) {
        ViewDefinition.Builder b = ViewDefinition.builder(name, films).key("id");
        for (String c : List.of("id", "title", "rating", "release_year", "tags", "grid", "doc", "raw", "length", "cover",
                "price", "score", "ratio", "ip", "fts", "code", "nick", "starts", "starts_tz", "title_length")) {
            b.field(c, c);
        }
        return b;
    }

    @Test
    void everyColumnHasAViewType() {
        Map<String, ValueType> types = store.fieldTypes(filmView("films").build());

        assertThat(types).containsEntry("id", ValueType.UUID).containsEntry("title", ValueType.TEXT)
                .containsEntry("rating", ValueType.ENUM).containsEntry("release_year", ValueType.NUMBER)
                .containsEntry("tags", ValueType.ARRAY).containsEntry("grid", ValueType.ARRAY)
                .containsEntry("doc", ValueType.JSON).containsEntry("raw", ValueType.JSON)
                .containsEntry("length", ValueType.INTERVAL).containsEntry("cover", ValueType.BYTES)
                .containsEntry("price", ValueType.NUMBER).containsEntry("score", ValueType.FLOAT)
                .containsEntry("ratio", ValueType.FLOAT).containsEntry("code", ValueType.TEXT)
                .containsEntry("nick", ValueType.TEXT).containsEntry("starts", ValueType.TIME)
                .containsEntry("starts_tz", ValueType.TIME_TZ).containsEntry("title_length", ValueType.NUMBER);
        assertThat(types.get("ip")).isEqualTo(isPostgres() ? ValueType.OTHER : ValueType.TEXT);
        assertThat(types.get("fts")).isEqualTo(isPostgres() ? ValueType.OTHER : ValueType.TEXT);
        assertThat(store.enumLabels(filmView("films").build())).containsEntry("rating", List.of("G", "PG", "PG-13", "R", "NC-17"));
    }

    private View films(ViewDefinition.Builder b) {
        ViewDefinition d = b.build();
        return d.bind(store.fieldTypes(d), store.enumLabels(d));
    }

    @Test
    void readsEveryValueInItsViewType() {
        List<Row> rows = readAll(films(filmView("films")));

        assertThat(rows).hasSize(2);
        Row r = rows.get(0);
        assertThat(r.get("id")).isEqualTo(FILM_1);
        assertThat(r.get("title")).isEqualTo("Academy Dinosaur");
        assertThat(r.get("rating")).isEqualTo("PG");
        assertThat(r.get("release_year")).isEqualTo(new BigDecimal("2006"));
        assertThat(r.get("tags")).isEqualTo("[\"Deleted Scenes\",null,\"a \\\"quote\\\"\"]");
        assertThat(r.get("grid")).isEqualTo("[[1,2],[3,null]]");
        assertThat(r.get("doc")).isEqualTo(isPostgres() ? "{\"a\": \"x\", \"b\": [1, 2.50, null]}" : "{\"b\":[1,2.50,null],\"a\":\"x\"}");
        assertThat(r.get("raw")).isEqualTo(isPostgres() ? "[1,  {\"k\":true}]" : "[1,{\"k\":true}]");
        assertThat(r.get("length")).isEqualTo(isPostgres() ? "P1Y2M3DT4H5M6.5S" : "P3DT4H5M6.5S");
        assertThat((byte[]) r.get("cover")).containsExactly(1, 2, 0xff);
        assertThat((BigDecimal) r.get("price")).isEqualByComparingTo("12.34");
        assertThat(r.get("score")).isEqualTo(0.1d);
        assertThat(r.get("ratio")).isEqualTo(Double.NaN);
        if (isPostgres()) {
            assertThat(r.get("ip")).isEqualTo("10.0.0.1");
            assertThat(r.get("fts")).isEqualTo("'a' 'cat' 'fat'");
        }
        assertThat(r.get("code")).as("char(5) as stored").isEqualTo("ab   ");
        assertThat(r.get("nick")).isEqualTo("Ada");
        assertThat(r.get("starts")).isEqualTo(LocalTime.of(10, 15));
        assertThat(r.get("starts_tz")).isEqualTo(OffsetTime.of(10, 15, 30, 250_000_000, ZoneOffset.ofHours(2)));
        assertThat(r.get("title_length")).isEqualTo(new BigDecimal("16"));
        Row second = rows.get(1);
        assertThat(second.get("id")).isEqualTo(FILM_2);
        assertThat(second.get("ratio")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(second.get("score")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(second.get("length")).isEqualTo(isPostgres() ? "P-10M-3D" : "P-3DT-1S");
        assertThat(second.get("tags")).isNull();
        assertThat(second.get("doc")).isNull();
        assertThat(second.get("cover")).isNull();
        assertThat(second.get("rating")).isNull();
    }

    private List<Object> ids(String filter) {
        return readAll(films(filmView("films").filter(filter))).stream().map(Row::key).collect(java.util.stream.Collectors.toList());
    }

    @Test
    void expressionsCompareUuidsEnumsAndTextFormsAndTestEveryTypeForEmpty() {
        assertThat(ids("{id} = '" + FILM_1.toString().toUpperCase() + "'")).containsExactly(FILM_1);
        assertThat(ids("{id} != '" + FILM_1 + "'")).containsExactly(FILM_2);
        assertThat(ids("{rating} = 'PG'")).containsExactly(FILM_1);
        assertThat(ids("{rating} != 'PG'")).containsExactly(FILM_2);
        assertThat(ids("{rating} < 'PG-13'")).as("empty sorts first").containsExactly(FILM_1, FILM_2);
        assertThat(ids("{rating} > 'G'")).containsExactly(FILM_1);
        assertThat(ids("{rating} >= 'R'")).isEmpty();
        assertThat(ids("{ip} = '10.0.0.1'")).containsExactly(FILM_1);
        assertThat(ids("{nick} = 'ada'")).as("citext compares exactly, as text does").isEmpty();
        for (String f : List.of("tags", "grid", "doc", "raw", "cover", "starts", "starts_tz", "rating", "fts")) {
            assertThat(ids("{" + f + "} is not empty")).as(f).containsExactly(FILM_1);
        }
        assertThat(ids("{length} is empty")).isEmpty();
        assertThat(ids("{score} is not empty")).containsExactly(FILM_1, FILM_2);
    }

    /** SQL selects what the domain's evaluator selects from the rows as read, and the answers are these. */
    private List<Object> idsAgreeingWithTheEvaluator(String filter) {
        List<Row> all = readAll(films(filmView("films")));
        View filtered = films(filmView("films").filter(filter));
        List<Object> bySql = readAll(filtered).stream().map(Row::key).collect(java.util.stream.Collectors.toList());
        assertThat(bySql).as("%s: SQL selects what the evaluator selects", filter).isEqualTo(all.stream()
                .filter(r -> filtered.includes(r, SNAPSHOT)).map(Row::key).collect(java.util.stream.Collectors.toList()));
        return bySql;
    }

    @Test
    void realsDoublesAndTimesAreOrderedAsNumbersAndTimes() {
        // the first film's values (another test updates the second): score real 0.1, ratio NaN,
        // starts 10:15, starts_tz 10:15:30.25+02:00
        assertThat(idsAgreeingWithTheEvaluator("{score} = 0.1")).as("a real's 0.1 as read, not 0.10000000149")
                .contains(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{score} > 0.1")).doesNotContain(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{score} < 0.100001")).contains(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{ratio} > {score}")).as("NaN after every number").contains(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{ratio} >= 1000000")).as("NaN").contains(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{ratio} = {ratio}")).as("NaN = NaN").contains(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{starts} < '10:15:00.000001'")).contains(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{starts} > '10:15'")).doesNotContain(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{starts_tz} = '08:15:30.25Z'")).as("one UTC time").contains(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{starts_tz} > '08:15:30.26Z'")).doesNotContain(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{starts_tz} < '23:00-05:00'")).contains(FILM_1);
    }

    @Test
    void charColumnsAreComparedAsStoredBlankPadded() {
        assertThat(idsAgreeingWithTheEvaluator("{code} = 'ab   '")).contains(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{code} = 'ab'")).doesNotContain(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{code} > 'ab'")).contains(FILM_1);
        assertThat(idsAgreeingWithTheEvaluator("{code} contains 'b '")).contains(FILM_1);
    }

    @Test
    void comparingValuesWithoutAnOrderIsATypeErrorWithItsPosition() {
        InvalidViewException e = catchThrowableOfType(InvalidViewException.class,
                () -> films(filmView("bad").filter("{doc} = '{}'").filter("{rating} = 'PG-14'").filter("{id} < '" + FILM_1 + "'")
                        .filter("{id} = 'nope'")));

        assertThat(e.problems()).extracting(Problem::message).satisfiesExactly(
                m -> assertThat(m).contains("at 7").contains("{doc} is a json value, which has no order and no equality")
                        .contains("is empty"),
                m -> assertThat(m).contains("'PG-14'").contains("not a label of {rating}")
                        .contains("['G', 'PG', 'PG-13', 'R', 'NC-17']"),
                m -> assertThat(m).contains("'<'").contains("uuid has no order"),
                m -> assertThat(m).contains("'nope'").contains("is not a uuid"));
        assertThat(e.problems().get(0).position()).contains(7);
    }

    @Test
    void updatesEveryWritableTypeFromItsJsonForm() {
        View view = films(filmView("write").field("last pushed", "last_pushed")
                .writable("rating", "release_year", "tags", "grid", "doc", "raw", "length", "cover", "price", "score",
                        "ratio", "ip", "code", "nick", "starts", "starts_tz", "last pushed"));
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("rating", "NC-17");
        values.put("release_year", new BigDecimal("1999"));
        values.put("doc", "{\"receipt\":[1,\"two\",null]}");
        values.put("raw", "\"just text\"");
        values.put("cover", new byte[]{9, 8, 7});
        values.put("price", new BigDecimal("5.5"));
        values.put("score", 2.5d);
        values.put("ratio", Double.NaN);
        values.put("code", "xyz");
        values.put("nick", "Bob");
        values.put("starts", LocalTime.of(23, 59, 1));
        values.put("starts_tz", OffsetTime.of(1, 2, 3, 0, ZoneOffset.ofHours(-5)));
        values.put("length", "P2DT3H0.5S");
        if (isPostgres()) {
            values.put("tags", "[\"x\",null]");
            values.put("grid", "[[5,6],[7,8]]");
            values.put("ip", "192.168.0.0/24");
        }

        Row after = store.update(view, RowKey.of(FILM_2), values, SNAPSHOT).orElseThrow();

        assertThat(after.get("rating")).isEqualTo("NC-17");
        assertThat(after.get("release_year")).isEqualTo(new BigDecimal("1999"));
        assertThat(after.get("doc")).isEqualTo(isPostgres() ? "{\"receipt\": [1, \"two\", null]}" : "{\"receipt\":[1,\"two\",null]}");
        assertThat(after.get("raw")).isEqualTo("\"just text\"");
        assertThat((byte[]) after.get("cover")).containsExactly(9, 8, 7);
        assertThat((BigDecimal) after.get("price")).isEqualByComparingTo("5.5");
        assertThat(after.get("score")).isEqualTo(2.5d);
        assertThat(after.get("ratio")).isEqualTo(Double.NaN);
        assertThat(after.get("code")).isEqualTo("xyz  ");
        assertThat(after.get("nick")).isEqualTo("Bob");
        assertThat(after.get("starts")).isEqualTo(LocalTime.of(23, 59, 1));
        assertThat(after.get("starts_tz")).isEqualTo(OffsetTime.of(1, 2, 3, 0, ZoneOffset.ofHours(-5)));
        assertThat(after.get("length")).isEqualTo("P2DT3H0.5S");
        if (isPostgres()) {
            assertThat(after.get("tags")).isEqualTo("[\"x\",null]");
            assertThat(after.get("grid")).isEqualTo("[[5,6],[7,8]]");
            assertThat(after.get("ip")).isEqualTo("192.168.0.0/24");
        }
    }

    @Test
    void aValueTheColumnCannotHoldIsRefusedNamingTheFieldAndWhy() {
        View view = films(filmView("refuse").writable("rating", "release_year", "title", "ip", "doc"));

        assertThatThrownBy(() -> store.update(view, RowKey.of(FILM_1), Map.of("rating", "PG-14"), SNAPSHOT))
                .isInstanceOf(RejectedValueException.class).hasMessageContaining("'rating'").hasMessageContaining("PG-14")
                .hasMessageContaining("[G, PG, PG-13, R, NC-17]");
        assertThatThrownBy(() -> store.update(view, RowKey.of(FILM_1), Map.of("release_year", new BigDecimal("1800")), SNAPSHOT))
                .isInstanceOf(RejectedValueException.class).hasMessageContaining("'release_year'")
                .satisfies(e -> assertThat(((RejectedValueException) e).why().orElse("")).as("the domain's CHECK by its name")
                        .containsIgnoringCase(year + "_check"));
        assertThatThrownBy(() -> store.update(view, RowKey.of(FILM_1), Map.of("title", "x".repeat(21)), SNAPSHOT))
                .isInstanceOf(RejectedValueException.class).hasMessageContaining("'title'").hasMessageContaining("20");
        if (isPostgres()) {
            assertThatThrownBy(() -> store.update(view, RowKey.of(FILM_1), Map.of("ip", "10.0.0.300"), SNAPSHOT))
                    .isInstanceOf(RejectedValueException.class).hasMessageContaining("'ip'").hasMessageContaining("inet");
        }
        assertThat(readAll(view).get(0).get("rating")).isEqualTo("PG");
    }

    @Test
    void onH2ArraysAreRefusedNamingTheFieldAndIntervalsOfTheOtherKindToo() {
        org.junit.jupiter.api.Assumptions.assumeFalse(isPostgres());
        View view = films(filmView("h2 subset").writable("tags", "grid", "length"));

        assertThatThrownBy(() -> store.update(view, RowKey.of(FILM_1), Map.of("tags", "[\"x\"]"), SNAPSHOT))
                .isInstanceOf(RejectedValueException.class).hasMessageContaining("'tags'")
                .satisfies(e -> assertThat(((RejectedValueException) e).field()).isEqualTo("tags"))
                .satisfies(e -> assertThat(((RejectedValueException) e).why().orElse("")).contains("PostgreSQL only"));
        assertThatThrownBy(() -> store.update(view, RowKey.of(FILM_1), Map.of("grid", "[[1]]"), SNAPSHOT))
                .isInstanceOf(RejectedValueException.class).hasMessageContaining("'grid'");
        assertThatThrownBy(() -> store.update(view, RowKey.of(FILM_1), Map.of("length", "P1Y2M"), SNAPSHOT))
                .as("an INTERVAL DAY TO SECOND holds no months").isInstanceOf(RejectedValueException.class)
                .hasMessageContaining("'length'")
                .satisfies(e -> assertThat(((RejectedValueException) e).why().orElse("")).contains("no years or months"));
        assertThat(readAll(view).get(0).get("length")).isEqualTo("P3DT4H5M6.5S");

        String t = newTable("h2_months");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, span INTERVAL YEAR TO MONTH)",
                "INSERT INTO " + t + " (id) VALUES (1)");
        ViewDefinition d = ViewDefinition.builder("months", t).key("id").field("id", "id").field("span", "span")
                .writable("span").build();
        View months = d.bind(store.fieldTypes(d), store.enumLabels(d));
        assertThat(store.update(months, RowKey.of(BigDecimal.ONE), Map.of("span", "P-1Y2M"), SNAPSHOT).orElseThrow()
                .get("span")).as("-1 year +2 months, as H2 keeps it").isEqualTo("P-10M");
        assertThatThrownBy(() -> store.update(months, RowKey.of(BigDecimal.ONE), Map.of("span", "P1D"), SNAPSHOT))
                .isInstanceOf(RejectedValueException.class).hasMessageContaining("'span'")
                .satisfies(e -> assertThat(((RejectedValueException) e).why().orElse("")).contains("years and months only"));
    }

    @Test
    void intervalsAreWrittenAsPostgreSqlWritesThemInIso8601() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(isPostgres());
        String t = newTable("durations");
        List<String> literals = List.of("0", "1 second", "-1 second", "0.5 seconds", "1 day", "-1 day 2 hours",
                "1 year 2 months 3 days 04:05:06.5", "-1 year 2 months -3 days", "30 hours", "1 mon -1 day",
                "123456789 microseconds", "-0.000001 seconds", "100 years", "7 days 00:00:00.000001");
        db.execute("CREATE TABLE " + t + " (id integer PRIMARY KEY, d interval)");
        for (int i = 0; i < literals.size(); i++) {
            db.execute("INSERT INTO " + t + " VALUES (" + i + ", interval '" + literals.get(i) + "')");
        }
        Map<Object, String> expected = new java.util.HashMap<>();
        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("SET intervalstyle = 'iso_8601'");
            try (java.sql.ResultSet rs = st.executeQuery("SELECT id, d::text FROM " + t)) {
                while (rs.next()) {
                    expected.put(new BigDecimal(rs.getInt(1)), rs.getString(2));
                }
            }
            st.execute("RESET intervalstyle");
        }
        ViewDefinition d = ViewDefinition.builder("durations", t).key("id").field("id", "id").field("d", "d").build();

        for (Row r : readAll(d.bind(store.fieldTypes(d)))) {
            assertThat(r.get("d")).as("%s", literals.get(((BigDecimal) r.key()).intValue())).isEqualTo(expected.get(r.key()));
        }
    }

    @Test
    void aGeneratedColumnIsReadableButNeverWritable() {
        ViewDefinition d = filmView("generated").writable("title_length").build();

        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, () -> store.fieldTypes(d));

        assertThat(e.problems()).extracting(Problem::key).containsExactly("writable");
        assertThat(e.problems().get(0).message()).contains("'title_length'").contains("generated column")
                .contains("remove it from writable");
    }
}
