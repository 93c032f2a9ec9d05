package io.viewpush.jdbc;

import io.viewpush.port.StorageException;

import java.sql.SQLException;
import java.util.regex.Pattern;

/** Turns driver and jOOQ failures into {@link StorageException}s whose messages hold no credentials. */
final class Errors {
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)(password|passwd|pwd|secret|token|sslpassword|sslkey)(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s;&,)]+)");
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]+@");

    private Errors() {
    }

    /**
     * @param what   what was being done, e.g. "reading view 'orders to push'"
     * @param failure the driver's or jOOQ's exception
     * @return a storage exception saying what failed and why, without credentials
     */
    static StorageException storage(String what, Throwable failure) {
        String reason = reason(failure);
        String message = "the database failed while " + what + (reason.isEmpty() ? "" : ": " + reason);
        return new StorageException(message, safeCause(failure));
    }

    /** @return the most useful message of the chain (the driver's outermost one), without credentials */
    static String reason(Throwable failure) {
        Throwable t = failure;
        SQLException sql = null;
        while (t != null && sql == null) {
            if (t instanceof SQLException) {
                sql = (SQLException) t;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        Throwable source = sql != null ? sql : failure;
        String msg = source.getMessage() == null ? source.getClass().getSimpleName() : source.getMessage();
        String state = sql != null && sql.getSQLState() != null ? " [SQLState " + sql.getSQLState() + "]" : "";
        return sanitize(firstLine(msg)) + state;
    }

    private static final Pattern CHECK_CONSTRAINT = Pattern.compile("check constraint \"([^\"]+)\"");

    /**
     * Why the database refused a value of a row update, in words that name no table or column (a
     * client may see them): from the SQL state, with the constraint's name for a CHECK.
     *
     * @param type the column's type as a cast names it, or null
     * @return the reason, or null when the state says nothing a client could use
     */
    static String why(Throwable failure, String type) {
        SQLException sql = null;
        for (Throwable t = failure; t != null && sql == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                sql = (SQLException) t;
            }
        }
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        if (state.equals("23514") || state.equals("23513")) {
            java.util.regex.Matcher m = CHECK_CONSTRAINT.matcher(String.valueOf(sql.getMessage()));
            return m.find() ? "it violates the check constraint \"" + m.group(1) + "\""
                    : "it violates a check constraint: " + firstLine(String.valueOf(sql.getMessage()));
        }
        switch (state) {
            case "23502":
                return "it cannot be empty";
            case "23505":
                return "another row already has this value, which must be unique";
            case "23503":
                return "it refers to a row that does not exist";
            case "22001":
                return "it is too long";
            case "22003":
                return "it is out of range";
            case "22P02":
            case "22007":
            case "22008":
            case "22023":
            case "22P05":
            case "22021":
                return type == null ? "the database cannot read it as a value of its type"
                        : "the database cannot read it as " + type;
            default:
                return null;
        }
    }

    private static String firstLine(String s) {
        String trimmed = s.strip();
        int nl = trimmed.indexOf('\n');
        return nl < 0 ? trimmed : trimmed.substring(0, nl).strip();
    }

    /** @return the text with passwords, tokens and URL user info replaced by {@code ***} */
    static String sanitize(String text) {
        if (text == null) {
            return null;
        }
        String s = SECRET_PARAMETER.matcher(text).replaceAll("$1$2***");
        return URL_USER_INFO.matcher(s).replaceAll("$1***@");
    }

    /**
     * The cause to attach: the original when no message in its chain holds a credential, else a
     * sanitized copy (class name, message and SQL state only), so that a logged stack trace does not
     * leak what the message hides.
     */
    private static Throwable safeCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.equals(sanitize(m))) {
                SQLException copy = new SQLException(t.getClass().getName() + ": " + sanitize(m),
                        t instanceof SQLException ? ((SQLException) t).getSQLState() : null);
                copy.setStackTrace(t.getStackTrace());
                return copy;
            }
        }
        return failure;
    }
}
