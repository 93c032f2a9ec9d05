package io.viewpush.jdbc;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Wraps a data source and records every exchange its connections have with the database that
 * costs a network round trip on PostgreSQL: each statement executed (pgjdbc sends a statement,
 * or a JDBC batch, with one Sync and waits for its answer; it sends a transaction's BEGIN along
 * with its first statement), each commit and rollback, and a switch back to autocommit that
 * commits an open transaction. The pool's own validity checks are not counted: it makes them
 * only for a connection idle for a while, which depends on how busy the machine is. Rows fetched later by a cursor's fetch size are
 * not counted: the pushes measured here read fewer rows than one fetch.
 */
final class RoundTripCounter {
    private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private final List<String> trips = new ArrayList<>();

    /** @return a data source whose connections report here */
    DataSource wrap(DataSource plain) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, m, args) -> {
                    Object r = invoke(plain, m, args);
                    return r instanceof Connection ? connection((Connection) r) : r;
                });
    }

    /** @return the round trips recorded so far, each as "what: SQL", in order */
    synchronized List<String> trips() {
        return List.copyOf(trips);
    }

    synchronized void reset() {
        trips.clear();
    }

    private synchronized void record(String what) {
        trips.add(what);
    }

    private Connection connection(Connection c) {
        boolean[] inTransaction = {false};
        InvocationHandler h = (proxy, m, args) -> {
            String name = m.getName();
            switch (name) {
                case "commit":
                case "rollback":
                    record(name);
                    inTransaction[0] = false;
                    break;
                case "setAutoCommit":
                    if ((Boolean) args[0] && inTransaction[0]) {
                        record("commit (autocommit switched on)");
                        inTransaction[0] = false;
                    }
                    break;
                default:
                    break;
            }
            Object r = invoke(c, m, args);
            if (r instanceof Statement) {
                String sql = name.startsWith("prepare") && args != null && args.length > 0 && args[0] instanceof String
                        ? (String) args[0] : null;
                return statement((Statement) r, c, sql, inTransaction);
            }
            return r;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class}, h);
    }

    private Statement statement(Statement s, Connection c, String preparedSql, boolean[] inTransaction) {
        Class<?> type = s instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
                : s instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        InvocationHandler h = (proxy, m, args) -> {
            if (EXECUTES.contains(m.getName())) {
                String sql = args != null && args.length > 0 && args[0] instanceof String ? (String) args[0] : preparedSql;
                record(m.getName() + ": " + sql);
                if (!c.getAutoCommit()) {
                    inTransaction[0] = true;
                }
            }
            Object r = invoke(s, m, args);
            if (m.getName().equals("getConnection")) {
                return c; // the wrapped statement's own connection: good enough for the drivers' callers here
            }
            return r;
        };
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type}, h);
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
