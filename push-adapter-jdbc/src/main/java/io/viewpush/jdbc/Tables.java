package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.time.OffsetDateTime;

/** ViewPush's own tables (created by the Flyway migrations), as jOOQ names. All are prefixed {@code viewpush_}. */
final class Tables {
    private Tables() {
    }

    /** One row per view that was ever leased: who holds it, the fence, and until when (database time). */
    static final class Lease {
        static final Table<?> TABLE = DSL.table(DSL.name("viewpush_lease"));
        static final Field<String> VIEW = DSL.field(DSL.name("view_name"), SQLDataType.VARCHAR);
        static final Field<String> OWNER = DSL.field(DSL.name("owner"), SQLDataType.VARCHAR);
        static final Field<Long> FENCE = DSL.field(DSL.name("fence"), SQLDataType.BIGINT);
        static final Field<OffsetDateTime> EXPIRES_AT = DSL.field(DSL.name("expires_at"), SqlTypes.TIMESTAMP_TZ);
        static final Field<OffsetDateTime> ACQUIRED_AT = DSL.field(DSL.name("acquired_at"), SqlTypes.TIMESTAMP_TZ);
        /** The holder's host and process id, for people. */
        static final Field<String> HOLDER_HOST = DSL.field(DSL.name("holder_host"), SQLDataType.VARCHAR);
        static final Field<Long> HOLDER_PID = DSL.field(DSL.name("holder_pid"), SQLDataType.BIGINT);
        /** What shows that the holder lives (see {@link LeaseHolders}). */
        static final Field<Long> HOLDER_SESSION = DSL.field(DSL.name("holder_session"), SQLDataType.BIGINT);

        private Lease() {
        }
    }

    /** The journal: one row per push attempt. Instants are whole seconds plus a nano column, exactly. */
    static final class Attempt {
        static final Table<?> TABLE = DSL.table(DSL.name("viewpush_push_attempt"));
        static final Field<Long> ID = DSL.field(DSL.name("id"), SQLDataType.BIGINT);
        static final Field<String> VIEW = DSL.field(DSL.name("view_name"), SQLDataType.VARCHAR);
        static final Field<String> TRIGGER = DSL.field(DSL.name("trigger_kind"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> STARTED_AT = DSL.field(DSL.name("started_at"), SqlTypes.TIMESTAMP_TZ);
        static final Field<Integer> STARTED_NANO = DSL.field(DSL.name("started_nano"), SQLDataType.INTEGER);
        static final Field<OffsetDateTime> FINISHED_AT = DSL.field(DSL.name("finished_at"), SqlTypes.TIMESTAMP_TZ);
        static final Field<Integer> FINISHED_NANO = DSL.field(DSL.name("finished_nano"), SQLDataType.INTEGER);
        static final Field<String> STATUS = DSL.field(DSL.name("status"), SQLDataType.VARCHAR);
        static final Field<Long> ROWS_SENT = DSL.field(DSL.name("rows_sent"), SQLDataType.BIGINT);
        static final Field<Long> ROWS_STAMPED = DSL.field(DSL.name("rows_stamped"), SQLDataType.BIGINT);
        static final Field<Long> ROWS_SKIPPED = DSL.field(DSL.name("rows_skipped"), SQLDataType.BIGINT);
        static final Field<Integer> BATCHES = DSL.field(DSL.name("batches"), SQLDataType.INTEGER);
        static final Field<Long> BYTES = DSL.field(DSL.name("bytes"), SQLDataType.BIGINT);
        static final Field<Integer> HTTP_STATUS = DSL.field(DSL.name("http_status"), SQLDataType.INTEGER);
        static final Field<String> REASON = DSL.field(DSL.name("reason"), SQLDataType.CLOB);
        static final Field<String> WEBHOOK_IDS = DSL.field(DSL.name("webhook_ids"), SQLDataType.CLOB);
        static final Field<String> OUTCOME = DSL.field(DSL.name("outcome"), SQLDataType.VARCHAR);
        static final Field<Long> ROWS_HELD_BACK = DSL.field(DSL.name("rows_held_back"), SQLDataType.BIGINT);
        static final Field<String> HELD_BACK = DSL.field(DSL.name("held_back"), SQLDataType.CLOB);

        private Attempt() {
        }
    }

    /** Each view's {@link io.viewpush.push.PushHistory}. */
    static final class History {
        static final Table<?> TABLE = DSL.table(DSL.name("viewpush_push_history"));
        static final Field<String> VIEW = DSL.field(DSL.name("view_name"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> LAST_START = DSL.field(DSL.name("last_start"), SqlTypes.TIMESTAMP_TZ);
        static final Field<Integer> LAST_START_NANO = DSL.field(DSL.name("last_start_nano"), SQLDataType.INTEGER);
        static final Field<OffsetDateTime> LAST_SUCCESS = DSL.field(DSL.name("last_success"), SqlTypes.TIMESTAMP_TZ);
        static final Field<Integer> LAST_SUCCESS_NANO = DSL.field(DSL.name("last_success_nano"), SQLDataType.INTEGER);
        static final Field<OffsetDateTime> LAST_FAILURE = DSL.field(DSL.name("last_failure"), SqlTypes.TIMESTAMP_TZ);
        static final Field<Integer> LAST_FAILURE_NANO = DSL.field(DSL.name("last_failure_nano"), SQLDataType.INTEGER);
        static final Field<String> LAST_FAILURE_REASON = DSL.field(DSL.name("last_failure_reason"), SQLDataType.CLOB);
        static final Field<Integer> CONSECUTIVE_FAILURES = DSL.field(DSL.name("consecutive_failures"), SQLDataType.INTEGER);
        static final Field<OffsetDateTime> FAILING_SINCE = DSL.field(DSL.name("failing_since"), SqlTypes.TIMESTAMP_TZ);
        static final Field<Integer> FAILING_SINCE_NANO = DSL.field(DSL.name("failing_since_nano"), SQLDataType.INTEGER);

        private History() {
        }
    }

    /** One row per paused view ({@link io.viewpush.push.Pause}). */
    static final class PauseRow {
        static final Table<?> TABLE = DSL.table(DSL.name("viewpush_pause"));
        static final Field<String> VIEW = DSL.field(DSL.name("view_name"), SQLDataType.VARCHAR);
        static final Field<String> REASON = DSL.field(DSL.name("reason"), SQLDataType.VARCHAR);
        static final Field<String> DETAIL = DSL.field(DSL.name("detail"), SQLDataType.CLOB);
        static final Field<OffsetDateTime> SINCE = DSL.field(DSL.name("since"), SqlTypes.TIMESTAMP_TZ);
        static final Field<Integer> SINCE_NANO = DSL.field(DSL.name("since_nano"), SQLDataType.INTEGER);
        static final Field<String> BY = DSL.field(DSL.name("paused_by"), SQLDataType.VARCHAR);

        private PauseRow() {
        }
    }

    /** The journal of replays ({@link io.viewpush.push.Replay}). */
    static final class ReplayRow {
        static final Table<?> TABLE = DSL.table(DSL.name("viewpush_replay"));
        static final Field<Long> ID = DSL.field(DSL.name("id"), SQLDataType.BIGINT);
        static final Field<String> VIEW = DSL.field(DSL.name("view_name"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> AT = DSL.field(DSL.name("replayed_at"), SqlTypes.TIMESTAMP_TZ);
        static final Field<Integer> AT_NANO = DSL.field(DSL.name("replayed_nano"), SQLDataType.INTEGER);
        static final Field<String> BY = DSL.field(DSL.name("replayed_by"), SQLDataType.VARCHAR);
        static final Field<String> SELECTION = DSL.field(DSL.name("selection"), SQLDataType.CLOB);
        static final Field<Long> ROWS = DSL.field(DSL.name("rows_replayed"), SQLDataType.BIGINT);

        private ReplayRow() {
        }
    }

    /** A stamp batch in progress: its rows wait in {@link StampRow} until the batch commits or closes. */
    static final class StampBatch {
        static final Table<?> TABLE = DSL.table(DSL.name("viewpush_stamp_batch"));
        static final Field<Long> BATCH_ID = DSL.field(DSL.name("batch_id"), SQLDataType.BIGINT);
        static final Field<String> VIEW = DSL.field(DSL.name("view_name"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> CREATED_AT = DSL.field(DSL.name("created_at"), SqlTypes.TIMESTAMP_TZ);

        private StampBatch() {
        }
    }

    /** The rows of stamp batches: key and modified value, each in the column of its type. */
    static final class StampRow {
        static final String ALIAS = "viewpush_s";
        static final Table<?> TABLE = DSL.table(DSL.name("viewpush_stamp_row"));
        static final Field<Long> BATCH_ID = DSL.field(DSL.name("batch_id"), SQLDataType.BIGINT);

        private StampRow() {
        }

        /** @return the scratch column holding a key ({@code k}) or modified value ({@code m}) of that type */
        static Field<?> column(char prefix, ValueType type) {
            return DSL.field(DSL.name(prefix + "_" + suffix(type)), SqlTypes.of(type));
        }

        /** The same column, read from the aliased sub-select of a stamp statement. */
        static Field<?> aliased(char prefix, ValueType type) {
            return DSL.field(DSL.name(ALIAS, prefix + "_" + suffix(type)), SqlTypes.of(type));
        }

        /**
         * @return the column of a stamp statement's sub-select holding the {@code i}-th value of a
         *         composite key (0: the scratch table's own key column {@link #column})
         */
        static Field<?> key(int i, ValueType type) {
            return i == 0 ? column('k', type) : DSL.field(DSL.name("k" + (i + 1) + "_" + suffix(type)), SqlTypes.of(type));
        }

        /** {@link #key(int, ValueType)}, read from the aliased sub-select of a stamp statement. */
        static Field<?> aliasedKey(int i, ValueType type) {
            return DSL.field(DSL.name(ALIAS, key(i, type).getName()), SqlTypes.of(type));
        }

        private static String suffix(ValueType type) {
            switch (type) {
                case TEXT:
                case UUID:
                    // a uuid key waits as its text, cast back to uuid where it is compared (Mapping.inColumnType)
                    return "text";
                case NUMBER:
                    return "num";
                case BOOLEAN:
                    return "bool";
                case TIMESTAMP:
                    return "ts";
                case TIMESTAMP_TZ:
                    return "tstz";
                case DATE:
                    return "date";
                default:
                    throw new IllegalArgumentException("unknown type " + type);
            }
        }
    }
}
