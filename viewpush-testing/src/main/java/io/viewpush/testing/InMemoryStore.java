package io.viewpush.testing;

import io.viewpush.expression.Expressions;
import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.port.LeaseLostException;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.Page;
import io.viewpush.port.PushSession;
import io.viewpush.port.PushStore;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StampBatch;
import io.viewpush.port.StorageException;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.Replay;
import io.viewpush.push.StampResult;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.Field;
import io.viewpush.view.InvalidViewException;
import io.viewpush.view.Problem;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link PushStore}: tables, journal and leases in maps. For tests of code that embeds
 * ViewPush, and the reference the contract suites are checked against. Thread-safe.
 *
 * <pre>{@code
 * InMemoryStore store = InMemoryStore.create();
 * store.createTable("orders", Map.of("id", ValueType.NUMBER, "last_pushed", ValueType.TIMESTAMP), "id");
 * ViewPush engine = ViewPush.builder().store(store).transport(new RecordingTransport()).view(def).build();
 * }</pre>
 */
public final class InMemoryStore implements PushStore {
    private final Clock clock;
    private final Map<String, InMemoryTable> tables = new ConcurrentHashMap<>();
    private final Map<String, List<PushAttempt>> attempts = new HashMap<>();
    private final Map<String, PushHistory> histories = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private final Map<String, Long> fences = new HashMap<>();
    private final Map<String, Pause> pauses = new HashMap<>();
    private final Map<String, List<Replay>> replays = new HashMap<>();
    private volatile boolean reachable = true;

    private InMemoryStore(Clock clock) {
        this.clock = clock;
    }

    /** @return a store on the system clock (UTC) */
    public static InMemoryStore create() {
        return new InMemoryStore(Clock.systemUTC());
    }

    /** @return a store whose "database time" is {@code clock} (leases, stamps, {@link InMemoryTable#touch}) */
    public static InMemoryStore create(Clock clock) {
        return new InMemoryStore(clock);
    }

    /** Creates (or replaces) a table. */
    public InMemoryTable createTable(String name, Map<String, ValueType> columns, String keyColumn) {
        return createTable(name, columns, List.of(keyColumn));
    }

    /**
     * Creates (or replaces) a table with a key of one or more columns (a composite primary key, such as
     * a join table's {@code (actor_id, film_id)}).
     */
    public InMemoryTable createTable(String name, Map<String, ValueType> columns, List<String> keyColumns) {
        InMemoryTable t = new InMemoryTable(name, columns, keyColumns, clock);
        tables.put(name, t);
        return t;
    }

    /** @return the named table */
    public InMemoryTable table(String name) {
        InMemoryTable t = tables.get(name);
        if (t == null) {
            throw new NoSuchElementException("no table " + name);
        }
        return t;
    }

    /** Makes every operation fail with {@link StorageException} (false) or work again (true). */
    public void setReachable(boolean value) {
        this.reachable = value;
    }

    /** @return the zone of the store's clock ({@link #create(Clock)}) */
    @Override
    public java.time.ZoneId sessionZone() {
        requireReachable();
        return clock.getZone();
    }

    @Override
    public boolean isReachable() {
        return reachable;
    }

    private void requireReachable() {
        if (!reachable) {
            throw new StorageException("the in-memory store is set unreachable");
        }
    }

    @Override
    public Map<String, ValueType> fieldTypes(ViewDefinition definition) {
        requireReachable();
        InMemoryTable t = tables.get(definition.table());
        if (t == null) {
            throw new InvalidViewException(List.of(Problem.of(definition.name(), "table",
                    "table '" + definition.table() + "' does not exist; tables: " + tables.keySet())));
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, ValueType> types = new LinkedHashMap<>();
        for (Field f : definition.fields()) {
            ValueType type = t.columns().get(f.column());
            if (type == null) {
                problems.add(Problem.of(definition.name(), "fields." + f.name(), "column '" + f.column()
                        + "' of field '" + f.name() + "' does not exist in table '" + t.name() + "'; columns: "
                        + t.columns().keySet()));
            } else {
                types.put(f.name(), type);
            }
        }
        definition.push().map(PushPolicy::stampField).ifPresent(stamp -> {
            ValueType type = types.get(stamp);
            if (type != null && type != ValueType.TIMESTAMP && type != ValueType.TIMESTAMP_TZ) {
                problems.add(Problem.of(definition.name(), "push.stamp", "the stamp field '" + stamp
                        + "' must be a timestamp column, but column '" + definition.field(stamp).get().column()
                        + "' is " + type.label()));
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidViewException(problems);
        }
        return types;
    }

    @Override
    public RowCursor open(View view, Snapshot snapshot, Page page) {
        requireReachable();
        InMemoryTable t = table(view.table());
        List<Row> in = new ArrayList<>();
        for (Map<String, Object> r : t.rows()) {
            Row row = view.computeRow(f -> r.get(view.columnOf(f)), snapshot);
            if (view.includes(row, snapshot)) {
                in.add(row);
            }
        }
        // in the view's key order, which may be other columns than the table's key
        in.sort((a, b) -> a.rowKey().compareTo(b.rowKey()));
        List<Row> out = new ArrayList<>();
        for (Row row : in) {
            if (page.after().isPresent() && row.rowKey().compareTo(page.after().get()) <= 0) {
                continue;
            }
            if (page.upTo().isPresent() && row.rowKey().compareTo(page.upTo().get()) > 0) {
                continue;
            }
            out.add(row);
            if (page.limit() > 0 && out.size() >= page.limit()) {
                break;
            }
        }
        Iterator<Row> it = out.iterator();
        return new RowCursor() {
            private boolean closed;

            @Override
            public boolean hasNext() {
                requireReachable();
                return !closed && it.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return it.next();
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    /** A batch of the session holding {@code lease}, stamped no later than {@code readStart}. */
    private StampBatch batch(View view, LeaseToken lease, Instant readStart) {
        requireReachable();
        PushPolicy policy = view.push().orElseThrow(() -> new IllegalArgumentException("view " + view.name() + " has no push policy"));
        InMemoryTable t = table(view.table());
        String stampColumn = view.columnOf(policy.stampField());
        ValueType stampType = view.typeOf(policy.stampField());
        Object stampValue = stampValue(stampType, readStart);
        Optional<String> modifiedField = policy.modifiedField();
        // a modified field that is a calculation is computed again from the row as it is now
        boolean calculated = modifiedField.isPresent() && view.definition().field(modifiedField.get()).isEmpty();
        Optional<String> modifiedColumn = calculated ? Optional.empty() : policy.modifiedField().map(view::columnOf);
        return new StampBatch() {
            private final List<Object[]> sent = new ArrayList<>();
            private boolean done;

            @Override
            public void add(Row row) {
                if (done) {
                    throw new IllegalStateException("batch already committed or closed");
                }
                sent.add(new Object[] {row.rowKey(), modifiedField.map(row::get).orElse(null)});
            }

            @Override
            public void seal() {
                if (done) {
                    throw new IllegalStateException("batch already committed or closed");
                }
            }

            @Override
            public StampResult commit() {
                requireReachable();
                if (done) {
                    throw new IllegalStateException("batch already committed or closed");
                }
                done = true;
                synchronized (InMemoryStore.this) {
                    requireLease(lease);
                    synchronized (t) {
                        long stamped = 0;
                        long skipped = 0;
                        for (Object[] s : sent) {
                            Optional<Map<String, Object>> current = t.rowWhere(keyColumns(view), (RowKey) s[0]);
                            boolean unchanged = current.isPresent() && (calculated
                                    ? Expressions.compare(view.computeRow(f -> current.get().get(view.columnOf(f)),
                                            Snapshot.at(readStart)).get(modifiedField.get()), s[1]) == 0
                                    : modifiedColumn.isEmpty()
                                    || Expressions.compare(current.get().get(modifiedColumn.get()), s[1]) == 0);
                            if (unchanged) {
                                Map<String, Object> v = new HashMap<>();
                                v.put(stampColumn, stampValue);
                                t.update(t.keyOf(current.get()), v);
                                stamped++;
                            } else {
                                skipped++;
                            }
                        }
                        return new StampResult(stamped, skipped);
                    }
                }
            }

            @Override
            public void close() {
                done = true;
            }
        };
    }

    /**
     * The start of the read the batch's rows came from, at microsecond precision, less one
     * microsecond: an edit after the read began still counts as newer.
     */
    private Object stampValue(ValueType type, Instant readStart) {
        Instant at = readStart;
        at = at.truncatedTo(ChronoUnit.MICROS).minus(1, ChronoUnit.MICROS);
        if (type == ValueType.TIMESTAMP_TZ) {
            return OffsetDateTime.ofInstant(at, clock.getZone());
        }
        return LocalDateTime.ofInstant(at, clock.getZone());
    }

    @Override
    public Optional<Row> update(View view, RowKey rowKey, Map<String, Object> values, Snapshot snapshot) {
        requireReachable();
        InMemoryTable t = table(view.table());
        synchronized (t) {
            Optional<Map<String, Object>> current = t.rowWhere(keyColumns(view), rowKey);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Row before = view.computeRow(f -> current.get().get(view.columnOf(f)), snapshot);
            if (!view.includes(before, snapshot)) {
                return Optional.empty();
            }
            Map<String, Object> byColumn = new HashMap<>();
            values.forEach((f, v) -> {
                if (!view.writable().contains(f)) {
                    throw new IllegalArgumentException("field '" + f + "' is not writable");
                }
                byColumn.put(view.columnOf(f), v);
            });
            RowKey key = t.keyOf(current.get());
            t.update(key, byColumn);
            Map<String, Object> after = t.row(key).orElseThrow();
            return Optional.of(view.computeRow(f -> after.get(view.columnOf(f)), snapshot));
        }
    }

    private synchronized void record(PushAttempt attempt, LeaseToken lease) {
        requireReachable();
        requireLease(lease);
        attempts.computeIfAbsent(attempt.view(), v -> new ArrayList<>()).add(attempt);
        histories.put(attempt.view(), history(attempt.view()).after(attempt));
    }

    @Override
    public synchronized PushHistory history(String view) {
        requireReachable();
        return histories.getOrDefault(view, PushHistory.none(view));
    }

    @Override
    public synchronized List<PushAttempt> recent(String view, int limit) {
        requireReachable();
        List<PushAttempt> all = new ArrayList<>(attempts.getOrDefault(view, List.of()));
        Collections.reverse(all);
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    @Override
    public synchronized Optional<Pause> paused(String view) {
        requireReachable();
        return Optional.ofNullable(pauses.get(view));
    }

    @Override
    public synchronized Map<String, Pause> pauses() {
        requireReachable();
        return Map.copyOf(pauses);
    }

    @Override
    public synchronized Pause pause(Pause pause) {
        requireReachable();
        return pauses.computeIfAbsent(pause.view(), v -> pause);
    }

    @Override
    public synchronized Optional<Pause> resume(String view) {
        requireReachable();
        return Optional.ofNullable(pauses.remove(view));
    }

    @Override
    public synchronized List<Replay> replays(String view, int limit) {
        requireReachable();
        List<Replay> all = new ArrayList<>(replays.getOrDefault(view, List.of()));
        Collections.reverse(all);
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    /** Clears the stamps of the chosen rows under the lease, and records the replay unless a dry run. */
    private Replay replay(View view, LeaseToken lease, Snapshot snapshot, ReplaySelection which, boolean dryRun,
                          String by) {
        requireReachable();
        PushPolicy policy = view.push().orElseThrow();
        InMemoryTable t = table(view.table());
        String stampColumn = view.columnOf(policy.stampField());
        ValueType stampType = view.typeOf(policy.stampField());
        synchronized (this) {
            requireLease(lease);
            synchronized (t) {
                long n = 0;
                for (Map<String, Object> row : t.rows()) {
                    Object stamp = row.get(stampColumn);
                    RowKey key = t.keyOf(row);
                    if (stamp == null || !chosen(which, InMemoryTable.keyOf(row, keyColumns(view)), stamp, stampType,
                            snapshot)) {
                        continue;
                    }
                    n++;
                    if (!dryRun) {
                        Map<String, Object> cleared = new HashMap<>();
                        cleared.put(stampColumn, null);
                        t.update(key, cleared);
                    }
                }
                Replay r = new Replay(view.name(), which.describe(), n, dryRun, by, clock.instant());
                if (!dryRun) {
                    replays.computeIfAbsent(view.name(), v -> new ArrayList<>()).add(r);
                }
                return r;
            }
        }
    }

    /** @return the columns of the view's key fields, in key order */
    private static List<String> keyColumns(View view) {
        List<String> columns = new ArrayList<>();
        view.keyFields().forEach(f -> columns.add(view.columnOf(f)));
        return columns;
    }

    private static boolean chosen(ReplaySelection which, RowKey key, Object stamp, ValueType stampType, Snapshot snapshot) {
        if (which instanceof ReplaySelection.All) {
            return true;
        }
        if (which instanceof ReplaySelection.Keys) {
            return ((ReplaySelection.Keys) which).keys().stream()
                    .anyMatch(k -> key != null && k.compareTo(key) == 0);
        }
        Instant at = ((ReplaySelection.Since) which).at();
        Object bound;
        switch (stampType) {
            case TIMESTAMP_TZ:
                bound = OffsetDateTime.ofInstant(at, snapshot.zone());
                break;
            case DATE:
                bound = LocalDateTime.ofInstant(at, snapshot.zone()).toLocalDate();
                break;
            default:
                bound = LocalDateTime.ofInstant(at, snapshot.zone());
        }
        return Expressions.compare(stamp, bound) >= 0;
    }

    @Override
    public Optional<PushSession> begin(View view, String owner, Duration ttl, Snapshot snapshot, boolean readAtOnce) {
        view.push().orElseThrow(() -> new IllegalArgumentException("view '" + view.name() + "' has no push policy"));
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("the lease owner must not be blank");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the lease time to live must be more than zero, not " + ttl);
        }
        return tryAcquire(view.name(), owner, ttl).map(token -> new Session(view, token, ttl, snapshot));
    }

    /** One push: its lease, its read and the read's start (by this store's clock), its final record. */
    private final class Session implements PushSession {
        private final View view;
        private final LeaseToken token;
        private final Duration ttl;
        private final Snapshot snapshot;
        private RowCursor read;
        private Instant readStart;
        private boolean finished;
        private boolean closed;

        Session(View view, LeaseToken token, Duration ttl, Snapshot snapshot) {
            this.view = view;
            this.token = token;
            this.ttl = ttl;
            this.snapshot = snapshot;
        }

        @Override
        public LeaseToken lease() {
            return token;
        }

        @Override
        public PushHistory history() {
            return InMemoryStore.this.history(view.name());
        }

        @Override
        public Optional<Pause> paused() {
            return InMemoryStore.this.paused(view.name());
        }

        @Override
        public RowCursor rows() {
            requireOpen();
            if (readStart != null) {
                throw new IllegalStateException("the read of this push of view '" + view.name() + "' was opened already");
            }
            Instant start = clock.instant();
            read = open(view, snapshot, Page.ALL);
            readStart = start;
            return read;
        }

        @Override
        public StampBatch batch() {
            requireOpen();
            if (readStart == null) {
                throw new IllegalStateException("a batch of view '" + view.name() + "' begins after the read (rows())");
            }
            return InMemoryStore.this.batch(view, token, readStart);
        }

        @Override
        public boolean renew() {
            return InMemoryStore.this.renew(token, ttl);
        }

        @Override
        public Replay replay(ReplaySelection which, boolean dryRun, String by) {
            requireOpen();
            if (readStart != null || finished) {
                throw new IllegalStateException("a replay of view '" + view.name() + "' is instead of a push, not after one");
            }
            return InMemoryStore.this.replay(view, token, snapshot, which, dryRun, by);
        }

        @Override
        public void finish(PushAttempt attempt) {
            requireOpen();
            if (finished) {
                throw new IllegalStateException("the push of view '" + view.name() + "' was finished already");
            }
            if (!attempt.view().equals(view.name())) {
                throw new IllegalArgumentException("the attempt is of view '" + attempt.view() + "', the push of view '"
                        + view.name() + "'");
            }
            synchronized (InMemoryStore.this) {
                record(attempt, token);
                release(token);
            }
            finished = true;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (read != null) {
                read.close();
            }
            if (!finished) {
                release(token);
            }
        }

        private void requireOpen() {
            if (closed) {
                throw new IllegalStateException("the push of view '" + view.name() + "' is closed");
            }
        }
    }

    private synchronized Optional<LeaseToken> tryAcquire(String view, String owner, Duration ttl) {
        requireReachable();
        Instant now = clock.instant();
        Lease current = leases.get(view);
        if (current != null && current.expiresAt.isAfter(now)) {
            if (current.owner.equals(owner)) {
                leases.put(view, new Lease(owner, current.fence, now.plus(ttl)));
                return Optional.of(new LeaseToken(view, owner, current.fence));
            }
            return Optional.empty();
        }
        long fence = fences.merge(view, 1L, Long::sum);
        leases.put(view, new Lease(owner, fence, now.plus(ttl)));
        return Optional.of(new LeaseToken(view, owner, fence));
    }

    /** The holder of an unexpired lease: its owner and expiry (this store knows no hosts or processes). */
    @Override
    public synchronized Optional<io.viewpush.port.LeaseHolder> leaseHolder(String view) {
        requireReachable();
        Lease l = leases.get(view);
        if (l == null || !l.expiresAt.isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new io.viewpush.port.LeaseHolder(l.owner, Optional.empty(), java.util.OptionalLong.empty(),
                Optional.empty(), l.expiresAt));
    }

    private synchronized boolean renew(LeaseToken token, Duration ttl) {
        requireReachable();
        if (!holds(token)) {
            return false;
        }
        leases.put(token.view(), new Lease(token.owner(), token.fence(), clock.instant().plus(ttl)));
        return true;
    }

    private synchronized void release(LeaseToken token) {
        requireReachable();
        if (holds(token)) {
            leases.remove(token.view());
        }
    }

    private boolean holds(LeaseToken token) {
        Lease l = leases.get(token.view());
        return l != null && l.owner.equals(token.owner()) && l.fence == token.fence()
                && l.expiresAt.isAfter(clock.instant());
    }

    private void requireLease(LeaseToken token) {
        if (!holds(token)) {
            throw new LeaseLostException(token);
        }
    }

    private static final class Lease {
        final String owner;
        final long fence;
        final Instant expiresAt;

        Lease(String owner, long fence, Instant expiresAt) {
            this.owner = owner;
            this.fence = fence;
            this.expiresAt = expiresAt;
        }
    }
}
