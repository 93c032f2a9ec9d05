package io.viewpush.jdbc;

import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Locale;

/** The databases this adapter supports, and what differs between them. */
enum Dialect {
    POSTGRESQL(SQLDialect.POSTGRES, "PostgreSQL", JdbcPushStore.MIGRATIONS_POSTGRESQL, 6),
    H2(SQLDialect.H2, "H2", JdbcPushStore.MIGRATIONS_H2, 9);

    private final SQLDialect jooq;
    private final String label;
    private final String migrations;
    private final int maxFractionDigits;

    Dialect(SQLDialect jooq, String label, String migrations, int maxFractionDigits) {
        this.jooq = jooq;
        this.label = label;
        this.migrations = migrations;
        this.maxFractionDigits = maxFractionDigits;
    }

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

    SQLDialect jooq() {
        return jooq;
    }

    String label() {
        return label;
    }

    String migrations() {
        return migrations;
    }

    /** @return the most fractional-second digits a timestamp can hold */
    int maxFractionDigits() {
        return maxFractionDigits;
    }

    /**
     * An expression that orders text in Unicode code-point order. PostgreSQL: the {@code "C"}
     * collation compares UTF-8 bytes; H2 compares Java UTF-16 units by default, so its UTF-8 bytes
     * (unsigned) are compared instead.
     */
    Field<?> codePointOrder(Field<String> text) {
        if (this == POSTGRESQL) {
            return text.collate(DSL.collation(DSL.quotedName("C")));
        }
        return text.cast(SQLDataType.VARBINARY);
    }

    /** The database's current time with zone, evaluated when the statement runs. */
    Field<OffsetDateTime> now() {
        return this == POSTGRESQL
                ? DSL.field("clock_timestamp()", SqlTypes.TIMESTAMP_TZ)
                : DSL.field("current_timestamp(9)", SqlTypes.TIMESTAMP_TZ);
    }

    /** The session's local time: what the database's own {@code now()} writes into a timestamp column. */
    Field<LocalDateTime> localNow() {
        return this == POSTGRESQL
                ? DSL.field("cast(clock_timestamp() as timestamp)", SqlTypes.TIMESTAMP)
                : DSL.field("localtimestamp(9)", SqlTypes.TIMESTAMP);
    }

    /** Whether a (text) column type name is one this dialect compares as plain text. */
    boolean isCaseInsensitiveText(String typeName) {
        String t = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        return t.contains("ignorecase") || t.equals("citext");
    }
}
