package io.viewpush.jdbc;

import io.viewpush.expression.Snapshot;
import io.viewpush.view.View;
import org.jooq.DSLContext;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The "anything to send?" check of many views in one statement (PostgreSQL): what lets one engine
 * watch thousands of idle views. Views whose check is the same SQL with other values (one view per
 * shop, per partner, per status over one table: the usual way to have many) form a group, and a
 * group is one statement, whatever its size: the values of its views travel as arrays, one per
 * value, and the statement returns the views that have a row:
 *
 * <pre>
 * select "viewpush_probe"."i"
 * from unnest(cast(? as int4[]), ...) with ordinality as "viewpush_probe"("b1", ..., "i")
 * where exists (select 1 from orders where ... and shop = "viewpush_probe"."b1")
 * </pre>
 *
 * Its text does not change with the group's size, so PostgreSQL plans it once per connection, and
 * each view costs the database one probe of the view's index and no parse or plan of its own. A
 * view's check is the view's own read without its order and limit ({@code select 1 from ... where
 * filters}), so it finds a row exactly when the view's probe would. Views that use {@code now()}
 * (their values change with every check) and checks whose SQL cannot be taken apart safely are
 * left to the caller, which checks them one by one.
 */
final class ManyViews {
    /** The alias of the values' rows; quoted, so no table or column of a view can be mistaken for it. */
    private static final String ALIAS = "\"viewpush_probe\"";

    private ManyViews() {
    }

    /** One view's check: the SQL, its values and their types (which, with the SQL, make its group). */
    record Check(String text, Object[] binds, String types) {
        /** The group a check belongs to: views whose checks have the same SQL and value types. */
        Group group() {
            return new Group(text, types);
        }
    }

    /** Views whose checks differ only in their values. */
    record Group(String text, String types) {
    }

    /** The key of a view's check among a mapping's rendered queries. */
    private record Key(java.time.ZoneId zone) {
    }

    /**
     * @return the view's check, rendered once per mapping; empty when it cannot join a group (it
     *         uses {@code now()}, or a value of a type the statement cannot carry in an array)
     */
    static Optional<Check> check(View view, Mapping mapping, Snapshot snapshot, DSLContext dsl) {
        return mapping.renderedOnce(new Key(snapshot.zone()), () -> render(view, mapping, snapshot, dsl));
    }

    private static Optional<Check> render(View view, Mapping mapping, Snapshot snapshot, DSLContext dsl) {
        if (RenderedQueries.usesNow(view)) {
            return Optional.empty();
        }
        ViewSql sql = new ViewSql(view, mapping, snapshot);
        org.jooq.Query query = dsl.selectOne().from(mapping.source()).where(sql.filters());
        Optional<Object[]> binds = RenderedQueries.plainBinds(dsl.extractBindValues(query));
        if (binds.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder types = new StringBuilder();
        for (Object v : binds.get()) {
            types.append(types.length() == 0 ? "" : ",").append(arrayType(v));
        }
        // one instance of each text: grouping thousands of views compares their texts by identity
        return Optional.of(new Check(dsl.render(query).intern(), binds.get(), types.toString().intern()));
    }

    /** The array element type of a bind value: the type the driver gives the value itself. */
    private static String arrayType(Object v) {
        if (v instanceof String) {
            return "varchar";
        } else if (v instanceof BigDecimal) {
            return "numeric";
        } else if (v instanceof Boolean) {
            return "bool";
        } else if (v instanceof Long) {
            return "int8";
        }
        return "int4";
    }

    /**
     * The statement of a group: its check inside {@code exists}, over the arrays of the values that
     * differ between its views, each replaced by the column of the values' row that carries it. A
     * value all the views share is written into the statement as a constant: the database then plans
     * with it (a partial index whose predicate is the view's "needs pushing" filter serves the check
     * only when the filter's {@code true} is a constant; as a parameter, PostgreSQL's generic plan,
     * which it takes after five runs, scanned the whole table instead).
     *
     * @param varying for each of the check's values, whether it differs between the group's views
     * @param values  one view's values (those that do not vary are every view's)
     * @return the statement, or empty when the check's SQL holds something that makes replacing its
     *         parameter markers unsafe (quotes with backslashes, comments, dollar quotes, or a
     *         question mark that is an operator)
     */
    static Optional<String> statement(Group group, List<Boolean> varying, Object[] values) {
        String[] types = group.types().isEmpty() ? new String[0] : group.types().split(",");
        Optional<String> inner = replaceMarkers(group.text(), varying, values);
        if (inner.isEmpty() || types.length != varying.size()) {
            return Optional.empty();
        }
        if (!varying.contains(true)) {
            return Optional.of("select exists (" + inner.get() + ")");
        }
        StringBuilder s = new StringBuilder("select ").append(ALIAS).append(".\"i\" from unnest(");
        StringBuilder columns = new StringBuilder();
        boolean first = true;
        for (int k = 0; k < types.length; k++) {
            if (varying.get(k)) {
                s.append(first ? "" : ", ").append("cast(? as ").append(types[k]).append("[])");
                columns.append("\"b").append(k + 1).append("\", ");
                first = false;
            }
        }
        s.append(") with ordinality as ").append(ALIAS).append('(').append(columns).append("\"i\") where exists (")
                .append(inner.get()).append(')');
        return Optional.of(s.toString());
    }

    /** @return for each value of the checks, whether it differs between them */
    static List<Boolean> varying(List<Check> members) {
        Object[] first = members.get(0).binds();
        List<Boolean> varying = new ArrayList<>(first.length);
        for (int k = 0; k < first.length; k++) {
            boolean differs = false;
            for (Check m : members) {
                if (!first[k].equals(m.binds()[k])) {
                    differs = true;
                    break;
                }
            }
            varying.add(differs);
        }
        return varying;
    }

    /**
     * Replaces the SQL's parameter markers of the varying values, in order, by the columns {@code
     * "b1"}, {@code "b2"}, ... of the values' row (numbered by the value's place), and the others by
     * their value as a constant of the type the driver would have sent it as. Quoted names and string literals are skipped; anything this simple reading of the SQL
     * might get wrong makes it give up (the views are then checked one by one).
     */
    static Optional<String> replaceMarkers(String sql, List<Boolean> varying, Object[] values) {
        if (sql.indexOf('\\') >= 0 || sql.contains("--") || sql.contains("/*") || sql.indexOf('$') >= 0) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(sql.length() + varying.size() * 24);
        int found = 0;
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (quote != 0) {
                out.append(ch);
                if (ch == quote) {
                    if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                        out.append(quote); // a doubled quote stays inside
                        i++;
                    } else {
                        quote = 0;
                    }
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                out.append(ch);
            } else if (ch == '?') {
                char next = i + 1 < sql.length() ? sql.charAt(i + 1) : ' ';
                if (next == '|' || next == '&' || next == '?' || found >= varying.size()) {
                    return Optional.empty(); // a jsonb operator, or more markers than values
                }
                if (varying.get(found)) {
                    out.append(ALIAS).append(".\"b").append(found + 1).append('"');
                } else {
                    out.append(literal(values[found]));
                }
                found++;
            } else {
                out.append(ch);
            }
        }
        return quote == 0 && found == varying.size() ? Optional.of(out.toString()) : Optional.empty();
    }

    /** A value as a constant of the type the driver binds it as (so the SQL compares it as before). */
    static String literal(Object v) {
        if (v instanceof Boolean) {
            return v.toString();
        } else if (v instanceof String) {
            return "cast('" + ((String) v).replace("'", "''") + "' as varchar)";
        } else if (v instanceof BigDecimal) {
            return "cast('" + ((BigDecimal) v).toPlainString() + "' as numeric)";
        } else if (v instanceof Long) {
            return "cast(" + v + " as int8)";
        }
        return "cast(" + v + " as int4)";
    }

    /**
     * Runs a group's statement ({@link #statement} with the same {@code varying}).
     *
     * @param members the group's views' checks, in the order of their views
     * @return the positions (from 0) of the members that have a row
     */
    static Set<Integer> withRows(Connection c, String statement, List<Check> members, List<Boolean> varying)
            throws SQLException {
        Set<Integer> found = new HashSet<>();
        String[] types = members.get(0).types().isEmpty() ? new String[0] : members.get(0).types().split(",");
        List<Array> arrays = new ArrayList<>(types.length);
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            int at = 1;
            for (int k = 0; k < types.length; k++) {
                if (varying.get(k)) {
                    Object[] values = new Object[members.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = members.get(i).binds()[k];
                    }
                    Array a = c.createArrayOf(types[k], values);
                    arrays.add(a);
                    ps.setArray(at++, a);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!varying.contains(true)) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        for (int i = 0; i < members.size(); i++) {
                            found.add(i);
                        }
                    }
                } else {
                    while (rs.next()) {
                        found.add((int) rs.getLong(1) - 1);
                    }
                }
            }
        } finally {
            for (Array a : arrays) {
                a.free();
            }
        }
        return found;
    }
}
