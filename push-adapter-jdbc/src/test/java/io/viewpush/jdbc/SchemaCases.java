package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.view.InvalidViewException;
import io.viewpush.view.Problem;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code fieldTypes}: the table's columns and types as the view sees them, and every problem at once. */
abstract class SchemaCases extends StoreCases {

    SchemaCases(TestDatabase.Kind kind) {
        super(kind);
    }

    @Test
    void mapsEachSupportedColumnTypeToItsValueType() {
        String t = newTable("types");
        db.execute("CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, small SMALLINT, i INTEGER, dec DECIMAL(10,3),"
                + " num NUMERIC, vc VARCHAR(20), ch CHAR(3), cl " + (isPostgres() ? "TEXT" : "CLOB") + ", flag BOOLEAN,"
                + " ts TIMESTAMP, ts0 TIMESTAMP(0), tstz TIMESTAMP WITH TIME ZONE, d DATE)");
        ViewDefinition def = ViewDefinition.builder("types", t).key("id")
                .field("id", "id").field("small", "small").field("i", "i").field("dec", "dec").field("num", "num")
                .field("vc", "vc").field("ch", "ch").field("cl", "cl").field("flag", "flag").field("ts", "ts")
                .field("ts0", "ts0").field("tstz", "tstz").field("d", "d")
                .build();

        Map<String, ValueType> types = store.fieldTypes(def);

        assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("id", ValueType.NUMBER), Map.entry("small", ValueType.NUMBER), Map.entry("i", ValueType.NUMBER),
                Map.entry("dec", ValueType.NUMBER), Map.entry("num", ValueType.NUMBER),
                Map.entry("vc", ValueType.TEXT), Map.entry("ch", ValueType.TEXT), Map.entry("cl", ValueType.TEXT),
                Map.entry("flag", ValueType.BOOLEAN), Map.entry("ts", ValueType.TIMESTAMP),
                Map.entry("ts0", ValueType.TIMESTAMP), Map.entry("tstz", ValueType.TIMESTAMP_TZ),
                Map.entry("d", ValueType.DATE)));
    }

    @Test
    void everyTypeHasAViewTypeButTextThatComparesIgnoringCaseOnH2() {
        String t = newTable("odd");
        if (isPostgres()) {
            String mood = newTable("mood");
            db.execute("CREATE TYPE " + mood + " AS ENUM ('sad', 'happy')",
                    "CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, a " + mood + ", b UUID, c DOUBLE PRECISION)");
            ViewDefinition def = ViewDefinition.builder("odd", t).key("id")
                    .field("id", "id").field("a", "a").field("b", "b").field("c", "c").build();
            assertThat(store.fieldTypes(def)).containsEntry("a", ValueType.ENUM).containsEntry("b", ValueType.UUID)
                    .containsEntry("c", ValueType.FLOAT);
            return;
        }
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, a VARCHAR_IGNORECASE(10), b UUID, c DOUBLE PRECISION)");
        ViewDefinition def = ViewDefinition.builder("odd", t).key("id")
                .field("id", "id").field("a", "a").field("b", "b").field("c", "c").build();

        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, () -> store.fieldTypes(def));

        assertThat(e.problems()).extracting(Problem::key).containsExactly("fields.a");
        assertThat(e.problems().get(0).message()).contains("not supported").contains("compares ignoring case");
    }

    @Test
    void matchesNamesExactlyFirstThenIgnoringCase() {
        String t = newTable("mixed");
        // "Amount" quoted keeps its case on both databases; "customer" is folded by H2 to CUSTOMER
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, customer VARCHAR(10), \"Amount\" NUMERIC(5,2),"
                + " \"amount\" VARCHAR(10))");
        ViewDefinition def = ViewDefinition.builder("mixed", t.toUpperCase()).key("id")
                .field("id", "ID").field("who", "Customer").field("exact upper", "Amount").field("exact lower", "amount")
                .build();

        Map<String, ValueType> types = store.fieldTypes(def);

        assertThat(types).containsEntry("who", ValueType.TEXT)
                .containsEntry("exact upper", ValueType.NUMBER)
                .containsEntry("exact lower", ValueType.TEXT);
    }

    @Test
    void anAmbiguousCaseInsensitiveMatchIsAProblem() {
        String t = newTable("ambiguous");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, \"Note\" VARCHAR(10), \"NOTE\" VARCHAR(10))");
        ViewDefinition def = ViewDefinition.builder("ambiguous", t).key("id").field("id", "id").field("note", "note").build();

        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, () -> store.fieldTypes(def));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("fields.note");
            assertThat(p.message()).contains("'note'").contains("Note").contains("NOTE").contains("exact name");
        });
    }

    @Test
    void aKeyThatIsNotUniqueInItsTableIsAProblem() {
        // found from outside: rows (1,'a') and (1,'b'), a view showing only 'a': pushing it stamped 'b' too
        String t = newTable("dupes");
        db.execute("CREATE TABLE " + t + " (id INTEGER, customer VARCHAR(10), code VARCHAR(10), part INTEGER)");
        ViewDefinition def = ViewDefinition.builder("dupes", t).key("id").field("id", "id").field("customer", "customer")
                .build();

        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, () -> store.fieldTypes(def));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("key");
            assertThat(p.message()).contains("'id'").contains("is not unique").contains("CREATE UNIQUE INDEX ON");
        });

        // a unique index on the key alone makes it a key; one over two columns does not
        db.execute("CREATE UNIQUE INDEX " + t + "_pair ON " + t + " (code, part)");
        ViewDefinition byCode = ViewDefinition.builder("by code", t).key("code").field("code", "code").build();
        assertThat(catchThrowableOfType(InvalidViewException.class, () -> store.fieldTypes(byCode)).problems())
                .extracting(Problem::key).containsExactly("key");
        db.execute("CREATE UNIQUE INDEX " + t + "_id ON " + t + " (id)");
        assertThat(store.fieldTypes(def)).containsEntry("id", ValueType.NUMBER);
    }

    @Test
    void aMissingTableNamesTheViewAndTable() {
        ViewDefinition def = ViewDefinition.builder("ghost view", "no_such_table").key("id").field("id", "id").build();

        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, () -> store.fieldTypes(def));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.view()).isEqualTo("ghost view");
            assertThat(p.key()).isEqualTo("table");
            assertThat(p.message()).contains("'no_such_table'").contains("does not exist");
        });
    }

    @Test
    void reportsEveryProblemOfTheViewAtOnce() {
        String t = newTable("problems");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, ratio INTEGER GENERATED ALWAYS AS (id * 2)"
                + (isPostgres() ? " STORED" : "") + ", created DATE, last_modified TIMESTAMP(0))");
        ViewDefinition def = ViewDefinition.builder("orders to push", t).key("id")
                .field("id", "id")
                .field("customer", "customer_name")
                .field("ratio", "ratio")
                .field("last modified [auto]", "last_modified")
                .field("last pushed", "last_pushed")
                .writable("ratio")
                .push(policy("last pushed", "last modified [auto]"))
                .build();

        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, () -> store.fieldTypes(def));

        assertThat(e.problems()).extracting(Problem::key)
                .containsExactlyInAnyOrder("fields.customer", "writable", "push.stamp");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.view()).isEqualTo("orders to push"));
        assertThat(message(e, "fields.customer")).contains("'customer'").contains("'customer_name'")
                .contains("does not have");
        assertThat(message(e, "writable")).contains("'ratio'").contains("generated column");
        assertThat(message(e, "push.stamp")).contains("'last pushed'").contains("'last_pushed'")
                .endsWith("ALTER TABLE " + (isPostgres() ? t : t.toUpperCase()) + " ADD COLUMN last_pushed TIMESTAMP(0)");
    }

    @Test
    void theDdlForAMissingStampColumnFollowsAZonedModifiedColumn() {
        String t = newTable("zoned");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, changed TIMESTAMP WITH TIME ZONE)");
        ViewDefinition def = ViewDefinition.builder("zoned", t).key("id")
                .field("id", "id").field("changed", "changed").field("sent", "sent at")
                .push(policy("sent", "changed"))
                .build();

        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, () -> store.fieldTypes(def));

        assertThat(message(e, "push.stamp")).endsWith("ADD COLUMN \"sent at\" TIMESTAMP(0) WITH TIME ZONE");
    }

    @Test
    void aStampFieldThatIsNotATimestampColumnIsAProblem() {
        String t = newTable("datestamp");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, pushed_on DATE)");
        ViewDefinition def = ViewDefinition.builder("dated", t).key("id")
                .field("id", "id").field("pushed on", "pushed_on")
                .push(policy("pushed on", null))
                .build();

        InvalidViewException e = catchThrowableOfType(InvalidViewException.class, () -> store.fieldTypes(def));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("push.stamp");
            assertThat(p.message()).contains("'pushed on'").contains("must be a timestamp").contains("date");
        });
    }

    @Test
    void aTableNameWithLikeWildcardsIsMatchedLiterally() {
        String t = newTable("a_b");
        String decoy = t.replace("a_b", "aXb");
        db.execute("CREATE TABLE " + decoy + " (id INTEGER PRIMARY KEY, only_in_decoy VARCHAR(5))",
                "CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, name VARCHAR(5))");
        ViewDefinition def = ViewDefinition.builder("literal", t).key("id").field("id", "id").field("name", "name").build();

        assertThat(store.fieldTypes(def)).containsOnlyKeys("id", "name");
        assertThatThrownBy(() -> store.fieldTypes(ViewDefinition.builder("literal", t).key("id").field("id", "id")
                .field("x", "only_in_decoy").build()))
                .isInstanceOf(InvalidViewException.class).hasMessageContaining("only_in_decoy");
    }

    private static String message(InvalidViewException e, String key) {
        return e.problems().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow().message();
    }
}
