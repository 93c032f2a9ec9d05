package io.viewpush.app.config;

import io.viewpush.app.config.ConfigKey.Choice;
import io.viewpush.app.config.ConfigKey.Kind;
import io.viewpush.app.config.ConfigKey.Section;
import io.viewpush.engine.ViewPush;
import io.viewpush.jdbc.JdbcPushStore;
import io.viewpush.push.PushPolicy;
import io.viewpush.http.transport.HttpPushTarget;
import io.viewpush.http.transport.RetrySettings;
import io.viewpush.view.ViewDefinition;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static io.viewpush.app.config.ConfigKey.NONE;
import static io.viewpush.app.config.ConfigKey.REQUIRED;

/**
 * Every key of the config file, declared once: its name, kind, default, meaning and how its value
 * is applied. The declarations drive
 * <ul>
 *   <li>reading the file ({@link ConfigReader}): which keys a map may hold, the "did you mean …?"
 *       and "Valid keys here: …" of an unknown key, "missing 'key'" with its hint, reading and
 *       checking each value (and so {@code check}, which reports what the reader finds), and
 *       mapping a library builder's problem back to the key that fed the option;</li>
 *   <li>the README's configuration reference: {@code ConfigReferenceTest} renders its table from
 *       {@link #referenceRows()} and fails, printing the rows, when the README's differ;</li>
 *   <li>{@code examples/push.schema.json}: its key names ({@code ExampleConfigTest}), and its required
 *       keys, number ranges, kinds of duration, choices and defaults ({@code SchemaMatchesKeysTest},
 *       from each key's {@link ConfigKey.Spec}).</li>
 * </ul>
 *
 * <h2>Adding a key</h2>
 * Add one entry to its section below, where it should appear in "Valid keys here" and the README,
 * e.g. a duration under {@code push}:
 * <pre>{@code
 * ConfigKey.<PushDraft>duration("pauseAfter", true, PushPolicy.DEFAULT_PAUSE_AFTER,
 *         "how long a view rests after … ", (push, d) -> push.apply(b -> b.pauseAfter(d))),
 * }</pre>
 * The factories ({@link ConfigKey#text}, {@link ConfigKey#wholeNumber}, {@link ConfigKey#duration},
 * {@link ConfigKey#bool}, {@link ConfigKey#choice}) bring the value's checks and messages;
 * {@link ConfigKey#required(String)} makes it required, {@link ConfigKey#feeds(String...)} names the
 * builder options whose problems it answers for, {@link ConfigKey#custom} reads anything else (a
 * list, a map) with code of its own, and {@link ConfigKey#section} is a map of keys with its own
 * {@link Section}. Then run {@code ConfigReferenceTest} and paste the row it prints into the
 * README's table, and add the key to {@code examples/push.yaml} and {@code examples/push.schema.json}
 * (their tests say where). A check between several keys (both {@code secret} and {@code secrets},
 * {@code maxBackoff} below {@code initialBackoff}) stays in the section's reader method in
 * {@link ConfigReader}.
 */
final class ConfigKeys {
    private ConfigKeys() {
    }

    /** A signing secret that starts with it is base64 key bytes, as the Standard Webhooks libraries read every secret. */
    static final String WHSEC_PREFIX = "whsec_";
    /** The shortest API key accepted (the API server's rule too). */
    static final int MIN_API_KEY_LENGTH = 16;

    // ------------------------------------------------------------------ drafts: what the keys are applied to

    /** The {@code database} section as read so far. */
    static final class DatabaseDraft {
        String url;
        String user;
        String password;
        Path init;
        int poolSize = DatabaseConfig.DEFAULT_POOL_SIZE;
        ZoneId timeZone;
        boolean stampAhead;
    }

    /** The {@code server} section as read so far. */
    static final class ServerDraft {
        int port = ServerConfig.DEFAULT_PORT;
        String host = ServerConfig.DEFAULT_HOST;
        String metricsKey;

        ServerConfig build() {
            return new ServerConfig(host, port, Optional.ofNullable(metricsKey));
        }
    }

    /** The {@code engine} section as read so far. */
    static final class EngineDraft {
        int workers = EngineConfig.DEFAULT.workers();
        Duration pollInterval = EngineConfig.DEFAULT.pollInterval();
        Duration leaseTtl = EngineConfig.DEFAULT.leaseTtl();
        Duration shutdownTimeout = EngineConfig.DEFAULT.shutdownTimeout();
        Duration journalRetention = EngineConfig.DEFAULT.journalRetention();
        int journalMaxAttemptsPerView = EngineConfig.DEFAULT.journalMaxAttemptsPerView();
        Duration journalPruneInterval = EngineConfig.DEFAULT.journalPruneInterval();

        EngineConfig build() {
            return new EngineConfig(workers, pollInterval, leaseTtl, shutdownTimeout, journalRetention,
                    journalMaxAttemptsPerView, journalPruneInterval);
        }
    }

    /** The {@code retry} section of a push as read so far. */
    static final class RetryDraft {
        int attempts = RetrySettings.DEFAULT.maxAttempts();
        Duration initialBackoff = RetrySettings.DEFAULT.initialBackoff();
        Duration maxBackoff = RetrySettings.DEFAULT.maxBackoff();
        Duration maxRetryAfter = RetrySettings.DEFAULT.maxRetryAfter();
    }

    /**
     * The {@code push} section of a view as read so far: the URL and stamp field the policy's
     * builder starts from, and the options to apply to it once it exists.
     */
    static final class PushDraft {
        final String view;
        URI url;
        String stamp;
        final List<String> secrets = new ArrayList<>();
        private final List<Consumer<PushPolicy.Builder>> options = new ArrayList<>();
        private final List<Consumer<HttpPushTarget.Builder>> httpOptions = new ArrayList<>();

        PushDraft(String view) {
            this.view = view;
        }

        /** Applies an option every transport shares to the policy's builder when it is built. */
        void apply(Consumer<PushPolicy.Builder> option) {
            options.add(option);
        }

        /** Applies an HTTP option to the view's HTTP target's builder when it is built. */
        void http(Consumer<HttpPushTarget.Builder> option) {
            httpOptions.add(option);
        }

        /** @return the policy's builder, with every shared option applied */
        PushPolicy.Builder builder() {
            PushPolicy.Builder b = PushPolicy.builder(stamp);
            options.forEach(o -> o.accept(b));
            return b;
        }

        /** @return the HTTP target's builder for {@code url}, with every HTTP option and the secrets applied */
        HttpPushTarget.Builder httpBuilder(URI url) {
            HttpPushTarget.Builder b = HttpPushTarget.builder(url);
            httpOptions.forEach(o -> o.accept(b));
            b.secrets(secrets);
            return b;
        }
    }

    /** A view as read so far: its name, table and key, and the options to apply to its builder. */
    static final class ViewDraft {
        /** The view's name, or {@code #n} (its place in the list) while it has none. */
        String name;
        String table;
        /** The key's fields in key order (one, or several for a composite key); empty while missing. */
        List<String> keys = List.of();
        PushPolicy policy;
        boolean policyBroken;
        private final List<Consumer<ViewDefinition.Builder>> options = new ArrayList<>();

        /** Applies an option to the view's builder when it is built. */
        void apply(Consumer<ViewDefinition.Builder> option) {
            options.add(option);
        }

        ViewDefinition.Builder builder() {
            ViewDefinition.Builder b = ViewDefinition.builder(name.startsWith("#") ? null : name, table);
            if (!keys.isEmpty()) {
                b.key(keys);
            }
            options.forEach(o -> o.accept(b));
            if (policy != null) {
                b.push(policy);
            }
            return b;
        }
    }

    /** One entry of {@code api.keys} as read so far, and what the entries before it hold. */
    static final class ApiKeyDraft {
        final Map<String, Location> names;
        final Map<String, String> secrets;
        String name;
        String key;
        boolean admin;
        final List<String> views = new ArrayList<>();

        ApiKeyDraft(Map<String, Location> names, Map<String, String> secrets) {
            this.names = names;
            this.secrets = secrets;
        }
    }

    // ------------------------------------------------------------------ the keys

    static final Section<DatabaseDraft> DATABASE = Section.of("database",
            ConfigKey.<DatabaseDraft>text("url", "the embedded PostgreSQL, its data in `./viewpush-data/postgres` (see *The embedded database*"
                    + " under Operations)",
                    "JDBC URL, `jdbc:postgresql:…` or `jdbc:h2:…`; pooled with HikariCP. For an H2 file database"
                    + " write `jdbc:h2:file:./viewpush-data/viewpush;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0` (user"
                    + " `sa`): with H2's default `WRITE_DELAY`, commits of the last half second are only in memory,"
                    + " and a killed process loses stamps and receipts already acknowledged; H2's limits are under"
                    + " Operations", (d, v) -> {
                String u = v.text().strip();
                if (!u.startsWith("jdbc:")) {
                    v.problem("'" + ConfigReader.redactJdbc(u) + "' is not a JDBC URL; write"
                            + " jdbc:postgresql://HOST:5432/DB or jdbc:h2:file:./DIR/NAME");
                } else if (!u.startsWith("jdbc:postgresql:") && !u.startsWith("jdbc:h2:")) {
                    v.problem("'" + ConfigReader.redactJdbc(u) + "' is not supported: ViewPush works with PostgreSQL "
                            + "(jdbc:postgresql:…) and H2 (jdbc:h2:…)");
                } else {
                    d.url = u;
                }
            }),
            ConfigKey.<DatabaseDraft>text("user", NONE, "user name (needs `url`)", (d, v) -> d.user = v.text()),
            ConfigKey.<DatabaseDraft>text("password", NONE, "password (needs `url`)", (d, v) -> d.password = v.text()),
            ConfigKey.<DatabaseDraft>text("init", NONE, "a SQL file run at the start of every command that opens the"
                    + " database (write it idempotently: `CREATE TABLE IF NOT EXISTS`); handy with the embedded"
                    + " database", (d, v) -> d.init = v.reader().initFile(v)),
            ConfigKey.<DatabaseDraft>wholeNumber("poolSize", 1, 1000, DatabaseConfig.DEFAULT_POOL_SIZE,
                    "most connections in the pool (on PostgreSQL ViewPush opens one more, kept open while it runs:"
                    + " through it PostgreSQL tells other instances that this one lives)", (d, v) -> d.poolSize = v),
            ConfigKey.<DatabaseDraft>text("timeZone", "the database's own zone", "zone of ViewPush's sessions (e.g."
                    + " `Europe/Berlin`), in which timestamps without time zone and dates are read, compared with"
                    + " `now()` and stamped; by default PostgreSQL's `ALTER DATABASE`/`ALTER ROLE ... SET timezone`,"
                    + " else the server's `timezone` when readable, else UTC (H2: the JVM's) — never merely the JVM's",
                    (d, v) -> {
                        String z = v.text().strip();
                        try {
                            ZoneId id = ZoneId.of(z.equalsIgnoreCase("UTC") || z.equals("Z") ? "UTC" : z);
                            if (id instanceof ZoneOffset) {
                                v.problem("'" + z + "' is an offset; write a zone name such as Europe/Berlin, "
                                        + "America/New_York or UTC (an offset would not follow daylight saving)");
                            } else {
                                d.timeZone = id;
                            }
                        } catch (DateTimeException e) {
                            v.problem("'" + z + "' is not a time zone; write a zone name such as Europe/Berlin, "
                                    + "America/New_York or UTC");
                        }
                    }),
            ConfigKey.<DatabaseDraft>bool("stampAhead", false, "PostgreSQL: a push of more than 10,000 rows in one"
                    + " request stamps them while they are still read and sent, in a transaction that commits only"
                    + " once the request succeeded and rolls back otherwise: the push takes about as long as its"
                    + " stamping instead of the sum of both, but the rows stamped ahead stay locked until the request"
                    + " ends (a write to one of them waits for the delivery) and the push uses one more connection;"
                    + " should the stamping ahead fail, the rows are stamped after the request as without it",
                    (d, v) -> d.stampAhead = v));

    static final Section<ServerDraft> SERVER = Section.of("server",
            ConfigKey.<ServerDraft>wholeNumber("port", 0, 65535, ServerConfig.DEFAULT_PORT,
                    "API port; 0 picks a free one (logged)", (d, v) -> d.port = v),
            ConfigKey.<ServerDraft>text("host", "`" + ServerConfig.DEFAULT_HOST + "`", "address the API binds; keys"
                    + " travel in clear text, so put a TLS proxy in front, or bind `0.0.0.0` to serve other machines"
                    + " directly", (d, v) -> {
                if (v.text().isBlank()) {
                    v.problem("the host must not be blank; write 0.0.0.0 (every interface) or 127.0.0.1");
                } else {
                    d.host = v.text().strip();
                }
            }),
            ConfigKey.<ServerDraft>text("metricsKey", "none: `/metrics` is public", "a key (at least "
                    + MIN_API_KEY_LENGTH + " visible ASCII characters) that `GET /metrics` then requires, sent like an"
                    + " API key; any admin key works too. Off by default so that Prometheus scrapes without"
                    + " credentials; set it when the port is reachable by others, since the metrics name every"
                    + " pushed view", (d, v) -> {
                if (v.text().length() < MIN_API_KEY_LENGTH) {
                    v.problem("the key is too short (" + v.text().length() + " characters); use at least "
                            + MIN_API_KEY_LENGTH + ", e.g. from: openssl rand -hex 24");
                } else if (v.text().chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
                    v.problem("the key must be printable ASCII without spaces (it travels in an Authorization header)");
                } else {
                    d.metricsKey = v.text();
                }
            }));

    static final Section<ApiKeyDraft> API_KEY = Section.of("api.keys[]",
            ConfigKey.<ApiKeyDraft>text("name", REQUIRED, "who the key is, in logs (never the key)", (d, v) -> {
                if (v.text().isBlank()) {
                    v.problem("the name must not be blank");
                } else if (d.names.containsKey(v.text())) {
                    v.problem("two API keys are named '" + v.text() + "' (the other at " + d.names.get(v.text()) + ")");
                } else {
                    d.names.put(v.text(), v.at());
                    d.name = v.text();
                }
            }).required(""),
            ConfigKey.<ApiKeyDraft>text("key", REQUIRED, "the secret, at least " + MIN_API_KEY_LENGTH + " visible ASCII"
                    + " characters, sent as `Authorization: Bearer <key>` or bare", (d, v) -> {
                if (v.text().isBlank()) {
                    v.problem("the key must not be blank");
                } else if (v.text().length() < MIN_API_KEY_LENGTH) {
                    v.problem("the key is too short (" + v.text().length() + " characters); use at least "
                            + MIN_API_KEY_LENGTH + ", e.g. from: openssl rand -hex 24");
                } else if (v.text().chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
                    v.problem("the key must be printable ASCII without spaces (it travels in an Authorization header)");
                } else if (d.secrets.containsKey(v.text())) {
                    v.problem("this key is the same as the key of '" + d.secrets.get(v.text())
                            + "'; every client needs its own");
                } else {
                    d.secrets.put(v.text(), d.name == null ? "another entry" : d.name);
                    d.key = v.text();
                }
            }).required(": the secret the client sends in the Authorization header, e.g. ${PARTNER_KEY}"),
            ConfigKey.<ApiKeyDraft>custom("views", Kind.TEXT_LIST, REQUIRED, "views the key may use, or `['*']`",
                    ConfigReader::apiKeyViews),
            ConfigKey.<ApiKeyDraft>bool("admin", false, "may also push now and read the journal",
                    (d, v) -> d.admin = v));

    static final Section<Void> API = Section.of("api",
            ConfigKey.<Void>section("keys", API_KEY, "the API's keys", ConfigKey.readBySection()));

    static final Section<RetryDraft> RETRY = Section.of("views[].push.retry",
            ConfigKey.<RetryDraft>wholeNumber("attempts", 1, 100, RetrySettings.DEFAULT.maxAttempts(),
                    "attempts per request (on connection errors, timeouts, 5xx, 429)", (d, v) -> d.attempts = v),
            ConfigKey.<RetryDraft>duration("initialBackoff", false, RetrySettings.DEFAULT.initialBackoff(),
                    "wait before the second attempt; doubles after each (with jitter)", (d, v) -> d.initialBackoff = v),
            ConfigKey.<RetryDraft>duration("maxBackoff", false, RetrySettings.DEFAULT.maxBackoff(),
                    "longest wait between two attempts (not less than `initialBackoff`)", (d, v) -> d.maxBackoff = v),
            ConfigKey.<RetryDraft>duration("maxRetryAfter", false, RetrySettings.DEFAULT.maxRetryAfter(),
                    "longest `Retry-After` honoured; a longer one ends the retries", (d, v) -> d.maxRetryAfter = v));

    static final Section<PushDraft> PUSH = Section.of("views[].push",
            ConfigKey.<PushDraft>text("url", REQUIRED, "http(s) URL the rows are POSTed to",
                    (d, v) -> d.url = v.reader().pushUrl(v))
                    .required(": where the rows are POSTed, e.g. http://127.0.0.1:9000/hook"),
            ConfigKey.<PushDraft>text("stamp", REQUIRED, "timestamp field set on the rows the receiver accepted",
                    (d, v) -> d.stamp = v.text())
                    .required(": the date/time field set on the rows the receiver accepted").feeds("stampField"),
            ConfigKey.<PushDraft>text("modified", NONE, "a field that changes whenever the row does; a row is stamped"
                    + " only if it still has the value that was sent. Set its column at write time with `trigger` (see"
                    + " the set-ups). May name a calculation, a timestamp computed from the row and its lookups, so"
                    + " that a change of a related row counts", (d, v) -> d.apply(b -> b.modifiedField(v.text()))).feeds("modifiedField"),
            ConfigKey.<PushDraft>duration("minInterval", false, PushPolicy.DEFAULT_MIN_INTERVAL,
                    "least time between two pushes of the view as the receiver sees them: a"
                    + " push starts no sooner than this after the previous push's first request was answered (or"
                    + " failed), so their first requests never arrive closer together, however long a push reads"
                    + " before it sends", (d, v) -> d.apply(b -> b.minInterval(v))),
            ConfigKey.<PushDraft, HttpPushTarget.BodyFormat>choice("format", "format",
                    "`form`: `json=<array>` form body; `json`: the array as the body",
                    (d, v) -> d.http(b -> b.format(v)),
                    new Choice<>("form", "json=<array> as a form parameter, the default", HttpPushTarget.BodyFormat.FORM),
                    new Choice<>("json", "the array as the body", HttpPushTarget.BodyFormat.JSON)),
            ConfigKey.<PushDraft>wholeNumber("maxRows", 0, Integer.MAX_VALUE, PushPolicy.DEFAULT_MAX_ROWS,
                    "rows per request; 0 = the whole view in one request", (d, v) -> d.apply(b -> b.maxRows(v))),
            ConfigKey.<PushDraft, HttpPushTarget.SuccessRule>choice("success", "success rule", "`2xx` or `200`",
                    (d, v) -> d.http(b -> b.success(v)),
                    new Choice<>("2xx", "any 2xx answer, the default", HttpPushTarget.SuccessRule.ANY_2XX),
                    new Choice<>("200", "exactly 200", HttpPushTarget.SuccessRule.EXACTLY_200)),
            ConfigKey.<PushDraft, PushPolicy.ResponseMode>choice("response", "response", "`status`: a success answer"
                    + " accepts the whole batch; `rows`: a success answer may list the rows it accepted and rejected,"
                    + " and only accepted rows are stamped (see \"Answers row by row\"; needs `maxRows` 1 to 100000, as"
                    + " the batch's rows wait in memory for the answer)",
                    (d, v) -> d.apply(b -> b.response(v)),
                    new Choice<>("status", "a 2xx accepts the whole batch, the default", PushPolicy.ResponseMode.STATUS),
                    new Choice<>("rows", "a 2xx may list the rows it accepted and rejected", PushPolicy.ResponseMode.ROWS)),
            ConfigKey.<PushDraft>duration("timeout", true, HttpPushTarget.DEFAULT_TIMEOUT, "deadline of one request",
                    (d, v) -> d.http(b -> b.timeout(v))),
            ConfigKey.<PushDraft>text("secret", NONE, "signs each request (Standard Webhooks); `whsec_` + base64"
                    + " means key bytes, otherwise its UTF-8 bytes (`check` warns, and so does the log of `run`,"
                    + " `push`, `preview` and `journal` once at start: the Standard Webhooks libraries cannot verify"
                    + " those); make one with `echo \"whsec_$(head -c 32 /dev/urandom \\| base64)\"`", (d, v) -> {
                d.secrets.add(v.text());
                v.reader().warnUnlessStandard(v.scalar(), d.view, "push.secret");
            }).feeds("secrets"),
            ConfigKey.<PushDraft>custom("secrets", Kind.TEXT_LIST, NONE, "several secrets during a rotation (one"
                    + " signature each); instead of `secret`", ConfigReader::pushSecrets),
            ConfigKey.<PushDraft>section("retry", RETRY, "how one request is retried", ConfigReader::pushRetry),
            ConfigKey.<PushDraft>duration("backoffInitial", true, PushPolicy.DEFAULT_BACKOFF_INITIAL,
                    "extra wait after a failed push, doubling with each failure, reset by a success",
                    (d, v) -> d.apply(b -> b.backoffInitial(v))),
            ConfigKey.<PushDraft>duration("backoffMax", true, PushPolicy.DEFAULT_BACKOFF_MAX,
                    "longest extra wait after failed pushes", (d, v) -> d.apply(b -> b.backoffMax(v))),
            ConfigKey.<PushDraft>custom("pauseAfter", Kind.DURATION, "`off`", "pause the view when all its pushes"
                    + " have failed this long (e.g. `24h`); `resume` ends the pause", ConfigReader::pushPauseAfter));

    static final Section<ViewDraft> VIEW = Section.of("views[]",
            ConfigKey.<ViewDraft>custom("name", Kind.TEXT, REQUIRED, "unique view name (may hold spaces)",
                    ConfigKey.readBySection()),
            ConfigKey.<ViewDraft>text("table", REQUIRED, "the table the view selects from: `orders`, schema-qualified `sales.orders`, or with parts in"
                    + " double quotes for capitals, spaces, dots or non-ASCII letters as written (`'\"Sales\".\"Order"
                    + " Lines\"'`, quoted in YAML). A bare part is matched exactly, then as the database folds"
                    + " unquoted names, then ignoring case; an unqualified name is looked up in the schemas of the"
                    + " connection's search path in order (PostgreSQL `search_path`, `currentSchema` in the JDBC"
                    + " URL); `check` names the schemas when a name is ambiguous or only in a schema off the path. A"
                    + " database view or materialized view may be the table of a pull-only view; push from a database"
                    + " view (or write its fields) works when PostgreSQL can update it (an automatically updatable"
                    + " view, or one with `INSTEAD OF UPDATE` triggers), and `check` says why otherwise. A"
                    + " partitioned table is pushed like any table: rows are stamped in whichever partition holds them",
                    (d, v) -> d.table = v.text())
                    .required(": the table the view selects from"),
            ConfigKey.<ViewDraft>custom("key", Kind.TEXT, REQUIRED, "the field that identifies a row (`key: id`), or several that do together, in key order (`key:"
                    + " [actor_id, film_id]`, a composite key). Rows are read, paged and stamped in key order. The"
                    + " key's columns must be the table's primary key or a unique index on exactly those columns (a"
                    + " partitioned table's primary key includes its partition column): `check` says so otherwise and"
                    + " lists the table's unique indexes; over a database view the key is trusted to be unique",
                    ConfigReader::viewKey)
                    .required(": the field that identifies a row, e.g. key: id"),
            ConfigKey.<ViewDraft>custom("fields", Kind.MAP, REQUIRED, "field name → column; a list `[id, customer]`"
                    + " means name = column. A field may also show a column of a table reached through foreign keys"
                    + " (a lookup, read-only: `customer.address.city.city`; `language[original_language_id].name` picks"
                    + " one of several foreign keys to a table) or a summary of the rows that refer to the view's row"
                    + " (`count(rental)`, `sum(order_line.amount)`, `min(…)`, `max(…)`): see Lookups and summaries",
                    ConfigReader::viewFields),
            ConfigKey.<ViewDraft>custom("calculations", Kind.MAP, NONE, "field name → expression computing a number,"
                    + " text, date, timestamp or boolean (see *The expression language*); may use other calculations (no cycles)", ConfigReader::viewCalculations),
            ConfigKey.<ViewDraft>custom("filters", Kind.TEXT_LIST, "none (every row)", "expressions that must all be"
                    + " true", ConfigReader::viewFilters),
            ConfigKey.<ViewDraft>custom("writable", Kind.TEXT_LIST, NONE, "fields the row update API may change",
                    ConfigReader::viewWritable),
            ConfigKey.<ViewDraft>section("push", PUSH, "when and where the view's rows are pushed; without it the view"
                    + " is pull-only", ConfigReader::viewPush));

    static final Section<EngineDraft> ENGINE = Section.of("engine",
            ConfigKey.<EngineDraft>wholeNumber("workers", 1, 256, ViewPush.Builder.DEFAULT_WORKERS,
                    "views pushed concurrently", (d, v) -> d.workers = v),
            ConfigKey.<EngineDraft>duration("pollInterval", true, ViewPush.Builder.DEFAULT_POLL_INTERVAL,
                    "least time between two checks of a view with nothing to send", (d, v) -> d.pollInterval = v),
            ConfigKey.<EngineDraft>duration("leaseTtl", true, ViewPush.Builder.DEFAULT_LEASE_TTL, "how long a view's"
                    + " lease lasts unless renewed; an instance that is alive but cut off (or paused) loses its views"
                    + " after it; a crashed one's are taken over at once (see Operations)",
                    (d, v) -> d.leaseTtl = v),
            ConfigKey.<EngineDraft>duration("shutdownTimeout", true, ViewPush.Builder.DEFAULT_SHUTDOWN_TIMEOUT,
                    "how long a stop waits for the push in flight", (d, v) -> d.shutdownTimeout = v),
            ConfigKey.<EngineDraft>duration("journalRetention", true, JdbcPushStore.DEFAULT_JOURNAL_RETENTION,
                    "how long push attempts stay in the journal (`viewpush_push_attempt`), by their start",
                    (d, v) -> d.journalRetention = v),
            ConfigKey.<EngineDraft>wholeNumber("journalMaxAttemptsPerView", 1, 10_000_000,
                    JdbcPushStore.DEFAULT_JOURNAL_MAX_ATTEMPTS_PER_VIEW, "most push attempts the journal keeps per"
                            + " view", (d, v) -> d.journalMaxAttemptsPerView = v),
            ConfigKey.<EngineDraft>duration("journalPruneInterval", false, JdbcPushStore.DEFAULT_JOURNAL_PRUNE_INTERVAL,
                    "least time between two prunes of a view's journal (0: after every push)",
                    (d, v) -> d.journalPruneInterval = v));

    /** The file's own keys; {@link ConfigReader#read} reads their sections (the API keys after the views). */
    static final Section<Void> FILE = Section.of("",
            ConfigKey.<Void>section("database", DATABASE, "the database holding the views' tables",
                    ConfigKey.readBySection()),
            ConfigKey.<Void>section("server", SERVER, "the HTTP API", ConfigKey.readBySection()),
            ConfigKey.<Void>section("api", API, "who may use the HTTP API", ConfigKey.readBySection()),
            ConfigKey.<Void>section("views", VIEW, "the views", ConfigKey.readBySection()),
            ConfigKey.<Void>section("engine", ENGINE, "how the scheduler runs", ConfigKey.readBySection()));

    /** @return every section, by its path (the file's is {@code ""}), in the README's order */
    static Map<String, Section<?>> sections() {
        Map<String, Section<?>> out = new LinkedHashMap<>();
        collect(FILE, out);
        return out;
    }

    private static void collect(Section<?> s, Map<String, Section<?>> out) {
        out.put(s.path(), s);
        for (ConfigKey<?> k : s.keys()) {
            k.section().ifPresent(child -> collect(child, out));
        }
    }

    /** @return the README's configuration reference rows ({@code | `key` | default | meaning |}), in order */
    static List<String> referenceRows() {
        List<String> rows = new ArrayList<>();
        for (Section<?> s : sections().values()) {
            for (ConfigKey<?> k : s.keys()) {
                if (k.section().isEmpty()) {
                    String path = s.path().isEmpty() ? k.name() : s.path() + "." + k.name();
                    rows.add("| `" + path + "` | " + k.defaultText() + " | " + k.meaning() + " |");
                }
            }
        }
        return rows;
    }

    /** @return the path of an init file, or null after reporting why it cannot be one */
    static Path initFile(Path baseDir, ConfigKey.Found v) {
        try {
            Path file = baseDir.resolve(v.text().strip()).normalize();
            if (!Files.exists(file)) {
                v.problem("there is no file " + file + " (database.init names a SQL file, relative to the config"
                        + " file's directory)");
            } else if (!Files.isRegularFile(file)) {
                v.problem(file + " is not a file (database.init names a SQL file)");
            } else if (!Files.isReadable(file)) {
                v.problem("cannot read " + file + ": permission denied");
            } else {
                return file;
            }
        } catch (InvalidPathException e) {
            v.problem("'" + v.text() + "' is not a file path: " + e.getReason());
        }
        return null;
    }
}
