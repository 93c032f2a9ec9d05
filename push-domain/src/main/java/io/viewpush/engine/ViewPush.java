package io.viewpush.engine;

import io.viewpush.port.Page;
import io.viewpush.port.PushListener;
import io.viewpush.port.PushStore;
import io.viewpush.port.PushTransport;
import io.viewpush.port.RowCursor;
import io.viewpush.port.RowSource;
import io.viewpush.port.RowUpdater;
import io.viewpush.port.ViewSchema;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.Replay;
import io.viewpush.view.InvalidViewException;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The ViewPush engine: pushes every view that has a push policy whenever it has rows and its policy
 * allows, and serves what the HTTP API needs (pull, row update, push now, journal).
 *
 * <pre>{@code
 * ViewPush engine = ViewPush.builder()
 *         .store(JdbcPushStore.builder(dataSource).build())
 *         .transport(HttpPushTransport.builder().target("orders", URI.create("https://hooks.example/orders")).build())
 *         .view(ordersToPush)   // a ViewDefinition named "orders" with a PushPolicy
 *         .build();
 * engine.start();
 * ...
 * engine.close();
 * }</pre>
 *
 * Thread-safe. {@link #close()} stops the scheduler gracefully: no new push or batch starts, the
 * batch in flight finishes within {@link Builder#shutdownTimeout(Duration)}, and nothing is stamped
 * after that. A push still running then is interrupted, and {@code close()} waits up to half the
 * timeout more (at least a second) for its thread to end, so it returns within 1.5 times the
 * timeout at most.
 */
public interface ViewPush extends AutoCloseable {

    /** @return a builder; {@link Builder#build()} names the first missing or bad option */
    static Builder builder() {
        return new Builder();
    }

    /** Starts the scheduler; idempotent. Pull, update and {@link #pushNow} work without it. */
    void start();

    /**
     * Pushes the view now on the caller's thread, ignoring its minimum interval (waiting for a
     * push of the same view in flight in this engine).
     *
     * @return what happened; {@code SKIPPED} when another engine holds the view's lease
     * @throws UnknownViewException when there is no such view or it has no push policy
     * @throws IllegalStateException when the engine is closing
     */
    PushAttempt pushNow(String view);

    /**
     * Tells the engine the view's data changed: it is pushed as soon as its policy allows, without
     * waiting for the next poll. Does nothing for unknown or pull-only views or before {@link #start()}.
     */
    void wake(String view);

    /** Wakes every view on that table (see {@link #wake}). */
    void wakeTable(String table);

    /** @return every view, in the order they were given */
    List<View> views();

    /** @return the view of that name */
    Optional<View> view(String name);

    /**
     * @return the view's push state
     * @throws UnknownViewException when there is no such view
     */
    ViewStatus status(String view);

    /**
     * @return the view's most recent push attempts, newest first
     * @throws UnknownViewException when there is no such view
     */
    List<PushAttempt> recentPushes(String view, int limit);

    /**
     * Reads the view's rows now (the pull API), streaming; the caller closes the cursor. Every row
     * is returned, including rows holding a value the row JSON cannot carry
     * ({@link io.viewpush.view.Carriable}), which a push would hold back: the reader decides how to
     * show them.
     *
     * @throws UnknownViewException when there is no such view
     */
    RowCursor read(String view, Page page);

    /**
     * Updates writable fields of the row with that key, if it is in the view now (the row update
     * API). Values (and the key's values) must have the Java type of their field's type
     * ({@link io.viewpush.expression.ValueType#javaType()}), or be {@code null} for empty; for a
     * number field an {@code Integer}, {@code Long}, {@code Short}, {@code Byte} or
     * {@code BigInteger} is taken too, as the {@code BigDecimal} it is exactly.
     *
     * @return the row after the update, or empty when no such row is in the view
     * @throws UnknownViewException   when there is no such view
     * @throws InvalidUpdateException when a field is unknown, not writable, or of the wrong type, or a
     *                                value does not fit its column (too many decimals, too long)
     */
    Optional<Row> updateRow(String view, RowKey key, Map<String, Object> values);

    /**
     * Pauses the view for every engine sharing the store, until {@link #resume}: no push of it
     * starts (a push in flight finishes). Survives restarts.
     *
     * @param view   the view
     * @param detail why, for people (shown with the pause)
     * @param by     who pauses it (a CLI user, an API key)
     * @return the view's pause: the new one, or the one it had already (which is kept)
     * @throws UnknownViewException when there is no such view or it has no push policy
     * @throws io.viewpush.port.StorageException when the database fails
     */
    Pause pause(String view, String detail, String by);

    /**
     * Ends the view's pause for every engine; a started engine pushes it at once (ignoring its
     * minimum interval and backoff), other engines at their next check (within their poll interval).
     *
     * @return the pause that ended, or empty when the view was not paused
     * @throws UnknownViewException when there is no such view or it has no push policy
     * @throws io.viewpush.port.StorageException when the database fails
     */
    Optional<Pause> resume(String view, String by);

    /**
     * @return the view's pause, as the store has it now, or empty
     * @throws UnknownViewException when there is no such view
     */
    Optional<Pause> paused(String view);

    /**
     * Clears the stamp of the chosen rows, so that the next push sends them again (it is woken), and
     * records the replay in the journal. Runs under the view's lease, so it never races a push of
     * it: it waits for a push in flight in this engine, and for up to 30 s for another engine's.
     *
     * @param view   a view whose filters depend on its stamp field
     * @param which  the rows
     * @param dryRun true to count the rows only: nothing is changed or recorded
     * @param by     who asks (a CLI user, an API key)
     * @return what was done
     * @throws UnknownViewException  when there is no such view or it has no push policy
     * @throws CannotReplayException when no filter of the view depends on its stamp field, or
     *                               another engine held the view's lease all the while
     * @throws io.viewpush.port.StorageException when the database fails: nothing is changed
     */
    Replay replay(String view, ReplaySelection which, boolean dryRun, String by);

    /**
     * @return the view's recent replays, newest first, at most {@code limit}
     * @throws UnknownViewException when there is no such view
     */
    List<Replay> replays(String view, int limit);

    /**
     * Reads a row key of the view from its text form (as {@code --key} gives it; see {@link RowKey}):
     * the value's text for a one-field key, a composite key's values in key order, each URL-encoded,
     * joined with {@code /} ({@code 7/a%2Fb}).
     *
     * @return the key, or empty when the text is no key of the view (a value not of its field's type,
     *         or another number of values)
     * @throws UnknownViewException when there is no such view
     */
    Optional<RowKey> keyOf(String view, String text);

    /** @return the zone in which {@code now()} and times without zone are read (see {@link Builder#zone}) */
    ZoneId zone();

    /** @return true when the store answers */
    boolean isHealthy();

    /** Stops gracefully (see the class description); idempotent. Does not close the ports. */
    @Override
    void close();

    /** Builds a {@link ViewPush}. */
    final class Builder {
        /** Default {@link #leaseTtl}: a view's lease lasts 2 minutes unless renewed. */
        public static final Duration DEFAULT_LEASE_TTL = Duration.ofMinutes(2);
        /** Default {@link #pollInterval}: a view with nothing to send is checked again after 1 s at the earliest. */
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
        /** Default {@link #shutdownTimeout}: 30 s for the push in flight to finish on close. */
        public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
        /** Default {@link #workers}: 2 threads push views concurrently. */
        public static final int DEFAULT_WORKERS = 2;

        private ViewSchema schema;
        private RowSource rowSource;
        private RowUpdater updater;
        private PushStore store;
        private BooleanSupplier health = () -> true;
        private PushTransport transport;
        private final List<ViewDefinition> definitions = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private ZoneId zone;
        private PushListener listener = PushListener.NONE;
        private String owner;
        private Duration leaseTtl = DEFAULT_LEASE_TTL;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private int workers = DEFAULT_WORKERS;

        Builder() {
        }

        /**
         * Uses one store for every database port: schema, rows, updates, health, and the pushes
         * (each runs in one {@link io.viewpush.port.PushSession} of this store, so the rows a push
         * reads and the rows it stamps are the same database's). Required when any view has a push
         * policy.
         */
        public Builder store(PushStore store) {
            this.store = store;
            this.schema = store;
            this.rowSource = store;
            this.updater = store;
            this.health = store::isReachable;
            return this;
        }

        /** @param value where field types come from, for an engine without a {@link #store} (pull only) */
        public Builder schema(ViewSchema value) {
            this.schema = value;
            return this;
        }

        /** @param value where rows are read, for an engine without a {@link #store} (pull only) */
        public Builder rowSource(RowSource value) {
            this.rowSource = value;
            return this;
        }

        /** @param value what updates rows for the row update API, for an engine without a {@link #store} (optional) */
        public Builder rowUpdater(RowUpdater value) {
            this.updater = value;
            return this;
        }

        /** @param value the transport that sends batches (required when any view has a push policy) */
        public Builder transport(PushTransport value) {
            this.transport = value;
            return this;
        }

        /** Adds a view; names must be unique. */
        public Builder view(ViewDefinition value) {
            this.definitions.add(value);
            return this;
        }

        /** Adds views; names must be unique. */
        public Builder views(Collection<ViewDefinition> values) {
            this.definitions.addAll(values);
            return this;
        }

        /** @param value the clock for snapshots and schedules; default {@link Clock#systemUTC()} */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /**
         * @param value the zone in which {@code now()} is compared with timestamps without zone and
         *              dates; default the store's session zone ({@link PushStore#sessionZone()}, asked
         *              once by {@link #build()}), so that the engine's {@code now()} and the
         *              database's wall clock agree; the JVM's zone for an engine without a store
         */
        public Builder zone(ZoneId value) {
            this.zone = value;
            return this;
        }

        /** @param value receives push events (metrics); default none */
        public Builder listener(PushListener value) {
            this.listener = value;
            return this;
        }

        /** @param value this engine's name in leases; default host name, process id and a random suffix */
        public Builder owner(String value) {
            this.owner = value;
            return this;
        }

        /** @param value how long a lease lasts unless renewed; default {@link #DEFAULT_LEASE_TTL} */
        public Builder leaseTtl(Duration value) {
            this.leaseTtl = value;
            return this;
        }

        /** @param value least time between two checks of a view with nothing to send; default {@link #DEFAULT_POLL_INTERVAL} */
        public Builder pollInterval(Duration value) {
            this.pollInterval = value;
            return this;
        }

        /**
         * @param value how long {@link #close()} waits for pushes in flight before it gives up on them
         *              (nothing is stamped after that; their threads get half as long again, at least
         *              a second, to end); default {@link #DEFAULT_SHUTDOWN_TIMEOUT}
         */
        public Builder shutdownTimeout(Duration value) {
            this.shutdownTimeout = value;
            return this;
        }

        /** @param value threads that push views concurrently; default {@link #DEFAULT_WORKERS} */
        public Builder workers(int value) {
            this.workers = value;
            return this;
        }

        /**
         * Binds every view to its field types (from the schema port) and builds the engine; starts nothing.
         *
         * @return the engine
         * @throws IllegalArgumentException naming the first missing or bad option, or a view with a
         *                                  push policy the transport cannot push ({@link PushTransport#check})
         * @throws InvalidViewException     listing every problem of every view
         */
        public ViewPush build() {
            require(schema, "schema (or store)");
            require(rowSource, "rowSource (or store)");
            require(clock, "clock");
            require(listener, "listener");
            positive(leaseTtl, "leaseTtl");
            positive(pollInterval, "pollInterval");
            positive(shutdownTimeout, "shutdownTimeout");
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, not " + workers);
            }
            if (definitions.isEmpty()) {
                throw new IllegalArgumentException("no views: add at least one with view(...)");
            }
            boolean pushes = definitions.stream().anyMatch(d -> d.push().isPresent());
            if (pushes) {
                require(transport, "transport (a view has a push policy)");
                require(store, "store (a view has a push policy)");
            }
            if (zone == null) {
                zone = store != null ? store.sessionZone() : ZoneId.systemDefault();
            }
            String engineOwner = owner != null ? owner : defaultOwner();
            return new DefaultViewPush(this, engineOwner);
        }

        private static String defaultOwner() {
            String runtime = ManagementFactory.getRuntimeMXBean().getName();
            return runtime + "-" + UUID.randomUUID().toString().substring(0, 8);
        }

        private static void require(Object value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " is required");
            }
        }

        private static void positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be more than zero, not " + d);
            }
        }

        ViewSchema schema() {
            return schema;
        }

        RowSource rowSource() {
            return rowSource;
        }

        Optional<RowUpdater> updater() {
            return Optional.ofNullable(updater);
        }

        PushStore store() {
            return store;
        }

        BooleanSupplier health() {
            return health;
        }

        PushTransport transport() {
            return transport;
        }

        List<ViewDefinition> definitions() {
            return definitions;
        }

        Clock clock() {
            return clock;
        }

        ZoneId zone() {
            return zone;
        }

        PushListener listener() {
            return listener;
        }

        Duration leaseTtl() {
            return leaseTtl;
        }

        Duration pollInterval() {
            return pollInterval;
        }

        Duration shutdownTimeout() {
            return shutdownTimeout;
        }

        int workers() {
            return workers;
        }
    }
}
