package io.viewpush.jdbc;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Our Flyway migrations in a host's database: own history table, prefixed tables, never the host's history. */
abstract class MigrationCases {
    private final TestDatabase.Kind kind;

    MigrationCases(TestDatabase.Kind kind) {
        this.kind = kind;
    }

    private static Set<String> tables(TestDatabase db) {
        Set<String> names = new TreeSet<>();
        try (Connection c = db.dataSource().getConnection();
             ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), null, new String[] {"TABLE", "BASE TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static void hostMigrates(TestDatabase db, Path dir, String... scripts) throws IOException {
        for (int i = 0; i < scripts.length; i++) {
            Files.writeString(dir.resolve("V" + (i + 1) + "__host_step_" + (i + 1) + ".sql"), scripts[i]);
        }
        Flyway.configure().dataSource(db.dataSource()).locations("filesystem:" + dir.toAbsolutePath()).load().migrate();
    }

    @Test
    void migratesANonEmptyHostDatabaseWithoutTouchingItsFlywayHistory(@TempDir Path dir) throws IOException {
        TestDatabase db = TestDatabase.create(kind);
        hostMigrates(db, dir, "CREATE TABLE host_orders (id INTEGER PRIMARY KEY)");
        Set<String> before = tables(db);
        String hostHistory = kind == TestDatabase.Kind.H2 ? "\"flyway_schema_history\"" : "flyway_schema_history";
        String hostVersions = "SELECT COUNT(*) FROM " + hostHistory + " WHERE \"version\" IS NOT NULL";
        long hostRows = db.queryValue("SELECT COUNT(*) FROM " + hostHistory, Long.class);
        assertThat(db.queryValue(hostVersions, Long.class)).isEqualTo(1);

        DefaultJdbcPushStore store = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();
        store.migrate();

        Set<String> added = new TreeSet<>(tables(db));
        added.removeAll(before);
        assertThat(added).isNotEmpty().allSatisfy(t -> assertThat(t.toLowerCase(Locale.ROOT)).startsWith("viewpush_"));
        assertThat(added).contains(JdbcPushStore.SCHEMA_HISTORY_TABLE, "viewpush_lease", "viewpush_push_attempt",
                "viewpush_push_history", "viewpush_stamp_batch", "viewpush_stamp_row");
        assertThat(db.queryValue("SELECT COUNT(*) FROM " + hostHistory, Long.class)).as("host history untouched")
                .isEqualTo(hostRows);
        assertThat(db.queryValue("SELECT COUNT(*) FROM \"viewpush_schema_history\" WHERE \"version\" = '1' AND \"success\"",
                Long.class)).as("our V1 ran, not only a baseline").isEqualTo(1);

        Files.writeString(dir.resolve("V2__host_step_2.sql"), "ALTER TABLE host_orders ADD COLUMN note VARCHAR(10)");
        Flyway.configure().dataSource(db.dataSource()).locations("filesystem:" + dir.toAbsolutePath()).load().migrate();
        assertThat(db.queryValue(hostVersions, Long.class)).as("the host keeps migrating").isEqualTo(2);
        assertThat(store.isReachable()).isTrue();
    }

    @Test
    void aHostCanRunOurMigrationsItself() {
        TestDatabase db = TestDatabase.create(kind);
        DefaultJdbcPushStore store = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).migrateOnBuild(false).build();
        assertThat(tables(db)).noneMatch(t -> t.startsWith("viewpush_"));

        Flyway.configure()
                .dataSource(db.dataSource())
                .locations(kind == TestDatabase.Kind.H2 ? JdbcPushStore.MIGRATIONS_H2 : JdbcPushStore.MIGRATIONS_POSTGRESQL)
                .table(JdbcPushStore.SCHEMA_HISTORY_TABLE)
                .baselineOnMigrate(true).baselineVersion("0")
                .load()
                .migrate();
        store.migrate(); // and ours is then a no-op

        assertThat(store.tryAcquire("v", "engine", java.time.Duration.ofMinutes(1))).isPresent();
        assertThat(db.queryValue("SELECT COUNT(*) FROM \"viewpush_schema_history\" WHERE \"version\" = '1'", Long.class))
                .isEqualTo(1);
    }

    @Test
    void buildingAgainOnAMigratedDatabaseChangesNothing() {
        TestDatabase db = TestDatabase.create(kind);
        JdbcPushStore.builder(db.dataSource()).build();
        long applied = db.queryValue("SELECT COUNT(*) FROM \"viewpush_schema_history\"", Long.class);

        DefaultJdbcPushStore again = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();

        assertThat(db.queryValue("SELECT COUNT(*) FROM \"viewpush_schema_history\"", Long.class)).isEqualTo(applied);
        assertThat(again.databaseName()).isEqualTo(kind == TestDatabase.Kind.H2 ? "H2" : "PostgreSQL");
    }
    @Test
    void theLatestMigrationConstantIsTheNewestFlywayFinds() {
        TestDatabase db = TestDatabase.create(kind);
        Flyway flyway = Flyway.configure()
                .dataSource(db.dataSource())
                .locations(kind == TestDatabase.Kind.H2 ? JdbcPushStore.MIGRATIONS_H2 : JdbcPushStore.MIGRATIONS_POSTGRESQL)
                .table(JdbcPushStore.SCHEMA_HISTORY_TABLE)
                .load();
        org.flywaydb.core.api.MigrationInfo[] all = flyway.info().all();
        assertThat(all).isNotEmpty();
        assertThat(all[all.length - 1].getVersion().getVersion())
                .as("DefaultJdbcPushStore.LATEST_MIGRATION names the newest migration")
                .isEqualTo(String.valueOf(DefaultJdbcPushStore.LATEST_MIGRATION));
    }

    @Test
    void aCurrentSchemaIsCheckedWithOneQueryAndFlywayIsNotStarted() {
        TestDatabase db = TestDatabase.create(kind);
        JdbcPushStore.builder(db.dataSource()).build();
        RoundTripCounter counter = new RoundTripCounter();
        DefaultJdbcPushStore again = (DefaultJdbcPushStore) JdbcPushStore.builder(counter.wrap(db.dataSource()))
                .migrateOnBuild(false).build();

        again.migrate();

        assertThat(counter.trips()).as("Flyway locks and reads its table with several statements")
                .singleElement().asString().contains("viewpush_schema_history");
    }

    @Test
    void aSchemaBehindTheNewestMigrationIsMigrated() {
        TestDatabase db = TestDatabase.create(kind);
        Flyway.configure()
                .dataSource(db.dataSource())
                .locations(kind == TestDatabase.Kind.H2 ? JdbcPushStore.MIGRATIONS_H2 : JdbcPushStore.MIGRATIONS_POSTGRESQL)
                .table(JdbcPushStore.SCHEMA_HISTORY_TABLE)
                .baselineOnMigrate(true).baselineVersion("0")
                .target(String.valueOf(DefaultJdbcPushStore.LATEST_MIGRATION - 1))
                .load()
                .migrate();
        String newest = "SELECT COUNT(*) FROM \"viewpush_schema_history\" WHERE \"version\" = '"
                + DefaultJdbcPushStore.LATEST_MIGRATION + "' AND \"success\"";
        assertThat(db.queryValue(newest, Long.class)).isZero();

        JdbcPushStore.builder(db.dataSource()).build();

        assertThat(db.queryValue(newest, Long.class)).isEqualTo(1);
    }
}
