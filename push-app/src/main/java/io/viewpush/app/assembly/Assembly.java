package io.viewpush.app.assembly;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.viewpush.expression.ValueType;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigProblem;
import io.viewpush.app.config.ConfigWarning;
import io.viewpush.app.config.DatabaseConfig;
import io.viewpush.app.config.InvalidConfigException;
import io.viewpush.app.config.Location;
import io.viewpush.app.metrics.BacklogMetrics;
import io.viewpush.app.metrics.PauseMetrics;
import io.viewpush.app.metrics.PushLog;
import io.viewpush.app.metrics.PushMetrics;
import io.viewpush.app.metrics.RetryMetrics;
import io.viewpush.app.metrics.ViewHealthMetrics;
import io.viewpush.app.metrics.ViewLogContext;
import io.viewpush.engine.ViewPush;
import io.viewpush.http.api.ApiKey;
import io.viewpush.http.api.ApiServer;
import io.viewpush.http.api.ApiServerException;
import io.viewpush.http.transport.HttpPushTransport;
import io.viewpush.http.transport.HttpPushTarget;
import io.viewpush.http.transport.InvalidPolicyException;
import io.viewpush.jdbc.JdbcPushStore;
import io.viewpush.port.Page;
import io.viewpush.port.PushListener;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StorageException;
import io.viewpush.push.PushHistory;
import io.viewpush.view.InvalidViewException;
import io.viewpush.view.ViewDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The app's one place of wiring, in the order things depend on each other:
 * DataSource (HikariCP) → optional init SQL → {@link JdbcPushStore} → {@link HttpPushTransport} →
 * {@link ViewPush} engine (with the log and metrics listeners) → {@link ApiServer}. No DI container, no
 * classpath scanning: every object is built here with its builder.
 *
 * <p>{@link #open} builds everything up to the engine and binds every view against the database;
 * any problem closes what was opened and throws, so a bad config never leaves half an engine or
 * an open port. {@link #close()} releases everything in reverse order.
 */
public final class Assembly implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Assembly.class);

    private final AppConfig config;
    private final HikariDataSource dataSource;
    private final JdbcPushStore store;
    private final HttpPushTransport transport;
    private final PrometheusMeterRegistry metrics;
    private final ViewPush engine;
    private final Deque<AutoCloseable> closeables;
    private final java.time.ZoneId sessionZone;

    private Assembly(AppConfig config, HikariDataSource dataSource, JdbcPushStore store, HttpPushTransport transport,
                     PrometheusMeterRegistry metrics, ViewPush engine, Deque<AutoCloseable> closeables,
                     java.time.ZoneId sessionZone) {
        this.sessionZone = sessionZone;
        this.config = config;
        this.dataSource = dataSource;
        this.store = store;
        this.transport = transport;
        this.metrics = metrics;
        this.engine = engine;
        this.closeables = closeables;
    }

    /**
     * Opens the database, runs {@code database.init}, applies ViewPush's migrations, and builds the
     * transport and the engine, binding every view against the database. Starts nothing.
     *
     * @param given  the config; without {@code database.url}, the embedded PostgreSQL is started (or
     *               joined) first and {@link #config()} holds its address
     * @param extra  another listener (e.g. a progress line), or {@link PushListener#NONE}
     * @throws InvalidConfigException when a view does not fit the database (missing table or
     *                                column, wrong type, …) or a push policy cannot be used, each
     *                                problem placed in the config file
     * @throws StartupException       when the database cannot be reached or the init SQL fails
     */
    public static Assembly open(AppConfig given, PushListener extra) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            EmbeddedPostgresServer server = embeddedServer(given.database());
            if (server != null) {
                opened.push(server);
            }
            AppConfig config = server == null ? given : given.withDatabase(resolve(given.database(), server));
            SessionZone zone = sessionZone(config.database());
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            opened.push(metrics::close);
            HikariDataSource ds = dataSource(config.database(), zone, metrics);
            opened.push(ds);
            LOG.info("database sessions in time zone {} ({}): timestamps without time zone and dates are read, "
                    + "compared with now() and stamped in it", zone.zone().getId(), zone.source());
            runInit(config, ds);
            JdbcPushStore store = store(ds, true, config);
            opened.push(store);
            config.warnings().forEach(w -> LOG.warn("{}", w.line()));
            logModifiedColumns(config, ds);
            HttpPushTransport transport = HttpPushTransport.builder().targets(config.httpTargets()).build();
            opened.push(transport);
            checkPolicies(config, transport);
            Gauge.builder("viewpush.build.info", () -> 1).description("1, with the running version in its tag")
                    .tag("version", HttpPushTransport.VERSION).register(metrics);
            PushMetrics pushMetrics = PushMetrics.create(metrics);
            config.views().stream().filter(v -> v.push().isPresent()).forEach(v -> pushMetrics.startAtZero(v.name()));
            RetryMetrics retryMetrics = RetryMetrics.bind(transport.retryRegistry(), metrics);
            config.views().stream().filter(v -> v.push().isPresent()).forEach(v -> retryMetrics.startAtZero(v.name()));
            // the engine does not exist yet when the listener is built: the gauges reach it when first read
            AtomicReference<ViewPush> built = new AtomicReference<>();
            ViewHealthMetrics health = ViewHealthMetrics.create(metrics,
                    view -> built.get() == null ? PushHistory.none(view) : built.get().status(view).history());
            PauseMetrics pauses = PauseMetrics.create(metrics, store::paused);
            config.views().stream().filter(v -> v.push().isPresent()).forEach(v -> pauses.watch(v.name()));
            PushListener listener = PushListener.all(
                    PushLog.create(view -> config.view(view).flatMap(ViewDefinition::push)), pushMetrics, health,
                    pauses, extra, new ViewLogContext());
            ViewPush engine;
            try {
                engine = ViewPush.builder()
                        .store(store)
                        .transport(transport)
                        .views(config.views())
                        .listener(listener)
                        .zone(zone.zone())
                        .workers(config.engine().workers())
                        .pollInterval(config.engine().pollInterval())
                        .leaseTtl(config.engine().leaseTtl())
                        .shutdownTimeout(config.engine().shutdownTimeout())
                        .build();
            } catch (InvalidViewException e) {
                throw new InvalidConfigException(e.problems().stream().map(config::locate).toList());
            }
            opened.push(engine);
            built.set(engine);
            BacklogMetrics backlog = BacklogMetrics.create(metrics, (view, limit) -> {
                try (RowCursor rows = engine.read(view, new Page(Optional.empty(), limit))) {
                    long n = 0;
                    while (n < limit && rows.hasNext()) {
                        rows.next();
                        n++;
                    }
                    return n;
                }
            });
            config.views().stream().filter(v -> v.push().isPresent()).forEach(v -> {
                health.watch(v.name());
                backlog.watch(v.name());
            });
            return new Assembly(config, ds, store, transport, metrics, engine, opened, zone.zone());
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /**
     * Validates the config against the database without building an engine or changing anything
     * but what {@code database.init} does: every view's table, columns and their types, its
     * expressions against those types, and every push policy against the transport.
     *
     * @return every problem, placed in the file; empty when the config is valid
     * @throws StartupException when the database cannot be reached or the init SQL fails
     */
    public static List<ConfigProblem> check(AppConfig config) {
        return check(config, new ArrayList<>());
    }

    /**
     * {@link #check(AppConfig)}, and, when there is no problem, the config's own warnings and how each
     * view's modified column is written (a warning is not a problem: the config is valid).
     *
     * @param warnings receives the config's warnings, then the warnings and notes about modified columns
     * @return every problem, placed in the file; empty when the config is valid
     * @throws StartupException when the database cannot be reached or the init SQL fails
     */
    public static List<ConfigProblem> check(AppConfig config, List<ConfigWarning> warnings) {
        List<ConfigProblem> problems = new ArrayList<>();
        try (Embedded embedded = Embedded.open(config); HikariDataSource ds = dataSource(embedded.config.database(),
                sessionZone(embedded.config.database()), null)) {
            runInit(config, ds);
            JdbcPushStore store = store(ds, false, config);
            List<ConfigWarning> sentAsText = new ArrayList<>();
            // each table's catalog read once for all its views (thousands of views per table are usual)
            store.readingTogether(() -> {
                checkViews(config, store, problems, sentAsText);
                return null;
            });
            try (HttpPushTransport transport = HttpPushTransport.builder().targets(config.httpTargets()).build()) {
                try {
                    checkPolicies(config, transport);
                } catch (InvalidConfigException e) {
                    problems.addAll(e.problems());
                }
            }
            if (problems.isEmpty()) {
                warnings.addAll(config.warnings());
                warnings.addAll(sentAsText);
                warnings.addAll(modifiedColumns(config, ds));
            }
        }
        return problems;
    }

    /**
     * The SQL of ViewPush's trigger that sets a view's modified column when each row is written;
     * run on the database only when {@code apply} is true (in one transaction).
     *
     * @return the SQL, as printed for a DBA
     * @throws InvalidConfigException when the view has no usable {@code push.modified}
     * @throws StartupException       when the database cannot be reached or the SQL fails
     */
    public static String modifiedTrigger(AppConfig given, ViewDefinition view, boolean apply) {
        try (Embedded embedded = Embedded.open(given); HikariDataSource ds = dataSource(embedded.config.database(),
                sessionZone(embedded.config.database()), null)) {
            AppConfig config = embedded.config;
            runInit(config, ds);
            String sql = ModifiedColumns.triggerSql(config, ds, view);
            if (apply) {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement()) {
                        for (String statement : io.viewpush.jdbc.modified.ModifiedAtWriteTrigger.statements(sql)) {
                            s.execute(statement);
                        }
                        c.commit();
                    } catch (SQLException e) {
                        c.rollback();
                        throw e;
                    }
                } catch (SQLException e) {
                    throw new StartupException("applying the trigger of view '" + view.name() + "' failed: "
                            + e.getMessage(), e);
                }
            }
            return sql;
        } catch (StorageException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    private static List<ConfigWarning> modifiedColumns(AppConfig config, HikariDataSource ds) {
        try {
            return ModifiedColumns.inspect(config, ds);
        } catch (StorageException e) {
            LOG.warn("could not read how the modified columns are written: {}", e.getMessage());
            return List.of();
        }
    }

    /** Says once, at start, which views' modified columns can lose changes (and which cannot be told). */
    private static void logModifiedColumns(AppConfig config, HikariDataSource ds) {
        List<ConfigWarning> all = modifiedColumns(config, ds);
        List<ConfigWarning> notes = all.stream().filter(w -> !w.dangerous()).toList();
        all.stream().filter(ConfigWarning::dangerous).forEach(w -> LOG.warn("{}", w.line()));
        if (notes.size() <= 3) {
            notes.forEach(w -> LOG.info("{}", w.line()));
        } else {
            LOG.info("{} views ({}, ...): the application writes their modified column, which is safe only if it "
                    + "takes the time of the write itself; 'check' says more, 'trigger' makes it safe",
                    notes.size(), notes.stream().limit(3).map(w -> "'" + w.view().orElse("?") + "'").collect(Collectors.joining(", ")));
        }
    }

    /** @return the config this assembly was built from */
    public AppConfig config() {
        return config;
    }

    /**
     * @return the time zone of every database session of this assembly, in which timestamps without
     *         time zone and dates are read, compared with {@code now()} and stamped
     *         ({@code database.timeZone}, else the database's own zone; never merely the JVM's)
     */
    public java.time.ZoneId sessionZone() {
        return sessionZone;
    }

    /** @return the engine (not started) */
    public ViewPush engine() {
        return engine;
    }

    /** @return the store */
    public JdbcPushStore store() {
        return store;
    }

    /** @return the metrics registry, for {@code GET /metrics} */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** @return the pooled data source (the demo writes its sample rows through it) */
    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** @return the transport */
    public HttpPushTransport transport() {
        return transport;
    }

    /**
     * Builds and starts the HTTP API on the config's address with its keys, and {@code GET /metrics}
     * (Prometheus text format; no key needed, like {@code /health}, unless {@code server.metricsKey}
     * is set: then that key or any admin key). Pulls are bounded by {@link #maxPulls(int)}. The server is closed by
     * {@link #close()} before the engine, so no API call starts a push while the engine stops.
     *
     * @return the running server ({@link ApiServer#port()} is the port in use)
     * @throws StartupException when the address cannot be bound
     */
    public ApiServer startApi() {
        bindJvmMetrics();
        List<ApiKey> keys = config.apiKeys().stream()
                .map(k -> new ApiKey(k.name(), k.key(), k.views(), k.admin())).collect(Collectors.toList());
        ApiServer api;
        try {
            ApiServer.Builder b = ApiServer.builder(engine)
                    .bindAddress(config.server().host())
                    .port(config.server().port())
                    .keys(keys)
                    .maxPulls(maxPulls(config.database().poolSize()))
                    .textRoute("/metrics", config.server().metricsKey().isPresent() ? ApiServer.Access.ADMIN
                            : ApiServer.Access.PUBLIC, "text/plain; version=0.0.4; charset=utf-8", metrics::scrape)
                    .pushTargets(view -> transport.target(view).map(Assembly::describe).orElse(Map.of()));
            config.server().metricsKey().ifPresent(k -> b.routeKey("/metrics", k));
            api = b.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(List.of(ConfigProblem.at(Location.of(config.fileName()), "server",
                    e.getMessage())));
        }
        closeables.push(api);
        try {
            return api.start();
        } catch (ApiServerException e) {
            throw new StartupException("cannot serve the API on " + config.server().host() + ":"
                    + config.server().port() + ": " + e.getMessage(), e);
        }
    }

    /** What the console shows of a view's HTTP target: never a secret, the URL redacted (admin keys only). */
    private static Map<String, Object> describe(HttpPushTarget t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", t.redactedUrl());
        m.put("format", t.format().configName());
        m.put("success", t.success() == HttpPushTarget.SuccessRule.EXACTLY_200 ? "200" : "2xx");
        m.put("timeout", t.timeout().toString());
        m.put("signed", !t.secrets().isEmpty());
        return m;
    }

    /**
     * The JVM's memory, thread, GC, processor and uptime metrics, bound only where {@code /metrics}
     * is served: they start the JDK's management beans, a noticeable share of a one-shot command's
     * start-up (docs/BENCHMARKS.md, start-up) that no one would scrape.
     */
    private void bindJvmMetrics() {
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(metrics);
        closeables.push(gc);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
    }

    /**
     * Pulls that may stream at once for a pool of {@code poolSize} connections: at most half of it
     * (and at most {@link ApiServer#DEFAULT_MAX_PULLS}), at least one, so that pushes, stamps, the
     * journal and {@code /health} always find a connection while pulls stream.
     */
    static int maxPulls(int poolSize) {
        return Math.max(1, Math.min(ApiServer.DEFAULT_MAX_PULLS, poolSize / 2));
    }

    /** Stops the engine gracefully (bounded), then closes the API server, transport, metrics and pool. */
    @Override
    public void close() {
        closeAll(closeables);
    }

    private static void closeAll(Deque<AutoCloseable> opened) {
        while (!opened.isEmpty()) {
            AutoCloseable c = opened.pop();
            try {
                c.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("while stopping: {}", e.toString());
            }
        }
    }

    private static SessionZone sessionZone(DatabaseConfig db) {
        try {
            return SessionZone.resolve(db);
        } catch (SQLException e) {
            throw cannotConnect(db, e);
        }
    }

    /**
     * A connection exception (SQLState class 08: refused, timed out, reset) or a server still starting
     * up (57P03, "the database system is starting up") is the database being unreachable; anything else (a wrong password, an unknown database) is the config's fault.
     */
    private static StartupException cannotConnect(DatabaseConfig db, Exception e) {
        String message = "cannot connect to the database " + redact(db.url()) + ": " + rootMessage(e);
        for (Throwable t = e; t != null; t = t.getCause()) {
            String state = t instanceof SQLException ? ((SQLException) t).getSQLState() : null;
            if (state != null && (state.startsWith("08") || state.equals("57P03"))) {
                return new DatabaseUnreachableException(message, e);
            }
        }
        return new StartupException(message, e);
    }

    /** @return the embedded PostgreSQL started or joined for {@code db}, or null when {@code db} is another database */
    private static EmbeddedPostgresServer embeddedServer(DatabaseConfig db) {
        return db.embeddedDirectory().map(EmbeddedPostgresServer::open).orElse(null);
    }

    /** The config with the running embedded server's address in place of its directory. */
    private static DatabaseConfig resolve(DatabaseConfig db, EmbeddedPostgresServer server) {
        return new DatabaseConfig(server.jdbcUrl(), Optional.of(server.user()), Optional.of(server.password()), db.init(),
                db.poolSize(), true, db.timeZone(), db.stampAhead());
    }

    /** The embedded server (if the config has no {@code database.url}) for as long as a one-shot check needs it. */
    private static final class Embedded implements AutoCloseable {
        final AppConfig config;
        private final EmbeddedPostgresServer server;

        private Embedded(AppConfig config, EmbeddedPostgresServer server) {
            this.config = config;
            this.server = server;
        }

        static Embedded open(AppConfig config) {
            EmbeddedPostgresServer server = embeddedServer(config.database());
            return new Embedded(server == null ? config : config.withDatabase(resolve(config.database(), server)), server);
        }

        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }

    /** @param metrics where the pool's metrics go ({@code hikaricp_*}), or null for none */
    private static HikariDataSource dataSource(DatabaseConfig db, SessionZone zone, MeterRegistry metrics) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("viewpush");
        hc.setJdbcUrl(db.url());
        db.user().ifPresent(hc::setUsername);
        db.password().ifPresent(hc::setPassword);
        // PostgreSQL: plus the one connection the store keeps open to show other instances it lives
        // (its leases are taken over at once when that session ends)
        hc.setMaximumPoolSize(db.poolSize() + (db.isPostgres() ? 1 : 0));
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(10_000);
        if (metrics != null) {
            hc.setMetricRegistry(metrics);
        }
        if (db.isPostgres() || db.timeZone().isPresent()) {
            hc.setConnectionInitSql(zone.setSql());
        }
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw cannotConnect(db, e);
        }
    }

    private static void runInit(AppConfig config, HikariDataSource ds) {
        Optional<Path> init = config.database().init();
        if (init.isEmpty()) {
            return;
        }
        String sql;
        try {
            sql = Files.readString(init.get(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidConfigException(List.of(ConfigProblem.at(Location.of(config.fileName()), "database.init",
                    "cannot read the init SQL file " + init.get() + ": " + (e instanceof java.nio.file.NoSuchFileException
                            ? "it does not exist" : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                            : String.valueOf(e.getMessage())))));
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
            if (!c.getAutoCommit()) {
                c.commit();
            }
            LOG.info("ran {}", init.get().getFileName());
        } catch (SQLException e) {
            throw new StartupException("the init SQL file " + init.get() + " failed: " + e.getMessage(), e);
        }
    }

    private static JdbcPushStore store(HikariDataSource ds, boolean migrate, AppConfig config) {
        try {
            return JdbcPushStore.builder(ds).migrateOnBuild(migrate).stampAhead(config.database().stampAhead())
                    .journalRetention(config.engine().journalRetention())
                    .journalMaxAttemptsPerView(config.engine().journalMaxAttemptsPerView())
                    .journalPruneInterval(config.engine().journalPruneInterval())
                    .build();
        } catch (StorageException e) {
            throw new StartupException("the database failed while ViewPush prepared its tables: " + e.getMessage(), e);
        }
    }

    private static void checkViews(AppConfig config, JdbcPushStore store, List<ConfigProblem> problems,
                                   List<ConfigWarning> sentAsText) {
        for (ViewDefinition d : config.views()) {
            try {
                Map<String, ValueType> types = store.fieldTypes(d);
                d.bind(types, store.enumLabels(d));
                for (io.viewpush.view.Field f : d.fields()) {
                    if (types.get(f.name()) == ValueType.OTHER) {
                        sentAsText.add(new ConfigWarning(ConfigWarning.Code.SENT_AS_TEXT, config.locate(d.name(),
                                "fields." + f.name(), "column '" + f.column() + "' has a type with no JSON form of"
                                        + " its own: field '" + f.name() + "' is sent as its text form, a string"
                                        + " (as the database writes it), and compared with = and != as that text")));
                    }
                }
            } catch (InvalidViewException e) {
                e.problems().forEach(p -> problems.add(config.locate(p)));
            }
        }
    }

    private static void checkPolicies(AppConfig config, HttpPushTransport transport) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (ViewDefinition d : config.views()) {
            config.httpTarget(d.name()).ifPresent(t -> {
                try {
                    transport.check(d.name(), t);
                } catch (InvalidPolicyException e) {
                    problems.add(config.locate(d.name(), "push", e.getMessage()));
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
