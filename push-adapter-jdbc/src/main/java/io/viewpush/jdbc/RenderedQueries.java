package io.viewpush.jdbc;

import io.viewpush.expression.Expression;
import io.viewpush.expression.Snapshot;
import io.viewpush.view.View;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SelectField;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of each view's probe ({@code LIMIT n}) and full read, rendered by jOOQ once instead of
 * on every read: rendering the view's fields, calculations and filters cost more CPU than the
 * database spent running the indexed "anything to send?" check, which the engine runs for every
 * idle view every poll interval. Only for views that do not use {@code now()} (their SQL and bind
 * values do not depend on the snapshot) and reads from the first row; a cached query is bound
 * with the values it was rendered with (temporal ones in the temporal binding's text form, which
 * the rendered SQL casts back) and read straight from the result set. They are kept with the
 * mapping they were rendered for ({@link Mapping#renderedOnce}).
 */
final class RenderedQueries {
    /** One rendered read: the view's SQL object (to map rows), the statement text and its bind values. */
    record Rendered(Mapping mapping, ViewSql sql, String text, Object[] binds) {

        /** @return a prepared statement with the bind values set */
        PreparedStatement prepare(Connection c) throws SQLException {
            PreparedStatement ps = c.prepareStatement(text);
            try {
                bind(ps, 0);
                return ps;
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
        }

        /** Sets the bind values on a statement that has {@code offset} parameters before this query's. */
        void bind(PreparedStatement ps, int offset) throws SQLException {
            for (int i = 0; i < binds.length; i++) {
                Object v = binds[i];
                int at = offset + i + 1;
                if (v instanceof String) {
                    ps.setString(at, (String) v);
                } else if (v instanceof BigDecimal) {
                    ps.setBigDecimal(at, (BigDecimal) v);
                } else if (v instanceof Boolean) {
                    ps.setBoolean(at, (Boolean) v);
                } else if (v instanceof Long) {
                    ps.setLong(at, (Long) v);
                } else {
                    ps.setInt(at, (Integer) v);
                }
            }
        }
    }

    private RenderedQueries() {
    }

    /**
     * Which read of a view: its limit, whether it selects its start, and the snapshot's zone, which
     * the SQL names where a date part or truncation reads a timestamp with time zone.
     */
    private record Key(long limit, boolean withStart, java.time.ZoneId zone) {
    }

    /**
     * @param limit     the page's limit, 0 for every row
     * @param withStart whether the statement also selects its start ({@link ViewSql#STATEMENT_START}, last)
     * @return the view's read from its first row, rendered once; empty when it cannot be cached
     */
    static Optional<Rendered> get(View view, Mapping mapping, Snapshot snapshot, long limit, boolean withStart,
                                  DSLContext dsl) {
        if (mapping.renderedOnce(UsesNow.KEY, () -> usesNow(view) ? UsesNow.YES : UsesNow.NO) == UsesNow.YES) {
            return Optional.empty();
        }
        return mapping.renderedOnce(new Key(limit, withStart, snapshot.zone()), () -> render(view, mapping, snapshot, limit, withStart, dsl));
    }

    /** Whether a view uses now(), found once per mapping. */
    private enum UsesNow {
        YES, NO;
        static final Object KEY = UsesNow.class;
    }

    private static Optional<Rendered> render(View view, Mapping mapping, Snapshot snapshot, long limit, boolean withStart,
                                             DSLContext dsl) {
        // A whole read (a push of more rows than one fetch: the first fetch and every probe are read
        // with a limit) sums related rows in one grouped pass on PostgreSQL, not one subquery a row
        Mapping m = limit == 0 && !withStart && mapping.dialect() == Dialect.POSTGRESQL && mapping.hasSummaries()
                ? mapping.withGroupedSummaries(ownFilters(view, mapping, snapshot)) : mapping;
        ViewSql sql = new ViewSql(view, m, snapshot);
        List<SelectField<?>> fields = new ArrayList<>(sql.select());
        if (withStart) {
            fields.addAll(ViewSql.STATEMENT_START);
        }
        org.jooq.SelectLimitStep<Record> select = dsl.select(fields).from(m.source()).where(sql.filters())
                .orderBy(sql.keyOrder());
        ResultQuery<Record> query = limit > 0 ? select.limit(limit) : select;
        return plainBinds(dsl.extractBindValues(query)).map(binds -> new Rendered(mapping, sql, dsl.render(query), binds));
    }

    /**
     * @param values a rendered query's bind values
     * @return them as the values {@link Rendered#bind} sets (temporal ones in the temporal binding's
     *         text form, which the rendered SQL casts back); empty when one is of another type
     */
    static Optional<Object[]> plainBinds(List<Object> values) {
        Object[] binds = new Object[values.size()];
        for (int i = 0; i < binds.length; i++) {
            Object v = values.get(i);
            if (v instanceof Temporal) {
                v = SqlText.of(v); // the rendered SQL casts it back
            }
            if (!(v instanceof String || v instanceof BigDecimal || v instanceof Boolean || v instanceof Long
                    || v instanceof Integer)) {
                return Optional.empty();
            }
            binds[i] = v;
        }
        return Optional.of(binds);
    }

    /**
     * @return the view's filters that use no lookup or summary, as a condition on its own table
     *         alone (null when there are none): every row of the view meets it, so the rows a summary's grouped pass reads may
     *         be limited to those that refer to a row meeting it (the index of the filter keeps that
     *         pass to the rows being pushed)
     */
    static org.jooq.Condition ownFilters(View view, Mapping mapping, Snapshot snapshot) {
        SqlTranslator own = new SqlTranslator(mapping.dialect(), mapping::value, mapping::type, snapshot);
        org.jooq.Condition c = null;
        for (Expression f : view.inlinedFilters()) {
            if (!usesDerived(f, mapping)) {
                c = c == null ? own.condition(f) : c.and(own.condition(f));
            }
        }
        return c;
    }

    private static boolean usesDerived(Expression e, Mapping mapping) {
        if (e instanceof Expression.FieldRef && mapping.isDerived(((Expression.FieldRef) e).name())) {
            return true;
        }
        for (Expression child : io.viewpush.expression.Expressions.children(e)) {
            if (usesDerived(child, mapping)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the view's filters or calculations use {@code now()} */
    static boolean usesNow(View view) {
        return view.inlinedFilters().stream().anyMatch(RenderedQueries::usesNow)
                || view.inlinedCalculations().values().stream().anyMatch(RenderedQueries::usesNow);
    }

    /** Whether the expression uses the snapshot's time: {@code now()} or {@code today()}. */
    private static boolean usesNow(Expression e) {
        if (e instanceof Expression.Now || e instanceof Expression.Call
                && ((Expression.Call) e).function() == Expression.Function.TODAY) {
            return true;
        }
        for (Expression child : io.viewpush.expression.Expressions.children(e)) {
            if (usesNow(child)) {
                return true;
            }
        }
        return false; // a field or a literal
    }
}
