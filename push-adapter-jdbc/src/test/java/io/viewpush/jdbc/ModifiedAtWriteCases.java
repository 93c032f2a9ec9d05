package io.viewpush.jdbc;

import io.viewpush.port.PushSession;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.port.Page;
import io.viewpush.push.StampResult;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import io.viewpush.jdbc.modified.ModifiedAtWriteTrigger;
import io.viewpush.jdbc.modified.ModifiedColumnCheck;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The modified column set at write time ({@link ModifiedAtWriteTrigger}): a host transaction that
 * began before a push and writes the row after the push stamped it is still pushed; without the
 * trigger, with the transaction's own time, the same change is lost. And what
 * {@link ModifiedColumnCheck} reads from the catalog.
 */
abstract class ModifiedAtWriteCases extends StoreCases {

    ModifiedAtWriteCases(TestDatabase.Kind kind) {
        super(kind);
    }

    private String table() {
        String t = newTable("items");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, customer VARCHAR(100),"
                + " last_modified TIMESTAMP(6), last_pushed TIMESTAMP(6), receipt_id VARCHAR(40))",
                "INSERT INTO " + t + " (id, customer, last_modified) VALUES (1, 'a', LOCALTIMESTAMP), (2, 'b', LOCALTIMESTAMP)");
        return t;
    }

    private View view(String table) {
        return bind(ViewDefinition.builder("items " + table, table).key("id")
                .field("id", "id").field("customer", "customer")
                .field("last modified", "last_modified").field("last pushed", "last_pushed")
                .calculation("needs pushing", "{last modified} > {last pushed}")
                .filter("{needs pushing} = true")
                .push(policy("last pushed", "last modified")).build());
    }

    private String name(String unquoted) {
        return isPostgres() ? unquoted : unquoted.toUpperCase(java.util.Locale.ROOT);
    }

    private void installTrigger(String table) {
        installTrigger(table, 6);
    }

    private void installTrigger(String table, int digits) {
        String schema = isPostgres() ? "public" : "PUBLIC";
        String sql = isPostgres()
                ? ModifiedAtWriteTrigger.postgresqlSql(schema, name(table), name("last_modified"), digits,
                List.of(name("last_pushed"), name("receipt_id")))
                : ModifiedAtWriteTrigger.h2Sql(schema, name(table), name("last_modified"),
                List.of(name("last_pushed"), name("receipt_id")));
        db.execute(ModifiedAtWriteTrigger.statements(sql).toArray(String[]::new));
    }

    /** One push: read the view, send everything, stamp. */
    private StampResult push(View view) {
        try (PushSession session = store.begin(view, "modified-at-write", Duration.ofMinutes(1), SNAPSHOT, false)
                .orElseThrow(); RowCursor c = session.rows()) {
            try (StampBatch batch = session.batch()) {
                c.forEachRemaining(batch::add);
                return batch.commit();
            }
        }
    }

    /**
     * The sequence: a host transaction begins (its time is fixed), a push sends and stamps
     * the row, then the host writes the row with its transaction's time and commits.
     */
    private List<Row> hostWritesAfterAPushThatBeganBefore(String table) throws SQLException, InterruptedException {
        View view = view(table);
        try (Connection host = db.dataSource().getConnection()) {
            host.setAutoCommit(false);
            try (Statement s = host.createStatement()) {
                s.executeQuery("SELECT LOCALTIMESTAMP").close(); // the transaction's time is now fixed
                Thread.sleep(50);
                assertThat(push(view)).isEqualTo(new StampResult(2, 0));
                assertThat(readAll(view)).as("everything was stamped").isEmpty();
                Thread.sleep(20);
                s.executeUpdate("UPDATE " + table + " SET customer = 'late', last_modified = LOCALTIMESTAMP WHERE id = 1");
            }
            host.commit();
        }
        return readAll(view);
    }

    @Test
    void withTheTransactionsTimeAChangeWrittenAfterAStampIsLost() throws Exception {
        assertThat(hostWritesAfterAPushThatBeganBefore(table())).as("the failure the trigger prevents").isEmpty();
    }

    @Test
    void withTheModifiedColumnSetAtWriteTimeAChangeWrittenAfterAStampStillNeedsPushing() throws Exception {
        String t = table();
        installTrigger(t);
        List<Row> rows = hostWritesAfterAPushThatBeganBefore(t);
        assertThat(rows).extracting(r -> r.get("customer")).containsExactly("late");
    }

    @Test
    void stampingAloneDoesNotMakeARowLookChangedButAnyOtherWriteDoes() {
        String t = table();
        installTrigger(t);
        db.execute("UPDATE " + t + " SET customer = customer"); // the trigger's values, not the insert's
        View view = view(t);
        assertThat(push(view)).isEqualTo(new StampResult(2, 0));
        assertThat(readAll(view)).as("a stamp is not a change").isEmpty();
        db.execute("UPDATE " + t + " SET customer = 'new' WHERE id = 2");
        assertThat(readAll(view)).extracting(r -> ((Number) r.get("id")).intValue()).containsExactly(2);
    }

    @Test
    void aReceiptWrittenBackAloneDoesNotMakeARowLookChanged() {
        String t = table();
        installTrigger(t);
        db.execute("UPDATE " + t + " SET customer = customer");
        View view = view(t);
        assertThat(push(view)).isEqualTo(new StampResult(2, 0));
        db.execute("UPDATE " + t + " SET receipt_id = 'R-1' WHERE id = 1");
        assertThat(readAll(view)).as("the receiver's receipt is not news for it").isEmpty();
    }

    @Test
    void twoWritesWithinOneUnitOfTheColumnStillGetDifferentValues() {
        String t = table();
        db.execute("ALTER TABLE " + t + " ALTER COLUMN last_modified " + (isPostgres() ? "TYPE " : "SET DATA TYPE ") + "TIMESTAMP(0)");
        installTrigger(t, 0);
        db.execute("UPDATE " + t + " SET customer = 'x' WHERE id = 1");
        Object first = db.queryValue("SELECT last_modified FROM " + t + " WHERE id = 1");
        db.execute("UPDATE " + t + " SET customer = 'y' WHERE id = 1");
        Object second = db.queryValue("SELECT last_modified FROM " + t + " WHERE id = 1");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void theCheckFindsViewPushsTriggerSafe() {
        String t = table();
        installTrigger(t);
        ModifiedColumnCheck.Finding f = ModifiedColumnCheck.inspect(db.dataSource(), t, "last_modified");
        assertThat(f.code()).isEqualTo(ModifiedColumnCheck.Code.WRITE_TIME_TRIGGER);
        assertThat(f.writer()).contains(ModifiedAtWriteTrigger.triggerName(name("last_modified")));
        assertThat(f.dangerous()).isFalse();
    }

    @Test
    void theCheckFindsADefaultOfTheTransactionsTime() {
        String t = newTable("defaulted");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, last_modified TIMESTAMP DEFAULT LOCALTIMESTAMP)");
        ModifiedColumnCheck.Finding f = ModifiedColumnCheck.inspect(db.dataSource(), t, "last_modified");
        assertThat(f.code()).isEqualTo(ModifiedColumnCheck.Code.TRANSACTION_TIME_DEFAULT);
        assertThat(f.source().orElseThrow().toLowerCase()).contains("localtimestamp");
        assertThat(f.dangerous()).isTrue();
    }

    @Test
    void theCheckCannotTellWhenTheApplicationWritesTheColumn() {
        String t = table();
        ModifiedColumnCheck.Finding f = ModifiedColumnCheck.inspect(db.dataSource(), t, "LAST_MODIFIED");
        assertThat(f.code()).isEqualTo(ModifiedColumnCheck.Code.WRITTEN_BY_APPLICATION);
        assertThat(f.column()).isEqualTo(name("last_modified"));
        assertThat(ModifiedColumnCheck.inspect(db.dataSource(), "no_such_table", "x").code())
                .isEqualTo(ModifiedColumnCheck.Code.NOT_FOUND);
    }
}
