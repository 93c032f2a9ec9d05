package io.viewpush.app.assembly;

import io.viewpush.app.config.DatabaseConfig;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;

/**
 * The time zone of ViewPush's database sessions: where timestamps without time zone and dates are
 * read, compared with {@code now()} and stamped. It must be the zone the host application writes
 * them in, which is the database's, not the JVM's: PostgreSQL's JDBC driver would otherwise start
 * every session in the JVM's zone, so that a JVM far from the database stamps wall-clock columns
 * hours away from the values the host writes (an update made after a push could then look older
 * than its stamp and never be pushed again).
 *
 * @param zone   the zone
 * @param source where it came from, for the start-up log line
 */
record SessionZone(ZoneId zone, String source) {
    /** UTC by the name PostgreSQL and H2 know ({@code ZoneOffset.UTC} is "Z" to them). */
    static final ZoneId UTC = ZoneId.of("UTC");

    /**
     * The configured zone, or the database's own (asked on a connection of its own, before the pool
     * opens, since the pool's sessions are set to the answer).
     *
     * @throws SQLException when the database cannot be reached
     */
    static SessionZone resolve(DatabaseConfig db) throws SQLException {
        if (db.timeZone().isPresent()) {
            return new SessionZone(db.timeZone().get(), "database.timeZone");
        }
        if (!db.isPostgres()) {
            return new SessionZone(ZoneId.systemDefault(), "H2 runs in the JVM's zone");
        }
        java.util.Properties login = new java.util.Properties();
        db.user().ifPresent(u -> login.setProperty("user", u));
        db.password().ifPresent(p -> login.setProperty("password", p));
        login.setProperty("connectTimeout", "10");
        try (Connection c = DriverManager.getConnection(db.url(), login)) {
            Optional<String> own = roleOrDatabaseSetting(c);
            if (own.isPresent()) {
                return parse(own.get(), "the database's own setting");
            }
            Optional<String> server = serverSetting(c);
            if (server.isPresent()) {
                return parse(server.get(), "the server's timezone setting");
            }
        }
        return new SessionZone(UTC, "the database sets none that ViewPush may read; set database.timeZone "
                + "to choose");
    }

    /** The SQL that puts a session in this zone. */
    String setSql() {
        return "SET TIME ZONE '" + zone.getId().replace("'", "''") + "'";
    }

    private static SessionZone parse(String name, String source) {
        try {
            return new SessionZone(ZoneId.of(name.equalsIgnoreCase("UTC") ? "UTC" : name), source);
        } catch (DateTimeException e) {
            return new SessionZone(UTC, source + " is '" + name + "', which Java does not know; "
                    + "set database.timeZone to choose");
        }
    }

    /** {@code ALTER ROLE ... IN DATABASE}, {@code ALTER ROLE}, {@code ALTER DATABASE}: the first that sets timezone. */
    private static Optional<String> roleOrDatabaseSetting(Connection c) throws SQLException {
        String sql = "SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s "
                + "WHERE s.setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())) "
                + "AND s.setrole IN (0, (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)) "
                + "ORDER BY (s.setdatabase <> 0 AND s.setrole <> 0) DESC, (s.setrole <> 0) DESC";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Array a = rs.getArray(1);
                if (a == null) {
                    continue;
                }
                for (Object o : (Object[]) a.getArray()) {
                    String setting = String.valueOf(o);
                    if (setting.toLowerCase(Locale.ROOT).startsWith("timezone=")) {
                        return Optional.of(setting.substring("timezone=".length()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The server's {@code timezone} from its configuration files, if this user may read them. */
    private static Optional<String> serverSetting(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT setting FROM pg_catalog.pg_file_settings "
                + "WHERE lower(name) = 'timezone' AND applied ORDER BY seqno DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            // pg_file_settings is readable by superusers and pg_read_all_settings members only
            return Optional.empty();
        }
    }
}
