package io.viewpush.app.config;

import io.viewpush.http.transport.HttpPushTarget;
import io.viewpush.view.Problem;
import io.viewpush.view.ViewDefinition;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A valid config file, read by {@link ConfigLoader}: the database, the API server and its keys, the
 * views, where the HTTP transport pushes each of them, and the engine's settings. Remembers where each view's keys were written, so that
 * problems found later (by the database, in {@code check} or at start-up) name the line too
 * ({@link #locate(Problem)}).
 */
public final class AppConfig {
    private final String fileName;
    private final DatabaseConfig database;
    private final ServerConfig server;
    private final List<ApiKeyConfig> apiKeys;
    private final List<ViewDefinition> views;
    private final Map<String, HttpPushTarget> httpTargets;
    private final EngineConfig engine;
    private final Locator locator;
    private final List<ConfigWarning> warnings;

    AppConfig(String fileName, DatabaseConfig database, ServerConfig server, List<ApiKeyConfig> apiKeys,
              List<ViewDefinition> views, Map<String, HttpPushTarget> httpTargets, EngineConfig engine, Locator locator,
              List<ConfigWarning> warnings) {
        this.fileName = Objects.requireNonNull(fileName, "fileName");
        this.database = Objects.requireNonNull(database, "database");
        this.server = Objects.requireNonNull(server, "server");
        this.apiKeys = List.copyOf(apiKeys);
        this.views = List.copyOf(views);
        this.httpTargets = Map.copyOf(httpTargets);
        this.engine = Objects.requireNonNull(engine, "engine");
        this.locator = locator;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * A config built in code (the demo's, a test's): problems are placed at {@code source}.
     *
     * @param source      a name for messages, e.g. {@code demo}
     * @param httpTargets where the HTTP transport pushes each view with a push policy, by view name
     */
    public static AppConfig of(String source, DatabaseConfig database, ServerConfig server, List<ApiKeyConfig> apiKeys,
                               List<ViewDefinition> views, Map<String, HttpPushTarget> httpTargets, EngineConfig engine) {
        return new AppConfig(source, database, server, apiKeys, views, httpTargets, engine, new Locator(source), List.of());
    }

    /** @return the config file's name as given (for messages) */
    public String fileName() {
        return fileName;
    }

    /** @return the database: the {@code database} section, or the embedded default */
    public DatabaseConfig database() {
        return database;
    }

    /** @return the API server's address */
    public ServerConfig server() {
        return server;
    }

    /** @return the API keys, in file order */
    public List<ApiKeyConfig> apiKeys() {
        return apiKeys;
    }

    /** @return the views, in file order */
    public List<ViewDefinition> views() {
        return views;
    }

    /** @return the view of that name */
    public Optional<ViewDefinition> view(String name) {
        return views.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /**
     * @return where the HTTP transport pushes each view with a push policy ({@code push.url},
     *         {@code push.format}, {@code push.success}, {@code push.timeout}, {@code push.secret(s)},
     *         {@code push.retry}), by view name
     */
    public Map<String, HttpPushTarget> httpTargets() {
        return httpTargets;
    }

    /** @return the HTTP target of the view of that name, if it pushes */
    public Optional<HttpPushTarget> httpTarget(String view) {
        return Optional.ofNullable(httpTargets.get(view));
    }

    /**
     * @return what the file itself gives reason to warn about (a signing secret receivers cannot verify), in file
     *         order; the config is valid all the same
     */
    public List<ConfigWarning> warnings() {
        return warnings;
    }

    /** @return the engine's settings */
    public EngineConfig engine() {
        return engine;
    }

    /** @return a copy with another database (the demo and tests point a config elsewhere) */
    public AppConfig withDatabase(DatabaseConfig value) {
        return new AppConfig(fileName, value, server, apiKeys, views, httpTargets, engine, locator, warnings);
    }

    /** @return a copy with another server address */
    public AppConfig withServer(ServerConfig value) {
        return new AppConfig(fileName, database, value, apiKeys, views, httpTargets, engine, locator, warnings);
    }

    /**
     * Places a problem the domain found (view + key + position) in the file.
     *
     * @return the problem with the file, line and column of the key it names
     */
    public ConfigProblem locate(Problem problem) {
        Location at = locator.locate(problem.view(), problem.key(), problem.position());
        return new ConfigProblem(at, problem.view().isEmpty() ? Optional.empty() : Optional.of(problem.view()),
                problem.key(), problem.message(), problem.position());
    }

    /** @return a problem about a whole view (or, with a key, one of its keys), placed in the file */
    public ConfigProblem locate(String view, String key, String message) {
        return locate(Problem.of(view, key, message));
    }

    /** @return the location used for problems about the whole file */
    public Location fileLocation() {
        return Location.of(fileName);
    }
}
