package io.viewpush.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.viewpush.http.api.ApiFixture.ADMIN_KEY;
import static io.viewpush.http.api.ApiFixture.NEW;
import static io.viewpush.http.api.ApiFixture.PARTNER_A_KEY;
import static io.viewpush.http.api.ApiFixture.PUSHED;
import static io.viewpush.http.api.ApiFixture.READER_KEY;
import static io.viewpush.http.api.ApiFixture.SLASHED;
import static io.viewpush.http.api.ApiFixture.UNCONFIRMED;
import static io.viewpush.http.api.ApiFixture.bearer;
import static io.viewpush.http.api.ApiFixture.enc;
import static io.viewpush.http.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the web console is served with and the endpoints it uses besides the API's own: its files
 * (public, with headers that forbid foreign scripts and framing), {@code GET /api/me},
 * {@code GET /api/views/{view}/definition} and {@code GET /api/views/{view}/waiting}.
 */
class ConsoleEndpointsTest {
    private ApiFixture api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void theConsoleIsServedWithoutAKeyAndForbidsForeignScriptsAndFraming() {
        api = new ApiFixture();
        HttpResponse<String> page = api.get("/console/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(page.body()).contains("<script src=\"console.js\" defer></script>").doesNotContain("http://",
                "https://");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> js = api.get("/console/console.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=UTF-8");
        // the key travels in the Authorization header, is kept per tab, and data never becomes markup
        // the only address in the script is SVG's namespace, which is a name and never fetched
        assertThat(js.body().replace("'http://www.w3.org/2000/svg'", "")).contains("'Authorization': 'Bearer ' + key", "sessionStorage")
                .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                        "document.cookie", "localStorage", "?key=", "http://", "https://");
        assertThat(api.get("/console/console.css", null).statusCode()).isEqualTo(200);
    }

    @Test
    void consolePathsOtherThanItsFilesAreNotFoundAndTheBarePathRedirects() {
        api = new ApiFixture();
        HttpResponse<String> bare = api.get("/console", null);
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("console/");
        assertThat(api.get("/console/secret.txt", null).statusCode()).isEqualTo(404);
        assertThat(api.get("/console/..%2Fapi", null).statusCode()).isEqualTo(404);
        assertThat(api.get("/console/x/console.js", null).statusCode()).isEqualTo(404);
        assertThat(api.send("POST", "/console/", null, null, null).statusCode()).isEqualTo(405);
    }

    @Test
    void aBuilderCanLeaveTheConsoleOut() {
        api = new ApiFixture(b -> b.console(false));
        assertThat(api.get("/console/", null).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/me", bearer(ADMIN_KEY)).statusCode()).isEqualTo(200);
    }

    @Test
    void meNamesTheKeyItsRightsAndItsViews() {
        api = new ApiFixture();
        JsonNode admin = json(api.get("/api/me", bearer(ADMIN_KEY)));
        assertThat(admin.get("name").asText()).isEqualTo("admin");
        assertThat(admin.get("admin").asBoolean()).isTrue();
        assertThat(texts(admin.get("views"))).contains(PUSHED, NEW, UNCONFIRMED, SLASHED);

        JsonNode partner = json(api.get("/api/me", bearer(PARTNER_A_KEY)));
        assertThat(partner.get("name").asText()).isEqualTo("partner-a");
        assertThat(partner.get("admin").asBoolean()).isFalse();
        assertThat(texts(partner.get("views"))).containsExactly(UNCONFIRMED);

        HttpResponse<String> refused = api.get("/api/me", bearer("not-a-key-0123456789abc"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).get("error").asText()).isEqualTo("unauthorized");
        assertThat(api.get("/api/me", null).statusCode()).isEqualTo(401);
        assertThat(api.send("POST", "/api/me", bearer(ADMIN_KEY), null, null).statusCode()).isEqualTo(405);
    }

    @Test
    void theDefinitionShowsFieldsCalculationsFiltersAndPushSettingsButNoSecretAndTheUrlOnlyToAdmins() {
        // the transport's settings are the host's to describe (the app describes its HTTP targets)
        api = new ApiFixture(b -> b.pushTargets(view -> view.equals(PUSHED)
                ? java.util.Map.of("url", "http://127.0.0.1:9/\u2026", "format", "form", "signed", false)
                : java.util.Map.of()));
        JsonNode d = json(api.get("/api/views/" + enc(PUSHED) + "/definition", bearer(ADMIN_KEY)));
        assertThat(d.get("name").asText()).isEqualTo(PUSHED);
        assertThat(d.get("table").asText()).isEqualTo(io.viewpush.port.contract.ContractViews.TABLE);
        assertThat(d.get("key").asText()).isEqualTo("id");
        JsonNode customer = d.get("fields").get(1);
        assertThat(customer.get("name").asText()).isEqualTo("customer");
        assertThat(customer.get("column").asText()).isEqualTo("customer");
        assertThat(customer.get("type").asText()).isNotBlank();
        assertThat(customer.get("writable").asBoolean()).isFalse();
        assertThat(d.get("calculations").get(0).get("name").asText()).isEqualTo("needs pushing");
        assertThat(d.get("calculations").get(0).get("expression").asText())
                .isEqualTo("{last modified [auto]} > {last pushed}");
        assertThat(texts(d.get("filters"))).containsExactly("{needs pushing} = true");
        JsonNode push = d.get("push");
        assertThat(push.get("url").asText()).isEqualTo("http://127.0.0.1:9/\u2026");
        assertThat(push.get("stamp").asText()).isEqualTo("last pushed");
        assertThat(push.get("modified").asText()).isEqualTo("last modified [auto]");
        assertThat(push.get("minInterval").asText()).isEqualTo("PT0S");
        assertThat(push.get("signed").asBoolean()).isFalse();

        JsonNode asReader = json(api.get("/api/views/" + enc(PUSHED) + "/definition", bearer(READER_KEY)));
        assertThat(asReader.get("push").has("url")).isFalse();
        assertThat(asReader.get("push").get("stamp").asText()).isEqualTo("last pushed");

        assertThat(json(api.get("/api/views/" + enc(SLASHED) + "/definition", bearer(ADMIN_KEY))).get("push")
                .isNull()).isTrue();
        // a key that may not see the view learns nothing, as everywhere in the API
        HttpResponse<String> hidden = api.get("/api/views/" + enc(PUSHED) + "/definition", bearer(PARTNER_A_KEY));
        assertThat(hidden.statusCode()).isEqualTo(403);
        assertThat(api.get("/api/views/nope/definition", bearer(PARTNER_A_KEY)).statusCode()).isEqualTo(403);
        assertThat(api.get("/api/views/nope/definition", bearer(ADMIN_KEY)).statusCode()).isEqualTo(404);
    }

    @Test
    void waitingCountsTheRowsAPushWouldSendUpToALimitAndServesTheCountForAWhile() {
        api = new ApiFixture();
        String path = "/api/views/" + enc(NEW) + "/waiting";
        JsonNode none = json(api.get(path, bearer(ADMIN_KEY)));
        assertThat(none.get("rows").asLong()).isZero();
        assertThat(none.get("more").asBoolean()).isFalse();
        assertThat(none.get("limit").asInt()).isEqualTo(RowsWaiting.LIMIT);

        api = restart();
        for (int i = 1; i <= 3; i++) {
            api.order(i, "c" + i, "1.00");
        }
        JsonNode three = json(api.get(path, bearer(READER_KEY)));
        assertThat(three.get("view").asText()).isEqualTo(NEW);
        assertThat(three.get("rows").asLong()).isEqualTo(3);
        assertThat(three.get("countedAt").asText()).endsWith("Z");
        // served from the count just made: a console left open costs one bounded read per period
        api.order(4, "c4", "1.00");
        assertThat(json(api.get(path, bearer(READER_KEY))).get("rows").asLong()).isEqualTo(3);
        // ... until a push now through the API, which makes the next call count again
        assertThat(api.push(NEW, bearer(ADMIN_KEY)).statusCode()).isEqualTo(200);
        assertThat(json(api.get(path, bearer(READER_KEY))).get("rows").asLong()).isZero();

        api = restart();
        for (int i = 1; i <= RowsWaiting.LIMIT + 5; i++) {
            api.order(i, "c" + i, "1.00");
        }
        JsonNode many = json(api.get(path, bearer(ADMIN_KEY)));
        assertThat(many.get("rows").asLong()).isEqualTo(RowsWaiting.LIMIT);
        assertThat(many.get("more").asBoolean()).isTrue();
        assertThat(api.get("/api/views/" + enc(NEW) + "/waiting", bearer(PARTNER_A_KEY)).statusCode()).isEqualTo(403);
    }

    @Test
    void consoleResponsesAreNotCached() {
        api = new ApiFixture();
        HttpResponse<String> page = api.get("/console/", null);
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body().getBytes(StandardCharsets.UTF_8).length).isEqualTo(
                Integer.parseInt(page.headers().firstValue("Content-Length").orElseThrow()));
    }

    private ApiFixture restart() {
        api.close();
        return new ApiFixture();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
