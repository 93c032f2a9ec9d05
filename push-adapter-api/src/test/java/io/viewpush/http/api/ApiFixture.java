package io.viewpush.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.viewpush.engine.ViewPush;
import io.viewpush.expression.ValueType;
import io.viewpush.port.contract.ContractViews;
import io.viewpush.port.contract.TestColumn;
import io.viewpush.testing.InMemoryStore;
import io.viewpush.testing.RecordingTransport;
import io.viewpush.view.ViewDefinition;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real engine over the domain's fakes, a real API server on 127.0.0.1 and a real HTTP client.
 * Views: the three contract set-ups ({@value #PUSHED}, {@value #NEW}, {@value #UNCONFIRMED}) plus
 * {@value #SLASHED} (a name with a slash), {@value #EDITABLE} (every type writable) and
 * {@value #RECEIPTED} (pushed once, and confirmed by a receipt: both take a row out).
 */
final class ApiFixture implements AutoCloseable {
    static final String PUSHED = "orders to push";
    static final String NEW = "new orders";
    static final String UNCONFIRMED = "unconfirmed orders";
    static final String SLASHED = "eu/orders";
    static final String EDITABLE = "editable orders";
    static final String RECEIPTED = "unsent unconfirmed orders";

    /** Every view, admin. */
    static final String ADMIN_KEY = "admin-key-0123456789abcdef";
    /** Only {@value #UNCONFIRMED}, not admin. */
    static final String PARTNER_A_KEY = "partner-a-key-0123456789";
    /** Only {@value #NEW}, admin. */
    static final String PARTNER_B_KEY = "partner-b-key-0123456789";
    /** Every view, not admin. */
    static final String READER_KEY = "reader-key-0123456789abcd";

    static final ObjectMapper JSON = new ObjectMapper();

    final InMemoryStore store = InMemoryStore.create();
    final RecordingTransport transport = new RecordingTransport();
    final ViewPush engine;
    final ApiServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    ApiFixture() {
        this(b -> { });
    }

    /** @param options changes to the server's builder (keys and port are already set) */
    ApiFixture(Consumer<ApiServer.Builder> options) {
        this(views(), options);
    }

    /**
     * @param views   the engine's views
     * @param options changes to the server's builder (keys and port are already set)
     */
    ApiFixture(List<ViewDefinition> views, Consumer<ApiServer.Builder> options) {
        Map<String, ValueType> columns = new LinkedHashMap<>();
        for (TestColumn c : ContractViews.COLUMNS) {
            columns.put(c.name(), c.type());
        }
        store.createTable(ContractViews.TABLE, columns, "id");
        engine = ViewPush.builder().store(store).transport(transport).views(views).build();
        ApiServer.Builder b = ApiServer.builder(engine)
                .port(0)
                .key(ApiKey.allViews("admin", ADMIN_KEY, true))
                .key(new ApiKey("partner-a", PARTNER_A_KEY, List.of(UNCONFIRMED), false))
                .key(new ApiKey("partner-b", PARTNER_B_KEY, List.of(NEW), true))
                .key(ApiKey.allViews("reader", READER_KEY, false));
        options.accept(b);
        server = b.build().start();
    }

    static List<ViewDefinition> views() {
        return List.of(
                ContractViews.modifiedSincePushed(),
                ContractViews.neverPushed(),
                ContractViews.notConfirmed(),
                ContractViews.base(SLASHED).build(),
                ContractViews.base(EDITABLE)
                        .writable("customer", "amount", "last pushed", "receipt id", "flag", "due")
                        .build(),
                ContractViews.base(RECEIPTED)
                        .filter("{receipt id} is empty")
                        .filter("{last pushed} is empty")
                        .writable("receipt id")
                        .push(ContractViews.policy().build())
                        .build());
    }

    /** Inserts order {@code id} with the contract's values. */
    void order(int id, String customer, String amount) {
        store.table(ContractViews.TABLE).insert(ContractViews.order(id, customer, amount,
                LocalDateTime.of(2024, 1, 31, 10, 15, 30, 123_456_000).plusMinutes(id)));
    }

    Map<String, Object> row(int id) {
        return store.table(ContractViews.TABLE).row(ContractViews.key(id)).orElseThrow();
    }

    URI uri(String rawPath) {
        return URI.create("http://127.0.0.1:" + server.port() + rawPath);
    }

    HttpResponse<String> get(String rawPath, String authorization) {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(rawPath)).GET();
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return send(r.build());
    }

    HttpResponse<String> send(String method, String rawPath, String authorization, String contentType, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(rawPath)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        return send(r.build());
    }

    HttpResponse<String> patch(String view, String rawKey, String authorization, String json) {
        return send("PATCH", "/api/views/" + enc(view) + "/rows/" + rawKey, authorization, "application/json", json);
    }

    HttpResponse<String> push(String view, String authorization) {
        return send("POST", "/api/views/" + enc(view) + "/push", authorization, null, null);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Encodes a view name for a path: spaces as %20, slashes as %2F. */
    static String enc(String name) {
        return name.replace("%", "%25").replace(" ", "%20").replace("/", "%2F");
    }

    static String bearer(String key) {
        return "Bearer " + key;
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /**
     * Sends raw bytes on a new connection and reads until the server closes it.
     *
     * @return everything the server sent
     */
    String raw(String request) {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@link #raw(String)} with the request's exact bytes. */
    String raw(byte[] request) {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
