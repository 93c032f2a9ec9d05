package io.viewpush.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.viewpush.http.api.ApiFixture.ADMIN_KEY;
import static io.viewpush.http.api.ApiFixture.EDITABLE;
import static io.viewpush.http.api.ApiFixture.NEW;
import static io.viewpush.http.api.ApiFixture.PARTNER_A_KEY;
import static io.viewpush.http.api.ApiFixture.PARTNER_B_KEY;
import static io.viewpush.http.api.ApiFixture.PUSHED;
import static io.viewpush.http.api.ApiFixture.READER_KEY;
import static io.viewpush.http.api.ApiFixture.SLASHED;
import static io.viewpush.http.api.ApiFixture.UNCONFIRMED;
import static io.viewpush.http.api.ApiFixture.bearer;
import static io.viewpush.http.api.ApiFixture.enc;
import static io.viewpush.http.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The API's answers, each status for the reason it stands for, over a real server and client. */
class ApiServerTest {
    private ApiFixture f;

    @BeforeEach
    void start() {
        f = new ApiFixture();
        f.order(1, "Ada", "10.50");
        f.order(2, "Bob", "0.10");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String detailPart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = json(r);
        assertThat(fieldNames(body)).containsExactly("error", "detail");
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("detail").asText()).contains(detailPart);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // --- health ---------------------------------------------------------------------------------

    @Test
    void healthAnswersOkWithoutAKey() {
        HttpResponse<String> r = f.get("/health", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void healthAnswers503WhenTheStoreDoesNotAnswer() {
        f.store.setReachable(false);
        HttpResponse<String> r = f.get("/health", null);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).get("status").asText()).isEqualTo("unavailable");
        assertThat(json(r).get("error").asText()).isEqualTo("unavailable");
    }

    @Test
    void aDatabaseThatDoesNotAnswerIs503WithRetryAfterOnEveryRouteNot500() {
        f.store.setReachable(false);
        List<HttpResponse<String>> answers = List.of(
                f.get("/api/views", bearer(ADMIN_KEY)),
                f.get("/api/views/" + enc(NEW), bearer(ADMIN_KEY)),
                f.get("/api/views/" + enc(NEW) + "/pushes", bearer(ADMIN_KEY)),
                f.patch(EDITABLE, "1", bearer(ADMIN_KEY), "{\"receipt id\": \"R-1\"}"));
        for (HttpResponse<String> r : answers) {
            assertError(r, 503, "unavailable", "the database did not answer; try again later");
            assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(r.body()).doesNotContain("Exception", "exception", "unreachable", "in-memory", "at io.",
                    "io.viewpush", "\\n");
        }
        f.store.setReachable(true);
        assertThat(f.get("/api/views/" + enc(NEW), bearer(ADMIN_KEY)).statusCode()).isEqualTo(200);
    }

    @Test
    void healthTakesOnlyGetAndHead() {
        HttpResponse<String> r = f.send("POST", "/health", null, null, null);
        assertError(r, 405, "method_not_allowed", "GET");
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void headHealthAnswersLikeGetWithoutABody() {
        String answer = f.raw("HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n");
        f.store.setReachable(false);
        assertThat(f.raw("HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 503")
                .endsWith("\r\n\r\n");
    }

    // --- keys -----------------------------------------------------------------------------------

    @Test
    void missingKeyIs401WithAChallenge() {
        HttpResponse<String> r = f.get("/api/views", null);
        assertError(r, 401, "unauthorized", "Authorization header");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void unknownKeyIs401() {
        assertError(f.get("/api/views", bearer("not-a-key-of-ours-0000")), 401, "unauthorized", "unknown API key");
        assertError(f.get("/api/views", "not-a-key-of-ours-0000"), 401, "unauthorized", "unknown API key");
    }

    @Test
    void acceptsTheKeyAsBearerOrBare() {
        assertThat(f.get("/api/views", bearer(ADMIN_KEY)).statusCode()).isEqualTo(200);
        assertThat(f.get("/api/views", ADMIN_KEY).statusCode()).isEqualTo(200);
        assertThat(f.get("/api/views", "bearer   " + ADMIN_KEY).statusCode()).isEqualTo(200);
        assertThat(f.get("/api/views", "  " + ADMIN_KEY + " ").statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyInTheQueryStringNeverAuthenticates() {
        for (String param : List.of("key", "api_key", "token", "apikey", "access_token", "Authorization")) {
            HttpResponse<String> r = f.get("/api/views?" + param + "=" + ADMIN_KEY, null);
            assertThat(r.statusCode()).as(param).isEqualTo(401);
            HttpResponse<String> pull = f.get("/api/views/" + enc(UNCONFIRMED) + "?" + param + "=" + ADMIN_KEY, null);
            assertThat(pull.statusCode()).as(param).isEqualTo(401);
            assertThat(pull.body()).doesNotContain("Ada");
        }
        assertError(f.get("/api/views?key=" + ADMIN_KEY, null), 401, "unauthorized", "never accepted");
    }

    @Test
    void twoAuthorizationHeadersAre401() {
        String answer = f.raw("GET /api/views HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_KEY
                + "\r\nAuthorization: Bearer " + READER_KEY + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 401").contains("send one Authorization header");
    }

    @Test
    void unknownApiRoutesNeedAKeyBeforeTheyAre404() {
        assertThat(f.get("/api/nothing-here", null).statusCode()).isEqualTo(401);
        assertError(f.get("/api/nothing-here", bearer(ADMIN_KEY)), 404, "not_found", "no such endpoint");
        assertError(f.get("/api/views/" + enc(UNCONFIRMED) + "/other", bearer(ADMIN_KEY)), 404, "not_found",
                "no such endpoint");
        assertError(f.get("/nothing-here", null), 404, "not_found", "no such endpoint: GET /nothing-here");
    }

    // --- views and isolation --------------------------------------------------------------------

    @Test
    void listsOnlyTheViewsTheKeyMaySeeWithTheirPushState() {
        JsonNode a = json(f.get("/api/views", bearer(PARTNER_A_KEY)));
        assertThat(a).hasSize(1);
        JsonNode v = a.get(0);
        assertThat(fieldNames(v)).containsExactly("name", "table", "key", "fields", "writable", "pushable", "lastStart",
                "lastSuccess", "lastFailure", "lastFailureReason", "consecutiveFailures", "nextDue", "pushing", "paused",
                "pause");
        assertThat(v.get("name").asText()).isEqualTo(UNCONFIRMED);
        assertThat(v.get("table").asText()).isEqualTo("contract_orders");
        assertThat(v.get("key").asText()).isEqualTo("id");
        assertThat(v.get("fields").get(2).toString()).isEqualTo("{\"name\":\"amount\",\"type\":\"number\"}");
        assertThat(v.get("writable").toString()).isEqualTo("[\"receipt id\"]");
        assertThat(v.get("pushable").asBoolean()).isFalse();
        assertThat(v.get("lastStart").isNull()).isTrue();

        List<String> names = new ArrayList<>();
        json(f.get("/api/views", bearer(READER_KEY))).forEach(n -> names.add(n.get("name").asText()));
        assertThat(names).containsExactly(PUSHED, NEW, UNCONFIRMED, SLASHED, EDITABLE, ApiFixture.RECEIPTED);
    }

    @Test
    void listShowsTheLastSuccessAndTheLastFailure() {
        assertThat(f.push(NEW, bearer(ADMIN_KEY)).statusCode()).isEqualTo(200);
        JsonNode ok = viewNamed(json(f.get("/api/views", bearer(ADMIN_KEY))), NEW);
        assertThat(ok.get("pushable").asBoolean()).isTrue();
        assertThat(ok.get("lastSuccess").asText()).endsWith("Z");
        // what the minimum interval counts from: the push's first request answered, not before its start
        assertThat(java.time.Instant.parse(ok.get("lastStart").asText()))
                .isAfterOrEqualTo(java.time.Instant.parse(ok.get("lastSuccess").asText()));
        assertThat(ok.get("consecutiveFailures").asInt()).isZero();

        f.order(3, "Cy", "1");
        f.transport.failNext(1, 500);
        JsonNode attempt = json(f.push(NEW, bearer(ADMIN_KEY)));
        assertThat(attempt.get("status").asText()).isEqualTo("failed");
        JsonNode failed = viewNamed(json(f.get("/api/views", bearer(ADMIN_KEY))), NEW);
        assertThat(failed.get("consecutiveFailures").asInt()).isEqualTo(1);
        assertThat(failed.get("lastFailure").asText()).endsWith("Z");
        assertThat(failed.get("lastFailureReason").asText()).contains("500");
    }

    private static JsonNode viewNamed(JsonNode list, String name) {
        for (JsonNode n : list) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no view " + name + " in " + list);
    }

    @Test
    void aKeyForViewAGetsTheSame403ForViewBAsForAViewThatDoesNotExist() {
        String key = bearer(PARTNER_A_KEY);
        HttpResponse<String> other = f.get("/api/views/" + enc(NEW), key);
        HttpResponse<String> none = f.get("/api/views/" + enc("no such view"), key);
        assertError(other, 403, "forbidden", "may not use view");
        assertError(none, 403, "forbidden", "may not use view");
        assertThat(json(other).get("detail").asText().replace(NEW, "?"))
                .isEqualTo(json(none).get("detail").asText().replace("no such view", "?"));

        for (String path : List.of("/api/views/" + enc(NEW) + "/rows/1", "/api/views/" + enc("no such view") + "/rows/1")) {
            HttpResponse<String> patch = f.send("PATCH", path, key, "application/json", "{\"receipt id\":\"R\"}");
            assertError(patch, 403, "forbidden", "may not use view");
        }
        for (String path : List.of("/api/views/" + enc(NEW) + "/push", "/api/views/" + enc("no such view") + "/push")) {
            assertError(f.send("POST", path, key, null, null), 403, "forbidden", "may not use view");
        }
        assertThat(f.row(1).get("receipt_id")).isNull();
        assertThat(f.transport.batches()).isEmpty();
    }

    @Test
    void anAdminKeyLimitedToOneViewCannotTouchAnother() {
        String key = bearer(PARTNER_B_KEY);
        assertError(f.push(PUSHED, key), 403, "forbidden", "may not use view");
        assertError(f.push("no such view", key), 403, "forbidden", "may not use view");
        assertError(f.get("/api/views/" + enc(PUSHED) + "/pushes", key), 403, "forbidden", "may not use view");
        assertThat(f.push(NEW, key).statusCode()).isEqualTo(200);
        assertThat(f.transport.batches()).extracting(b -> b.view()).containsOnly(NEW);
    }

    @Test
    void aKeyForEveryViewGets404ForAViewThatDoesNotExist() {
        assertError(f.get("/api/views/" + enc("no such view"), bearer(READER_KEY)), 404, "not_found",
                "no view named 'no such view'");
        assertError(f.push("no such view", bearer(ADMIN_KEY)), 404, "not_found", "no view named");
    }

    // --- admin operations -----------------------------------------------------------------------

    @Test
    void onlyAdminKeysPush() {
        assertError(f.push(NEW, bearer(READER_KEY)), 403, "forbidden", "not an admin key");
        assertThat(f.transport.batches()).isEmpty();

        HttpResponse<String> r = f.push(NEW, bearer(ADMIN_KEY));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode a = json(r);
        assertThat(fieldNames(a)).containsExactly("view", "trigger", "status", "outcome", "rowsSent", "rowsStamped",
                "rowsSkipped", "batches", "bytes", "httpStatus", "reason", "startedAt", "finishedAt", "durationMs",
                "webhookIds", "rowsHeldBack", "heldBack");
        assertThat(a.get("rowsHeldBack").asLong()).isZero();
        assertThat(a.get("heldBack")).isEmpty();
        assertThat(a.get("view").asText()).isEqualTo(NEW);
        assertThat(a.get("trigger").asText()).isEqualTo("manual");
        assertThat(a.get("status").asText()).isEqualTo("success");
        assertThat(a.get("outcome").asText()).isEqualTo("delivered");
        assertThat(a.get("rowsSent").asLong()).isEqualTo(2);
        assertThat(a.get("rowsStamped").asLong()).isEqualTo(2);
        assertThat(a.get("batches").asInt()).isEqualTo(1);
        assertThat(a.get("httpStatus").asInt()).isEqualTo(200);
        assertThat(a.get("webhookIds")).hasSize(1);
        assertThat(a.get("webhookIds").get(0).asText()).isEqualTo(f.transport.batches().get(0).webhookId());
        assertThat(f.row(1).get("last_pushed")).isNotNull();
    }

    @Test
    void aPushThatHeldRowsBackSaysWhichInItsAnswerAndInTheJournal() {
        f.store.table(io.viewpush.port.contract.ContractViews.TABLE).update(
                io.viewpush.port.contract.ContractViews.key(1), Map.of("customer", "A\ud800da"));

        JsonNode a = json(f.push(NEW, bearer(ADMIN_KEY)));

        assertThat(a.get("status").asText()).isEqualTo("success");
        assertThat(a.get("rowsSent").asLong()).isEqualTo(1);
        assertThat(a.get("rowsHeldBack").asLong()).isEqualTo(1);
        assertThat(a.get("heldBack").toString()).isEqualTo("[{\"key\":\"1\",\"field\":\"customer\",\"problem\":"
                + "\"is text that is not valid Unicode: a lone surrogate U+D800 at character 2, which JSON cannot carry\"}]");
        assertThat(a.get("reason").asText()).contains("1 row held back").contains("key 1, field 'customer'");
        JsonNode journal = json(f.get("/api/views/" + enc(NEW) + "/pushes", bearer(ADMIN_KEY)));
        assertThat(journal.get(0).get("heldBack")).isEqualTo(a.get("heldBack"));
        assertThat(f.row(1).get("last_pushed")).isNull();
        assertThat(f.row(2).get("last_pushed")).isNotNull();
    }

    @Test
    void pushingWhileTheEngineStopsIs503() {
        f.engine.close();
        assertError(f.push(NEW, bearer(ADMIN_KEY)), 503, "unavailable", "engine is stopping");
        assertThat(f.transport.batches()).isEmpty();
        assertThat(f.get("/api/views/" + enc(NEW), bearer(ADMIN_KEY)).statusCode()).isEqualTo(200);
    }

    @Test
    void pushingAPullOnlyViewIs409() {
        assertError(f.push(UNCONFIRMED, bearer(ADMIN_KEY)), 409, "not_pushable", "pull-only");
    }

    @Test
    void onlyAdminKeysReadTheJournalNewestFirst() {
        assertError(f.get("/api/views/" + enc(NEW) + "/pushes", bearer(READER_KEY)), 403, "forbidden", "not an admin key");
        f.push(NEW, bearer(ADMIN_KEY));
        f.order(3, "Cy", "1");
        f.transport.failNext(1, 503);
        f.push(NEW, bearer(ADMIN_KEY));
        f.push(NEW, bearer(ADMIN_KEY));

        JsonNode all = json(f.get("/api/views/" + enc(NEW) + "/pushes", bearer(ADMIN_KEY)));
        assertThat(all).hasSize(3);
        assertThat(all.get(0).get("status").asText()).isEqualTo("success");
        assertThat(all.get(1).get("status").asText()).isEqualTo("failed");
        assertThat(all.get(1).get("httpStatus").asInt()).isEqualTo(503);
        assertThat(all.get(2).get("rowsSent").asInt()).isEqualTo(2);
        assertThat(all.get(0).get("startedAt").asText().compareTo(all.get(2).get("startedAt").asText()))
                .isGreaterThanOrEqualTo(0);

        assertThat(json(f.get("/api/views/" + enc(NEW) + "/pushes?limit=1", bearer(ADMIN_KEY)))).hasSize(1);
        assertThat(json(f.get("/api/views/" + enc(UNCONFIRMED) + "/pushes", bearer(ADMIN_KEY)))).isEmpty();
    }

    @Test
    void theJournalLimitIsCheckedAndNamed() {
        String path = "/api/views/" + enc(NEW) + "/pushes?limit=";
        assertError(f.get(path + "0", bearer(ADMIN_KEY)), 400, "bad_parameter", "parameter 'limit' must be 1 to 1000");
        assertError(f.get(path + "1001", bearer(ADMIN_KEY)), 400, "bad_parameter", "parameter 'limit'");
        assertError(f.get(path + "ten", bearer(ADMIN_KEY)), 400, "bad_parameter", "parameter 'limit' must be a whole number");
        assertError(f.get(path + "1&limit=2", bearer(ADMIN_KEY)), 400, "bad_parameter", "given 2 times");
    }

    // --- methods --------------------------------------------------------------------------------

    @Test
    void aWrongMethodIs405WithAllow() {
        String v = "/api/views/" + enc(UNCONFIRMED);
        String[][] cases = {
                {"DELETE", v, "GET"},
                {"POST", "/api/views", "GET"},
                {"PUT", v + "/rows/1", "PATCH"},
                {"GET", v + "/push", "POST"},
                {"DELETE", v + "/pushes", "GET"},
                {"POST", "/api/views/" + enc("no such view"), "GET"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = f.send(c[0], c[1], bearer(PARTNER_A_KEY), null, null);
            assertError(r, 405, "method_not_allowed", c[2] + " only");
            assertThat(r.headers().firstValue("Allow")).as(c[0] + " " + c[1]).hasValue(c[2]);
        }
    }

    // --- paths ----------------------------------------------------------------------------------

    @Test
    void aViewNameIsDecodedOnceAndSlashesInsideItStayInside() {
        HttpResponse<String> slashed = f.get("/api/views/eu%2Forders", bearer(READER_KEY));
        assertThat(slashed.statusCode()).isEqualTo(200);
        assertThat(json(slashed)).hasSize(2);
        assertError(f.get("/api/views/eu/orders", bearer(READER_KEY)), 404, "not_found", "no such endpoint");
        assertError(f.get("/api/views/eu%252Forders", bearer(READER_KEY)), 404, "not_found", "no view named 'eu%2Forders'");
        assertThat(f.get("/api/views/unconfirmed%20orders", bearer(PARTNER_A_KEY)).statusCode()).isEqualTo(200);
        assertThat(f.get("/api/views/unconfirmed+orders", bearer(READER_KEY)).statusCode()).isEqualTo(404);
    }

    @Test
    void pathTricksReachNoOtherViewOrRoute() {
        String a = bearer(PARTNER_A_KEY);
        String[] forbidden = {
                "/api/views/..",
                "/api/views/%2E%2E",
                "/api/views/new%20orders%2F..%2Funconfirmed%20orders",
                "/api/views/..%2Fnew%20orders",
                "/api/views/unconfirmed%2520orders",
                "/api/views/unconfirmed%20orders%2Fpush",
                "/api/views/%2Fapi%2Fviews%2Funconfirmed%20orders",
        };
        for (String path : forbidden) {
            HttpResponse<String> r = f.get(path, a);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.body()).as(path).doesNotContain("Ada");
        }
        String[] noRoute = {
                "/api/views/../health",
                "/api/views/x/../../health",
                "/api/%76iews/unconfirmed%20orders",
                "/api/views/unconfirmed%20orders/%70ush",
                "/api//views/unconfirmed%20orders",
                "/api/views/",
                "/api/views/unconfirmed%20orders/rows/",
        };
        for (String path : noRoute) {
            HttpResponse<String> r = f.get(path, bearer(ADMIN_KEY));
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(json(r).get("detail").asText()).as(path).startsWith("no such endpoint");
        }
        // the pull route of a view named "unconfirmed orders/push", which takes GET only
        assertThat(f.send("POST", "/api/views/unconfirmed%20orders%2Fpush", bearer(ADMIN_KEY), null, null).statusCode())
                .isEqualTo(405);
        assertThat(f.transport.batches()).isEmpty();
    }

    @Test
    void aBadlyEncodedPathIs400() {
        for (String path : List.of("/api/views/abc%zz", "/api/views/abc%C3", "/api/views/abc%", "/api/views/%C0%AF")) {
            String answer = f.raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + ADMIN_KEY
                    + "\r\nConnection: close\r\n\r\n");
            // Jetty refuses a path it cannot decode before the API routes it; the answer is the API's JSON all the same
            assertThat(answer).as(path).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/json")
                    .contains("{\"error\":\"bad_request\",\"detail\":").contains("percent-encod")
                    .doesNotContain("no view named");
        }
        assertError(f.get("/api/views/abc%C3", bearer(ADMIN_KEY)), 400, "bad_request", "percent-encod");
    }

    @Test
    void aNameSentAsRawUtf8IsReadAsUtf8() {
        String answer = f.raw(("GET /api/views/caf\u00e9%20orders HTTP/1.1\r\nHost: x\r\nAuthorization: " + READER_KEY
                + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(answer).startsWith("HTTP/1.1 404").contains("no view named 'caf\u00e9 orders'");
    }

    @Test
    void theHostHeaderDoesNotMatter() {
        String answer = f.raw("GET /health HTTP/1.1\r\nHost: somewhere.example:1234\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("{\"status\":\"ok\"}");
        String pull = f.raw("GET /api/views/unconfirmed%20orders HTTP/1.1\r\nHost: other.example\r\nAuthorization: "
                + PARTNER_A_KEY + "\r\nConnection: close\r\n\r\n");
        assertThat(pull).startsWith("HTTP/1.1 200").contains("\"Ada\"");
    }

    // --- failures -------------------------------------------------------------------------------

    @Test
    void aFailureIs500WithAReferenceAndNothingInside() {
        ApiFixture failing = new ApiFixture(b -> b.textRoute("/broken", ApiServer.Access.PUBLIC, "text/plain", () -> {
            throw new IllegalStateException("secret internals at io.viewpush.Something");
        }));
        try {
            HttpResponse<String> r = failing.get("/broken", null);
            assertError(r, 500, "internal_error", "reference");
            assertThat(r.body()).doesNotContain("Exception", "exception", "secret internals", "at io.", "io.viewpush",
                    "\\n");
        } finally {
            failing.close();
        }
    }

    @Test
    void responsesAreNotCached() {
        HttpResponse<String> r = f.get("/api/views/" + enc(UNCONFIRMED), bearer(ADMIN_KEY));
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
}
