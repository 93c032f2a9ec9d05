package io.viewpush.engine;

import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.port.Page;
import io.viewpush.port.PushStore;
import io.viewpush.port.RejectedValueException;
import io.viewpush.port.RowCursor;
import io.viewpush.port.RowSource;
import io.viewpush.port.RowUpdater;
import io.viewpush.port.StorageException;
import io.viewpush.expression.Expressions;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.Replay;
import io.viewpush.view.Carriable;
import io.viewpush.view.InvalidViewException;
import io.viewpush.view.Problem;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** The engine behind {@link ViewPush#builder()}. */
final class DefaultViewPush implements ViewPush {
    private final Map<String, View> views;
    private final RowSource rowSource;
    private final Optional<RowUpdater> updater;
    private final PushStore store;
    private final BooleanSupplier health;
    private final Clock clock;
    private final ZoneId zone;
    private final Duration shutdownTimeout;
    private final Scheduler scheduler;
    private final LeaseKeeper keeper;
    private final ExecutorService stampExecutor;
    private static final AtomicInteger STAMP_THREADS = new AtomicInteger();
    private volatile boolean closed;

    DefaultViewPush(ViewPush.Builder b, String owner) {
        this.views = Collections.unmodifiableMap(bind(b));
        this.rowSource = b.rowSource();
        this.updater = b.updater();
        this.store = b.store();
        this.health = b.health();
        this.clock = b.clock();
        this.zone = b.zone();
        this.shutdownTimeout = b.shutdownTimeout();
        boolean pushes = views.values().stream().anyMatch(v -> v.push().isPresent());
        for (View v : views.values()) {
            if (v.push().isPresent()) {
                b.transport().check(v);
            }
        }
        this.stampExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "viewpush-stamp-" + STAMP_THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (pushes) {
            Events events = new Events(b.listener());
            LeaseKeeper keeper = new LeaseKeeper(b.leaseTtl(), events);
            Pusher pusher = new Pusher(b.store(), b.transport(), events, b.clock(), b.zone(), owner,
                    b.leaseTtl(), keeper, stampExecutor);
            this.scheduler = new Scheduler(pusher, b.store(), b.store(), events, b.clock(), views.values(), b.pollInterval(),
                    b.workers());
            this.keeper = keeper;
        } else {
            this.scheduler = null;
            this.keeper = null;
        }
    }

    private static Map<String, View> bind(ViewPush.Builder b) {
        return b.schema().readingTogether(() -> bindEach(b));
    }

    private static Map<String, View> bindEach(ViewPush.Builder b) {
        List<Problem> problems = new ArrayList<>();
        Map<String, View> bound = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (ViewDefinition d : b.definitions()) {
            if (!names.add(d.name())) {
                problems.add(Problem.of(d.name(), "name", "two views are named '" + d.name() + "'"));
                continue;
            }
            try {
                bound.put(d.name(), d.bind(b.schema().fieldTypes(d), b.schema().enumLabels(d)));
            } catch (InvalidViewException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidViewException(problems);
        }
        return bound;
    }

    @Override
    public void start() {
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        if (scheduler != null) {
            scheduler.start();
        }
    }

    @Override
    public PushAttempt pushNow(String view) {
        View v = pushable(view);
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        return scheduler.pushNow(v);
    }

    @Override
    public void wake(String view) {
        if (scheduler != null && !closed) {
            scheduler.wake(view);
        }
    }

    @Override
    public void wakeTable(String table) {
        for (View v : views.values()) {
            if (v.table().equals(table)) {
                wake(v.name());
            }
        }
    }

    @Override
    public List<View> views() {
        return List.copyOf(views.values());
    }

    @Override
    public Optional<View> view(String name) {
        return Optional.ofNullable(views.get(name));
    }

    @Override
    public ViewStatus status(String view) {
        View v = existing(view);
        if (v.push().isEmpty()) {
            return new ViewStatus(view, false, PushHistory.none(view), Optional.empty(), false);
        }
        return new ViewStatus(view, true, store.history(view), scheduler.nextDue(view), scheduler.isPushing(view),
                store.paused(view));
    }

    @Override
    public Pause pause(String view, String detail, String by) {
        View v = pushable(view);
        return scheduler.pause(v, detail == null || detail.isBlank() ? "paused by an operator" : detail, by);
    }

    @Override
    public Optional<Pause> resume(String view, String by) {
        return scheduler.resume(pushable(view), by);
    }

    @Override
    public Optional<Pause> paused(String view) {
        View v = existing(view);
        return v.push().isEmpty() ? Optional.empty() : store.paused(view);
    }

    @Override
    public Replay replay(String view, ReplaySelection which, boolean dryRun, String by) {
        View v = pushable(view);
        PushPolicy policy = v.push().orElseThrow();
        boolean dependsOnStamp = v.inlinedFilters().stream()
                .anyMatch(f -> Expressions.references(f).contains(policy.stampField()));
        if (!dependsOnStamp) {
            throw new CannotReplayException(view, CannotReplayException.Reason.STAMP_NOT_IN_FILTERS,
                    "no filter of view '" + view + "' depends on its stamp field '" + policy.stampField()
                            + "', so clearing stamps would not bring a row back into it; a replay cannot work"
                            + " for this view (its filters decide alone which rows are sent again)");
        }
        if (which instanceof ReplaySelection.Keys) {
            List<String> fields = v.keyFields();
            for (RowKey k : ((ReplaySelection.Keys) which).keys()) {
                if (k.size() != fields.size()) {
                    throw new CannotReplayException(view, CannotReplayException.Reason.BAD_KEY, "the key " + k
                            + " has " + k.size() + (k.size() == 1 ? " value" : " values") + "; view '" + view
                            + "' has a key of " + fields.size() + " fields " + fields);
                }
                for (int i = 0; i < fields.size(); i++) {
                    ValueType t = v.typeOf(fields.get(i));
                    if (!t.javaType().isInstance(k.values().get(i))) {
                        throw new CannotReplayException(view, CannotReplayException.Reason.BAD_KEY, "the key " + k
                                + " does not fit key field '" + fields.get(i) + "' of view '" + view + "' (a "
                                + t.label() + ")");
                    }
                }
            }
        }
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        return scheduler.replay(v, which, dryRun, by, REPLAY_WAIT);
    }

    /** How long a replay waits for another engine's push of the view to end. */
    private static final Duration REPLAY_WAIT = Duration.ofSeconds(30);

    @Override
    public List<Replay> replays(String view, int limit) {
        View v = existing(view);
        if (v.push().isEmpty() || limit <= 0) {
            return List.of();
        }
        return store.replays(view, limit);
    }

    @Override
    public Optional<RowKey> keyOf(String view, String text) {
        return KeyText.parse(existing(view), text);
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    @Override
    public List<PushAttempt> recentPushes(String view, int limit) {
        View v = existing(view);
        if (v.push().isEmpty() || limit <= 0) {
            return List.of();
        }
        return store.recent(view, limit);
    }

    @Override
    public RowCursor read(String view, Page page) {
        return rowSource.open(existing(view), new Snapshot(clock.instant(), zone), page);
    }

    @Override
    public Optional<Row> updateRow(String view, RowKey rowKey, Map<String, Object> values) {
        View v = existing(view);
        List<String> keyFields = v.keyFields();
        if (rowKey == null || rowKey.size() != keyFields.size()) {
            throw new InvalidUpdateException(InvalidUpdateException.Reason.KEY_WRONG_TYPE, v.keyField(), keyFields.size() == 1
                    ? "the key of view '" + view + "' is one " + v.typeOf(v.keyField()).label()
                    + ", not " + (rowKey == null ? "empty" : rowKey.size() + " values")
                    : "the key of view '" + view + "' has " + keyFields.size() + " values " + keyFields + ", not "
                    + (rowKey == null ? "none" : String.valueOf(rowKey.size())));
        }
        Object[] keyValues = new Object[keyFields.size()];
        for (int i = 0; i < keyValues.length; i++) {
            String keyField = keyFields.get(i);
            ValueType keyType = v.typeOf(keyField);
            Object key = exactNumber(keyType, rowKey.values().get(i));
            if (key == null || !keyType.javaType().isInstance(key)) {
                throw new InvalidUpdateException(InvalidUpdateException.Reason.KEY_WRONG_TYPE, keyField, (keyValues.length == 1
                        ? "the key of view '" + view + "' is a " : "key field '" + keyField + "' of view '" + view + "' is a ")
                        + keyType.label() + ", not " + (key == null ? "empty" : key.getClass().getSimpleName()));
            }
            keyValues[i] = key;
        }
        if (values.values().stream().anyMatch(DefaultViewPush::isWholeNumber)) {
            Map<String, Object> converted = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, Object> e : values.entrySet()) {
                converted.put(e.getKey(), v.columns().indexOf(e.getKey()).isPresent()
                        ? exactNumber(v.typeOf(e.getKey()), e.getValue()) : e.getValue());
            }
            values = converted;
        }
        if (values.isEmpty()) {
            throw new InvalidUpdateException(InvalidUpdateException.Reason.NO_FIELDS, "", "no fields to update; writable fields of view '" + view + "': "
                    + v.writable());
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String f = e.getKey();
            if (v.columns().indexOf(f).isEmpty()) {
                throw new InvalidUpdateException(InvalidUpdateException.Reason.UNKNOWN_FIELD, f, "view '" + view + "' has no field '" + f + "'; writable fields: "
                        + v.writable());
            }
            if (!v.writable().contains(f)) {
                Optional<String> derived = v.definition().field(f).flatMap(io.viewpush.view.Field::derivedDescription);
                throw new InvalidUpdateException(InvalidUpdateException.Reason.NOT_WRITABLE, f, "field '" + f + "' of view '" + view
                        + "' is " + derived.map(d -> d + ", which is read-only").orElse("not writable") + "; writable fields: "
                        + v.writable());
            }
            ValueType t = v.typeOf(f);
            if (e.getValue() != null && !t.javaType().isInstance(e.getValue())) {
                throw new InvalidUpdateException(InvalidUpdateException.Reason.WRONG_TYPE, f, "field '" + f + "' is a " + t.label() + ", not "
                        + e.getValue().getClass().getSimpleName());
            }
            Optional<String> uncarriable = Carriable.problem(t, e.getValue());
            if (uncarriable.isPresent()) {
                // refused before anything is written: a stored value the row JSON cannot carry would
                // be held back from every push and pull of every view that shows this column
                throw new InvalidUpdateException(InvalidUpdateException.Reason.VALUE_NOT_CARRIABLE, f, "field '" + f + "' of view '" + view + "' cannot take this value: it "
                        + uncarriable.get());
            }
        }
        RowUpdater u = updater.orElseThrow(() -> new IllegalStateException("this engine has no row updater"));
        try {
            return u.update(v, RowKey.of(keyValues), values, new Snapshot(clock.instant(), zone));
        } catch (RejectedValueException e) {
            // the store found a value its column cannot hold (too many decimals, too long, out of range)
            throw new InvalidUpdateException(InvalidUpdateException.Reason.REFUSED_BY_STORE, e.field(), e.getMessage(),
                    e.why().orElse(null));
        }
    }

    @Override
    public boolean isHealthy() {
        try {
            return health.getAsBoolean();
        } catch (StorageException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (scheduler != null) {
            scheduler.stop(shutdownTimeout);
        }
        if (keeper != null) {
            keeper.close();
        }
        stampExecutor.shutdown();
    }

    private View existing(String view) {
        View v = views.get(view);
        if (v == null) {
            throw new UnknownViewException(view, "no view named '" + view + "'");
        }
        return v;
    }

    private View pushable(String view) {
        View v = existing(view);
        if (v.push().isEmpty()) {
            throw new UnknownViewException(view, "view '" + view + "' has no push policy: it is pull-only");
        }
        return v;
    }

    private static boolean isWholeNumber(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof java.math.BigInteger;
    }

    /** A whole number of a Java integer type, for a number field, as the BigDecimal it is exactly. */
    private static Object exactNumber(ValueType type, Object value) {
        if (type != ValueType.NUMBER || !isWholeNumber(value)) {
            return value;
        }
        return value instanceof java.math.BigInteger ? new java.math.BigDecimal((java.math.BigInteger) value)
                : java.math.BigDecimal.valueOf(((Number) value).longValue());
    }
}
