package io.viewpush.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;

import static io.viewpush.http.api.ApiFixture.ADMIN_KEY;
import static io.viewpush.http.api.ApiFixture.EDITABLE;
import static io.viewpush.http.api.ApiFixture.PARTNER_A_KEY;
import static io.viewpush.http.api.ApiFixture.UNCONFIRMED;
import static io.viewpush.http.api.ApiFixture.bearer;
import static io.viewpush.http.api.ApiFixture.enc;
import static io.viewpush.http.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code PATCH /api/views/{view}/rows/{key}}: the receipt flow, typing and every refusal. */
class RowUpdateTest {
    private ApiFixture f;

    @BeforeEach
    void start() {
        f = new ApiFixture();
        f.order(1, "Ada", "10.50");
        f.order(2, "Bob", "0.10");
        f.order(3, "Cy", "3");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String... detailParts) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.get("error").asText()).as(r.body()).isEqualTo(code);
        for (String part : detailParts) {
            assertThat(body.get("detail").asText()).contains(part);
        }
    }

    @Test
    void aReceiptTakesTheRowOutOfTheViewAndASecondOneIsAHarmless404() {
        String key = bearer(PARTNER_A_KEY);
        JsonNode before = json(f.get("/api/views/" + enc(UNCONFIRMED), key));
        assertThat(before).hasSize(3);

        HttpResponse<String> first = f.patch(UNCONFIRMED, "2", key, "{\"receipt id\": \"R-2\"}");
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode row = json(first);
        assertThat(row.get("receipt id").asText()).isEqualTo("R-2");
        // the same object as the pull gave, but for the field that changed
        ((com.fasterxml.jackson.databind.node.ObjectNode) before.get(1)).put("receipt id", "R-2");
        assertThat(row).isEqualTo(before.get(1));
        assertThat(first.body()).startsWith("{\"id\":2,\"customer\":\"Bob\",\"amount\":0.10,");

        JsonNode after = json(f.get("/api/views/" + enc(UNCONFIRMED), key));
        assertThat(after).hasSize(2);
        assertThat(after.get(0).get("id").asInt()).isEqualTo(1);
        assertThat(after.get(1).get("id").asInt()).isEqualTo(3);

        HttpResponse<String> again = f.patch(UNCONFIRMED, "2", key, "{\"receipt id\": \"R-2-again\"}");
        assertError(again, 404, "not_found", "no row with key '2' is in view 'unconfirmed orders'");
        assertThat(f.row(2).get("receipt_id")).isEqualTo("R-2");
    }

    @Test
    void aValueTheRowJsonCannotCarryIsA400NamingTheFieldAndNothingIsWritten() {
        // found by the security review: "\ud800" was committed, then answered 500, and every push of
        // every view showing the column failed from then on
        for (String body : new String[]{"{\"receipt id\":\"\\ud800\"}", "{\"receipt id\":\"R\\udc00-2\"}",
                "{\"receipt id\":\"\\ud83d\"}"}) {
            assertError(f.patch(UNCONFIRMED, "2", bearer(PARTNER_A_KEY), body), 400, "invalid_value",
                    "field 'receipt id'", "not valid Unicode", "lone surrogate");
        }
        assertError(f.patch(EDITABLE, "2", ADMIN_KEY, "{\"amount\": 1, \"customer\":\"x\\udfff\"}"), 400,
                "invalid_value", "field 'customer'");
        assertThat(f.row(2).get("receipt_id")).isNull();
        assertThat(f.row(2).get("customer")).isEqualTo("Bob");
        assertThat(f.row(2).get("amount")).isEqualTo(new BigDecimal("0.10"));
        HttpResponse<String> pair = f.patch(UNCONFIRMED, "2", bearer(PARTNER_A_KEY), "{\"receipt id\":\"\\ud83d\\ude00\"}");
        assertThat(pair.statusCode()).as("a surrogate pair is one character, and fine").isEqualTo(200);
        assertThat(f.row(2).get("receipt_id")).isEqualTo("\ud83d\ude00");
    }

    @Test
    void anUpdateOfARowThatHoldsAnotherValueTheJsonCannotCarryAnswersTheRowMarked() {
        f.store.table(io.viewpush.port.contract.ContractViews.TABLE).update(
                io.viewpush.port.contract.ContractViews.key(3), Map.of("customer", "C\udc00y"));
        HttpResponse<String> r = f.patch(UNCONFIRMED, "3", bearer(PARTNER_A_KEY), "{\"receipt id\":\"R-3\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("customer").isNull()).isTrue();
        assertThat(json(r).get(io.viewpush.http.json.RowJsonWriter.UNENCODABLE_MEMBER).toString()).isEqualTo("[\"customer\"]");
        assertThat(f.row(3).get("receipt_id")).isEqualTo("R-3");
    }

    @Test
    void aRowThatIsNotThereOrAKeyOfTheWrongTypeIs404() {
        assertError(f.patch(UNCONFIRMED, "999", bearer(PARTNER_A_KEY), "{\"receipt id\":\"R\"}"), 404, "not_found",
                "no row with key '999'");
        assertError(f.patch(UNCONFIRMED, "abc", bearer(PARTNER_A_KEY), "{\"receipt id\":\"R\"}"), 404, "not_found",
                "no row with key 'abc'", "a number");
        assertError(f.patch(UNCONFIRMED, "1%20", bearer(PARTNER_A_KEY), "{\"receipt id\":\"R\"}"), 404, "not_found");
        assertThat(f.patch(UNCONFIRMED, "1.00", bearer(PARTNER_A_KEY), "{\"receipt id\":\"R\"}").statusCode())
                .isEqualTo(200);
        assertThat(f.row(1).get("receipt_id")).isEqualTo("R");
    }

    @Test
    void valuesAreCheckedAndConvertedByFieldType() {
        HttpResponse<String> r = f.patch(EDITABLE, "1", bearer(ADMIN_KEY), "{\"amount\": 12.340, \"flag\": true,"
                + " \"due\": \"2024-02-29\", \"last pushed\": \"2024-01-31T10:15:30.000001\", \"customer\": null,"
                + " \"receipt id\": \"Ω-1\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"amount\":12.340,", "\"flag\":true", "\"due\":\"2024-02-29\"",
                "\"last pushed\":\"2024-01-31T10:15:30.000001\"", "\"customer\":null", "\"receipt id\":\"Ω-1\"");
        Map<String, Object> row = f.row(1);
        assertThat(row.get("amount")).isEqualTo(new BigDecimal("12.340"));
        assertThat(row.get("flag")).isEqualTo(Boolean.TRUE);
        assertThat(row.get("due")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(row.get("last_pushed")).isEqualTo(LocalDateTime.of(2024, 1, 31, 10, 15, 30, 1000));
        assertThat(row.get("customer")).isNull();

        assertThat(f.patch(EDITABLE, "1", bearer(ADMIN_KEY), "{\"amount\": 1E+3}").statusCode()).isEqualTo(200);
        assertThat(((BigDecimal) f.row(1).get("amount"))).isEqualByComparingTo("1000");
        assertThat(f.patch(EDITABLE, "1", bearer(ADMIN_KEY), "{\"amount\": 123456789012345678901234567890.000000000001}")
                .statusCode()).isEqualTo(200);
        assertThat(f.row(1).get("amount")).isEqualTo(new BigDecimal("123456789012345678901234567890.000000000001"));
    }

    @Test
    void anIllTypedValueIs400NamingTheField() {
        String[][] cases = {
                {"{\"receipt id\": 12345}", "receipt id", "got a number"},
                {"{\"amount\": \"12.5\"}", "amount", "got a string"},
                {"{\"flag\": \"true\"}", "flag", "got a string"},
                {"{\"flag\": 1}", "flag", "got a number"},
                {"{\"due\": \"31/01/2024\"}", "due", "ISO-8601 date"},
                {"{\"due\": \"2024-02-30\"}", "due", "ISO-8601 date"},
                {"{\"last pushed\": \"2024-01-31T10:15:30Z\"}", "last pushed", "without offset"},
                {"{\"last pushed\": \"2024-01-31\"}", "last pushed", "date and time"},
                {"{\"customer\": {\"a\": 1}}", "customer", "got an object"},
                {"{\"customer\": [\"a\"]}", "customer", "got an array"},
                {"{\"amount\": 1e99999}", "amount", "too long, or an exponent"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = f.patch(EDITABLE, "1", bearer(ADMIN_KEY), c[0]);
            assertError(r, 400, "invalid_value", "field '" + c[1] + "'", c[2]);
        }
        assertThat(f.row(1).get("customer")).isEqualTo("Ada");
    }

    @Test
    void anUnknownOrReadOnlyFieldIs400NamingIt() {
        assertError(f.patch(UNCONFIRMED, "1", bearer(PARTNER_A_KEY), "{\"receipt\": \"R\"}"), 400, "unknown_field",
                "no field 'receipt'", "writable fields: [receipt id]");
        assertError(f.patch(UNCONFIRMED, "1", bearer(PARTNER_A_KEY), "{\"receipt id\": \"R\", \"customer\": \"X\"}"),
                400, "not_writable", "field 'customer'", "not writable");
        assertError(f.patch(UNCONFIRMED, "1", bearer(PARTNER_A_KEY), "{\"id\": 5}"), 400, "not_writable", "field 'id'");
        assertError(f.patch(UNCONFIRMED, "1", bearer(PARTNER_A_KEY), "{}"), 400, "bad_request", "no fields to update");
        assertThat(f.row(1).get("receipt_id")).isNull();
        assertThat(f.row(1).get("customer")).isEqualTo("Ada");
    }

    @Test
    void malformedJsonIs400() {
        String key = bearer(PARTNER_A_KEY);
        assertError(f.patch(UNCONFIRMED, "1", key, "{\"receipt id\": "), 400, "malformed_json", "not valid JSON");
        assertError(f.patch(UNCONFIRMED, "1", key, "{receipt id: 1}"), 400, "malformed_json", "line 1, column 2");
        assertError(f.patch(UNCONFIRMED, "1", key, "[{\"receipt id\": \"R\"}]"), 400, "malformed_json", "JSON object");
        assertError(f.patch(UNCONFIRMED, "1", key, "\"R\""), 400, "malformed_json", "JSON object");
        assertError(f.patch(UNCONFIRMED, "1", key, ""), 400, "malformed_json", "empty");
        assertError(f.patch(UNCONFIRMED, "1", key, "{\"receipt id\": \"R\"} {}"), 400, "malformed_json", "more after");
        assertError(f.patch(UNCONFIRMED, "1", key, "{\"receipt id\": \"R\", \"receipt id\": \"S\"}"), 400,
                "malformed_json", "Duplicate field 'receipt id'");
        assertThat(f.row(1).get("receipt_id")).isNull();
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        String path = "/api/views/" + enc(UNCONFIRMED) + "/rows/1";
        String key = bearer(PARTNER_A_KEY);
        String body = "{\"receipt id\": \"R\"}";
        assertError(f.send("PATCH", path, key, "text/plain", body), 415, "unsupported_media_type", "text/plain");
        assertError(f.send("PATCH", path, key, "application/x-www-form-urlencoded", "receipt+id=R"), 415,
                "unsupported_media_type");
        assertError(f.send("PATCH", path, key, "application/json; charset=ISO-8859-1", body), 415,
                "unsupported_media_type", "charset");
        assertError(f.send("PATCH", path, key, null, body), 415, "unsupported_media_type", "no Content-Type");
        assertThat(f.row(1).get("receipt_id")).isNull();
        assertThat(f.send("PATCH", path, key, "application/merge-patch+json", body).statusCode()).isEqualTo(200);
        assertThat(f.send("PATCH", "/api/views/" + enc(UNCONFIRMED) + "/rows/2", key, "Application/JSON; Charset=\"UTF-8\"",
                body).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIs413WhetherItsLengthIsGivenOrNot() {
        try (ApiFixture small = new ApiFixture(b -> b.maxBodyBytes(64))) {
            small.order(1, "Ada", "1");
            String big = "{\"receipt id\": \"" + "x".repeat(100) + "\"}";
            HttpResponse<String> declared = small.patch(UNCONFIRMED, "1", ADMIN_KEY, big);
            assertError(declared, 413, "payload_too_large", "at most 64 bytes");
            HttpResponse<String> chunked = small.send(HttpRequest.newBuilder(small.uri("/api/views/" + enc(UNCONFIRMED)
                            + "/rows/1"))
                    .header("Authorization", ADMIN_KEY).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                    .build());
            assertError(chunked, 413, "payload_too_large", "more than 64 bytes");
            assertThat(small.row(1).get("receipt_id")).isNull();
            assertThat(small.patch(UNCONFIRMED, "1", ADMIN_KEY, "{\"receipt id\": \"R\"}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientStillSendingABigBodyReceivesThe413() {
        try (ApiFixture small = new ApiFixture(b -> b.maxBodyBytes(1024))) {
            small.order(1, "Ada", "1");
            String big = "{\"receipt id\": \"" + "x".repeat(4 * 1024 * 1024) + "\"}";
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = small.patch(UNCONFIRMED, "1", ADMIN_KEY, big);
                assertError(r, 413, "payload_too_large", "at most 1024 bytes");
            }
            assertThat(small.row(1).get("receipt_id")).isNull();
        }
    }

    @Test
    void aClientStillSendingAnEndlessBodyReceivesThe413() {
        try (ApiFixture small = new ApiFixture(b -> b.maxBodyBytes(1024))) {
            // closing over unread bytes would reset the connection and could destroy the answer
            for (int i = 0; i < 10; i++) {
                java.io.InputStream endless = new java.io.InputStream() {
                    @Override
                    public int read() {
                        return 'x';
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                        return len;
                    }
                };
                HttpResponse<String> r = small.send(HttpRequest.newBuilder(small.uri("/api/views/" + enc(UNCONFIRMED)
                                + "/rows/1"))
                        .header("Authorization", ADMIN_KEY).header("Content-Type", "application/json")
                        .timeout(java.time.Duration.ofSeconds(10))
                        .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> endless)).build());
                assertError(r, 413, "payload_too_large", "more than 1024 bytes");
            }
        }
    }

    @Test
    void anEndlessBodyIsRefusedAndItsConnectionClosedInsteadOfReadToItsEnd() throws Exception {
        try (ApiFixture small = new ApiFixture(b -> b.maxBodyBytes(1024));
             java.net.Socket s = new java.net.Socket("127.0.0.1", small.server.port())) {
            s.setSoTimeout(5_000);
            java.io.OutputStream out = s.getOutputStream();
            out.write(("PATCH /api/views/unconfirmed%20orders/rows/1 HTTP/1.1\r\nHost: x\r\nAuthorization: " + ADMIN_KEY
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String chunk = Integer.toHexString(512) + "\r\n" + "x".repeat(512) + "\r\n";
            for (int i = 0; i < 4; i++) {
                out.write(chunk.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            out.flush();
            // the body never ends; the server must answer and close all the same
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close")
                    .contains("payload_too_large");
            assertThat(small.get("/health", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void patchTakesOnlyWritableViewsOfTheKey() {
        assertThat(f.patch(EDITABLE, "1", bearer(PARTNER_A_KEY), "{\"customer\":\"X\"}").statusCode()).isEqualTo(403);
        assertThat(f.row(1).get("customer")).isEqualTo("Ada");
    }
}
