package io.viewpush.app.config;

import io.viewpush.app.config.Node.Entry;
import io.viewpush.app.config.Node.ListNode;
import io.viewpush.app.config.Node.MapNode;
import io.viewpush.app.config.Node.ScalarNode;
import io.viewpush.push.InvalidOptionException;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.RetrySettings;
import io.viewpush.view.InvalidViewException;
import io.viewpush.view.Problem;
import io.viewpush.view.ViewDefinition;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the YAML tree into an {@link AppConfig}, collecting every problem with its place. */
final class ConfigReader {
    /** A signing secret that starts with it is base64 key bytes, as the Standard Webhooks libraries read every secret. */
    private static final String WHSEC_PREFIX = "whsec_";
    static final List<String> ROOT_KEYS = List.of("database", "server", "api", "views", "engine");
    static final List<String> DATABASE_KEYS = List.of("url", "user", "password", "init", "poolSize", "timeZone");
    static final List<String> SERVER_KEYS = List.of("port", "host", "metricsKey");
    static final List<String> API_KEYS = List.of("keys");
    static final List<String> API_KEY_KEYS = List.of("name", "key", "views", "admin");
    static final List<String> VIEW_KEYS = List.of("name", "table", "key", "fields", "calculations", "filters",
            "writable", "push");
    static final List<String> PUSH_KEYS = List.of("url", "stamp", "modified", "minInterval", "format", "maxRows",
            "success", "timeout", "secret", "secrets", "retry", "backoffInitial", "backoffMax");
    static final List<String> RETRY_KEYS = List.of("attempts", "initialBackoff", "maxBackoff", "maxRetryAfter");
    static final List<String> ENGINE_KEYS = List.of("workers", "pollInterval", "leaseTtl", "shutdownTimeout",
            "journalRetention", "journalMaxAttemptsPerView", "journalPruneInterval");

    /** The shortest API key accepted (the API server's rule too). */
    static final int MIN_API_KEY_LENGTH = 16;

    /** The push policy builder's options that the YAML names otherwise: option to key under {@code push}. */
    private static final Map<String, String> PUSH_OPTION_KEYS = Map.of("stampField", "stamp", "modifiedField", "modified",
            "secrets", "secret");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$\\{|\\$\\{([^}:]*)(?::-([^}]*))?}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String file;
    private final Path baseDir;
    private final Map<String, String> env;
    private final List<ConfigProblem> problems;
    private final Locator locator;
    private final List<ConfigWarning> warnings = new ArrayList<>();
    private final Set<String> viewNamesWritten = new LinkedHashSet<>();
    private final String[] lines;
    private AppConfig checkable;

    ConfigReader(String file, String text, Path baseDir, Map<String, String> env, List<ConfigProblem> problems) {
        this.file = file;
        this.lines = text.split("\\R", -1);
        this.baseDir = baseDir;
        this.env = env;
        this.problems = problems;
        this.locator = new Locator(file);
    }

    /** Where a value is: the view (if any) and the key prefix. */
    private record Ctx(Optional<String> view, String prefix) {
        static final Ctx ROOT = new Ctx(Optional.empty(), "");

        String key(String k) {
            return prefix.isEmpty() ? k : prefix + "." + k;
        }

        Ctx child(String k) {
            return new Ctx(view, key(k));
        }

        static Ctx view(String name, String prefix) {
            return new Ctx(Optional.of(name), prefix);
        }
    }

    /** A scalar's text after substitution, with its place. */
    private record Scalar(String text, Location at, Node.ScalarType type) {
    }

    AppConfig read(Node root) {
        if (!(root instanceof MapNode)) {
            problem(root.location(), Ctx.ROOT, "", "the file must be a map of keys (" + String.join(", ", ROOT_KEYS)
                    + "), not " + root.kind());
            return null;
        }
        MapNode m = (MapNode) root;
        checkKeys(m, ROOT_KEYS, Ctx.ROOT);
        DatabaseConfig database = m.entry("database").filter(e -> !isNull(e.value()))
                .map(e -> database(e)).orElseGet(() -> DatabaseConfig.embedded(Optional.empty()));
        ServerConfig server = m.entry("server").filter(e -> !isNull(e.value()))
                .map(this::server).orElse(ServerConfig.DEFAULT);
        EngineConfig engine = m.entry("engine").filter(e -> !isNull(e.value()))
                .map(this::engine).orElse(EngineConfig.DEFAULT);
        List<ViewDefinition> views = views(m);
        List<ApiKeyConfig> keys = m.entry("api").filter(e -> !isNull(e.value()))
                .map(e -> apiKeys(e, viewNamesWritten)).orElse(List.of());
        if (database == null || server == null || engine == null) {
            return null;
        }
        AppConfig config = new AppConfig(file, database, server, keys, views, engine, locator, warnings);
        if (!problems.isEmpty()) {
            if (problems.stream().allMatch(ConfigReader::leavesTheDatabaseCheckable)) {
                checkable = config;
            }
            return null;
        }
        return config;
    }

    /**
     * @return after {@link #read} found problems: the well-formed views with the database they name, which
     *         {@code check} still validates against the database so that every problem is listed at once;
     *         empty when a problem could change which database is meant (the {@code database} section, an
     *         unknown top-level key such as a misspelt {@code database}, a syntax error)
     */
    Optional<AppConfig> checkable() {
        return Optional.ofNullable(checkable);
    }

    private static boolean leavesTheDatabaseCheckable(ConfigProblem p) {
        String k = p.key();
        return p.view().isPresent() || k.startsWith("views") || k.startsWith("api") || k.startsWith("server")
                || k.startsWith("engine");
    }

    // ---------------------------------------------------------------- sections

    private DatabaseConfig database(Entry section) {
        Ctx c = Ctx.ROOT.child("database");
        MapNode m = map(section, Ctx.ROOT, "database", DATABASE_KEYS);
        if (m == null) {
            return null;
        }
        String[] url = {null};
        String[] user = {null};
        String[] password = {null};
        Path[] init = {null};
        int[] pool = {DatabaseConfig.DEFAULT_POOL_SIZE};
        text(m, "url", c, false, s -> {
            String u = s.text().strip();
            if (!u.startsWith("jdbc:")) {
                problem(s.at(), c, "url", "'" + redactJdbc(u) + "' is not a JDBC URL; write jdbc:postgresql://HOST:5432/DB"
                        + " or jdbc:h2:file:./DIR/NAME");
            } else if (!u.startsWith("jdbc:postgresql:") && !u.startsWith("jdbc:h2:")) {
                problem(s.at(), c, "url", "'" + redactJdbc(u) + "' is not supported: ViewPush works with PostgreSQL "
                        + "(jdbc:postgresql:…) and H2 (jdbc:h2:…)");
            } else {
                url[0] = u;
            }
        });
        text(m, "user", c, false, s -> user[0] = s.text());
        text(m, "password", c, false, s -> password[0] = s.text());
        text(m, "init", c, false, s -> {
            try {
                Path file = baseDir.resolve(s.text().strip()).normalize();
                if (!Files.exists(file)) {
                    problem(s.at(), c, "init", "there is no file " + file + " (database.init names a SQL file, "
                            + "relative to the config file's directory)");
                } else if (!Files.isRegularFile(file)) {
                    problem(s.at(), c, "init", file + " is not a file (database.init names a SQL file)");
                } else if (!Files.isReadable(file)) {
                    problem(s.at(), c, "init", "cannot read " + file + ": permission denied");
                } else {
                    init[0] = file;
                }
            } catch (InvalidPathException e) {
                problem(s.at(), c, "init", "'" + s.text() + "' is not a file path: " + e.getReason());
            }
        });
        integer(m, "poolSize", c, 1, 1000, v -> pool[0] = v);
        java.time.ZoneId[] zone = {null};
        text(m, "timeZone", c, false, s -> {
            String z = s.text().strip();
            try {
                java.time.ZoneId id = java.time.ZoneId.of(z.equalsIgnoreCase("UTC") || z.equals("Z") ? "UTC" : z);
                if (id instanceof java.time.ZoneOffset) {
                    problem(s.at(), c, "timeZone", "'" + z + "' is an offset; write a zone name such as Europe/Berlin, "
                            + "America/New_York or UTC (an offset would not follow daylight saving)");
                } else {
                    zone[0] = id;
                }
            } catch (java.time.DateTimeException e) {
                problem(s.at(), c, "timeZone", "'" + z + "' is not a time zone; write a zone name such as Europe/Berlin, "
                        + "America/New_York or UTC");
            }
        });
        boolean hasUrl = m.entry("url").filter(e -> !isNull(e.value())).isPresent();
        if (!hasUrl) {
            if (m.entry("user").isPresent() || m.entry("password").isPresent()) {
                problem(section.keyLocation(), c, "url", "database.user and database.password need database.url; "
                        + "without a url ViewPush uses its embedded PostgreSQL under ./" + DatabaseConfig.EMBEDDED_DIRECTORY);
            }
            DatabaseConfig d = DatabaseConfig.embedded(Optional.ofNullable(init[0]));
            return new DatabaseConfig(d.url(), d.user(), d.password(), d.init(), pool[0], true, Optional.ofNullable(zone[0]));
        }
        if (url[0] == null) {
            return null;
        }
        return new DatabaseConfig(url[0], Optional.ofNullable(user[0]), Optional.ofNullable(password[0]),
                Optional.ofNullable(init[0]), pool[0], false, Optional.ofNullable(zone[0]));
    }

    private ServerConfig server(Entry section) {
        Ctx c = Ctx.ROOT.child("server");
        MapNode m = map(section, Ctx.ROOT, "server", SERVER_KEYS);
        if (m == null) {
            return null;
        }
        int[] port = {ServerConfig.DEFAULT_PORT};
        String[] host = {ServerConfig.DEFAULT_HOST};
        integer(m, "port", c, 0, 65535, v -> port[0] = v);
        text(m, "host", c, false, s -> {
            if (s.text().isBlank()) {
                problem(s.at(), c, "host", "the host must not be blank; write 0.0.0.0 (every interface) or 127.0.0.1");
            } else {
                host[0] = s.text().strip();
            }
        });
        String[] metricsKey = {null};
        text(m, "metricsKey", c, false, s -> {
            if (s.text().length() < MIN_API_KEY_LENGTH) {
                problem(s.at(), c, "metricsKey", "the key is too short (" + s.text().length() + " characters); use at"
                        + " least " + MIN_API_KEY_LENGTH + ", e.g. from: openssl rand -hex 24");
            } else if (s.text().chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
                problem(s.at(), c, "metricsKey", "the key must be printable ASCII without spaces (it travels in an "
                        + "Authorization header)");
            } else {
                metricsKey[0] = s.text();
            }
        });
        return new ServerConfig(host[0], port[0], Optional.ofNullable(metricsKey[0]));
    }

    private EngineConfig engine(Entry section) {
        Ctx c = Ctx.ROOT.child("engine");
        MapNode m = map(section, Ctx.ROOT, "engine", ENGINE_KEYS);
        if (m == null) {
            return null;
        }
        EngineConfig d = EngineConfig.DEFAULT;
        int[] workers = {d.workers()};
        Duration[] poll = {d.pollInterval()};
        Duration[] lease = {d.leaseTtl()};
        Duration[] shutdown = {d.shutdownTimeout()};
        integer(m, "workers", c, 1, 256, v -> workers[0] = v);
        duration(m, "pollInterval", c, true, v -> poll[0] = v);
        duration(m, "leaseTtl", c, true, v -> lease[0] = v);
        duration(m, "shutdownTimeout", c, true, v -> shutdown[0] = v);
        Duration[] retention = {d.journalRetention()};
        int[] keep = {d.journalMaxAttemptsPerView()};
        Duration[] prune = {d.journalPruneInterval()};
        duration(m, "journalRetention", c, true, v -> retention[0] = v);
        integer(m, "journalMaxAttemptsPerView", c, 1, 10_000_000, v -> keep[0] = v);
        duration(m, "journalPruneInterval", c, false, v -> prune[0] = v);
        return new EngineConfig(workers[0], poll[0], lease[0], shutdown[0], retention[0], keep[0], prune[0]);
    }

    private List<ApiKeyConfig> apiKeys(Entry section, Set<String> viewNames) {
        MapNode m = map(section, Ctx.ROOT, "api", API_KEYS);
        if (m == null) {
            return List.of();
        }
        Optional<Entry> keysEntry = m.entry("keys").filter(e -> !isNull(e.value()));
        if (keysEntry.isEmpty()) {
            return List.of();
        }
        if (!(keysEntry.get().value() instanceof ListNode)) {
            problem(keysEntry.get().value().location(), Ctx.ROOT, "api.keys", "must be a list of keys "
                    + "(- name: …, key: …, views: […]), not " + keysEntry.get().value().kind());
            return List.of();
        }
        List<ApiKeyConfig> out = new ArrayList<>();
        Map<String, Location> names = new HashMap<>();
        Map<String, String> secrets = new HashMap<>();
        List<Node> items = ((ListNode) keysEntry.get().value()).items();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            Ctx c = Ctx.ROOT.child("api.keys[" + (i + 1) + "]");
            if (!(item instanceof MapNode)) {
                problem(item.location(), Ctx.ROOT, c.prefix(), "each API key must be a map with name, key, views"
                        + " and admin, not " + item.kind());
                continue;
            }
            MapNode k = (MapNode) item;
            checkKeys(k, API_KEY_KEYS, c);
            String[] name = {null};
            String[] key = {null};
            boolean[] admin = {false};
            List<String> allowed = new ArrayList<>();
            text(k, "name", c, true, s -> {
                if (s.text().isBlank()) {
                    problem(s.at(), c, "name", "the name must not be blank");
                } else if (names.containsKey(s.text())) {
                    problem(s.at(), c, "name", "two API keys are named '" + s.text() + "' (the other at "
                            + names.get(s.text()) + ")");
                } else {
                    names.put(s.text(), s.at());
                    name[0] = s.text();
                }
            });
            text(k, "key", c, true, s -> {
                if (s.text().isBlank()) {
                    problem(s.at(), c, "key", "the key must not be blank");
                } else if (s.text().length() < MIN_API_KEY_LENGTH) {
                    problem(s.at(), c, "key", "the key is too short (" + s.text().length() + " characters); use at least "
                            + MIN_API_KEY_LENGTH + ", e.g. from: openssl rand -hex 24");
                } else if (s.text().chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
                    problem(s.at(), c, "key", "the key must be printable ASCII without spaces (it travels in an "
                            + "Authorization header)");
                } else if (secrets.containsKey(s.text())) {
                    problem(s.at(), c, "key", "this key is the same as the key of '" + secrets.get(s.text())
                            + "'; every client needs its own");
                } else {
                    secrets.put(s.text(), name[0] == null ? "another entry" : name[0]);
                    key[0] = s.text();
                }
            });
            bool(k, "admin", c, v -> admin[0] = v);
            Optional<Entry> vs = k.entry("views");
            if (vs.isEmpty() || isNull(vs.get().value())) {
                problem(k.location(), c, "views", "missing 'views': the views this key may use, e.g. [orders to push]"
                        + " or ['*'] for all");
            } else {
                textList(vs.get(), c, "views", s -> {
                    if (!s.text().equals(ApiKeyConfig.ALL_VIEWS) && !viewNames.contains(s.text())) {
                        problem(s.at(), c, "views", "there is no view named '" + s.text() + "'"
                                + suggestion(s.text(), viewNames) + "; the views are " + quoted(viewNames)
                                + " or '*' for all");
                    } else {
                        allowed.add(s.text());
                    }
                });
            }
            if (vs.isPresent() && vs.get().value() instanceof ListNode && ((ListNode) vs.get().value()).items().isEmpty()) {
                problem(vs.get().value().location(), c, "views", "the list is empty: name the views this key may use, "
                        + "or ['*'] for all");
            }
            if (name[0] != null && key[0] != null) {
                out.add(new ApiKeyConfig(name[0], key[0], allowed, admin[0]));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- views

    private List<ViewDefinition> views(MapNode root) {
        Optional<Entry> e = root.entry("views");
        if (e.isEmpty() || isNull(e.get().value())) {
            problem(e.map(Entry::keyLocation).orElse(new Location(file, 1, 1)), Ctx.ROOT, "views",
                    "no views: add a 'views:' list with at least one view (name, table, key, fields)");
            return List.of();
        }
        if (!(e.get().value() instanceof ListNode)) {
            problem(e.get().value().location(), Ctx.ROOT, "views", "must be a list of views (- name: …), not "
                    + e.get().value().kind());
            return List.of();
        }
        List<Node> items = ((ListNode) e.get().value()).items();
        if (items.isEmpty()) {
            problem(e.get().keyLocation(), Ctx.ROOT, "views", "no views: the list is empty");
        }
        List<ViewDefinition> out = new ArrayList<>();
        Map<String, Location> names = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            if (!(item instanceof MapNode)) {
                problem(item.location(), Ctx.ROOT, "views[" + (i + 1) + "]", "each view must be a map with name, "
                        + "table, key, fields…, not " + item.kind());
                continue;
            }
            view((MapNode) item, i + 1, names).ifPresent(out::add);
        }
        return out;
    }

    private Optional<ViewDefinition> view(MapNode m, int index, Map<String, Location> names) {
        String[] nameHolder = {null};
        Ctx anonymous = new Ctx(Optional.empty(), "views[" + index + "]");
        text(m, "name", anonymous, true, s -> {
            if (s.text().isBlank()) {
                problem(s.at(), anonymous, "name", "a view needs a name");
            } else if (names.containsKey(s.text())) {
                problem(s.at(), Ctx.view(s.text(), ""), "name", "two views are named '" + s.text()
                        + "' (the other at " + names.get(s.text()) + "); names must be unique");
            } else {
                names.put(s.text(), s.at());
                viewNamesWritten.add(s.text());
                nameHolder[0] = s.text();
            }
        });
        if (nameHolder[0] == null) {
            // still report unknown keys and expression problems under a stand-in name
            nameHolder[0] = "#" + index;
        }
        String name = nameHolder[0];
        Ctx c = Ctx.view(name, "");
        locator.put(name, "", m.location());
        m.entries().forEach(e -> locator.put(name, e.key(), e.keyLocation()));
        checkKeys(m, VIEW_KEYS, c);
        int before = problems.size();

        String[] table = {null};
        String[] key = {null};
        text(m, "table", c, true, s -> table[0] = s.text());
        text(m, "key", c, true, s -> key[0] = s.text());
        ViewDefinition.Builder b = ViewDefinition.builder(name.startsWith("#") ? null : name, table[0]);
        if (key[0] != null) {
            b.key(key[0]);
        }
        fields(m, c, name, b);
        calculations(m, c, name, b);
        optionalTextList(m, "filters", c, name, (s, i) -> {
            locator.put(name, "filters[" + i + "]", s.at());
            expression(name, "filters[" + i + "]", s);
            b.filter(s.text());
        });
        optionalTextList(m, "writable", c, name, (s, i) -> b.writable(s.text()));
        Optional<Entry> pushEntry = m.entry("push").filter(e -> !isNull(e.value()));
        PushPolicy[] policy = {null};
        boolean[] policyBroken = {false};
        pushEntry.ifPresent(e -> {
            int p0 = problems.size();
            PushPolicy p = push(e, c, name);
            policy[0] = p;
            policyBroken[0] = problems.size() > p0;
        });
        if (policy[0] != null) {
            b.push(policy[0]);
        }
        try {
            ViewDefinition d = b.build();
            return problems.size() > before || policyBroken[0] ? Optional.empty() : Optional.of(d);
        } catch (InvalidViewException ex) {
            for (Problem p : ex.problems()) {
                if (isDuplicateOfReaderProblem(p, table[0], key[0], name)) {
                    continue;
                }
                problems.add(locate(name, p));
            }
            return Optional.empty();
        }
    }

    /** The builder repeats problems this reader already reported with a better place (missing name, table, key). */
    private static boolean isDuplicateOfReaderProblem(Problem p, String table, String key, String name) {
        return (p.key().equals("name") && name.startsWith("#"))
                || (p.key().equals("table") && table == null)
                || (p.key().equals("key") && key == null);
    }

    private ConfigProblem locate(String view, Problem p) {
        Location at = locator.locate(view, p.key(), p.position());
        Optional<String> v = view.startsWith("#") ? Optional.empty() : Optional.of(view);
        return new ConfigProblem(at, v, v.isEmpty() ? "views[" + view.substring(1) + "]." + p.key() : p.key(),
                p.message(), p.position());
    }

    private void fields(MapNode m, Ctx c, String view, ViewDefinition.Builder b) {
        Optional<Entry> e = m.entry("fields");
        if (e.isEmpty() || isNull(e.get().value())) {
            problem(m.location(), c, "fields", "missing 'fields': a map of field name -> column of the table, "
                    + "e.g. { id: id, customer: customer_name }");
            return;
        }
        Node v = e.get().value();
        if (v instanceof MapNode) {
            reportDuplicates((MapNode) v, c.child("fields"));
            for (Entry f : ((MapNode) v).entries()) {
                locator.put(view, "fields." + f.key(), f.keyLocation());
                if (isNull(f.value())) {
                    b.field(f.key(), f.key());
                } else {
                    scalar(f.value(), c, "fields." + f.key()).ifPresent(s -> b.field(f.key(),
                            s.text().isBlank() ? f.key() : s.text()));
                }
            }
        } else if (v instanceof ListNode) {
            for (Node item : ((ListNode) v).items()) {
                scalar(item, c, "fields").ifPresent(s -> {
                    locator.put(view, "fields." + s.text(), s.at());
                    b.field(s.text(), s.text());
                });
            }
        } else {
            problem(v.location(), c, "fields", "must be a map of field name -> column (or a list of columns), not "
                    + v.kind());
        }
    }

    private void calculations(MapNode m, Ctx c, String view, ViewDefinition.Builder b) {
        Optional<Entry> e = m.entry("calculations").filter(x -> !isNull(x.value()));
        if (e.isEmpty()) {
            return;
        }
        Node v = e.get().value();
        if (!(v instanceof MapNode)) {
            problem(v.location(), c, "calculations", "must be a map of field name -> expression, e.g. "
                    + "needs pushing: \"{last modified} > {last pushed}\", not " + v.kind());
            return;
        }
        reportDuplicates((MapNode) v, c.child("calculations"));
        for (Entry calc : ((MapNode) v).entries()) {
            String key = "calculations." + calc.key();
            locator.put(view, key, calc.value().location());
            if (calc.value() instanceof MapNode || calc.value() instanceof ListNode) {
                problem(calc.value().location(), c, key, "an expression must be text; in YAML an expression that "
                        + "starts with '{' must be quoted: \"{a} > {b}\"");
                continue;
            }
            scalar(calc.value(), c, key).ifPresentOrElse(s -> {
                expression(view, key, s);
                b.calculation(calc.key(), s.text());
            }, () -> b.calculation(calc.key(), ""));
        }
    }

    /**
     * Warns about a signing secret without the {@code whsec_} prefix: ViewPush signs with its UTF-8 bytes, while
     * the Standard Webhooks libraries base64-decode every secret. Never names the secret or any part of it.
     */
    private void warnUnlessStandard(Scalar secret, String view, String key) {
        if (secret.text().isEmpty() || secret.text().startsWith(WHSEC_PREFIX)) {
            return;
        }
        warnings.add(new ConfigWarning(ConfigWarning.Code.SECRET_WITHOUT_WHSEC_PREFIX, ConfigProblem.inView(
                secret.at(), view, key, "the secret does not start with " + WHSEC_PREFIX + ", so requests are "
                        + "signed with its UTF-8 bytes; receivers that verify with the Standard Webhooks libraries "
                        + "base64-decode every secret and will not verify these signatures. Use " + WHSEC_PREFIX
                        + " followed by the base64 of random bytes, e.g. echo \"whsec_$(head -c 32 /dev/urandom | base64)\", "
                        + "and give receivers the same secret")));
    }

    private PushPolicy push(Entry section, Ctx viewCtx, String view) {
        MapNode m = map(section, viewCtx, "push", PUSH_KEYS);
        if (m == null) {
            return null;
        }
        Ctx c = viewCtx.child("push");
        m.entries().forEach(e -> locator.put(view, "push." + e.key(), e.value().location()));
        URI[] url = {null};
        String[] stamp = {null};
        PushPolicy.Builder b = PushPolicy.builder(URI.create("http://placeholder.invalid/"), "placeholder");
        text(m, "url", c, true, s -> url[0] = url(s, c));
        text(m, "stamp", c, true, s -> stamp[0] = s.text());
        text(m, "modified", c, false, s -> b.modifiedField(s.text()));
        duration(m, "minInterval", c, false, b::minInterval);
        duration(m, "timeout", c, true, b::timeout);
        duration(m, "backoffInitial", c, true, b::backoffInitial);
        duration(m, "backoffMax", c, true, b::backoffMax);
        integer(m, "maxRows", c, 0, Integer.MAX_VALUE, b::maxRows);
        text(m, "format", c, false, s -> {
            String f = s.text().strip().toLowerCase(Locale.ROOT);
            if (f.equals("form")) {
                b.format(PushPolicy.BodyFormat.FORM);
            } else if (f.equals("json")) {
                b.format(PushPolicy.BodyFormat.JSON);
            } else {
                problem(s.at(), c, "format", "'" + s.text() + "' is not a format; write form (json=<array> as a form "
                        + "parameter, the default) or json (the array as the body)");
            }
        });
        text(m, "success", c, false, s -> {
            String f = s.text().strip().toLowerCase(Locale.ROOT);
            if (f.equals("2xx")) {
                b.success(PushPolicy.SuccessRule.ANY_2XX);
            } else if (f.equals("200")) {
                b.success(PushPolicy.SuccessRule.EXACTLY_200);
            } else {
                problem(s.at(), c, "success", "'" + s.text() + "' is not a success rule; write 2xx (any 2xx answer, "
                        + "the default) or 200 (exactly 200)");
            }
        });
        List<String> secrets = new ArrayList<>();
        text(m, "secret", c, false, s -> {
            secrets.add(s.text());
            warnUnlessStandard(s, view, "push.secret");
        });
        m.entry("secrets").filter(e -> !isNull(e.value())).ifPresent(e -> {
            if (m.entry("secret").filter(x -> !isNull(x.value())).isPresent()) {
                problem(e.keyLocation(), c, "secrets", "write either 'secret' (one) or 'secrets' (several, during a "
                        + "rotation), not both");
            }
            if (e.value() instanceof ListNode list) {
                for (int i = 0; i < list.items().size(); i++) {
                    String key = "push.secrets[" + (i + 1) + "]";
                    locator.put(view, key, list.items().get(i).location());
                    scalar(list.items().get(i), c, "secrets").ifPresent(s -> {
                        secrets.add(s.text());
                        warnUnlessStandard(s, view, key);
                    });
                }
            } else {
                scalar(e.value(), c, "secrets").ifPresent(s -> {
                    secrets.add(s.text());
                    warnUnlessStandard(s, view, "push.secrets");
                });
            }
        });
        for (int i = 0; i < secrets.size(); i++) {
            if (secrets.get(i).isEmpty()) {
                problem(m.entry(m.entry("secret").isPresent() ? "secret" : "secrets").get().value().location(), c,
                        "secret", "the secret is empty; remove the key for unsigned requests");
            }
        }
        b.secrets(secrets);
        m.entry("retry").filter(e -> !isNull(e.value())).ifPresent(e -> {
            RetrySettings r = retry(e, c);
            if (r != null) {
                b.retry(r);
            }
        });
        if (stamp[0] == null) {
            return null;
        }
        b.stampField(stamp[0]);
        b.url(url[0] != null ? url[0] : URI.create("http://placeholder.invalid/"));
        try {
            return b.build();
        } catch (InvalidOptionException e) {
            // the policy's option, named as the YAML names it, in front of the policy's words
            String key = PUSH_OPTION_KEYS.getOrDefault(e.option(), e.option());
            Location at = m.entry(key).map(x -> x.value().location()).orElse(m.location());
            problem(at, c, key, "push." + key + " " + e.problem());
            return null;
        } catch (IllegalArgumentException e) {
            problem(m.location(), c, "", e.getMessage());
            return null;
        }
    }

    private URI url(Scalar s, Ctx c) {
        String text = s.text().strip();
        String example = "write an http or https URL such as http://127.0.0.1:9000/hook";
        try {
            URI u = new URI(text);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problem(s.at(), c, "url", "'" + redactUrl(text) + "' is not an http or https URL; " + example);
                return null;
            }
            if (u.getHost() == null || u.getHost().isEmpty()) {
                problem(s.at(), c, "url", "'" + redactUrl(text) + "' has no host; " + example);
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            problem(s.at(), c, "url", "'" + redactUrl(text) + "' is not a URL (" + e.getReason() + " at character "
                    + (e.getIndex() + 1) + "); " + example);
            return null;
        }
    }

    private RetrySettings retry(Entry section, Ctx pushCtx) {
        MapNode m = map(section, pushCtx, "retry", RETRY_KEYS);
        if (m == null) {
            return null;
        }
        Ctx c = pushCtx.child("retry");
        RetrySettings d = RetrySettings.DEFAULT;
        int[] attempts = {d.maxAttempts()};
        Duration[] initial = {d.initialBackoff()};
        Duration[] max = {d.maxBackoff()};
        Duration[] retryAfter = {d.maxRetryAfter()};
        int before = problems.size();
        integer(m, "attempts", c, 1, 100, v -> attempts[0] = v);
        duration(m, "initialBackoff", c, false, v -> initial[0] = v);
        duration(m, "maxBackoff", c, false, v -> max[0] = v);
        duration(m, "maxRetryAfter", c, false, v -> retryAfter[0] = v);
        if (problems.size() > before) {
            return null;
        }
        if (max[0].compareTo(initial[0]) < 0) {
            if (m.entry("maxBackoff").isPresent()) {
                problem(m.entry("maxBackoff").get().value().location(), c, "maxBackoff", "must not be less than "
                        + "initialBackoff (" + Durations.format(initial[0]) + ")");
                return null;
            }
            max[0] = initial[0];
        }
        return new RetrySettings(attempts[0], initial[0], max[0], retryAfter[0]);
    }

    // ---------------------------------------------------------------- values

    private MapNode map(Entry e, Ctx c, String key, List<String> allowed) {
        if (!(e.value() instanceof MapNode)) {
            problem(e.value().location(), c, key, "must be a map of keys (" + String.join(", ", allowed) + "), not "
                    + e.value().kind());
            return null;
        }
        MapNode m = (MapNode) e.value();
        checkKeys(m, allowed, c.child(key));
        return m;
    }

    private void checkKeys(MapNode m, List<String> allowed, Ctx c) {
        reportDuplicates(m, c);
        for (Entry e : m.entries()) {
            if (!allowed.contains(e.key())) {
                Optional<String> near = Suggestions.nearest(e.key(), allowed);
                String msg = "unknown key '" + e.key() + "'"
                        + near.map(n -> "; did you mean '" + n + "'?").orElse("")
                        + " Valid keys here: " + String.join(", ", allowed);
                problem(e.keyLocation(), c, e.key(), msg);
            }
        }
    }

    private void reportDuplicates(MapNode m, Ctx c) {
        for (Entry d : m.duplicates()) {
            Location first = m.entry(d.key()).map(Entry::keyLocation).orElse(m.location());
            problem(d.keyLocation(), c, d.key(), "the key '" + d.key() + "' appears twice in the same map (first at "
                    + first + "); keep one");
        }
    }

    private Optional<Scalar> scalar(Node n, Ctx c, String key) {
        if (!(n instanceof ScalarNode)) {
            problem(n.location(), c, key, "must be a single value, not " + n.kind());
            return Optional.empty();
        }
        ScalarNode s = (ScalarNode) n;
        if (s.isNull()) {
            return Optional.empty();
        }
        return substitute(s, c, key).map(t -> new Scalar(t, s.location(), s.type()));
    }

    private Optional<String> substitute(ScalarNode s, Ctx c, String key) {
        String text = s.text();
        if (text.indexOf('$') < 0) {
            return Optional.of(text);
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder sb = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            if (m.group().equals("$${")) {
                m.appendReplacement(sb, Matcher.quoteReplacement("${"));
                continue;
            }
            String var = m.group(1);
            String fallback = m.group(2);
            String value = VARIABLE_NAME.matcher(var).matches() ? env.get(var) : null;
            if (!VARIABLE_NAME.matcher(var).matches()) {
                problem(s.location(), c, key, "'${" + var + "}' is not a variable name; write ${NAME} with letters, "
                        + "digits and _ (or $${ for a literal ${)");
                ok = false;
            } else if (value == null && fallback == null) {
                problem(s.location(), c, key, "the environment variable " + var + " is not set (used as ${" + var
                        + "}); set it, or write ${" + var + ":-default}");
                ok = false;
            } else {
                m.appendReplacement(sb, Matcher.quoteReplacement(value != null ? value : fallback));
            }
        }
        m.appendTail(sb);
        return ok ? Optional.of(sb.toString()) : Optional.empty();
    }

    private void text(MapNode m, String key, Ctx c, boolean required, Consumer<Scalar> use) {
        Optional<Entry> e = m.entry(key);
        if (e.isEmpty() || isNull(e.get().value())) {
            if (required) {
                problem(e.map(x -> x.keyLocation()).orElse(m.location()), c, key, "missing '" + key + "'"
                        + requiredHint(c, key));
            }
            return;
        }
        scalar(e.get().value(), c, key).ifPresent(use);
    }

    private static String requiredHint(Ctx c, String key) {
        switch (c.prefix().replaceAll("\\[\\d+]", "") + "/" + key) {
            case "/table":
                return ": the table the view selects from";
            case "/key":
                return ": the field that identifies a row, e.g. key: id";
            case "/name":
                return ": every view needs a unique name";
            case "push/url":
                return ": where the rows are POSTed, e.g. http://127.0.0.1:9000/hook";
            case "push/stamp":
                return ": the date/time field set on the rows the receiver accepted";
            case "api.keys/key":
                return ": the secret the client sends in the Authorization header, e.g. ${PARTNER_KEY}";
            default:
                return "";
        }
    }

    private void integer(MapNode m, String key, Ctx c, int min, int max, java.util.function.IntConsumer use) {
        text(m, key, c, false, s -> {
            try {
                long v = Long.parseLong(s.text().strip());
                if (v < min || v > max) {
                    problem(s.at(), c, key, v + " is out of range; write a whole number from " + min
                            + (max == Integer.MAX_VALUE ? " up" : " to " + max));
                } else {
                    use.accept((int) v);
                }
            } catch (NumberFormatException e) {
                problem(s.at(), c, key, "'" + s.text() + "' is not a whole number");
            }
        });
    }

    private void bool(MapNode m, String key, Ctx c, Consumer<Boolean> use) {
        text(m, key, c, false, s -> {
            String t = s.text().strip().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                use.accept(t.equals("true"));
            } else {
                problem(s.at(), c, key, "'" + s.text() + "' is not true or false");
            }
        });
    }

    private void duration(MapNode m, String key, Ctx c, boolean positive, Consumer<Duration> use) {
        text(m, key, c, false, s -> {
            Optional<Duration> d = Durations.parse(s.text());
            if (d.isEmpty()) {
                String hint = s.type() == Node.ScalarType.INTEGER ? " (add a unit: " + s.text().strip() + "s or "
                        + s.text().strip() + "ms)" : "";
                problem(s.at(), c, key, "'" + s.text() + "' is not a duration" + hint + "; write " + Durations.EXAMPLES);
            } else if (positive && d.get().isZero()) {
                problem(s.at(), c, key, "must be more than zero; write " + Durations.EXAMPLES);
            } else {
                use.accept(d.get());
            }
        });
    }

    /** Reads a list of single values (a lone value counts as a list of one). */
    private void textList(Entry e, Ctx c, String key, Consumer<Scalar> use) {
        Node v = e.value();
        if (v instanceof ListNode) {
            for (Node item : ((ListNode) v).items()) {
                scalar(item, c, key).ifPresent(use);
            }
        } else {
            scalar(v, c, key).ifPresent(use);
        }
    }

    private interface IndexedScalar {
        void accept(Scalar s, int index);
    }

    private void optionalTextList(MapNode m, String key, Ctx c, String view, IndexedScalar use) {
        Optional<Entry> e = m.entry(key).filter(x -> !isNull(x.value()));
        if (e.isEmpty()) {
            return;
        }
        Node v = e.get().value();
        List<Node> items = v instanceof ListNode ? ((ListNode) v).items() : List.of(v);
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String k = v instanceof ListNode ? key + "[" + (i + 1) + "]" : key;
            locator.put(view, key + "[" + (i + 1) + "]", item.location());
            if (item instanceof MapNode || item instanceof ListNode) {
                problem(item.location(), c, k, "must be text, not " + item.kind()
                        + "; in YAML an expression that starts with '{' must be quoted: - \"{a} = true\"");
                continue;
            }
            int index = i + 1;
            scalar(item, c, k).ifPresent(s -> use.accept(s, index));
        }
    }

    private void expression(String view, String key, Scalar s) {
        int line = s.at().line();
        locator.putExpression(view, key, s.at(), s.text(), line >= 1 && line <= lines.length ? lines[line - 1] : null);
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode && ((ScalarNode) n).isNull();
    }

    private void problem(Location at, Ctx c, String key, String message) {
        problems.add(new ConfigProblem(at, c.view(), c.key(key), message, Optional.empty()));
    }

    private static String suggestion(String word, Set<String> candidates) {
        return Suggestions.nearest(word, candidates).map(n -> " (did you mean '" + n + "'?)").orElse("");
    }

    private static String quoted(Set<String> names) {
        List<String> q = new ArrayList<>();
        names.forEach(n -> q.add("'" + n + "'"));
        return String.join(", ", q);
    }

    /** A URL for messages: without credentials or query (they may carry secrets). */
    static String redactUrl(String url) {
        String s = url.replaceAll("(?<=://)[^/@]*@", "***@");
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q) + "?…";
    }

    /** A JDBC URL for messages: without password parameters. */
    static String redactJdbc(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(?<=://)[^/@]*@", "***@");
    }

    /** Keeps the order of a map's keys (for readers of {@link #ROOT_KEYS} etc.). */
    static Map<String, List<String>> keyReference() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("", ROOT_KEYS);
        m.put("database", DATABASE_KEYS);
        m.put("server", SERVER_KEYS);
        m.put("api", API_KEYS);
        m.put("api.keys[]", API_KEY_KEYS);
        m.put("views[]", VIEW_KEYS);
        m.put("views[].push", PUSH_KEYS);
        m.put("views[].push.retry", RETRY_KEYS);
        m.put("engine", ENGINE_KEYS);
        return m;
    }
}
