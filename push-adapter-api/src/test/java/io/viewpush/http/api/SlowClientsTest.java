package io.viewpush.http.api;

import io.viewpush.engine.ViewPush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.viewpush.http.api.ApiFixture.ADMIN_KEY;
import static io.viewpush.http.api.ApiFixture.UNCONFIRMED;
import static io.viewpush.http.api.ApiFixture.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one client (with a key or without) can do to everyone else by being slow: drip a head or a
 * body, hold back a body the server will not read, or stop reading a pull. Each must cost the others
 * nothing: deadlines for heads and bodies whatever the connection's state, no drained bodies, no
 * {@code 100 Continue} before the key and route are accepted, a bound on pulls and a cut for a stalled
 * reader.
 */
class SlowClientsTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private ApiFixture fixture(java.util.function.Consumer<ApiServer.Builder> options) {
        ApiFixture f = new ApiFixture(options);
        toClose.add(f);
        return f;
    }

    private Socket open(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(15_000);
        toClose.add(s);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads until the server closes the connection (or resets it). */
    private static String readAll(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                got.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // cut: what was read so far is the answer
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static String readHead(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder got = new StringBuilder();
        while (!got.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            got.append((char) c);
        }
        return got.toString();
    }

    @Test
    void thirtyTwoSlowDripConnectionsLeaveHealthAnsweringWithinASecond() throws Exception {
        ApiFixture f = fixture(b -> { });
        String patch = "/api/views/" + enc(UNCONFIRMED) + "/rows/1";
        List<Socket> drips = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Socket s = open(f.server.port());
            String key = i % 2 == 0 ? "Authorization: " + ADMIN_KEY + "\r\n" : "";
            String head;
            switch (i % 4) {
                case 0, 1 -> head = "PATCH " + patch + " HTTP/1.1\r\nHost: x\r\n" + key
                        + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{";
                case 2 -> head = "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{";
                default -> head = "GET /api/views HTTP/1.1\r\nHost: x\r\n" + key; // a head that never ends
            }
            send(s, head);
            drips.add(s);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
        int round = 0;
        while (System.nanoTime() < end) {
            for (Socket s : drips) {
                try {
                    send(s, "x");
                } catch (IOException cut) {
                    // the server cut it: fine
                }
            }
            long start = System.nanoTime();
            HttpResponse<String> health = f.send(java.net.http.HttpRequest.newBuilder(f.uri("/health"))
                    .timeout(Duration.ofSeconds(5)).build());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(health.statusCode()).as("round %d", round).isEqualTo(200);
            assertThat(ms).as("round %d: /health answered in ms", round).isLessThan(1_000L);
            round++;
            Thread.sleep(2_000);
        }
        assertThat(round).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aBodyThatTricklesInIsCutAtTheBodyTimeoutWhateverItsPace() throws Exception {
        ApiFixture f = fixture(b -> b.bodyTimeout(Duration.ofMillis(800)).idleTimeout(Duration.ofSeconds(30)));
        f.order(1, "Ada", "1");
        Socket s = open(f.server.port());
        long start = System.nanoTime();
        send(s, "PATCH /api/views/" + enc(UNCONFIRMED) + "/rows/1 HTTP/1.1\r\nHost: x\r\nAuthorization: " + ADMIN_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
        Thread dripper = new Thread(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    Thread.sleep(100);
                    send(s, " ");
                }
            } catch (IOException | InterruptedException stopped) {
                // cut by the server, or the test ended
            }
        });
        dripper.setDaemon(true);
        dripper.start();
        String answer = readAll(s);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close")
                .contains("request_timeout");
        assertThat(ms).isBetween(700L, 4_000L);
        assertThat(f.row(1).get("receipt_id")).isNull();
    }

    @Test
    void aHeadThatTricklesInIsCutAtTheHeaderTimeoutEvenAfterARequest() throws Exception {
        ApiFixture f = fixture(b -> b.headerTimeout(Duration.ofMillis(500)).idleTimeout(Duration.ofSeconds(30)));
        Socket s = open(f.server.port());
        send(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(readHead(s)).startsWith("HTTP/1.1 200");
        long start = System.nanoTime();
        Thread dripper = new Thread(() -> {
            try {
                for (char c : "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".toCharArray()) {
                    send(s, String.valueOf(c));
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException stopped) {
                // cut by the server, or the test ended
            }
        });
        dripper.setDaemon(true);
        dripper.start();
        readAll(s);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 4_000L);
    }

    @Test
    void continueIsSentOnlyAfterTheKeyAndTheRouteAreAccepted() throws Exception {
        ApiFixture f = fixture(b -> { });
        f.order(1, "Ada", "1");
        String head = "PATCH /api/views/" + enc(UNCONFIRMED) + "/rows/1 HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 19\r\nExpect: 100-continue\r\n";
        Socket noKey = open(f.server.port());
        send(noKey, head + "\r\n");
        String refused = readHead(noKey);
        assertThat(refused).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");

        Socket wrongRoute = open(f.server.port());
        send(wrongRoute, head.replace("/rows/1", "/rowz/1") + "Authorization: " + ADMIN_KEY + "\r\n\r\n");
        assertThat(readHead(wrongRoute)).startsWith("HTTP/1.1 404");

        Socket accepted = open(f.server.port());
        send(accepted, head + "Authorization: " + ADMIN_KEY + "\r\n\r\n");
        assertThat(readHead(accepted)).startsWith("HTTP/1.1 100");
        send(accepted, "{\"receipt id\":\"R1\"}");
        assertThat(readHead(accepted)).startsWith("HTTP/1.1 200");
        assertThat(f.row(1).get("receipt_id")).isEqualTo("R1");
    }

    @Test
    void aBodyThatIsNotReadIsAnsweredWithConnectionCloseNotDrained() throws Exception {
        ApiFixture f = fixture(b -> { });
        for (String request : List.of(
                "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{",
                "GET /api/views HTTP/1.1\r\nHost: x\r\nAuthorization: " + ADMIN_KEY + "\r\nContent-Length: 100000\r\n\r\n{",
                "PATCH /api/views/" + enc(UNCONFIRMED) + "/rows/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                        + "Content-Type: application/json\r\n\r\n{")) {
            Socket s = open(f.server.port());
            long start = System.nanoTime();
            send(s, request);
            String answer = readAll(s);
            assertThat(answer).as(request).containsIgnoringCase("connection: close");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as(request).isLessThan(5_000L);
        }
    }

    @Test
    void aStalledPullIsCutAndItsSlotAndCursorReleasedWhilePullsBeyondTheBoundAre503() throws Exception {
        ViewPush engine = new GeneratedRows(1_000_000).engine();
        ApiServer server = ApiServer.builder(engine).port(0).maxPulls(1).writeTimeout(Duration.ofSeconds(1))
                .key(ApiKey.allViews("admin", ADMIN_KEY, true)).build().start();
        toClose.add(engine);
        toClose.add(server);
        String pull = "GET /api/views/generated%20rows HTTP/1.1\r\nHost: x\r\nAuthorization: " + ADMIN_KEY
                + "\r\nConnection: close\r\n\r\n";
        Socket stalled = new Socket();
        toClose.add(stalled);
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
        send(stalled, pull);
        Thread.sleep(300);
        // the stalled pull holds the only slot: another pull is told to come back, /health still answers
        Socket second = open(server.port());
        send(second, pull);
        String busy = readAll(second);
        assertThat(busy).startsWith("HTTP/1.1 503").contains("Retry-After").contains("\"unavailable\"");
        Socket health = open(server.port());
        send(health, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(readAll(health)).startsWith("HTTP/1.1 200");
        // within a few seconds the stalled reader is cut and the slot is free again
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        String answer;
        do {
            Thread.sleep(250);
            Socket again = open(server.port());
            send(again, "GET /api/views/generated%20rows?limit=2 HTTP/1.1\r\nHost: x\r\nAuthorization: " + ADMIN_KEY
                    + "\r\nConnection: close\r\n\r\n");
            answer = readAll(again);
        } while (!answer.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline);
        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"id\":2");
    }

    @Test
    void oneKeyCannotTakeEveryPullSlotFromTheOthers() throws Exception {
        ViewPush engine = new GeneratedRows(1_000_000).engine();
        String other = "other-key-0123456789abcdef";
        ApiServer server = ApiServer.builder(engine).port(0).maxPulls(2).writeTimeout(Duration.ofSeconds(20))
                .key(ApiKey.allViews("admin", ADMIN_KEY, true)).key(ApiKey.allViews("other", other, false))
                .build().start();
        toClose.add(engine);
        toClose.add(server);
        String pull = "GET /api/views/generated%20rows HTTP/1.1\r\nHost: x\r\nAuthorization: KEY\r\n"
                + "Connection: close\r\n\r\n";
        Socket slow = new Socket();
        toClose.add(slow);
        slow.setReceiveBufferSize(4096);
        slow.connect(new InetSocketAddress("127.0.0.1", server.port()));
        send(slow, pull.replace("KEY", ADMIN_KEY));
        Thread.sleep(300);
        Socket again = open(server.port());
        send(again, pull.replace("KEY", ADMIN_KEY));
        assertThat(readAll(again)).startsWith("HTTP/1.1 503").contains("key 'admin' already has 1 pulls streaming");
        Socket others = open(server.port());
        send(others, pull.replace("KEY", other).replace("generated%20rows", "generated%20rows?limit=2"));
        assertThat(readAll(others)).startsWith("HTTP/1.1 200").contains("\"id\":2");
    }
}
