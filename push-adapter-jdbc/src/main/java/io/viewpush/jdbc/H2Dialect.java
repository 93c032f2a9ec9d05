package io.viewpush.jdbc;

import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseToken;
import io.viewpush.push.PushAttempt;
import io.viewpush.view.View;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record4;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

import static io.viewpush.jdbc.Tables.Lease.EXPIRES_AT;
import static io.viewpush.jdbc.Tables.Lease.FENCE;
import static io.viewpush.jdbc.Tables.Lease.HOLDER_SESSION;
import static io.viewpush.jdbc.Tables.Lease.OWNER;
import static io.viewpush.jdbc.Tables.Lease.TABLE;
import static io.viewpush.jdbc.Tables.Lease.VIEW;

/** H2: the plain statements, each change in its transaction; large batches' rows in the scratch table. */
final class H2Dialect extends Dialect {

    @Override
    SQLDialect jooq() {
        return SQLDialect.H2;
    }

    @Override
    String label() {
        return "H2";
    }

    @Override
    String migrations() {
        return JdbcPushStore.MIGRATIONS_H2;
    }

    @Override
    int maxFractionDigits() {
        return 9;
    }

    /** H2 compares Java UTF-16 units by default, so its UTF-8 bytes (unsigned) are compared instead. */
    @Override
    Field<?> codePointOrder(Field<String> text) {
        return text.cast(SQLDataType.VARBINARY);
    }

    @Override
    Field<OffsetDateTime> now() {
        return DSL.field("current_timestamp(9)", SqlTypes.TIMESTAMP_TZ);
    }

    @Override
    Field<LocalDateTime> localNow() {
        return DSL.field("localtimestamp(9)", SqlTypes.TIMESTAMP);
    }

    @Override
    boolean isPlainText(String typeName) {
        return !isCaseInsensitiveText(typeName);
    }

    @Override
    java.time.ZoneId sessionZone(Connection connection) throws SQLException {
        try (java.sql.Statement st = connection.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'TIME ZONE'")) {
            if (!rs.next()) {
                throw new SQLException("the database did not say its session's time zone");
            }
            return zone(rs.getString(1));
        }
    }

    @Override
    ColumnTypes columnTypes() {
        return COLUMN_TYPES;
    }

    private static final ColumnTypes COLUMN_TYPES = new H2ColumnTypes();

    @Override
    String foldUnquoted(String name) {
        return name.toUpperCase(Locale.ROOT);
    }

    @Override
    String castType(ValueType type) {
        switch (type) {
            case TEXT:
                return "varchar";
            case NUMBER:
                return "decfloat";
            case BOOLEAN:
                return "boolean";
            case TIMESTAMP:
                return "timestamp(9)";
            case TIMESTAMP_TZ:
                return "timestamp(9) with time zone";
            case DATE:
                return "date";
            case UUID:
                return "uuid";
            default:
                throw new IllegalArgumentException("unknown type " + type);
        }
    }

    /** H2 counts a column's size in UTF-16 units. */
    @Override
    long textLength(String text) {
        return text.length();
    }

    @Override
    Optional<Leases.Held> lock(DSLContext tx, String view, Leases.Strength strength) {
        Optional<Record4<String, Long, OffsetDateTime, Long>> row = tx.fetchOptional(
                DSL.select(OWNER, FENCE, EXPIRES_AT, HOLDER_SESSION).from(TABLE).where(VIEW.eq(view)).forUpdate());
        if (row.isEmpty()) {
            return Optional.empty();
        }
        OffsetDateTime now = tx.select(now()).fetchSingle().value1();
        return Optional.of(new Leases.Held(row.get().value1(), row.get().value2(), row.get().value3(), now,
                row.get().value4()));
    }

    @Override
    Optional<LeaseToken> tryAcquire(Leases leases, DSLContext ctx, String view, String owner, Duration ttl) {
        leases.ensureRow(ctx, view);
        return ctx.transactionResult(cfg -> leases.tryAcquireLocked(cfg.dsl(), view, owner, ttl));
    }

    @Override
    boolean renewNow(Leases leases, DSLContext ctx, LeaseToken token, Duration ttl) {
        return ctx.transactionResult(cfg -> leases.renew(cfg.dsl(), token, ttl));
    }

    /** The lease, then the read when the session asks for it. */
    @Override
    Optional<DefaultJdbcPushStore.Begun> tryAcquireAndRead(DefaultJdbcPushStore store, String owner, Duration ttl,
                                                           View view, Snapshot snapshot) {
        return store.tryAcquire(view.name(), owner, ttl).map(t -> new DefaultJdbcPushStore.Begun(t, null, null));
    }

    /** The record in its transaction, then the release. */
    @Override
    void recordAndRelease(DefaultJdbcPushStore store, PushAttempt attempt, LeaseToken lease) {
        store.record(attempt, lease);
        store.release(lease);
    }

    @Override
    JdbcStampBatch newBatch(DefaultJdbcPushStore store, View view, Mapping mapping, LeaseToken lease, long batchId,
                            Object stampValue, int chunk) {
        return new H2StampBatch(store.ctx(), store.scratchWriter(), store.spillDirectory(), store.leases(), view, mapping,
                lease, batchId, stampValue, chunk);
    }

    @Override
    ValueFunctions valueFunctions() {
        return ValueFunctions.H2;
    }
}
