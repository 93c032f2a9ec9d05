package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseToken;
import io.viewpush.push.PushAttempt;
import io.viewpush.view.View;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

/**
 * What differs between the databases this adapter supports: one subclass per database
 * ({@link PostgreSqlDialect}, {@link H2Dialect}), chosen once per store from the connection. Shared
 * code asks the dialect and never tests which database it is; the speed-ups one database allows
 * (one statement instead of several) stay in its class.
 */
abstract class Dialect {
    static final Dialect POSTGRESQL = new PostgreSqlDialect();
    static final Dialect H2 = new H2Dialect();

    /**
     * @return the dialect of the database behind the connection
     * @throws IllegalArgumentException for a database this adapter does not support
     */
    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (p.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("dataSource: the database is " + product
                + ", which the JDBC adapter does not support (supported: PostgreSQL, H2)");
    }

    /** @return the dialect jOOQ renders for as {@code jooq} */
    static Dialect of(SQLDialect jooq) {
        return jooq.family() == POSTGRESQL.jooq().family() ? POSTGRESQL : H2;
    }

    /**
     * @return the schemas an unqualified table name is looked up in, in order: the connection's
     *         current schema (PostgreSQL overrides this with the session's whole search path)
     */
    java.util.List<String> searchPath(Connection connection) throws SQLException {
        String schema = connection.getSchema();
        return schema == null ? java.util.List.of() : java.util.List.of(schema);
    }

    /**
     * Whether ViewPush can write the given columns of a database view (the stamp column of a push,
     * the writable fields of the row update API).
     *
     * @param kind the table's kind as the metadata names it ({@code VIEW}, {@code MATERIALIZED VIEW})
     * @return why not, as a sentence that says what would work; empty when it can
     */
    Optional<String> whyViewNotWritable(Connection connection, String schema, String view, String kind,
                                        java.util.List<String> columns) throws SQLException {
        return Optional.of(label() + " does not update views: point the view at the table behind '" + view
                + "' to push from it or write its fields (a pull-only view may read a database view)");
    }

    /** @return jOOQ's dialect for this database */
    abstract SQLDialect jooq();

    /** @return the database's name, for people */
    abstract String label();

    /** @return where this database's migrations are on the classpath */
    abstract String migrations();

    /** @return the most fractional-second digits a timestamp can hold */
    abstract int maxFractionDigits();

    /** An expression that orders text in Unicode code-point order. */
    abstract Field<?> codePointOrder(Field<String> text);

    /**
     * @param violation the database's refusal of a row update for a CHECK constraint whose name its
     *                  message does not carry (H2 names a domain's CHECK by its condition only)
     * @return the constraint's name, when the catalog tells it; empty by default
     */
    Optional<String> nameOfViolatedCheck(Connection connection, SQLException violation) throws SQLException {
        return Optional.empty();
    }

    /**
     * A fixed-length character column's value as the database stores it, blank-padded to its length,
     * as variable-length text (so that SQL compares what the row carries). H2 keeps the blanks in a cast.
     */
    Field<String> characterAsStored(Field<?> column) {
        return column.cast(org.jooq.impl.SQLDataType.VARCHAR);
    }

    /**
     * An expression that compares times with time zone as the expression language does: by their time
     * in UTC, not wrapped at midnight ({@code 23:30-05:00} is 28:30 UTC), so one UTC time written with
     * two offsets is equal. H2 compares them so; the column itself by default.
     */
    Field<?> timeWithTimeZoneOrder(Field<?> time) {
        return time;
    }

    /** The database's current time with zone, evaluated when the statement runs. */
    abstract Field<OffsetDateTime> now();

    /** The session's local time: what the database's own {@code now()} writes into a timestamp column. */
    abstract Field<LocalDateTime> localNow();

    /** @return whether a text column of that type name (lower case) compares as plain text, as the expression language does */
    abstract boolean isPlainText(String typeName);

    /** Whether a (text) column type name is one that compares ignoring case. */
    static boolean isCaseInsensitiveText(String typeName) {
        String t = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        return t.contains("ignorecase") || t.equals("citext");
    }

    /** @return the time zone of the connection's session */
    abstract java.time.ZoneId sessionZone(Connection connection) throws SQLException;

    /** @return the zone named by a session's setting; an offset or a region Java knows */
    static java.time.ZoneId zone(String name) {
        return java.time.ZoneId.of(name.equalsIgnoreCase("UTC") || name.equalsIgnoreCase("GMT") ? "UTC" : name);
    }

    /** @return the SQL of the expression language's value functions in this database */
    abstract ValueFunctions valueFunctions();

    /** @return how this database's column types map to the view's types */
    abstract ColumnTypes columnTypes();

    /** @return an unquoted identifier as the database stores it */
    abstract String foldUnquoted(String name);

    /** @return the SQL type to cast the text form of a value of that type to, as the scratch table declares it */
    abstract String castType(ValueType type);

    /** @return the length of text as the database's column size counts it */
    abstract long textLength(String text);

    // ---- leases ----

    /** Locks the view's lease row (see {@link Leases.Strength}) and reads the database's time after the lock. */
    abstract Optional<Leases.Held> lock(DSLContext tx, String view, Leases.Strength strength);

    /** Takes the lease if it is free, expired or already the owner's (creating its row when missing). */
    abstract Optional<LeaseToken> tryAcquire(Leases leases, DSLContext ctx, String view, String owner, Duration ttl);

    /** Extends the lease if the token still holds it (nobody took it since). */
    abstract boolean renewNow(Leases leases, DSLContext ctx, LeaseToken token, Duration ttl);

    // ---- a push's session ----

    /**
     * Takes the lease and, where the database allows it in one step, reads the view's first fetch
     * with it.
     *
     * @return empty when another owner holds the lease; else the token and the read (null: the
     *         session opens it)
     */
    abstract Optional<DefaultJdbcPushStore.Begun> tryAcquireAndRead(DefaultJdbcPushStore store, String owner,
                                                                    Duration ttl, View view,
                                                                    io.viewpush.expression.Snapshot snapshot);

    /** Records a push's last attempt and releases its lease (nothing when the lease is lost: LeaseLostException). */
    abstract void recordAndRelease(DefaultJdbcPushStore store, PushAttempt attempt, LeaseToken lease);

    /**
     * @return an empty batch of the view's rows, stamped with {@code stampValue} when committed
     *         under the lease; {@code chunk} rows kept in memory at most
     */
    abstract JdbcStampBatch newBatch(DefaultJdbcPushStore store, View view, Mapping mapping, LeaseToken lease,
                                     long batchId, Object stampValue, int chunk);

    /**
     * @return whether the stamping statement of a view whose modified field is a calculation locks
     *         the related rows its lookups read ({@code FOR SHARE}), so that it waits for a
     *         transaction writing one of them and then compares what it committed; false where the
     *         database cannot lock inside a subquery
     */
    boolean locksRelatedRowsWhenStamping() {
        return false;
    }

    @Override
    public String toString() {
        return label();
    }
}
