package io.viewpush.jdbc.modified;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The H2 form of ViewPush's modified-at-write-time trigger (H2 triggers are Java classes): a
 * {@code BEFORE INSERT, UPDATE} row trigger that sets the modified column to the time the row is
 * written, never to a time fixed earlier in the transaction (H2's {@code CURRENT_TIMESTAMP} and
 * {@code LOCALTIMESTAMP} keep their first value until the transaction ends). An update that changes
 * nothing but the columns it is told to ignore (ViewPush's stamp columns) keeps the old modified
 * value, so stamping a row does not make it look changed; any other change moves it forward by at
 * least one unit of the column's precision, so the optimistic check always sees it.
 *
 * <p>Its settings are the trigger's comment, {@code modified=COLUMN ignore=COLUMN,COLUMN}, exactly
 * as {@link ModifiedAtWriteTrigger#h2Sql} writes it; the comment is read on the trigger's first row.
 */
public final class H2ModifiedAtWriteTime implements Trigger {
    private String schema;
    private String trigger;
    private String table;
    private volatile Settings settings;

    /** The columns, by their index in H2's row arrays. */
    private record Settings(int modified, boolean withZone, long unitNanos, List<Integer> compared) {
    }

    /** Creates the trigger; H2 calls it. */
    public H2ModifiedAtWriteTime() {
        // H2 instantiates trigger classes by their no-argument constructor
    }

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
                     int type) {
        this.schema = schemaName;
        this.trigger = triggerName;
        this.table = tableName;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow == null) {
            return;
        }
        Settings s = settings;
        if (s == null) {
            s = read(conn);
            settings = s;
        }
        Object old = oldRow == null ? null : oldRow[s.modified()];
        if (oldRow != null && onlyIgnoredChanged(s, oldRow, newRow)) {
            newRow[s.modified()] = old;
            return;
        }
        newRow[s.modified()] = s.withZone() ? later(OffsetDateTime.now(), old, s.unitNanos())
                : later(LocalDateTime.now(zone(conn)), old, s.unitNanos());
    }

    private static boolean onlyIgnoredChanged(Settings s, Object[] oldRow, Object[] newRow) {
        for (int i : s.compared()) {
            if (!Objects.deepEquals(oldRow[i], newRow[i])) {
                return false;
            }
        }
        return true;
    }

    private static OffsetDateTime later(OffsetDateTime now, Object old, long unit) {
        if (old instanceof OffsetDateTime o && !now.isAfter(o.plusNanos(unit))) {
            return o.plusNanos(unit);
        }
        return now;
    }

    private static LocalDateTime later(LocalDateTime now, Object oldValue, long unit) {
        // H2 hands a trigger TIMESTAMP values as java.sql.Timestamp
        Object old = oldValue instanceof java.sql.Timestamp ts ? ts.toLocalDateTime() : oldValue;
        if (old instanceof LocalDateTime o && !now.isAfter(o.plusNanos(unit))) {
            return o.plusNanos(unit);
        }
        return now;
    }

    /** The session's time zone: what H2's own LOCALTIMESTAMP (and ViewPush's stamp) is read in. */
    private static ZoneId zone(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'TIME ZONE'");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getString(1) != null ? ZoneId.of(rs.getString(1)) : ZoneId.systemDefault();
        }
    }

    private Settings read(Connection conn) throws SQLException {
        String remarks;
        try (PreparedStatement ps = conn.prepareStatement("SELECT REMARKS FROM INFORMATION_SCHEMA.TRIGGERS "
                + "WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, trigger);
            try (ResultSet rs = ps.executeQuery()) {
                remarks = rs.next() ? rs.getString(1) : null;
            }
        }
        ModifiedAtWriteTrigger.H2Comment comment = ModifiedAtWriteTrigger.H2Comment.parse(remarks).orElseThrow(
                () -> new SQLException("trigger " + schema + "." + trigger + " needs its comment "
                        + "'modified=COLUMN ignore=COLUMN,...' (as 'viewpush trigger' writes it), not " + remarks));
        int modified = -1;
        boolean withZone = false;
        long unit = 1;
        List<Integer> compared = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, DATETIME_PRECISION "
                + "FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    String name = rs.getString(1);
                    if (name.equals(comment.modified())) {
                        modified = i;
                        withZone = rs.getString(2).toUpperCase(Locale.ROOT).contains("WITH TIME ZONE");
                        int digits = Math.min(Math.max(rs.getInt(3), 0), 9);
                        for (int d = digits; d < 9; d++) {
                            unit *= 10;
                        }
                    } else if (!comment.ignored().contains(name)) {
                        compared.add(i);
                    }
                }
            }
        }
        if (modified < 0) {
            throw new SQLException("trigger " + schema + "." + trigger + ": table " + table + " has no column "
                    + comment.modified());
        }
        return new Settings(modified, withZone, unit, List.copyOf(compared));
    }
}
