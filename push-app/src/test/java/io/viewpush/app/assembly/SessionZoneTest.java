package io.viewpush.app.assembly;

import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigLoader;
import io.viewpush.app.config.InvalidConfigException;
import io.viewpush.port.PushListener;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.Map;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The zone of the app's database sessions is the database's, not the JVM's. Found by the
 * reliability suite (scenario 5): with the JVM in Pacific/Kiritimati and the database in
 * America/Adak, PostgreSQL's driver started every session in the JVM's zone, so ViewPush stamped
 * wall-clock columns a day ahead of the values the host wrote, pushed rows not yet due, and never
 * pushed again a row modified after its push.
 */
class SessionZoneTest {
    private static EmbeddedPostgres pg;
    private TimeZone jvmZone;

    @BeforeAll
    static void start() throws IOException {
        pg = EmbeddedPostgres.builder()
                .setServerConfig("unix_socket_directories", Files.createTempDirectory("viewpush-zone-pg").toString())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        sql("postgres", "CREATE ROLE zoned LOGIN PASSWORD 'zoned-password'", "CREATE DATABASE zoned OWNER zoned",
                "ALTER DATABASE zoned SET timezone = 'America/Adak'", "CREATE DATABASE plain OWNER zoned",
                "CREATE DATABASE plain2 OWNER zoned");
        for (String db : new String[]{"zoned", "plain", "plain2"}) {
            sql(db, "CREATE TABLE t (id integer PRIMARY KEY, stamp timestamp(6))", "ALTER TABLE t OWNER TO zoned");
        }
    }

    @AfterAll
    static void stop() throws IOException {
        pg.close();
    }

    @BeforeEach
    void farJvm() {
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
    }

    @AfterEach
    void restoreJvm() {
        TimeZone.setDefault(jvmZone);
    }

    private static void sql(String db, String... statements) {
        try (Connection c = pg.getDatabase("postgres", db).getConnection(); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AppConfig config(String db, String user, String extra) {
        String yaml = "database:\n  url: jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + db + "\n  user: " + user
                + "\n  password: x\n" + extra
                + "views:\n  - name: t\n    table: t\n    key: id\n    fields: [id, stamp]\n";
        return ConfigLoader.parse(yaml, "push.yaml", Path.of("."), Map.of());
    }

    private static String sessionZoneOf(Assembly a) throws SQLException {
        try (Connection c = a.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('TimeZone')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theDatabasesOwnZoneWinsOverTheJvms() throws SQLException {
        try (Assembly a = Assembly.open(config("zoned", "zoned", ""), PushListener.NONE)) {
            assertThat(a.sessionZone()).isEqualTo(ZoneId.of("America/Adak"));
            assertThat(sessionZoneOf(a)).isEqualTo("America/Adak");
        }
    }

    @Test
    void databaseTimeZoneWinsOverTheDatabasesOwn() throws SQLException {
        try (Assembly a = Assembly.open(config("zoned", "zoned", "  timeZone: Europe/Berlin\n"), PushListener.NONE)) {
            assertThat(a.sessionZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
            assertThat(sessionZoneOf(a)).isEqualTo("Europe/Berlin");
        }
    }

    @Test
    void withoutAnySettingTheServersZoneOrUtcNeverTheJvms() throws SQLException {
        // the superuser may read the server's configuration; initdb wrote the machine's zone there
        try (Assembly a = Assembly.open(config("plain", "postgres", ""), PushListener.NONE)) {
            assertThat(a.sessionZone()).isNotEqualTo(ZoneId.of("Pacific/Kiritimati"));
            assertThat(sessionZoneOf(a)).isEqualTo(a.sessionZone().getId());
        }
        // a plain role may not: UTC
        try (Assembly a = Assembly.open(config("plain2", "zoned", ""), PushListener.NONE)) {
            assertThat(a.sessionZone()).isEqualTo(ZoneId.of("UTC"));
            assertThat(sessionZoneOf(a)).isEqualTo("UTC");
        }
    }

    @Test
    void aBadTimeZoneIsAProblemInItsPlace() {
        assertThatThrownBy(() -> config("zoned", "zoned", "  timeZone: Mars/Olympus\n"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("push.yaml:5:13: database.timeZone: 'Mars/Olympus' is not a time zone; write a zone "
                        + "name such as Europe/Berlin, America/New_York or UTC");
        assertThatThrownBy(() -> config("zoned", "zoned", "  timeZone: '+02:00'\n"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("database.timeZone: '+02:00' is an offset");
    }
}
