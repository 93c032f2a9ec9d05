package io.viewpush.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that is HTTP but not valid HTTP/1.1 (no {@code Host}, two of them) gets a 400 in the
 * API's JSON like every other error. Found by the reliability suite's API fuzzing (scenario 7):
 * the server answered these itself, in plain text.
 */
class ProtocolErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private ApiFixture f;

    @BeforeEach
    void start() {
        f = new ApiFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static JsonNode body(String response) throws IOException {
        return JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void aRequestWithoutHostIsAJson400() throws IOException {
        String r = f.raw("GET /api/views HTTP/1.1\r\nAuthorization: Bearer " + ApiFixture.ADMIN_KEY
                + "\r\nConnection: close\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/json");
        assertThat(body(r).get("error").asText()).isEqualTo("bad_request");
        assertThat(body(r).get("detail").asText()).startsWith("not a valid HTTP/1.1 request: ").containsIgnoringCase("host");
    }

    @Test
    void aRequestWithTwoHostsIsAJson400() throws IOException {
        String r = f.raw("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/json");
        assertThat(body(r).get("error").asText()).isEqualTo("bad_request");
        assertThat(body(r).get("detail").asText()).startsWith("not a valid HTTP/1.1 request: ");
    }

    @Test
    void anHttp10RequestNeedsNoHost() {
        assertThat(f.raw("GET /health HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200").contains("{\"status\":\"ok\"}");
    }
}
