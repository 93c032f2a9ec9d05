package io.viewpush.http.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLogger;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.viewpush.http.api.ApiFixture.ADMIN_KEY;
import static io.viewpush.http.api.ApiFixture.PARTNER_A_KEY;
import static io.viewpush.http.api.ApiFixture.UNCONFIRMED;
import static io.viewpush.http.api.ApiFixture.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys and the Authorization header never reach the log, at any level: every logger of the API is
 * turned to TRACE for this test while requests that log (401s, 500s, timeouts, pulls, updates, a
 * key in the query string, a malformed header) go through.
 */
class LoggingTest {
    private static final List<Class<?>> LOGGING = List.of(ApiHandler.class, HeadWatch.class, DefaultApiServer.class,
            RowsEntity.class);

    private final Map<Logger, Integer> levels = new HashMap<>();
    private PrintStream stderr;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @BeforeEach
    void traceAndCapture() throws Exception {
        Field level = SimpleLogger.class.getDeclaredField("currentLogLevel");
        level.setAccessible(true);
        for (Class<?> c : LOGGING) {
            Logger logger = LoggerFactory.getLogger(c);
            levels.put(logger, level.getInt(logger));
            level.setInt(logger, 0);
            assertThat(logger.isTraceEnabled()).isTrue();
        }
        stderr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws Exception {
        System.setErr(stderr);
        Field level = SimpleLogger.class.getDeclaredField("currentLogLevel");
        level.setAccessible(true);
        for (Map.Entry<Logger, Integer> e : levels.entrySet()) {
            level.setInt(e.getKey(), e.getValue());
        }
    }

    @Test
    void keysAndTheAuthorizationHeaderAreNeverLogged() {
        String wrongKey = "wrong-key-but-secret-987654";
        try (ApiFixture f = new ApiFixture()) {
            f.order(1, "Ada", "1");
            f.get("/api/views", "Bearer " + ADMIN_KEY);
            f.get("/api/views", wrongKey);
            f.get("/api/views/" + enc(UNCONFIRMED) + "?key=" + PARTNER_A_KEY, null);
            f.get("/api/views/" + enc(UNCONFIRMED), PARTNER_A_KEY);
            f.patch(UNCONFIRMED, "1", "Bearer " + PARTNER_A_KEY, "{\"receipt id\":\"R\"}");
            f.patch(UNCONFIRMED, "1", "Bearer " + PARTNER_A_KEY, "{\"receipt id\":");
            f.raw("GET /api/views HTTP/1.1\r\nConnection: close\r\nHost: x\r\nAuthorization " + ADMIN_KEY + "\r\n\r\n");
            f.raw("GET /api/views HTTP/1.1\r\nHost: x\r\nAuthorization: " + ADMIN_KEY + "\r\nAuthorization: "
                    + wrongKey + "\r\nConnection: close\r\n\r\n");
            f.raw("GET /api/views/x\u001B[31m\u0007 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            f.raw("GET /nothing/x%1B[31m HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            f.store.setReachable(false);
            f.get("/api/views/" + enc(UNCONFIRMED), "Bearer " + ADMIN_KEY);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("GET /api/views -> 200 (key admin").contains("-> 503").contains("-> 401");
        assertThat(log).doesNotContain(ADMIN_KEY, PARTNER_A_KEY, wrongKey, "Bearer", "Authorization");
        assertThat(log).as("control characters from a request").doesNotContain("\u001B", "\u0007");
    }
}
