package io.viewpush.jdbc;

import io.viewpush.port.PushStore;
import io.viewpush.port.StorageException;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;

/**
 * Every ViewPush port on a relational database, through JDBC, jOOQ and Flyway: the view's filters
 * and calculations run in the database as SQL, rows stream in key order, delivered rows are stamped
 * with one set-based statement that never loses an update, and the push journal and the leases
 * that keep one pusher per view live in ViewPush's own tables ({@code viewpush_*}). Supports
 * PostgreSQL and H2; the dialect is detected from the connection.
 *
 * <pre>{@code
 * JdbcPushStore store = JdbcPushStore.builder(dataSource).build(); // also runs our migrations
 * }</pre>
 *
 * <h2>Migrations</h2>
 * {@link #migrate()} (run by {@link Builder#build()} unless {@link Builder#migrateOnBuild(boolean)}
 * is false) applies ViewPush's Flyway migrations from {@link #MIGRATIONS_POSTGRESQL} or
 * {@link #MIGRATIONS_H2}, recording them in their own history table {@link #SCHEMA_HISTORY_TABLE},
 * so the host's own Flyway history is never touched, and a non-empty database is fine. A host that
 * runs migrations itself (for example at deploy time, with a privileged user) builds the store
 * with {@code migrateOnBuild(false)} and runs, with its own Flyway:
 * <pre>{@code
 * Flyway.configure()
 *       .dataSource(dataSource)
 *       .locations(JdbcPushStore.MIGRATIONS_POSTGRESQL)     // or MIGRATIONS_H2
 *       .table(JdbcPushStore.SCHEMA_HISTORY_TABLE)
 *       .baselineOnMigrate(true).baselineVersion("0")      // our V1 must run on a non-empty schema
 *       .load()
 *       .migrate();
 * }</pre>
 * or simply calls {@link #migrate()} on a store built with {@code migrateOnBuild(false)}.
 *
 * <p>Thread-safe: one store serves every view and thread of an engine; it borrows a connection
 * from the data source for each operation (a {@link io.viewpush.port.RowCursor} holds one until closed).
 * On PostgreSQL it also keeps ONE connection of the data source from its first lease until
 * {@link #close()}, holding a session-level advisory lock that its leases name: when the engine's
 * process dies, PostgreSQL ends that session, and another engine takes the engine's views over at
 * once instead of after the lease's time to live (size a pool for it). On an H2 database that only
 * this process can open (embedded, no server, no {@code AUTO_SERVER}), a lease of another process
 * is taken at once, as that process has ended. Every take-over raises the fence, so a holder that
 * was only paused can no longer stamp.
 */
public interface JdbcPushStore extends PushStore, AutoCloseable {

    /** Where the PostgreSQL migrations are on the classpath. */
    String MIGRATIONS_POSTGRESQL = "classpath:db/viewpush/postgresql";
    /** Where the H2 migrations are on the classpath. */
    String MIGRATIONS_H2 = "classpath:db/viewpush/h2";
    /** The Flyway history table of ViewPush's own migrations, separate from the host's. */
    String SCHEMA_HISTORY_TABLE = "viewpush_schema_history";

    /** Default {@link Builder#fetchSize(int)}: rows fetched per round trip while streaming a view, 1000. */
    int DEFAULT_FETCH_SIZE = 1000;
    /**
     * Default {@link Builder#stampBatchSize(int)}: a batch's sent rows are kept in memory up to
     * 10000 (then stamped straight from memory on PostgreSQL); beyond that, 10000 at a time, they
     * go to a temporary file (PostgreSQL, stamped 10000 per statement) or the scratch table (H2).
     */
    int DEFAULT_STAMP_BATCH_SIZE = 10_000;
    /** Default {@link Builder#journalRetention(Duration)}: push attempts are kept 28 days. */
    Duration DEFAULT_JOURNAL_RETENTION = Duration.ofDays(28);
    /** Default {@link Builder#journalMaxAttemptsPerView(int)}: at most 5000 attempts are kept per view. */
    int DEFAULT_JOURNAL_MAX_ATTEMPTS_PER_VIEW = 5000;
    /** Default {@link Builder#journalPruneInterval(Duration)}: the journal of a view is pruned at most every 10 minutes. */
    Duration DEFAULT_JOURNAL_PRUNE_INTERVAL = Duration.ofMinutes(10);
    /** Default {@link Builder#migrateOnBuild(boolean)}: true, {@link Builder#build()} runs {@link #migrate()}. */
    boolean DEFAULT_MIGRATE_ON_BUILD = true;

    /**
     * @param dataSource where the views' tables and ViewPush's own tables are; its connections
     *                   must be able to read the views' tables and update their stamp and writable columns
     * @return a builder with every option at its default
     */
    static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Applies ViewPush's migrations (idempotent; Flyway serialises concurrent runs).
     *
     * @throws StorageException when the database fails or a migration does
     */
    void migrate();

    /**
     * Prunes the push journal now: attempts older than the retention, and all but the newest
     * {@link Builder#journalMaxAttemptsPerView(int)} of every view; also discards the rows of stamp
     * batches abandoned by a crashed engine a day ago or more. {@link #record} does this by itself
     * from time to time (at most every {@link Builder#journalPruneInterval(Duration)} per view).
     *
     * @return how many attempts were deleted
     * @throws StorageException when the database fails
     */
    int pruneJournal();

    /**
     * Stops the store's background work (the thread that writes a large batch's rows ahead on H2)
     * and, on PostgreSQL, gives back the connection that showed other engines this one lives (its
     * leases are then free to take at once); idempotent. The data source is the host's and stays
     * open. A push after this fails.
     */
    @Override
    void close();

    /** @return the database this store talks to: {@code "PostgreSQL"} or {@code "H2"} */
    String databaseName();

    /** Builds a {@link JdbcPushStore}; {@link #build()} names the first bad option. */
    /**
     * jOOQ prints a banner and a "tip of the day" into the log at its first use unless these system
     * properties say not to: a host's log gets nothing it did not ask for. A host that set either
     * property itself keeps its choice.
     */
    private static void quietJooq() {
        for (String p : new String[]{"org.jooq.no-logo", "org.jooq.no-tips"}) {
            if (System.getProperty(p) == null) {
                System.setProperty(p, "true");
            }
        }
    }

    final class Builder {
        final DataSource dataSource;
        int fetchSize = DEFAULT_FETCH_SIZE;
        int stampBatchSize = DEFAULT_STAMP_BATCH_SIZE;
        java.nio.file.Path spillDirectory = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        boolean stampAhead;
        Duration journalRetention = DEFAULT_JOURNAL_RETENTION;
        int journalMaxAttemptsPerView = DEFAULT_JOURNAL_MAX_ATTEMPTS_PER_VIEW;
        Duration journalPruneInterval = DEFAULT_JOURNAL_PRUNE_INTERVAL;
        boolean migrateOnBuild = DEFAULT_MIGRATE_ON_BUILD;
        Clock clock = Clock.systemUTC();

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** @param value rows fetched per round trip while streaming; at least 1; default {@link #DEFAULT_FETCH_SIZE} */
        public Builder fetchSize(int value) {
            this.fetchSize = value;
            return this;
        }

        /**
         * @param value the most sent rows whose keys a batch keeps in memory; a batch with more
         *              keeps them out of memory this many at a time while it streams (PostgreSQL: in
         *              a temporary file in {@link #spillDirectory(java.nio.file.Path)}, stamped this
         *              many per statement; H2: in the scratch table, written in the background, one
         *              insert at a time); 1 to 100000; default {@link #DEFAULT_STAMP_BATCH_SIZE}
         */
        public Builder stampBatchSize(int value) {
            this.stampBatchSize = value;
            return this;
        }

        /**
         * @param value where a batch larger than {@link #stampBatchSize(int)} keeps the keys (and
         *              modified values) of its sent rows until it is stamped, on PostgreSQL: one
         *              private file {@code viewpush-stamp-*.keys} per such batch (about 60 bytes a
         *              row), deleted when the batch is stamped or closed (a process killed in between
         *              leaves its file behind: nothing reads it again, it may be deleted); an existing,
         *              writable directory; default the JVM's {@code java.io.tmpdir}
         */
        public Builder spillDirectory(java.nio.file.Path value) {
            this.spillDirectory = value;
            return this;
        }

        /**
         * @param value on PostgreSQL, whether a batch larger than {@link #stampBatchSize(int)} stamps its
         *              rows while it is still read and sent, {@code stampBatchSize} rows per statement,
         *              in a transaction of its own that commits only once the request succeeded (and
         *              the lease is still held) and rolls back otherwise, so nothing is stamped before
         *              it was delivered. The stamping then mostly overlaps the read and the request
         *              instead of following them. The cost: the rows stamped ahead stay locked until
         *              the request ends, so a write to one of them waits for the delivery (as does a
         *              write to a related row a calculated modified field locks {@code FOR SHARE}); a
         *              take-over of the view's lease waits too; the push uses one more connection; a
         *              modified column set to the transaction's time loses more changes. Should the
         *              stamping ahead fail (a deadlock with a writer, a lost connection), it is rolled
         *              back and the batch is stamped after the request as without this setting, from
         *              its spill file. H2 ignores it. Default false
         */
        public Builder stampAhead(boolean value) {
            this.stampAhead = value;
            return this;
        }

        /** @param value how long push attempts are kept, by their start; more than zero; default {@link #DEFAULT_JOURNAL_RETENTION} */
        public Builder journalRetention(Duration value) {
            this.journalRetention = value;
            return this;
        }

        /** @param value how many push attempts are kept per view, at least 1; default {@link #DEFAULT_JOURNAL_MAX_ATTEMPTS_PER_VIEW} */
        public Builder journalMaxAttemptsPerView(int value) {
            this.journalMaxAttemptsPerView = value;
            return this;
        }

        /**
         * @param value the least time between two automatic prunes of a view's journal after
         *              {@code record}; zero prunes after every record; default {@link #DEFAULT_JOURNAL_PRUNE_INTERVAL}
         */
        public Builder journalPruneInterval(Duration value) {
            this.journalPruneInterval = value;
            return this;
        }

        /** @param value whether {@link #build()} runs {@link JdbcPushStore#migrate()}; default {@link #DEFAULT_MIGRATE_ON_BUILD} */
        public Builder migrateOnBuild(boolean value) {
            this.migrateOnBuild = value;
            return this;
        }

        /**
         * @param value the clock that journal retention is measured with (attempts carry the
         *              engine's times); stamps and leases always use the database's clock;
         *              default {@link Clock#systemUTC()}
         */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /**
         * Validates the options, detects the database and, unless disabled, runs the migrations.
         *
         * @return the store
         * @throws IllegalArgumentException naming the first bad option, or an unsupported database
         * @throws StorageException         when the database cannot be reached or a migration fails
         */
        public JdbcPushStore build() {
            quietJooq();
            if (dataSource == null) {
                throw new IllegalArgumentException("dataSource is required");
            }
            if (fetchSize < 1) {
                throw new IllegalArgumentException("fetchSize must be at least 1, not " + fetchSize);
            }
            if (stampBatchSize < 1 || stampBatchSize > 100_000) {
                throw new IllegalArgumentException("stampBatchSize must be 1 to 100000, not " + stampBatchSize);
            }
            if (spillDirectory == null || !java.nio.file.Files.isDirectory(spillDirectory)
                    || !java.nio.file.Files.isWritable(spillDirectory)) {
                throw new IllegalArgumentException("spillDirectory must be an existing, writable directory, not "
                        + spillDirectory);
            }
            if (journalRetention == null || journalRetention.isNegative() || journalRetention.isZero()) {
                throw new IllegalArgumentException("journalRetention must be more than zero, not " + journalRetention);
            }
            if (journalMaxAttemptsPerView < 1) {
                throw new IllegalArgumentException("journalMaxAttemptsPerView must be at least 1, not "
                        + journalMaxAttemptsPerView);
            }
            if (journalPruneInterval == null || journalPruneInterval.isNegative()) {
                throw new IllegalArgumentException("journalPruneInterval must be zero or more, not " + journalPruneInterval);
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            DefaultJdbcPushStore store = new DefaultJdbcPushStore(this);
            if (migrateOnBuild) {
                store.migrate();
            }
            return store;
        }
    }
}
