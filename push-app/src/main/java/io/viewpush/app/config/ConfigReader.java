package io.viewpush.app.config;

import io.viewpush.app.config.Node.Entry;
import io.viewpush.app.config.Node.ListNode;
import io.viewpush.app.config.Node.MapNode;
import io.viewpush.app.config.Node.ScalarNode;
import io.viewpush.push.InvalidOptionException;
import io.viewpush.http.transport.HttpPushTarget;
import io.viewpush.http.transport.RetrySettings;
import io.viewpush.push.PushPolicy;
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

/**
 * Turns the YAML tree into an {@link AppConfig}, collecting every problem with its place. Which keys
 * each map may hold, and how each value is read, checked and applied, is declared once in
 * {@link ConfigKeys}; this class walks the file, reads the sections through those declarations, and
 * holds the checks that span several keys.
 */
final class ConfigReader {
    /** The shortest API key accepted (the API server's rule too). */
    static final int MIN_API_KEY_LENGTH = ConfigKeys.MIN_API_KEY_LENGTH;

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$\\{|\\$\\{([^}:]*)(?::-([^}]*))?}");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String file;
    private final Path baseDir;
    private final Map<String, String> env;
    private final List<ConfigProblem> problems;
    private final Locator locator;
    private final List<ConfigWarning> warnings = new ArrayList<>();
    private final Set<String> viewNamesWritten = new LinkedHashSet<>();
    /** The HTTP transport's target of each view read so far, by view name (see {@link #push}). */
    private final Map<String, HttpPushTarget> httpTargets = new LinkedHashMap<>();
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
    record Ctx(Optional<String> view, String prefix) {
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
    record Scalar(String text, Location at, Node.ScalarType type) {
    }

    AppConfig read(Node root) {
        if (!(root instanceof MapNode)) {
            problem(root.location(), Ctx.ROOT, "", "the file must be a map of keys ("
                    + String.join(", ", ConfigKeys.FILE.names()) + "), not " + root.kind());
            return null;
        }
        MapNode m = (MapNode) root;
        checkKeys(m, ConfigKeys.FILE.names(), Ctx.ROOT);
        DatabaseConfig database = m.entry("database").filter(e -> !isNull(e.value()))
                .map(e -> database(e)).orElseGet(() -> DatabaseConfig.embedded(Optional.empty()));
        ServerConfig server = m.entry("server").filter(e -> !isNull(e.value()))
                .map(this::server).orElse(ServerConfig.DEFAULT);
        EngineConfig engine = m.entry("engine").filter(e -> !isNull(e.value()))
                .map(this::engine).orElse(EngineConfig.DEFAULT);
        List<ViewDefinition> views = views(m);
        List<ApiKeyConfig> keys = m.entry("api").filter(e -> !isNull(e.value()))
                .map(this::apiKeys).orElse(List.of());
        if (database == null || server == null || engine == null) {
            return null;
        }
        Map<String, HttpPushTarget> targets = new LinkedHashMap<>();
        views.forEach(v -> Optional.ofNullable(httpTargets.get(v.name())).ifPresent(t -> targets.put(v.name(), t)));
        AppConfig config = new AppConfig(file, database, server, keys, views, targets, engine, locator, warnings);
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
        MapNode m = map(section, Ctx.ROOT, "database", ConfigKeys.DATABASE.names());
        if (m == null) {
            return null;
        }
        ConfigKeys.DatabaseDraft d = new ConfigKeys.DatabaseDraft();
        ConfigKeys.DATABASE.read(this, m, c, d);
        boolean hasUrl = m.entry("url").filter(e -> !isNull(e.value())).isPresent();
        if (!hasUrl) {
            if (m.entry("user").isPresent() || m.entry("password").isPresent()) {
                problem(section.keyLocation(), c, "url", "database.user and database.password need database.url; "
                        + "without a url ViewPush uses its embedded PostgreSQL under ./" + DatabaseConfig.EMBEDDED_DIRECTORY);
            }
            DatabaseConfig e = DatabaseConfig.embedded(Optional.ofNullable(d.init));
            return new DatabaseConfig(e.url(), e.user(), e.password(), e.init(), d.poolSize, true,
                    Optional.ofNullable(d.timeZone), d.stampAhead);
        }
        if (d.url == null) {
            return null;
        }
        return new DatabaseConfig(d.url, Optional.ofNullable(d.user), Optional.ofNullable(d.password),
                Optional.ofNullable(d.init), d.poolSize, false, Optional.ofNullable(d.timeZone), d.stampAhead);
    }

    /** @return the file {@code database.init} names, or null after reporting why it cannot be used */
    Path initFile(ConfigKey.Found v) {
        return ConfigKeys.initFile(baseDir, v);
    }

    private ServerConfig server(Entry section) {
        MapNode m = map(section, Ctx.ROOT, "server", ConfigKeys.SERVER.names());
        if (m == null) {
            return null;
        }
        ConfigKeys.ServerDraft d = new ConfigKeys.ServerDraft();
        ConfigKeys.SERVER.read(this, m, Ctx.ROOT.child("server"), d);
        return d.build();
    }

    private EngineConfig engine(Entry section) {
        MapNode m = map(section, Ctx.ROOT, "engine", ConfigKeys.ENGINE.names());
        if (m == null) {
            return null;
        }
        ConfigKeys.EngineDraft d = new ConfigKeys.EngineDraft();
        ConfigKeys.ENGINE.read(this, m, Ctx.ROOT.child("engine"), d);
        return d.build();
    }

    private List<ApiKeyConfig> apiKeys(Entry section) {
        MapNode m = map(section, Ctx.ROOT, "api", ConfigKeys.API.names());
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
                problem(item.location(), Ctx.ROOT, c.prefix(), "each API key must be a map with "
                        + words(ConfigKeys.API_KEY.names()) + ", not " + item.kind());
                continue;
            }
            MapNode k = (MapNode) item;
            checkKeys(k, ConfigKeys.API_KEY.names(), c);
            ConfigKeys.ApiKeyDraft d = new ConfigKeys.ApiKeyDraft(names, secrets);
            ConfigKeys.API_KEY.read(this, k, c, d);
            if (d.name != null && d.key != null) {
                out.add(new ApiKeyConfig(d.name, d.key, d.views, d.admin));
            }
        }
        return out;
    }

    /** {@code api.keys[].views}: views that exist, or {@code '*'}. */
    void apiKeyViews(MapNode k, Ctx c, ConfigKeys.ApiKeyDraft d) {
        Optional<Entry> vs = k.entry("views");
        if (vs.isEmpty() || isNull(vs.get().value())) {
            problem(k.location(), c, "views", "missing 'views': the views this key may use, e.g. [orders to push]"
                    + " or ['*'] for all");
            return;
        }
        textList(vs.get(), c, "views", s -> {
            if (!s.text().equals(ApiKeyConfig.ALL_VIEWS) && !viewNamesWritten.contains(s.text())) {
                problem(s.at(), c, "views", "there is no view named '" + s.text() + "'"
                        + suggestion(s.text(), viewNamesWritten) + "; the views are " + quoted(viewNamesWritten)
                        + " or '*' for all");
            } else {
                d.views.add(s.text());
            }
        });
        if (vs.get().value() instanceof ListNode && ((ListNode) vs.get().value()).items().isEmpty()) {
            problem(vs.get().value().location(), c, "views", "the list is empty: name the views this key may use, "
                    + "or ['*'] for all");
        }
    }

    /** "a, b, c and d" */
    private static String words(List<String> names) {
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
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
        ConfigKeys.ViewDraft d = new ConfigKeys.ViewDraft();
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
                d.name = s.text();
            }
        });
        if (d.name == null) {
            // unknown keys and expression problems are still reported, under a stand-in name
            d.name = "#" + index;
        }
        String name = d.name;
        Ctx c = Ctx.view(name, "");
        locator.put(name, "", m.location());
        m.entries().forEach(e -> locator.put(name, e.key(), e.keyLocation()));
        checkKeys(m, ConfigKeys.VIEW.names(), c);
        int before = problems.size();
        ConfigKeys.VIEW.read(this, m, c, d, "name");
        try {
            ViewDefinition v = d.builder().build();
            return problems.size() > before || d.policyBroken ? Optional.empty() : Optional.of(v);
        } catch (InvalidViewException ex) {
            for (Problem p : ex.problems()) {
                if (isDuplicateOfReaderProblem(p, d.table, d.keys.isEmpty() ? null : d.keys.get(0), name)) {
                    continue;
                }
                problems.add(locate(name, p));
            }
            return Optional.empty();
        }
    }

    /** {@code filters}: expressions, each placed for the messages about it. */
    void viewFilters(MapNode m, Ctx c, ConfigKeys.ViewDraft d) {
        optionalTextList(m, "filters", c, d.name, (s, i) -> {
            locator.put(d.name, "filters[" + i + "]", s.at());
            expression(d.name, "filters[" + i + "]", s);
            d.apply(b -> b.filter(s.text()));
        });
    }

    /** {@code writable}: field names. */
    void viewWritable(MapNode m, Ctx c, ConfigKeys.ViewDraft d) {
        optionalTextList(m, "writable", c, d.name, (s, i) -> d.apply(b -> b.writable(s.text())));
    }

    /** {@code push}: the view's push policy, if it has one. */
    void viewPush(MapNode m, Ctx c, ConfigKeys.ViewDraft d) {
        m.entry("push").filter(e -> !isNull(e.value())).ifPresent(e -> {
            int p0 = problems.size();
            d.policy = push(e, c, d.name);
            d.policyBroken = problems.size() > p0;
        });
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

    /** {@code fields}: a map of field name to column, or a list of columns. */
    void viewFields(MapNode m, Ctx c, ConfigKeys.ViewDraft d) {
        String view = d.name;
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
                    d.apply(b -> b.field(f.key(), f.key()));
                } else {
                    scalar(f.value(), c, "fields." + f.key()).ifPresent(s -> d.apply(b -> b.field(f.key(),
                            s.text().isBlank() ? f.key() : s.text())));
                }
            }
        } else if (v instanceof ListNode) {
            for (Node item : ((ListNode) v).items()) {
                scalar(item, c, "fields").ifPresent(s -> {
                    locator.put(view, "fields." + s.text(), s.at());
                    d.apply(b -> b.field(s.text(), s.text()));
                });
            }
        } else {
            problem(v.location(), c, "fields", "must be a map of field name -> column (or a list of columns), not "
                    + v.kind());
        }
    }

    /** {@code calculations}: a map of field name to expression. */
    void viewCalculations(MapNode m, Ctx c, ConfigKeys.ViewDraft d) {
        String view = d.name;
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
                d.apply(b -> b.calculation(calc.key(), s.text()));
            }, () -> d.apply(b -> b.calculation(calc.key(), "")));
        }
    }

    /**
     * Warns about a signing secret without the {@code whsec_} prefix: ViewPush signs with its UTF-8 bytes, while
     * the Standard Webhooks libraries base64-decode every secret. Never names the secret or any part of it.
     */
    void warnUnlessStandard(Scalar secret, String view, String key) {
        if (secret.text().isEmpty() || secret.text().startsWith(ConfigKeys.WHSEC_PREFIX)) {
            return;
        }
        warnings.add(new ConfigWarning(ConfigWarning.Code.SECRET_WITHOUT_WHSEC_PREFIX, ConfigProblem.inView(
                secret.at(), view, key, "the secret does not start with " + ConfigKeys.WHSEC_PREFIX + ", so requests are "
                        + "signed with its UTF-8 bytes; receivers that verify with the Standard Webhooks libraries "
                        + "base64-decode every secret and will not verify these signatures. Use " + ConfigKeys.WHSEC_PREFIX
                        + " followed by the base64 of random bytes, e.g. echo \"whsec_$(head -c 32 /dev/urandom | base64)\", "
                        + "and give receivers the same secret")));
    }

    /**
     * Reads a view's {@code push} section: the one place where its keys are mapped to what every
     * transport shares (the {@link PushPolicy}: stamp, modified, minInterval, maxRows, backoff) and
     * to what is HTTP's (the view's {@link HttpPushTarget}: url, format, success, timeout, secrets,
     * retry, kept in {@link #httpTargets}).
     */
    private PushPolicy push(Entry section, Ctx viewCtx, String view) {
        MapNode m = map(section, viewCtx, "push", ConfigKeys.PUSH.names());
        if (m == null) {
            return null;
        }
        Ctx c = viewCtx.child("push");
        m.entries().forEach(e -> locator.put(view, "push." + e.key(), e.value().location()));
        ConfigKeys.PushDraft d = new ConfigKeys.PushDraft(view);
        ConfigKeys.PUSH.read(this, m, c, d);
        for (String secret : d.secrets) {
            if (secret.isEmpty()) {
                problem(m.entry(m.entry("secret").isPresent() ? "secret" : "secrets").get().value().location(), c,
                        "secret", "the secret is empty; remove the key for unsigned requests");
            }
        }
        if (d.stamp == null) {
            return null;
        }
        // a missing or bad url is reported already; one that cannot be sent to lets the builder report the rest
        URI url = d.url != null ? d.url : URI.create("http://url.is.missing.invalid/");
        try {
            PushPolicy policy = d.builder().build();
            HttpPushTarget target = d.httpBuilder(url).build();
            if (d.url != null) {
                httpTargets.put(view, target);
            }
            return policy;
        } catch (InvalidOptionException e) {
            // the policy's option, named as the YAML names it, in front of the policy's words
            String key = ConfigKeys.PUSH.keyForOption(e.option()).map(ConfigKey::name).orElse(e.option());
            Location at = m.entry(key).map(x -> x.value().location()).orElse(m.location());
            problem(at, c, key, "push." + key + " " + e.problem());
            return null;
        } catch (IllegalArgumentException e) {
            problem(m.location(), c, "", e.getMessage());
            return null;
        }
    }

    /** {@code push.secrets}: several secrets (or one), instead of {@code secret}. */
    void pushSecrets(MapNode m, Ctx c, ConfigKeys.PushDraft d) {
        String view = d.view;
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
                        d.secrets.add(s.text());
                        warnUnlessStandard(s, view, key);
                    });
                }
            } else {
                scalar(e.value(), c, "secrets").ifPresent(s -> {
                    d.secrets.add(s.text());
                    warnUnlessStandard(s, view, "push.secrets");
                });
            }
        });
    }

    /** {@code push.retry}: how one request is retried. */
    void pushRetry(MapNode m, Ctx c, ConfigKeys.PushDraft d) {
        m.entry("retry").filter(e -> !isNull(e.value())).ifPresent(e -> {
            RetrySettings r = retry(e, c);
            if (r != null) {
                d.http(b -> b.retry(r));
            }
        });
    }

    /** {@code push.url}: an http(s) URL with a host, or null after reporting why not. */
    URI pushUrl(ConfigKey.Found v) {
        return url(v.scalar(), v.ctx());
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
        MapNode m = map(section, pushCtx, "retry", ConfigKeys.RETRY.names());
        if (m == null) {
            return null;
        }
        Ctx c = pushCtx.child("retry");
        ConfigKeys.RetryDraft d = new ConfigKeys.RetryDraft();
        int before = problems.size();
        ConfigKeys.RETRY.read(this, m, c, d);
        if (problems.size() > before) {
            return null;
        }
        if (d.maxBackoff.compareTo(d.initialBackoff) < 0) {
            if (m.entry("maxBackoff").isPresent()) {
                problem(m.entry("maxBackoff").get().value().location(), c, "maxBackoff", "must not be less than "
                        + "initialBackoff (" + Durations.format(d.initialBackoff) + ")");
                return null;
            }
            d.maxBackoff = d.initialBackoff;
        }
        return new RetrySettings(d.attempts, d.initialBackoff, d.maxBackoff, d.maxRetryAfter);
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

    void text(MapNode m, String key, Ctx c, boolean required, Consumer<Scalar> use) {
        Optional<Entry> e = m.entry(key);
        if (e.isEmpty() || isNull(e.get().value())) {
            if (required) {
                problem(e.map(x -> x.keyLocation()).orElse(m.location()), c, key, "missing '" + key + "'");
            }
            return;
        }
        scalar(e.get().value(), c, key).ifPresent(use);
    }

    void integer(MapNode m, String key, Ctx c, int min, int max, java.util.function.IntConsumer use) {
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

    void bool(MapNode m, String key, Ctx c, Consumer<Boolean> use) {
        text(m, key, c, false, s -> {
            String t = s.text().strip().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                use.accept(t.equals("true"));
            } else {
                problem(s.at(), c, key, "'" + s.text() + "' is not true or false");
            }
        });
    }

    /**
     * {@code push.pauseAfter}: pause a view whose pushes have all failed this long (a duration more
     * than zero); {@code off}, or no key, never pauses for failures.
     */
    void pushPauseAfter(MapNode m, Ctx c, ConfigKeys.PushDraft d) {
        text(m, "pauseAfter", c, false, s -> {
            if (s.text().strip().equalsIgnoreCase("off")) {
                d.apply(b -> b.pauseAfter(null));
                return;
            }
            Optional<Duration> p = Durations.parse(s.text());
            if (p.isEmpty() || p.get().isZero()) {
                problem(s.at(), c, "pauseAfter", "'" + s.text() + "' is not a time to pause after; write a duration"
                        + " more than zero such as 24h (or off, the default: never pause for failures)");
            } else {
                d.apply(b -> b.pauseAfter(p.get()));
            }
        });
    }

    /** {@code key}: one field, or a composite key as a list of fields in key order. */
    void viewKey(MapNode m, Ctx c, ConfigKeys.ViewDraft d) {
        d.keys = keyFields(m, c, d.name);
    }

    void duration(MapNode m, String key, Ctx c, boolean positive, Consumer<Duration> use) {
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

    /**
     * A view's {@code key}: one field ({@code key: id}) or a composite key, a list of fields in key
     * order ({@code key: [actor_id, film_id]}); empty when missing or broken (the problem reported).
     */
    private List<String> keyFields(MapNode m, Ctx c, String view) {
        Optional<Entry> e = m.entry("key").filter(x -> !isNull(x.value()));
        if (e.isEmpty() || !(e.get().value() instanceof ListNode)) {
            List<String> one = new ArrayList<>();
            text(m, "key", c, true, s -> one.add(s.text()));
            return one;
        }
        List<Node> items = ((ListNode) e.get().value()).items();
        if (items.isEmpty()) {
            problem(e.get().value().location(), c, "key", "the key list is empty: name the field that identifies a row"
                    + " (key: id), or the fields that do together (key: [actor_id, film_id])");
            return List.of();
        }
        List<String> fields = new ArrayList<>();
        boolean broken = false;
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String k = "key[" + (i + 1) + "]";
            locator.put(view, k, item.location());
            Optional<Scalar> s = scalar(item, c, k);
            if (s.isEmpty()) {
                if (isNull(item)) {
                    problem(item.location(), c, k, "a key field must not be empty");
                }
                broken = true;
            } else {
                fields.add(s.get().text());
            }
        }
        return broken ? List.of() : fields;
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

    static boolean isNull(Node n) {
        return n instanceof ScalarNode && ((ScalarNode) n).isNull();
    }

    void problem(Location at, Ctx c, String key, String message) {
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

    /** @return every map's keys, by the map's path ({@code ""} for the file's own), from {@link ConfigKeys} */
    static Map<String, List<String>> keyReference() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        ConfigKeys.sections().forEach((path, section) -> m.put(path, section.names()));
        return m;
    }
}
