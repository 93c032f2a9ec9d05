package io.viewpush.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.viewpush.port.contract.ContractViews;
import io.viewpush.testing.RecordingTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.viewpush.http.api.ApiFixture.ADMIN_KEY;
import static io.viewpush.http.api.ApiFixture.NEW;
import static io.viewpush.http.api.ApiFixture.PARTNER_B_KEY;
import static io.viewpush.http.api.ApiFixture.PUSHED;
import static io.viewpush.http.api.ApiFixture.READER_KEY;
import static io.viewpush.http.api.ApiFixture.UNCONFIRMED;
import static io.viewpush.http.api.ApiFixture.bearer;
import static io.viewpush.http.api.ApiFixture.enc;
import static io.viewpush.http.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Admin {@code POST …/pause}, {@code …/resume}, {@code …/replay} and {@code GET …/replays}, and the pause in {@code GET /api/views}. */
class PauseAndReplayApiTest {
    private ApiFixture f;

    @BeforeEach
    void start() {
        f = new ApiFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private HttpResponse<String> post(String view, String action, String key, String body) {
        return f.send("POST", "/api/views/" + enc(view) + "/" + action, bearer(key), body == null ? null : "application/json",
                body);
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String detailPart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("detail").asText()).contains(detailPart);
    }

    private JsonNode listed(String view) {
        for (JsonNode v : json(f.get("/api/views", bearer(ADMIN_KEY)))) {
            if (v.get("name").asText().equals(view)) {
                return v;
            }
        }
        throw new AssertionError("no view " + view);
    }

    @Test
    void pauseShowsInTheListStopsPushesAndResumeEndsIt() {
        assertThat(listed(NEW).get("paused").asBoolean()).isFalse();
        assertThat(listed(NEW).get("pause").isNull()).isTrue();

        JsonNode paused = json(post(NEW, "pause", ADMIN_KEY, "{\"detail\": \"receiver maintenance\"}"));
        assertThat(paused.get("view").asText()).isEqualTo(NEW);
        assertThat(paused.get("paused").asBoolean()).isTrue();
        assertThat(paused.get("changed").asBoolean()).isTrue();
        assertThat(paused.get("pause").get("reason").asText()).isEqualTo("operator");
        assertThat(paused.get("pause").get("detail").asText()).isEqualTo("receiver maintenance");
        assertThat(paused.get("pause").get("by").asText()).isEqualTo("API key 'admin'");
        assertThat(paused.get("pause").get("since").asText()).endsWith("Z");

        JsonNode v = listed(NEW);
        assertThat(v.get("paused").asBoolean()).isTrue();
        assertThat(v.get("pause").get("reason").asText()).isEqualTo("operator");
        assertThat(v.get("pause").get("since").asText()).isEqualTo(paused.get("pause").get("since").asText());

        f.order(1, "Ann", "1");
        JsonNode attempt = json(f.push(NEW, bearer(ADMIN_KEY)));
        assertThat(attempt.get("status").asText()).isEqualTo("skipped");
        assertThat(attempt.get("outcome").asText()).isEqualTo("paused");
        assertThat(f.transport.batches()).isEmpty();

        JsonNode again = json(post(NEW, "pause", ADMIN_KEY, null));
        assertThat(again.get("changed").asBoolean()).isFalse();
        assertThat(again.get("pause").get("detail").asText()).isEqualTo("receiver maintenance");

        JsonNode resumed = json(post(NEW, "resume", ADMIN_KEY, null));
        assertThat(resumed.get("paused").asBoolean()).isFalse();
        assertThat(resumed.get("changed").asBoolean()).isTrue();
        assertThat(resumed.get("ended").get("detail").asText()).isEqualTo("receiver maintenance");
        assertThat(listed(NEW).get("paused").asBoolean()).isFalse();
        assertThat(json(post(NEW, "resume", ADMIN_KEY, null)).get("changed").asBoolean()).isFalse();
        assertThat(json(f.push(NEW, bearer(ADMIN_KEY))).get("status").asText()).isEqualTo("success");
    }

    @Test
    void aGoneReceiverShowsAsPausedWithWhy() {
        f.order(1, "Ann", "1");
        f.transport.respond(RecordingTransport.GONE);
        JsonNode attempt = json(f.push(NEW, bearer(ADMIN_KEY)));
        assertThat(attempt.get("outcome").asText()).isEqualTo("endpoint_gone");
        JsonNode v = listed(NEW);
        assertThat(v.get("paused").asBoolean()).isTrue();
        assertThat(v.get("pause").get("reason").asText()).isEqualTo("endpoint_gone");
        assertThat(v.get("pause").get("detail").asText()).contains("410");
    }

    @Test
    void replayClearsStampsCountsOnADryRunAndIsJournaled() {
        f.order(1, "Ann", "1");
        f.order(2, "Bo", "2");
        f.order(3, "Cy", "3");
        assertThat(json(f.push(NEW, bearer(ADMIN_KEY))).get("rowsStamped").asInt()).isEqualTo(3);

        JsonNode dry = json(post(NEW, "replay", ADMIN_KEY, "{\"all\": true, \"dryRun\": true}"));
        assertThat(dry.get("rows").asInt()).isEqualTo(3);
        assertThat(dry.get("dryRun").asBoolean()).isTrue();
        assertThat(f.row(1).get("last_pushed")).isNotNull();

        JsonNode r = json(post(NEW, "replay", ADMIN_KEY, "{\"keys\": [\"1\", 3]}"));
        assertThat(r.get("rows").asInt()).isEqualTo(2);
        assertThat(r.get("selection").asText()).isEqualTo("keys 1, 3");
        assertThat(r.get("by").asText()).isEqualTo("API key 'admin'");
        assertThat(f.row(1).get("last_pushed")).isNull();
        assertThat(f.row(2).get("last_pushed")).isNotNull();
        assertThat(f.row(3).get("last_pushed")).isNull();

        JsonNode since = json(post(NEW, "replay", ADMIN_KEY, "{\"since\": \"2000-01-01T00:00:00Z\"}"));
        assertThat(since.get("rows").asInt()).isEqualTo(1);

        JsonNode journal = json(f.get("/api/views/" + enc(NEW) + "/replays", bearer(ADMIN_KEY)));
        assertThat(journal).hasSize(2);
        assertThat(journal.get(0).get("selection").asText()).startsWith("since 2000-01-01T00:00:00Z");
        assertThat(journal.get(1).get("rows").asInt()).isEqualTo(2);
    }

    @Test
    void replayOfAViewWhoseFiltersIgnoreTheStampSaysWhyItCannotWork() {
        java.util.List<io.viewpush.view.ViewDefinition> views = new java.util.ArrayList<>(ApiFixture.views());
        views.add(ContractViews.base("receipts").filter("{receipt id} is empty").push(ContractViews.policy().build()).build());
        try (ApiFixture g = new ApiFixture(views, b -> { })) {
            HttpResponse<String> r = g.send("POST", "/api/views/receipts/replay", bearer(ADMIN_KEY), "application/json",
                    "{\"all\": true}");
            assertError(r, 400, "cannot_replay", "no filter of view 'receipts' depends on its stamp field 'last pushed'");
        }
    }

    @Test
    void badReplayRequestsAreRefusedNamingWhatIsWrong() {
        assertError(post(NEW, "replay", ADMIN_KEY, "{}"), 400, "bad_replay", "no rows chosen");
        assertError(post(NEW, "replay", ADMIN_KEY, "{\"all\": true, \"since\": \"2024-01-01\"}"), 400, "bad_replay",
                "one way only");
        assertError(post(NEW, "replay", ADMIN_KEY, "{\"all\": false}"), 400, "bad_replay", "\"all\" must be true");
        assertError(post(NEW, "replay", ADMIN_KEY, "{\"keys\": []}"), 400, "bad_replay", "at least one key");
        assertError(post(NEW, "replay", ADMIN_KEY, "{\"keys\": [\"x\"]}"), 400, "bad_key", "'x' is not a key");
        assertError(post(NEW, "replay", ADMIN_KEY, "{\"since\": \"last week\"}"), 400, "bad_replay", "'last week'");
        assertError(post(NEW, "replay", ADMIN_KEY, "{\"every\": true}"), 400, "bad_replay", "unknown member \"every\"");
        assertError(post(NEW, "replay", ADMIN_KEY, "{\"all\": true"), 400, "malformed_json", "not valid JSON");
        assertError(f.send("POST", "/api/views/" + enc(NEW) + "/replay", bearer(ADMIN_KEY), null, null), 415,
                "unsupported_media_type", "application/json");
    }

    @Test
    void onlyAdminKeysMayPauseResumeOrReplayAndOnlyPushableViews() {
        assertError(post(NEW, "pause", READER_KEY, null), 403, "forbidden", "admin");
        assertError(post(NEW, "resume", READER_KEY, null), 403, "forbidden", "admin");
        assertError(post(NEW, "replay", READER_KEY, "{\"all\": true}"), 403, "forbidden", "admin");
        assertError(f.get("/api/views/" + enc(NEW) + "/replays", bearer(READER_KEY)), 403, "forbidden", "admin");
        assertError(post(PUSHED, "pause", PARTNER_B_KEY, null), 403, "forbidden", "may not use view");
        assertError(post(UNCONFIRMED, "pause", ADMIN_KEY, null), 409, "not_pushable", "pull-only");
        assertError(f.send("GET", "/api/views/" + enc(NEW) + "/pause", bearer(ADMIN_KEY), null, null), 405,
                "method_not_allowed", "POST");
    }
}
