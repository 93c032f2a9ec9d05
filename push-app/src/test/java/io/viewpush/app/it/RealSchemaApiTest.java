package io.viewpush.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.ConfigLoader;
import io.viewpush.http.api.ApiServer;
import io.viewpush.port.PushListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API on the sample schema ({@link SampleSchema}) on a real PostgreSQL, in process: pull pages
 * of a composite-keyed view follow their {@code Link: <...>; rel="next"} header to the end, as do
 * a single key's, and PATCH addresses a row by its key values as path segments.
 */
class RealSchemaApiTest {
    private static final String KEY = "admin-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Postgres pg;

    @TempDir
    Path dir;
    private Assembly assembly;
    private ApiServer api;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startPostgres() {
        pg = new Postgres();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        pg.close();
    }

    @AfterEach
    void stop() {
        if (assembly != null) {
            assembly.close();
        }
    }

    private void start() {
        pg.sql(SampleSchema.POSTGRES);
        String yaml = pg.databaseYaml() + "server:\n  host: 127.0.0.1\n  port: 0\n"
                + "api:\n  keys:\n    - {name: admin, key: " + KEY + ", views: ['*'], admin: true}\n"
                + "views:\n"
                + "  - name: cast\n    table: film_actor\n    key: [actor_id, film_id]\n"
                + "    fields: {actor_id: actor_id, film_id: film_id, role: role}\n    writable: [role]\n"
                + "  - name: lines\n    table: '\"Sales\".\"Order Lines\"'\n    key: [order, line]\n"
                + "    fields: {order: Order Id, line: Zeile Nr, Größe: Größe}\n    writable: [Größe]\n"
                + "  - name: orders\n    table: sales.orders\n    key: id\n    fields: {id: id, customer: customer}\n";
        assembly = Assembly.open(ConfigLoader.parse(yaml, "push.yaml", dir, Map.of("PG_PASSWORD", "postgres")),
                PushListener.NONE);
        api = assembly.startApi();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Follows the Link headers from {@code first}; returns each page's rows as "k1/k2" texts. */
    private List<List<String>> pages(String first, String... keyFields) throws Exception {
        List<List<String>> pages = new ArrayList<>();
        String next = first;
        while (next != null) {
            HttpResponse<String> r = call("GET", next, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            List<String> page = new ArrayList<>();
            for (JsonNode row : JSON.readTree(r.body())) {
                List<String> values = new ArrayList<>();
                for (String f : keyFields) {
                    values.add(row.get(f).asText());
                }
                page.add(String.join("/", values));
            }
            pages.add(page);
            next = r.headers().firstValue("Link").map(l -> {
                assertThat(l).endsWith(">; rel=\"next\"");
                return l.substring(1, l.indexOf('>'));
            }).orElse(null);
            assertThat(pages.size()).as("pages").isLessThan(10);
        }
        return pages;
    }

    @Test
    void pullPagesFollowTheirLinkHeaderWithCompositeAndSingleKeys() throws Exception {
        start();
        assertThat(pages("/api/views/cast?limit=2", "actor_id", "film_id"))
                .containsExactly(List.of("1/1", "1/2"), List.of("1/10", "2/1"), List.of("10/1"));
        assertThat(pages("/api/views/cast?limit=5", "actor_id", "film_id")).as("the last page has no Link")
                .containsExactly(List.of("1/1", "1/2", "1/10", "2/1", "10/1"));
        assertThat(pages("/api/views/lines?limit=1", "order", "line"))
                .containsExactly(List.of("1/1"), List.of("1/2"), List.of("2/1"));
        assertThat(pages("/api/views/orders?limit=1", "customer")).containsExactly(List.of("Ada"), List.of("Grace"));
        JsonNode views = JSON.readTree(call("GET", "/api/views", null).body());
        assertThat(views.get(0).get("key").toString()).as("a composite key in the views list").isEqualTo("[\"actor_id\",\"film_id\"]");
        assertThat(views.get(2).get("key").asText()).isEqualTo("id");
        HttpResponse<String> all = call("GET", "/api/views/cast", null);
        assertThat(all.headers().firstValue("Link")).as("a pull without a limit is one page").isEmpty();
        HttpResponse<String> bad = call("GET", "/api/views/cast?after=1", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("after").contains("2 values (actor_id, film_id)");
    }

    @Test
    void patchAddressesARowByItsKeyValuesAsPathSegments() throws Exception {
        start();
        HttpResponse<String> r = call("PATCH", "/api/views/cast/rows/2/1", "{\"role\": \"lead\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("role").asText()).isEqualTo("lead");
        assertThat(pg.query("SELECT actor_id, film_id FROM film_actor WHERE role = 'lead'"))
                .containsExactly(Map.of("actor_id", 2, "film_id", 1));

        HttpResponse<String> lines = call("PATCH", "/api/views/lines/rows/1/2", "{\"Größe\": \"XL\"}");
        assertThat(lines.statusCode()).as(lines.body()).isEqualTo(200);
        assertThat(pg.query("SELECT \"Größe\" AS g FROM \"Sales\".\"Order Lines\" WHERE \"Order Id\" = 1 AND \"Zeile Nr\" = 2")
                .get(0).get("g")).isEqualTo("XL");

        assertThat(call("PATCH", "/api/views/cast/rows/2/2", "{\"role\": \"x\"}").statusCode()).as("no such row").isEqualTo(404);
        HttpResponse<String> tooFew = call("PATCH", "/api/views/cast/rows/2", "{\"role\": \"x\"}");
        assertThat(tooFew.statusCode()).isEqualTo(404);
        assertThat(tooFew.body()).contains("/rows/{actor_id}/{film_id}");
        assertThat(call("PATCH", "/api/views/cast/rows/2/x", "{\"role\": \"x\"}").statusCode()).isEqualTo(404);
        assertThat(call("PATCH", "/api/views/orders/rows/0b9a4c1e-0000-4000-8000-000000000001", "{}").statusCode())
                .as("a single key's path is unchanged").isEqualTo(400);
    }
}
