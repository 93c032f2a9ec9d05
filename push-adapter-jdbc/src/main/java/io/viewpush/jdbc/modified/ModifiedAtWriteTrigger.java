package io.viewpush.jdbc.modified;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ViewPush's recommended way of maintaining a "last modified" column: a row trigger that sets it at
 * WRITE time, by the database's clock ({@code clock_timestamp()} on PostgreSQL, the JVM's clock in
 * {@link H2ModifiedAtWriteTime} on H2), rather than to the writing transaction's start.
 *
 * <p>Why this cannot lose an update, with the optimistic check ({@code push.modified}): ViewPush
 * stamps a row only if it still has the modified value that was sent, and its stamp is the
 * database's time no later than the start of the read. A write that lands before the stamp changes
 * the modified value, so the stamp does not apply (under READ COMMITTED the stamp waits for the
 * writer's row lock and re-checks). A write that lands after the stamp takes the row lock after the
 * stamp committed, so its trigger reads the clock later than the stamp. Either way the row still
 * counts as changed since pushed. A time computed before the row lock ({@code now()},
 * {@code CURRENT_TIMESTAMP}: the transaction's start) may be older than a stamp set meanwhile: lost.
 *
 * <p>The trigger leaves the modified value alone when an update changes nothing but the given
 * ignored columns (the stamp columns ViewPush writes), and otherwise moves it forward by at least
 * one unit of the column's precision, so that two writes never share a value.
 *
 * <p>This class only writes the SQL; it is applied only when the operator asks.
 */
public final class ModifiedAtWriteTrigger {
    private ModifiedAtWriteTrigger() {
    }

    /**
     * @param schema   the table's schema, as the database spells it
     * @param table    the table, as the database spells it
     * @param modified the modified column
     * @param digits   the modified column's fractional-second digits (0 to 6; 6 when unknown)
     * @param ignored  columns whose change alone is not a modification (the stamp columns)
     * @return the SQL that (re)creates the trigger function and the trigger, for PostgreSQL 11 or later,
     *         statements separated by blank lines
     */
    public static String postgresqlSql(String schema, String table, String modified, int digits, List<String> ignored) {
        Objects.requireNonNull(schema, "schema");
        String function = quote(schema) + "." + quote(truncate("viewpush_" + table + "_" + modified));
        StringBuilder unchanged = new StringBuilder("to_jsonb(NEW)");
        StringBuilder unchangedOld = new StringBuilder("to_jsonb(OLD)");
        for (String c : withModified(modified, ignored)) {
            unchanged.append(" - ").append(literal(c));
            unchangedOld.append(" - ").append(literal(c));
        }
        String unit = "interval '" + unitText(Math.min(Math.max(digits, 0), 6)) + "'";
        String col = quote(modified);
        return "CREATE OR REPLACE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $viewpush$\n"
                + "BEGIN\n"
                + "  IF TG_OP = 'UPDATE' AND " + unchanged + " = " + unchangedOld + " THEN\n"
                + "    NEW." + col + " := OLD." + col + ";  -- only the stamp changed (or nothing)\n"
                + "  ELSE\n"
                + "    NEW." + col + " := greatest(clock_timestamp(), OLD." + col + " + " + unit + ");  -- write time\n"
                + "  END IF;\n"
                + "  RETURN NEW;\n"
                + "END\n"
                + "$viewpush$;\n\n"
                + "DROP TRIGGER IF EXISTS " + quote(triggerName(modified)) + " ON " + quote(schema) + "." + quote(table) + ";\n\n"
                + "CREATE TRIGGER " + quote(triggerName(modified)) + " BEFORE INSERT OR UPDATE ON " + quote(schema) + "."
                + quote(table) + "\n  FOR EACH ROW EXECUTE FUNCTION " + function + "();\n";
    }

    /**
     * @return the SQL that (re)creates the trigger on H2: {@link H2ModifiedAtWriteTime}, configured by
     *         the trigger's comment; statements separated by blank lines
     */
    public static String h2Sql(String schema, String table, String modified, List<String> ignored) {
        String trigger = quote(schema) + "." + quote(triggerName(modified));
        return "DROP TRIGGER IF EXISTS " + trigger + ";\n\n"
                + "CREATE TRIGGER " + trigger + " BEFORE INSERT, UPDATE ON " + quote(schema) + "." + quote(table)
                + " FOR EACH ROW CALL '" + H2ModifiedAtWriteTime.class.getName() + "';\n\n"
                + "COMMENT ON TRIGGER " + trigger + " IS " + literal(new H2Comment(modified, ignored).toString()) + ";\n";
    }

    /** @return the trigger's name for a modified column: it sorts after most host triggers, so it fires last */
    public static String triggerName(String modified) {
        return truncate("viewpush_" + modified + "_at_write");
    }

    /** @return the statements of {@link #postgresqlSql} or {@link #h2Sql} (blocks of comments alone dropped), one by one */
    public static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        for (String s : sql.split("\n\n")) {
            String t = s.strip();
            if (t.endsWith(";")) {
                t = t.substring(0, t.length() - 1);
            }
            if (!t.isEmpty() && !t.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
                out.add(t);
            }
        }
        return out;
    }

    /** The H2 trigger's settings, kept as its comment. */
    record H2Comment(String modified, List<String> ignored) {
        private static final Pattern FORM = Pattern.compile("modified=(\\S+) ignore=(\\S*)");

        static Optional<H2Comment> parse(String text) {
            Matcher m = text == null ? null : FORM.matcher(text.strip());
            if (m == null || !m.matches()) {
                return Optional.empty();
            }
            List<String> ignored = m.group(2).isEmpty() ? List.of() : List.of(m.group(2).split(","));
            return Optional.of(new H2Comment(m.group(1), ignored));
        }

        @Override
        public String toString() {
            return "modified=" + modified + " ignore=" + String.join(",", ignored);
        }
    }

    private static Set<String> withModified(String modified, List<String> ignored) {
        Set<String> all = new LinkedHashSet<>();
        all.add(modified);
        all.addAll(ignored);
        return all;
    }

    private static String unitText(int digits) {
        return switch (digits) {
            case 0 -> "1 second";
            case 1 -> "100 milliseconds";
            case 2 -> "10 milliseconds";
            case 3 -> "1 millisecond";
            case 4 -> "100 microseconds";
            case 5 -> "10 microseconds";
            default -> "1 microsecond";
        };
    }

    /** PostgreSQL keeps the first 63 bytes of a name; ours are ASCII-prefixed, so characters are close enough. */
    private static String truncate(String name) {
        return name.length() <= 63 ? name : name.substring(0, 63);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
