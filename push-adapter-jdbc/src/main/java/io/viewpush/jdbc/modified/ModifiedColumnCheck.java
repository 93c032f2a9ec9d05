package io.viewpush.jdbc.modified;

import io.viewpush.port.StorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the database writes a view's modified column, read from its catalog: by a trigger or a
 * default that takes the writing transaction's time (which can be older than a stamp set while the
 * transaction ran, so a change is never pushed), by a trigger that takes the time of the write
 * (safe), or, when neither is found, by the application (safe only if it does the same).
 *
 * <p>On PostgreSQL the {@code BEFORE UPDATE} row triggers of the table are read from
 * {@code pg_trigger} with their functions' source ({@code pg_proc.prosrc}); they fire in name order,
 * so the last one that assigns the column decides. On H2 the trigger classes and the column's
 * default and {@code ON UPDATE} expression are read from {@code INFORMATION_SCHEMA}.
 */
public final class ModifiedColumnCheck {
    /** What was found: data; the words are the caller's. */
    public enum Code {
        /** A trigger sets the column to the transaction's (or statement's) start time: changes can be lost. */
        TRANSACTION_TIME_TRIGGER,
        /** No trigger; the column's default (or H2 {@code ON UPDATE}) is the transaction's time: unsafe if updates copy it. */
        TRANSACTION_TIME_DEFAULT,
        /** A trigger sets the column at write time ({@code clock_timestamp()}, ViewPush's trigger): safe. */
        WRITE_TIME_TRIGGER,
        /** No trigger or default tells: the application writes the column. */
        WRITTEN_BY_APPLICATION,
        /** The table or column was not found in the catalog (other checks report that). */
        NOT_FOUND
    }

    /**
     * @param code     what was found
     * @param schema   the table's schema, as the database spells it (empty when not found)
     * @param table    the table, as the database spells it
     * @param column   the column, as the database spells it
     * @param writer   the trigger's name, or the default expression, that decided; empty when none
     * @param source   the expression found in the trigger's function (or the default); empty when none
     * @param digits   the column's fractional-second digits (6 when the type does not say)
     */
    public record Finding(Code code, String schema, String table, String column, Optional<String> writer,
                          Optional<String> source, int digits) {
        public Finding {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(writer, "writer");
            Objects.requireNonNull(source, "source");
        }

        /** @return whether the finding is a danger to warn about */
        public boolean dangerous() {
            return code == Code.TRANSACTION_TIME_TRIGGER || code == Code.TRANSACTION_TIME_DEFAULT;
        }
    }

    /** What a time in an expression is: fixed before the write, or read at the write. */
    private enum Time { TRANSACTION, WRITE, KEEP, OTHER }

    private static final Pattern TRANSACTION_TIME = Pattern.compile(
            "(?i)\\b(now\\s*\\(|current_timestamp\\b|transaction_timestamp\\s*\\(|localtimestamp\\b|"
                    + "statement_timestamp\\s*\\(|current_time\\b|localtime\\b|'now')");
    private static final Pattern WRITE_TIME = Pattern.compile("(?i)\\b(clock_timestamp|timeofday)\\s*\\(");

    private ModifiedColumnCheck() {
    }

    /**
     * @param dataSource the database
     * @param table      the table as configured (may be {@code schema.table}); matched exactly, then ignoring case
     * @param column     the modified column as configured
     * @throws StorageException when the catalog cannot be read
     */
    public static Finding inspect(DataSource dataSource, String table, String column) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            return product.contains("postgres") ? postgresql(c, table, column) : h2(c, table, column);
        } catch (SQLException e) {
            // the SQLState only: a driver's message may quote the connection's settings
            throw new StorageException("the database failed while reading how column '" + column + "' of table '"
                    + table + "' is written [SQLState " + e.getSQLState() + "]");
        }
    }

    private static Finding postgresql(Connection c, String table, String column) throws SQLException {
        int dot = table.lastIndexOf('.');
        String schema = dot < 0 ? null : table.substring(0, dot);
        String name = dot < 0 ? table : table.substring(dot + 1);
        long oid;
        String foundSchema;
        String foundTable;
        String foundColumn;
        String dflt;
        int typmod;
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid, n.nspname, c.relname, a.attname, "
                + "pg_get_expr(d.adbin, d.adrelid), a.atttypmod "
                + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                + "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                + "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum "
                + "WHERE c.relkind IN ('r', 'p') AND lower(c.relname) = lower(?) AND lower(a.attname) = lower(?) "
                + "AND (CASE WHEN ?::text IS NULL THEN pg_catalog.pg_table_is_visible(c.oid) ELSE lower(n.nspname) = lower(?) END) "
                + "ORDER BY (c.relname = ?) DESC, (a.attname = ?) DESC LIMIT 1")) {
            ps.setString(1, name);
            ps.setString(2, column);
            ps.setString(3, schema);
            ps.setString(4, schema);
            ps.setString(5, name);
            ps.setString(6, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Finding(Code.NOT_FOUND, "", table, column, Optional.empty(), Optional.empty(), 6);
                }
                oid = rs.getLong(1);
                foundSchema = rs.getString(2);
                foundTable = rs.getString(3);
                foundColumn = rs.getString(4);
                dflt = rs.getString(5);
                typmod = rs.getInt(6);
            }
        }
        int digits = typmod >= 0 && typmod <= 6 ? typmod : 6;
        Finding decided = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT t.tgname, l.lanname, p.proname, p.prosrc, "
                + "encode(t.tgargs, 'escape') FROM pg_catalog.pg_trigger t "
                + "JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid JOIN pg_catalog.pg_language l ON l.oid = p.prolang "
                + "WHERE t.tgrelid = ? AND NOT t.tgisinternal AND t.tgenabled <> 'D' "
                + "AND (t.tgtype & 1) = 1 AND (t.tgtype & 2) = 2 AND (t.tgtype & 16) = 16 "
                + "ORDER BY t.tgname COLLATE \"C\"")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String trigger = rs.getString(1);
                    String language = rs.getString(2);
                    String function = rs.getString(3);
                    String source = rs.getString(4);
                    String args = rs.getString(5) == null ? "" : rs.getString(5);
                    Optional<Assignment> a = assignment(language, function, source, args, foundColumn);
                    if (a.isPresent() && a.get().time() != Time.KEEP) {
                        Code code = switch (a.get().time()) {
                            case TRANSACTION -> Code.TRANSACTION_TIME_TRIGGER;
                            case WRITE -> Code.WRITE_TIME_TRIGGER;
                            default -> Code.WRITTEN_BY_APPLICATION;
                        };
                        decided = new Finding(code, foundSchema, foundTable, foundColumn, Optional.of(trigger),
                                Optional.of(a.get().expression()), digits);
                    }
                }
            }
        }
        if (decided != null) {
            return decided;
        }
        if (dflt != null && TRANSACTION_TIME.matcher(dflt).find()) {
            return new Finding(Code.TRANSACTION_TIME_DEFAULT, foundSchema, foundTable, foundColumn, Optional.of(dflt),
                    Optional.of(dflt), digits);
        }
        return new Finding(Code.WRITTEN_BY_APPLICATION, foundSchema, foundTable, foundColumn, Optional.empty(),
                Optional.empty(), digits);
    }

    /** What a trigger function assigns to the column, and when its time is taken. */
    private record Assignment(Time time, String expression) {
    }

    private static Optional<Assignment> assignment(String language, String function, String source, String args,
                                                   String column) {
        List<String> arguments = List.of(args.split("\\\\000"));
        if ("c".equals(language)) {
            // contrib's moddatetime(column) writes 'now': the transaction's start
            if ("moddatetime".equals(source) && arguments.contains(column)) {
                return Optional.of(new Assignment(Time.TRANSACTION, function + "(" + column + ")"));
            }
            return Optional.empty();
        }
        String src = stripComments(source);
        Pattern assign = Pattern.compile("(?is)\\bNEW\\s*\\.\\s*(?:\"" + Pattern.quote(column.replace("\"", "\"\"")) + "\"|"
                + (column.equals(column.toLowerCase(Locale.ROOT)) ? Pattern.quote(column) : "(?!x)x") + ")\\s*:?=\\s*([^;]*)");
        Matcher m = assign.matcher(src);
        List<Assignment> found = new ArrayList<>();
        while (m.find()) {
            String expr = m.group(1).strip();
            found.add(new Assignment(timeOf(expr), expr));
        }
        if (found.isEmpty() && arguments.contains(column)) {
            // a generic function told the column by its trigger's arguments
            Time t = timeOf(src);
            if (t == Time.TRANSACTION || t == Time.WRITE) {
                Matcher f = (t == Time.TRANSACTION ? TRANSACTION_TIME : WRITE_TIME).matcher(src);
                return Optional.of(new Assignment(t, f.find() ? f.group().strip() : src));
            }
        }
        for (Time t : List.of(Time.TRANSACTION, Time.WRITE, Time.OTHER, Time.KEEP)) {
            Optional<Assignment> a = found.stream().filter(x -> x.time() == t).findFirst();
            if (a.isPresent()) {
                return a;
            }
        }
        return Optional.empty();
    }

    private static Time timeOf(String expression) {
        if (TRANSACTION_TIME.matcher(expression).find()) {
            return Time.TRANSACTION;
        }
        if (WRITE_TIME.matcher(expression).find()) {
            return Time.WRITE;
        }
        if (expression.matches("(?is)OLD\\s*\\..*")) {
            return Time.KEEP;
        }
        return Time.OTHER;
    }

    private static String stripComments(String source) {
        return source == null ? "" : source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\n]*", " ");
    }

    private static Finding h2(Connection c, String table, String column) throws SQLException {
        int dot = table.lastIndexOf('.');
        String schema = dot < 0 ? null : table.substring(0, dot);
        String name = dot < 0 ? table : table.substring(dot + 1);
        String foundSchema;
        String foundTable;
        String foundColumn;
        String dflt;
        String onUpdate;
        int digits;
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_DEFAULT, "
                + "COLUMN_ON_UPDATE, DATETIME_PRECISION FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE UPPER(TABLE_NAME) = UPPER(?) AND UPPER(COLUMN_NAME) = UPPER(?) "
                + "AND (CAST(? AS VARCHAR) IS NULL AND TABLE_SCHEMA = CURRENT_SCHEMA OR UPPER(TABLE_SCHEMA) = UPPER(?)) "
                + "ORDER BY TABLE_NAME = ? DESC, COLUMN_NAME = ? DESC LIMIT 1")) {
            ps.setString(1, name);
            ps.setString(2, column);
            ps.setString(3, schema);
            ps.setString(4, schema);
            ps.setString(5, name);
            ps.setString(6, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Finding(Code.NOT_FOUND, "", table, column, Optional.empty(), Optional.empty(), 6);
                }
                foundSchema = rs.getString(1);
                foundTable = rs.getString(2);
                foundColumn = rs.getString(3);
                dflt = rs.getString(4);
                onUpdate = rs.getString(5);
                digits = rs.getObject(6) == null ? 6 : Math.min(rs.getInt(6), 9);
            }
        }
        Finding decided = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT TRIGGER_NAME, JAVA_CLASS, REMARKS FROM INFORMATION_SCHEMA.TRIGGERS "
                + "WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ? AND ACTION_TIMING = 'BEFORE' "
                + "AND EVENT_MANIPULATION = 'UPDATE' ORDER BY TRIGGER_NAME")) {
            ps.setString(1, foundSchema);
            ps.setString(2, foundTable);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Optional<ModifiedAtWriteTrigger.H2Comment> comment = ModifiedAtWriteTrigger.H2Comment.parse(rs.getString(3));
                    if (H2ModifiedAtWriteTime.class.getName().equals(rs.getString(2)) && comment.isPresent()
                            && comment.get().modified().equals(foundColumn)) {
                        decided = new Finding(Code.WRITE_TIME_TRIGGER, foundSchema, foundTable, foundColumn,
                                Optional.of(rs.getString(1)), Optional.of(rs.getString(2)), digits);
                    }
                }
            }
        }
        if (decided != null) {
            return decided;
        }
        for (String expr : new String[]{onUpdate, dflt}) {
            if (expr != null && TRANSACTION_TIME.matcher(expr).find()) {
                return new Finding(Code.TRANSACTION_TIME_DEFAULT, foundSchema, foundTable, foundColumn, Optional.of(expr),
                        Optional.of(expr), digits);
            }
        }
        return new Finding(Code.WRITTEN_BY_APPLICATION, foundSchema, foundTable, foundColumn, Optional.empty(),
                Optional.empty(), digits);
    }
}
