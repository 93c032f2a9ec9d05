package io.viewpush.http.transport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.viewpush.expression.ValueType;
import io.viewpush.push.Delivery;
import io.viewpush.http.transport.HttpPushTarget.BodyFormat;
import io.viewpush.testing.SettableClock;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a receiver gets, byte for byte, in both formats (README, "The push request"). */
class HttpPushTransportFormatTest {
    /** The JSON of {@link TestViews#awkwardRows}, written out by hand. */
    static final String AWKWARD_JSON = "["
            + "{\"id\":1,\"customer\":\"Ann & Bob = \\\"best\\\" + 100% #1\",\"amount\":1.10,\"paid\":true,"
            + "\"last pushed\":\"2024-01-31T10:00:00\",\"placed at\":\"2024-01-31T10:00:00+01:00\",\"due\":\"2024-01-31\"},"
            + "{\"id\":2,\"customer\":\"back\\\\slash\\nnew line\\ttab, é, 漢字, emoji 😀\","
            + "\"amount\":12345678901234567890.123456789,\"paid\":false,"
            + "\"last pushed\":\"2024-02-29T23:59:58.5\",\"placed at\":\"2024-02-29T23:59:58.123456Z\",\"due\":\"1999-12-31\"},"
            + "{\"id\":3,\"customer\":null,\"amount\":null,\"paid\":null,\"last pushed\":null,\"placed at\":null,\"due\":null},"
            + "{\"id\":4,\"customer\":\"" + "x".repeat(100_000) + "→end\",\"amount\":-0.000001,\"paid\":true,"
            + "\"last pushed\":\"2024-03-01T00:00:01.123456789\",\"placed at\":\"2024-03-01T00:00:00-05:30\",\"due\":\"2024-03-01\"},"
            + "{\"id\":5,\"customer\":\"\",\"amount\":1000,\"paid\":false,\"last pushed\":null,\"placed at\":null,\"due\":null}"
            + "]";

    private static final Instant NOW = Instant.parse("2024-05-06T07:08:09Z");

    @TempDir
    Path spool;
    private Receiver receiver;
    private HttpPushTransport transport;
    private final SettableClock clock = new SettableClock(NOW);

    @BeforeEach
    void start() throws IOException {
        receiver = new Receiver();
        transport = HttpPushTransport.builder().clock(clock).spoolDirectory(spool).build();
    }

    @AfterEach
    void stop() {
        transport.close();
        receiver.close();
    }

    @Test
    void sendsTheFormParameterJsonUrlEncodedByteForByte() throws IOException {
        View view = TestViews.view(receiver.uri("/hook"), p -> p);
        Delivery d = transport.send(view, TestViews.target(view), TestViews.awkwardRows(view).iterator());

        assertThat(d.delivered()).isTrue();
        Receiver.Request r = receiver.only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri().toString()).isEqualTo("/hook");
        assertThat(r.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded; charset=UTF-8");
        byte[] expected = ("json=" + URLEncoder.encode(AWKWARD_JSON, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        assertThat(r.body()).isEqualTo(expected);
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(expected.length));
        assertThat(new String(r.body(), StandardCharsets.US_ASCII).substring(5)).matches("[A-Za-z0-9*._+%-]*");
        assertThat(d.bytes()).isEqualTo(expected.length);
        assertThat(d.rows()).isEqualTo(5);

        String json = URLDecoder.decode(new String(r.body(), StandardCharsets.US_ASCII).substring("json=".length()), StandardCharsets.UTF_8);
        assertJsonEqualsRows(json, TestViews.awkwardRows(view));
    }

    @Test
    void sendsTheArrayAsTheBodyInJsonFormat() throws IOException {
        View view = TestViews.view(receiver.uri("/hook"), p -> p.format(BodyFormat.JSON));
        Delivery d = transport.send(view, TestViews.target(view), TestViews.awkwardRows(view).iterator());

        assertThat(d.delivered()).isTrue();
        Receiver.Request r = receiver.only();
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo(AWKWARD_JSON.getBytes(StandardCharsets.UTF_8));
        assertJsonEqualsRows(r.bodyText(), TestViews.awkwardRows(view));
    }

    @Test
    void sendsAnEmptyBatchAsAnEmptyArray() {
        View view = TestViews.view(receiver.uri("/hook"), p -> p);
        Delivery d = transport.send(view, TestViews.target(view), List.<Row>of().iterator());
        assertThat(d.delivered()).isTrue();
        assertThat(d.rows()).isZero();
        assertThat(receiver.only().bodyText()).isEqualTo("json=%5B%5D");
    }

    @Test
    void namesItselfAndTheBatchInTheHeaders() throws Exception {
        View view = TestViews.view(receiver.uri("/hook"), p -> p);
        Delivery d = transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 3).iterator());

        Receiver.Request r = receiver.only();
        assertThat(r.header("User-Agent")).isEqualTo("ViewPush/" + HttpPushTransport.VERSION)
                .matches("ViewPush/\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(r.header("webhook-timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(r.header("webhook-signature")).isNull();
        assertThat(r.header("webhook-id")).isEqualTo(d.webhookId()).isEqualTo(expectedId(view.name(), r.body()))
                .matches("msg_[0-9a-f]{64}");
    }

    @Test
    void derivesTheIdFromTheViewAndTheExactBatch() {
        View view = TestViews.view(receiver.uri("/hook"), p -> p);
        View otherView = TestViews.view("another view", receiver.uri("/hook"), p -> p);
        View jsonView = TestViews.view(receiver.uri("/hook"), p -> p.format(BodyFormat.JSON));

        String first = transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 3).iterator()).webhookId();
        String again = transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 3).iterator()).webhookId();
        String fewer = transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 2).iterator()).webhookId();
        String shifted = transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 2, 3).iterator()).webhookId();
        String sameRowsOtherView = transport.send(otherView, TestViews.target(otherView), TestViews.simpleRows(otherView, 1, 3).iterator()).webhookId();
        String sameRowsOtherFormat = transport.send(jsonView, TestViews.target(jsonView), TestViews.simpleRows(jsonView, 1, 3).iterator()).webhookId();

        assertThat(again).isEqualTo(first);
        assertThat(Stream.of(first, fewer, shifted, sameRowsOtherView, sameRowsOtherFormat).distinct()).hasSize(5);
        // a new transport (a restart) derives the same id for the same batch
        try (HttpPushTransport restarted = HttpPushTransport.builder().spoolDirectory(spool).build()) {
            assertThat(restarted.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 3).iterator()).webhookId()).isEqualTo(first);
        }
    }

    @Test
    void reusesItsConnectionAcrossPushes() {
        View view = TestViews.view(receiver.uri("/hook"), p -> p);
        for (int i = 0; i < 3; i++) {
            assertThat(transport.send(view, TestViews.target(view), TestViews.simpleRows(view, i, 2).iterator()).delivered()).isTrue();
        }
        assertThat(receiver.requests()).extracting(Receiver.Request::remotePort).containsOnly(receiver.requests().get(0).remotePort());
    }

    @Test
    void deletesTheSpoolFileAfterSuccessAndFailure() throws IOException {
        View view = TestViews.view(receiver.uri("/hook"), p -> p);
        transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 3).iterator());
        assertThat(listSpool()).isEmpty();
        receiver.always(Receiver.Answer.of(400, "no"));
        assertThat(transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 3).iterator()).delivered()).isFalse();
        assertThat(listSpool()).isEmpty();
    }

    @Test
    void sendsUrlCredentialsAsBasicAuthAndTheQueryAsIsButNeverShowsThem() {
        URI url = URI.create("http://pusher:p%40ss%20word@127.0.0.1:" + receiver.port() + "/hook?token=s3cr3t-t0ken&x=1");
        View view = TestViews.view(url, p -> p.secret("whsec_c2lnbmluZy1zZWNyZXQ="));
        receiver.always(Receiver.Answer.of(401, "who are you?"));
        Delivery d;
        String logs;
        try (LogCapture capture = new LogCapture()) {
            d = transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 2).iterator());
            logs = capture.text();
        }
        Receiver.Request r = receiver.only();
        assertThat(r.header("Authorization")).isEqualTo("Basic "
                + java.util.Base64.getEncoder().encodeToString("pusher:p@ss word".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.uri().toString()).isEqualTo("/hook?token=s3cr3t-t0ken&x=1");
        assertThat(d.delivered()).isFalse();
        assertThat(d.reason()).isEqualTo("401 Unauthorized");
        assertThat(logs).contains("http://127.0.0.1:" + receiver.port() + "/\u2026").doesNotContain("/hook");
        for (String secret : List.of("s3cr3t-t0ken", "p%40ss", "p@ss", "pusher", "c2lnbmluZy1zZWNyZXQ", "signing-secret")) {
            assertThat(d.reason()).doesNotContain(secret);
            assertThat(logs).doesNotContain(secret);
            assertThat(TestViews.target(view).toString()).doesNotContain(secret);
        }
    }

    @Test
    void logsAWebhookUrlWithItsPathShapeOnlyNeverTheSecretInItsPath() {
        URI url = URI.create("http://127.0.0.1:" + receiver.port() + "/services/T000/B000/SECRETPATHTOKEN");
        View view = TestViews.view(url, p -> p.retry(TestViews.FAST));
        receiver.always(Receiver.Answer.of(503, "busy"));
        Delivery d;
        String logs;
        try (LogCapture capture = new LogCapture()) {
            d = transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 2).iterator());
            logs = capture.text();
        }
        assertThat(d.delivered()).isFalse();
        assertThat(logs).contains("retrying").contains("to http://127.0.0.1:" + receiver.port() + "/\u2026 ");
        assertThat(logs + d.reason()).doesNotContain("SECRETPATHTOKEN", "services", "T000", "B000");
    }

    private List<Path> listSpool() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        }
    }

    /** The webhook-id as the transport documents it, computed independently. */
    static String expectedId(String viewName, byte[] body) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] name = viewName.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(name.length).array());
        sha.update(name);
        sha.update(body);
        return "msg_" + HexFormat.of().formatHex(sha.digest());
    }

    /** Parses the JSON as a receiver would and compares it with the rows, value by value. */
    static void assertJsonEqualsRows(String json, List<Row> rows) throws IOException {
        JsonNode array = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            JsonNode object = array.get(i);
            List<String> keys = new java.util.ArrayList<>();
            object.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).isEqualTo(row.columns().names());
            for (int c = 0; c < row.columns().size(); c++) {
                Object value = row.get(c);
                JsonNode node = object.get(row.columns().name(c));
                if (value == null) {
                    assertThat(node.isNull()).as(row.columns().name(c)).isTrue();
                    continue;
                }
                ValueType type = row.columns().type(c);
                switch (type) {
                    case NUMBER -> {
                        assertThat(node.isNumber()).isTrue();
                        assertThat(node.decimalValue()).isEqualByComparingTo((BigDecimal) value);
                    }
                    case TEXT -> assertThat(node.textValue()).isEqualTo(value);
                    case BOOLEAN -> assertThat(node.booleanValue()).isEqualTo(value);
                    case TIMESTAMP -> assertThat(LocalDateTime.parse(node.textValue())).isEqualTo(value);
                    case TIMESTAMP_TZ -> assertThat(OffsetDateTime.parse(node.textValue())).isEqualTo(value);
                    case DATE -> assertThat(LocalDate.parse(node.textValue())).isEqualTo(value);
                    default -> throw new AssertionError(type);
                }
            }
        }
    }
}
