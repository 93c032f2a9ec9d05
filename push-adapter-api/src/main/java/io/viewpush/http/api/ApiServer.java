package io.viewpush.http.api;

import io.viewpush.engine.ViewPush;
import org.apache.hc.core5.http.ContentType;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP API (README, "The HTTP API"), served from a {@link ViewPush} engine: pull a view, write
 * receipts back, push now, read the journal, and a health check.
 *
 * <pre>{@code
 * try (ApiServer api = ApiServer.builder(engine)
 *         .port(8080)
 *         .key(new ApiKey("partner-a", System.getenv("PARTNER_A_KEY"), List.of("orders to push"), false))
 *         .build()
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <h2>Endpoints</h2>
 * <table>
 *   <caption>what each endpoint answers</caption>
 *   <tr><th>method and path</th><th>answers</th></tr>
 *   <tr><td>{@code GET /api/views}</td><td>200: the views the key may see, each with {@code name},
 *       {@code table}, {@code key}, {@code fields} ({@code name}, {@code type}), {@code writable},
 *       {@code pushable}, {@code lastStart}, {@code lastSuccess}, {@code lastFailure},
 *       {@code lastFailureReason}, {@code consecutiveFailures}, {@code nextDue}, {@code pushing}</td></tr>
 *   <tr><td>{@code GET /api/views/{view}}</td><td>200: the view's rows as a JSON array, the very
 *       objects a push sends (same writer), streamed in key order with chunked encoding and constant
 *       memory. Optional {@code limit} (a whole number, 1 or more) and {@code after} (a key, in the
 *       key field's type: a number, text, {@code true}/{@code false}, ISO date or date-time): the
 *       next page starts after the last key of the previous one. A bad value is a 400 naming the
 *       parameter.</td></tr>
 *   <tr><td>{@code PATCH /api/views/{view}/rows/{key}}</td><td>body
 *       ({@code application/json} or {@code application/merge-patch+json}, UTF-8, else 415) a JSON
 *       object of writable field to value: a string for text, ISO dates and date-times (with an
 *       offset exactly when the field has a time zone); a number (kept exact) for numbers;
 *       {@code true}/{@code false}; {@code null} for empty. 200 with the row after the update (one
 *       element of the pull's array), also when the update took it out of the view; 404 when no row
 *       with that key is in the view at that moment (also when the key is not a value of the key
 *       field's type), so repeating an update that took the row out is a harmless 404; 400 naming
 *       the field that is unknown, not writable or ill-typed.</td></tr>
 *   <tr><td>{@code POST /api/views/{view}/push}</td><td>admin keys only (else 403): pushes now,
 *       ignoring the minimum interval, and answers 200 with the attempt ({@code view},
 *       {@code trigger}, {@code status} one of {@code success}, {@code nothing_to_send},
 *       {@code failed}, {@code partial}, {@code skipped}; {@code rowsSent}, {@code rowsStamped},
 *       {@code rowsSkipped}, {@code batches}, {@code bytes}, {@code httpStatus}, {@code reason},
 *       {@code startedAt}, {@code finishedAt}, {@code durationMs}, {@code webhookIds}) whatever
 *       the receiver said. A pull-only view answers <b>409</b> {@code not_pushable}: the view
 *       exists (so not 404) but has nothing to push to. 503 while the engine stops.</td></tr>
 *   <tr><td>{@code GET /api/views/{view}/pushes}</td><td>admin keys only: the most recent attempts,
 *       newest first; {@code limit} 1 to {@value #MAX_PUSHES_LIMIT}, default
 *       {@value #DEFAULT_PUSHES_LIMIT}.</td></tr>
 *   <tr><td>{@code GET /api/me}</td><td>200: the key's {@code name}, {@code admin} and the
 *       {@code views} it may see.</td></tr>
 *   <tr><td>{@code GET /api/views/{view}/definition}</td><td>200: the view as configured
 *       ({@code fields}, {@code calculations}, {@code filters}, {@code push}); the push URL,
 *       redacted, only for admin keys; never a secret.</td></tr>
 *   <tr><td>{@code GET /api/views/{view}/waiting}</td><td>200: {@code rows} waiting, counted up
 *       to a bound ({@code more} beyond it) and served for a few seconds.</td></tr>
 *   <tr><td>{@code GET /console/}</td><td>the web console's page (and its script and style
 *       sheet): static, no key; it asks for one and calls the API with it
 *       ({@link Builder#console(boolean)}).</td></tr>
 *   <tr><td>{@code GET /health}</td><td>no key: 200 {@code {"status":"ok"}} when the engine's store
 *       answers, else 503. {@code HEAD /health} answers the same without a body.</td></tr>
 * </table>
 * Plus the {@linkplain Builder#textRoute extra routes} the host adds (e.g. {@code GET /metrics}).
 *
 * <h2>Keys</h2>
 * Every {@code /api} request needs a key in the {@code Authorization} header, as
 * {@code Bearer <key>} or bare; a key in the query string ({@code ?key=}, {@code ?api_key=},
 * {@code ?token=}, ...) is never looked at. Missing or unknown key: 401 (with
 * {@code WWW-Authenticate: Bearer}). A key that may not see a view gets 403 for it, and gets the
 * very same 403 for a view that does not exist, so a key cannot learn which views exist; a key that
 * sees every view gets 404 for an unknown view. Keys are kept only as SHA-256 hashes and compared
 * in constant time; neither keys nor the {@code Authorization} header are ever logged.
 *
 * <h2>Errors</h2>
 * Every error is {@code {"error": code, "detail": sentence}} with: 400 {@code bad_request},
 * {@code bad_parameter}, {@code malformed_json}, {@code unknown_field}, {@code not_writable},
 * {@code invalid_value}; 401 {@code unauthorized}; 403 {@code forbidden}; 404 {@code not_found}
 * (route, view or row); 405 {@code method_not_allowed} (with {@code Allow}); 409
 * {@code not_pushable}; 413 {@code payload_too_large}; 415 {@code unsupported_media_type}; 500
 * {@code internal_error}, whose detail is only a reference to the log entry (never a stack trace,
 * SQL or class name); 503 {@code unavailable} (the engine is stopping, or the database did not
 * answer: then with {@code Retry-After}). View names in paths are URL-encoded
 * ({@code orders%20to%20push}) and decoded exactly once, per segment, after the path is split, so
 * {@code ..}, {@code %2F} and double encoding never reach another view or route. A request that is
 * HTTP but not valid HTTP/1.1 (no {@code Host} header, or two) is a JSON 400 {@code bad_request}
 * too, as is a request head over 8 KiB (431 {@code header_too_large}); a request whose body did
 * not arrive in time is a 408 {@code request_timeout}.
 *
 * <h2>Server</h2>
 * An embedded Jetty 12 server: a maintained server rather than socket code of our own. Its limits:
 * at most {@link Builder#workerThreads(int)} requests do their work (ask the engine) at once, more
 * wait without a thread (at most {@link Builder#backlog(int)}, beyond that 503 with
 * {@code Retry-After}); at most {@link Builder#maxConnections(int)} connections are open; a request
 * head must arrive within {@link Builder#headerTimeout(Duration)} of its first byte and a body within
 * {@link Builder#bodyTimeout(Duration)} of its head (else 408 and the connection is closed), whatever
 * the client does; a request head is at most 8 KiB; a body is read only once the key and the route
 * are accepted (so {@code 100 Continue} is sent only then), and a body that is not read is never
 * drained: its answer carries {@code Connection: close}. At most {@link Builder#maxPulls(int)} pulls
 * stream at once (each holds a database connection; beyond: 503 with {@code Retry-After}), so pulls
 * never take every connection from pushes and {@code /health}; a client that stops reading its
 * response is cut after {@link Builder#writeTimeout(Duration)}, which releases its cursor. Errors
 * Jetty answers itself (not HTTP/1.1, a head too large) are JSON too. {@link #handler()} gives the
 * API as a Jetty {@code Handler} for a host's own server. Thread-safe.
 */
public interface ApiServer extends AutoCloseable {
    /**
     * Default {@link Builder#bindAddress(String)}: {@code 127.0.0.1}, only this machine. Keys travel
     * in clear text over plain HTTP, so the API is meant to sit behind a TLS reverse proxy on the same
     * host; bind {@code 0.0.0.0} (or a specific interface) to serve other machines directly.
     */
    String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Default {@link Builder#port(int)}: 8080. */
    int DEFAULT_PORT = 8080;
    /** Default {@link Builder#workerThreads(int)}: 16 connections are served at once. */
    int DEFAULT_WORKER_THREADS = 16;
    /** Default {@link Builder#maxBodyBytes(int)}: 1 MiB. */
    int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** Default {@link Builder#headerTimeout(Duration)}: 10 seconds for a whole request head. */
    Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link Builder#idleTimeout(Duration)}: 30 seconds of silence. */
    Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link Builder#shutdownTimeout(Duration)}: 10 seconds for requests in flight on close. */
    Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link Builder#backlog(int)}: 64 requests may wait for a worker. */
    int DEFAULT_BACKLOG = 64;
    /** Default {@link Builder#maxConnections(int)}: 512 connections open at once. */
    int DEFAULT_MAX_CONNECTIONS = 512;
    /** Default {@link Builder#maxPulls(int)}: 4 pulls stream at once. */
    int DEFAULT_MAX_PULLS = 4;
    /** Default {@link Builder#bodyTimeout(Duration)}: 10 seconds for a whole request body. */
    Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link Builder#writeTimeout(Duration)}: 5 seconds for a client that does not read its pull. */
    Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@code limit} of {@code GET /api/views/{view}/pushes}. */
    int DEFAULT_PUSHES_LIMIT = 50;
    /** Largest {@code limit} of {@code GET /api/views/{view}/pushes}. */
    int MAX_PUSHES_LIMIT = 1000;

    /**
     * @param engine the engine whose views are served (the server never closes it)
     * @return a builder; {@link Builder#build()} names the first bad option
     */
    static Builder builder(ViewPush engine) {
        return new Builder(engine);
    }

    /**
     * Binds the address and starts serving; idempotent while running.
     *
     * @return this server
     * @throws ApiServerException   when the address cannot be bound (in use, not local, ...)
     * @throws IllegalStateException when the server was closed
     */
    ApiServer start();

    /**
     * @return the port in use (the one picked when {@link Builder#port(int)} was 0)
     * @throws IllegalStateException before {@link #start()}
     */
    int port();

    /**
     * @return the address and port in use
     * @throws IllegalStateException before {@link #start()}
     */
    InetSocketAddress address();

    /**
     * The API as a Jetty {@code Handler}, for a host that mounts it in its own Jetty 12 server (for
     * example under a {@code ContextHandler} at {@code /viewpush}; paths are then relative to the
     * context). The same routes, keys, body limit and timeout, worker and pull bounds apply; the
     * connection limits (header and idle timeouts, connections, head size, error pages) are the
     * host's connector's (with Jetty's default URI compliance, a view name holding an encoded
     * {@code /} is refused before it reaches the API). Needs no {@link #start()}; the same handler
     * on every call.
     *
     * @return the handler
     */
    org.eclipse.jetty.server.Handler handler();

    /**
     * Stops gracefully: no new connection is accepted, idle connections are closed, and requests in
     * flight may finish within {@link Builder#shutdownTimeout(Duration)}; connections still open then
     * are cut. Idempotent. Does not close the engine.
     */
    @Override
    void close();

    /** Who may call an {@linkplain Builder#textRoute extra route}. */
    enum Access {
        /** Anyone, without a key (like {@code /health}). */
        PUBLIC,
        /** Any configured key. */
        ANY_KEY,
        /** Admin keys only. */
        ADMIN
    }

    /** Builds an {@link ApiServer}. Not thread-safe. */
    final class Builder {
        private final ViewPush engine;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port = DEFAULT_PORT;
        private final List<KeyRing.Entry> keys = new ArrayList<>();
        private final List<String> keyProblems = new ArrayList<>();
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private int backlog = DEFAULT_BACKLOG;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxPulls = DEFAULT_MAX_PULLS;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private final Map<String, byte[]> routeKeys = new LinkedHashMap<>();
        private final Map<String, TextRoute> routes = new LinkedHashMap<>();
        private final List<String> routeProblems = new ArrayList<>();
        private boolean console = true;

        Builder(ViewPush engine) {
            this.engine = engine;
        }

        /**
         * @param value the interface to listen on, as an IP literal or host name; default
         *              {@link #DEFAULT_BIND_ADDRESS} ({@code 0.0.0.0} for every interface)
         */
        public Builder bindAddress(String value) {
            this.bindAddress = value;
            return this;
        }

        /** @param value the port, 0 for a free one ({@link ApiServer#port()} tells which); default {@link #DEFAULT_PORT} */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /**
         * Adds a key. Its secret is hashed (SHA-256) at once; neither the record nor the key is kept.
         * Checked by {@link #build()}: a non-blank unique name, a key of at least
         * {@link ApiKey#MIN_KEY_LENGTH} visible ASCII characters used by no other entry, and views that
         * exist (or {@code *}). Without any key every {@code /api} request is refused with 401.
         */
        public Builder key(ApiKey value) {
            Objects.requireNonNull(value, "key");
            String name = value.name();
            String label = "api key '" + name + "'";
            if (name.isBlank()) {
                keyProblems.add("an api key has a blank name");
            }
            KeyRing.problemWith(value.key()).ifPresent(p -> keyProblems.add(label + ": " + p));
            if (value.views().isEmpty()) {
                keyProblems.add(label + ": views is empty; list the views it may see, or '" + ApiKey.ALL_VIEWS + "'");
            }
            Set<String> views = new HashSet<>(value.views());
            boolean all = views.remove(ApiKey.ALL_VIEWS);
            keys.add(new KeyRing.Entry(name, KeyRing.sha256(value.key()), all, views, value.admin()));
            return this;
        }

        /** Adds several keys (see {@link #key(ApiKey)}). */
        public Builder keys(Collection<ApiKey> values) {
            values.forEach(this::key);
            return this;
        }

        /**
         * @param value how many requests do their work (ask the engine) at once; more wait, holding
         *              no thread, in the {@linkplain #backlog(int) backlog}. A request still arriving
         *              (head or body) holds none. 1 to 1024; default {@link #DEFAULT_WORKER_THREADS}
         */
        public Builder workerThreads(int value) {
            this.workerThreads = value;
            return this;
        }

        /** @param value the largest request body accepted (larger: 413), 1 byte to 64 MiB; default {@link #DEFAULT_MAX_BODY_BYTES} */
        public Builder maxBodyBytes(int value) {
            this.maxBodyBytes = value;
            return this;
        }

        /**
         * @param value once a request head has started to arrive, the time it may take to arrive
         *              whole; default {@link #DEFAULT_HEADER_TIMEOUT}
         */
        public Builder headerTimeout(Duration value) {
            this.headerTimeout = value;
            return this;
        }

        /**
         * @param value the longest silence on a connection: while reading a request, while a client
         *              does not read a response (a pull: at most {@link #writeTimeout(Duration)}), and
         *              between two requests of a kept-alive connection; default {@link #DEFAULT_IDLE_TIMEOUT}
         */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        /** @param value how long {@link ApiServer#close()} lets requests in flight finish (0 cuts them); default {@link #DEFAULT_SHUTDOWN_TIMEOUT} */
        public Builder shutdownTimeout(Duration value) {
            this.shutdownTimeout = value;
            return this;
        }

        /**
         * @param value requests that may wait for a worker (beyond them: 503 with {@code Retry-After});
         *              also the kernel's queue of connections not yet accepted; default {@link #DEFAULT_BACKLOG}
         */
        public Builder backlog(int value) {
            this.backlog = value;
            return this;
        }

        /**
         * @param value connections open at once; the next one waits to be accepted until one
         *              closes. 1 to 65536; default {@link #DEFAULT_MAX_CONNECTIONS}
         */
        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        /**
         * @param value pulls ({@code GET /api/views/{view}}) that stream at once, each holding a
         *              database connection while it does: keep it below the pool's size so pushes and
         *              {@code /health} always get one. A pull beyond it is answered 503 with
         *              {@code Retry-After} at once (not queued: a client retries in a second). One
         *              key streams at most {@code value - 1} of them (1 when the bound is 1), so
         *              that a key reading its pulls slowly cannot keep the others from pulling. 1 to
         *              1024; default {@link #DEFAULT_MAX_PULLS}
         */
        public Builder maxPulls(int value) {
            this.maxPulls = value;
            return this;
        }

        /**
         * @param value once a request head has arrived, the time its body may take to arrive whole
         *              (else 408 and the connection is closed), however it trickles in; default
         *              {@link #DEFAULT_BODY_TIMEOUT}
         */
        public Builder bodyTimeout(Duration value) {
            this.bodyTimeout = value;
            return this;
        }

        /**
         * @param value the longest a streamed response (a pull) waits for a client that does not
         *              read it; then the connection is cut and the pull's database cursor released;
         *              default {@link #DEFAULT_WRITE_TIMEOUT}
         */
        public Builder writeTimeout(Duration value) {
            this.writeTimeout = value;
            return this;
        }

        /**
         * Accepts one more key for one {@linkplain #textRoute extra route} only, besides the keys
         * its access allows (e.g. a key only for {@code /metrics}, for Prometheus). Sent like an API
         * key, in the {@code Authorization} header; hashed at once.
         *
         * @param path the route's path, added with {@link #textRoute} (before or after this call)
         *             with an access other than {@link Access#PUBLIC}
         * @param key  at least {@link ApiKey#MIN_KEY_LENGTH} visible ASCII characters
         */
        public Builder routeKey(String path, String key) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(key, "key");
            KeyRing.problemWith(key).ifPresent(p -> routeProblems.add("the key of route '" + path + "': " + p));
            routeKeys.put(path, KeyRing.sha256(key));
            return this;
        }

        /**
         * Adds a read-only endpoint: {@code GET path} answers 200 with {@code body.get()} as
         * {@code contentType} (UTF-8). For the host's own pages, e.g.
         * {@code textRoute("/metrics", Access.PUBLIC, "text/plain; version=0.0.4", registry::scrape)}.
         * Other methods get 405. A supplier that throws gives a 500 (logged).
         *
         * @param path        the exact path, starting with {@code /}, of letters, digits and
         *                    {@code - . _ ~ /}; not {@code /health} and not under {@code /api}
         * @param access      who may call it
         * @param contentType the response's media type
         * @param body        called once per request, on a worker thread
         */
        public Builder textRoute(String path, Access access, String contentType, Supplier<String> body) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
            if (!path.matches("/[A-Za-z0-9._~/-]*") || path.contains("//")) {
                routeProblems.add("route '" + path + "': a path starts with '/' and has only letters, digits,"
                        + " '-', '.', '_', '~' and single '/'");
            } else if (path.equals("/health") || path.equals("/api") || path.startsWith("/api/")) {
                routeProblems.add("route '" + path + "': /health and /api are the API's own");
            } else if (routes.containsKey(path)) {
                routeProblems.add("route '" + path + "' is added twice");
            }
            ContentType type = null;
            try {
                type = ContentType.parse(contentType);
                if (type.getMimeType().isBlank() || !type.getMimeType().contains("/")) {
                    routeProblems.add("route '" + path + "': contentType '" + contentType + "' is not a media type");
                } else if (type.getCharset() == null) {
                    type = ContentType.parse(contentType + "; charset=UTF-8");
                } else if (!type.getCharset().equals(StandardCharsets.UTF_8)) {
                    routeProblems.add("route '" + path + "': the text is sent as UTF-8; leave the charset out of"
                            + " contentType '" + contentType + "' or make it UTF-8");
                }
            } catch (RuntimeException e) {
                routeProblems.add("route '" + path + "': contentType '" + contentType + "' is not a media type");
            }
            routes.put(path, new TextRoute(access, type, body, null));
            return this;
        }

        /**
         * @param value whether to serve the web console at {@code /console/} (its page, script and
         *              style sheet; the data comes from the API with the key the user gives);
         *              default true
         */
        public Builder console(boolean value) {
            this.console = value;
            return this;
        }

        /**
         * Checks every option; starts nothing.
         *
         * @return the server, not yet listening
         * @throws IllegalArgumentException naming the first bad option
         */
        public ApiServer build() {
            if (engine == null) {
                throw new IllegalArgumentException("engine is required");
            }
            if (bindAddress == null || bindAddress.isBlank()) {
                throw new IllegalArgumentException("bindAddress is required");
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(bindAddress);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bindAddress '" + bindAddress + "' is not a known address", e);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (a free port) to 65535, not " + port);
            }
            if (workerThreads < 1 || workerThreads > 1024) {
                throw new IllegalArgumentException("workerThreads must be 1 to 1024, not " + workerThreads);
            }
            if (maxBodyBytes < 1 || maxBodyBytes > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be 1 to 67108864 (64 MiB), not " + maxBodyBytes);
            }
            positive(headerTimeout, "headerTimeout");
            positive(idleTimeout, "idleTimeout");
            if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must be zero or more, not " + shutdownTimeout);
            }
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be 1 or more, not " + backlog);
            }
            if (maxConnections < 1 || maxConnections > 65536) {
                throw new IllegalArgumentException("maxConnections must be 1 to 65536, not " + maxConnections);
            }
            if (maxPulls < 1 || maxPulls > 1024) {
                throw new IllegalArgumentException("maxPulls must be 1 to 1024, not " + maxPulls);
            }
            positive(bodyTimeout, "bodyTimeout");
            positive(writeTimeout, "writeTimeout");
            for (Map.Entry<String, byte[]> e : routeKeys.entrySet()) {
                TextRoute r = routes.get(e.getKey());
                if (r == null) {
                    routeProblems.add("routeKey '" + e.getKey() + "': no such route; add it with textRoute");
                } else if (r.access() == Access.PUBLIC) {
                    routeProblems.add("routeKey '" + e.getKey() + "': the route is public; give it access ANY_KEY"
                            + " or ADMIN");
                } else {
                    routes.put(e.getKey(), r.withExtraKey(e.getValue()));
                }
            }
            if (!routeProblems.isEmpty()) {
                throw new IllegalArgumentException(routeProblems.get(0));
            }
            checkKeys().ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
            return new DefaultApiServer(this, address);
        }

        private Optional<String> checkKeys() {
            if (!keyProblems.isEmpty()) {
                return Optional.of(keyProblems.get(0));
            }
            Set<String> views = new HashSet<>();
            engine.views().forEach(v -> views.add(v.name()));
            Map<String, KeyRing.Entry> byName = new LinkedHashMap<>();
            for (KeyRing.Entry e : keys) {
                if (byName.putIfAbsent(e.name(), e) != null) {
                    return Optional.of("two api keys are named '" + e.name() + "'");
                }
                for (KeyRing.Entry other : byName.values()) {
                    if (other != e && MessageDigest.isEqual(other.hash(), e.hash())) {
                        return Optional.of("api keys '" + other.name() + "' and '" + e.name() + "' have the same key;"
                                + " give each its own");
                    }
                }
                for (String v : e.views()) {
                    if (!views.contains(v)) {
                        return Optional.of("api key '" + e.name() + "' names view '" + v + "', which does not exist;"
                                + " views: " + views);
                    }
                }
            }
            return Optional.empty();
        }

        private static void positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be more than zero, not " + d);
            }
        }

        ViewPush engine() {
            return engine;
        }

        int port() {
            return port;
        }

        List<KeyRing.Entry> keyEntries() {
            return keys;
        }

        int workerThreads() {
            return workerThreads;
        }

        int maxBodyBytes() {
            return maxBodyBytes;
        }

        Duration headerTimeout() {
            return headerTimeout;
        }

        Duration idleTimeout() {
            return idleTimeout;
        }

        Duration shutdownTimeout() {
            return shutdownTimeout;
        }

        int backlog() {
            return backlog;
        }

        int maxConnections() {
            return maxConnections;
        }

        int maxPulls() {
            return maxPulls;
        }

        Duration bodyTimeout() {
            return bodyTimeout;
        }

        Duration writeTimeout() {
            return writeTimeout;
        }

        Map<String, TextRoute> routes() {
            return routes;
        }

        boolean console() {
            return console;
        }
    }
}
