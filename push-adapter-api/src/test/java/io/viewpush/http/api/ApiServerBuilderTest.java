package io.viewpush.http.api;

import io.viewpush.engine.ViewPush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ApiServer.Builder#build()} names what is wrong; keys are kept only as hashes. */
class ApiServerBuilderTest {
    private static final String KEY = "a-perfectly-good-key-123";

    private final ViewPush engine = new GeneratedRows(10).engine();

    @AfterEach
    void close() {
        engine.close();
    }

    private void refused(Consumer<ApiServer.Builder> options, String... messageParts) {
        ApiServer.Builder b = ApiServer.builder(engine).port(0);
        options.accept(b);
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void defaultsAreTheDocumentedConstants() {
        assertThat(ApiServer.DEFAULT_BIND_ADDRESS).isEqualTo("127.0.0.1");
        assertThat(ApiServer.DEFAULT_MAX_BODY_BYTES).isEqualTo(1024 * 1024);
        ApiServer server = ApiServer.builder(engine).port(0).build().start();
        try {
            assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        } finally {
            server.close();
        }
    }

    @Test
    void badServerOptionsAreNamed() {
        assertThatThrownBy(() -> ApiServer.builder(null).build()).hasMessageContaining("engine");
        refused(b -> b.port(70000), "port", "70000");
        refused(b -> b.port(-1), "port");
        refused(b -> b.workerThreads(0), "workerThreads", "0");
        refused(b -> b.maxPulls(0), "maxPulls", "0");
        refused(b -> b.maxConnections(0), "maxConnections", "0");
        refused(b -> b.bodyTimeout(Duration.ZERO), "bodyTimeout");
        refused(b -> b.writeTimeout(null), "writeTimeout");
        refused(b -> b.maxBodyBytes(0), "maxBodyBytes");
        refused(b -> b.headerTimeout(Duration.ZERO), "headerTimeout");
        refused(b -> b.idleTimeout(Duration.ofSeconds(-1)), "idleTimeout");
        refused(b -> b.shutdownTimeout(null), "shutdownTimeout");
        refused(b -> b.backlog(0), "backlog");
        refused(b -> b.bindAddress("no-such-host.invalid"), "bindAddress", "no-such-host.invalid");
    }

    @Test
    void badRouteKeysAreNamed() {
        refused(b -> b.routeKey("/metrics", "metrics-key-0123456789"), "routeKey '/metrics'", "no such route");
        refused(b -> b.textRoute("/metrics", ApiServer.Access.PUBLIC, "text/plain", () -> "")
                .routeKey("/metrics", "metrics-key-0123456789"), "routeKey '/metrics'", "public");
        refused(b -> b.textRoute("/metrics", ApiServer.Access.ADMIN, "text/plain", () -> "")
                .routeKey("/metrics", "short"), "the key of route '/metrics'");
    }

    @Test
    void badRoutesAreNamed() {
        refused(b -> b.textRoute("metrics", ApiServer.Access.PUBLIC, "text/plain", () -> ""), "route 'metrics'");
        refused(b -> b.textRoute("/api/metrics", ApiServer.Access.PUBLIC, "text/plain", () -> ""), "/api/metrics",
                "the API's own");
        refused(b -> b.textRoute("/health", ApiServer.Access.PUBLIC, "text/plain", () -> ""), "/health");
        refused(b -> b.textRoute("/m?x", ApiServer.Access.PUBLIC, "text/plain", () -> ""), "route '/m?x'");
        refused(b -> b.textRoute("/m", ApiServer.Access.PUBLIC, "text/plain", () -> "")
                .textRoute("/m", ApiServer.Access.PUBLIC, "text/plain", () -> ""), "added twice");
        refused(b -> b.textRoute("/m", ApiServer.Access.PUBLIC, "plain", () -> ""), "contentType 'plain'");
        refused(b -> b.textRoute("/m", ApiServer.Access.PUBLIC, "text/plain; charset=ISO-8859-1", () -> ""), "UTF-8");
    }

    @Test
    void badKeysAreNamedByTheirNameNeverByTheirSecret() {
        String shortKey = "short-key";
        refused(b -> b.key(ApiKey.allViews("partner-a", shortKey, false)), "api key 'partner-a'", "at least 16");
        assertThatThrownBy(() -> ApiServer.builder(engine).key(ApiKey.allViews("partner-a", shortKey, false)).build())
                .message().doesNotContain(shortKey);
        refused(b -> b.key(ApiKey.allViews("partner-a", "has a space in it 1234", false)), "api key 'partner-a'",
                "visible ASCII");
        refused(b -> b.key(ApiKey.allViews(" ", KEY, false)), "blank name");
        refused(b -> b.key(new ApiKey("partner-a", KEY, List.of(), false)), "api key 'partner-a'", "views is empty");
        refused(b -> b.key(new ApiKey("partner-a", KEY, List.of("ordres"), false)), "api key 'partner-a'",
                "view 'ordres'", "does not exist");
        refused(b -> b.key(ApiKey.allViews("a", KEY, false)).key(ApiKey.allViews("a", KEY + "x", false)),
                "two api keys are named 'a'");
        refused(b -> b.key(ApiKey.allViews("a", KEY, false)).key(ApiKey.allViews("b", KEY, true)),
                "api keys 'a' and 'b' have the same key");
        assertThat(ApiKey.allViews("a", KEY, true).toString()).doesNotContain(KEY).contains("a");
    }

    @Test
    void theServerKeepsOnlyHashesOfTheKeys() throws Exception {
        // built from text that no constant shares, so only a reference kept from the record could match
        String secret = new String(("kept-" + System.nanoTime() + "-secret-key").toCharArray());
        ApiKey key = new ApiKey("partner-a", secret, List.of(GeneratedRows.VIEW), false);
        ApiServer server = ApiServer.builder(engine).port(0).key(key)
                .textRoute("/m", ApiServer.Access.PUBLIC, "text/plain", () -> "").build().start();
        try {
            List<Object> found = new ArrayList<>();
            walk(server, new IdentityHashMap<>(), found, secret);
            assertThat(found).isEmpty();
            // the walk does find a key where one is kept
            walk(key, new IdentityHashMap<>(), found, secret);
            assertThat(found).containsExactly(secret);
        } finally {
            server.close();
        }
    }

    /** Collects every String, char[] or byte[] reachable from {@code o} (our classes only) that holds the secret. */
    private static void walk(Object o, Map<Object, Boolean> seen, List<Object> found, String secret) throws Exception {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof String) {
            if (((String) o).contains(secret)) {
                found.add(o);
            }
            return;
        }
        if (o instanceof char[]) {
            if (new String((char[]) o).contains(secret)) {
                found.add(o);
            }
            return;
        }
        if (o instanceof byte[]) {
            if (new String((byte[]) o, StandardCharsets.UTF_8).contains(secret)) {
                found.add(o);
            }
            return;
        }
        if (o instanceof Object[]) {
            for (Object e : (Object[]) o) {
                walk(e, seen, found, secret);
            }
            return;
        }
        if (o.getClass().isArray()) {
            return;
        }
        if (o instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                walk(e.getKey(), seen, found, secret);
                walk(e.getValue(), seen, found, secret);
            }
            return;
        }
        if (o instanceof Collection) {
            for (Object e : (Collection<?>) o) {
                walk(e, seen, found, secret);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.viewpush.http.api")) {
            return;
        }
        for (Class<?> c = o.getClass(); c != null && c.getName().startsWith("io.viewpush.http.api"); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                f.setAccessible(true);
                walk(f.get(o), seen, found, secret);
            }
        }
    }
}
