package io.viewpush.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.viewpush.engine.ViewPush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static io.viewpush.http.api.ApiFixture.ADMIN_KEY;
import static io.viewpush.http.api.ApiFixture.READER_KEY;
import static io.viewpush.http.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's own limits: ports, timeouts, bounded workers, graceful stop, extra routes. */
class ServerLimitsTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();

    @AfterEach
    void cleanUp() throws Exception {
        release.countDown();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private ApiFixture fixture(Consumer<ApiServer.Builder> options) {
        ApiFixture f = new ApiFixture(b -> {
            b.textRoute("/slow", ApiServer.Access.PUBLIC, "text/plain", this::slow);
            options.accept(b);
        });
        toClose.add(f);
        return f;
    }

    private String slow() {
        int now = inside.incrementAndGet();
        mostInside.accumulateAndGet(now, Math::max);
        boolean interrupted = false;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                try {
                    if (release.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // a handler that ignores interrupts: only closing the connection cuts it
                }
            }
            return "done";
        } finally {
            inside.decrementAndGet();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitInside(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (inside.get() < n) {
            assertThat(System.nanoTime()).as("%d requests inside", n).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(ApiFixture f, String path) {
        return f.client.sendAsync(HttpRequest.newBuilder(f.uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // --- lifecycle ------------------------------------------------------------------------------

    @Test
    void portZeroPicksAFreePortThatPortReports() {
        ApiFixture f = fixture(b -> { });
        assertThat(f.server.port()).isPositive();
        assertThat(f.server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(f.get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void thePortIsUnknownBeforeStart() {
        ViewPush engine = new GeneratedRows(1).engine();
        ApiServer server = ApiServer.builder(engine).port(0).build();
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        server.close();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aPortInUseIsAnErrorNamingTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            ApiServer server = ApiServer.builder(new GeneratedRows(1).engine()).port(taken.getLocalPort()).build();
            assertThatThrownBy(server::start).isInstanceOf(ApiServerException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            server.close();
        }
    }

    @Test
    void closeIsIdempotentAndStopsListening() throws IOException {
        ApiFixture f = fixture(b -> { });
        int port = f.server.port();
        f.server.close();
        f.server.close();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThatThrownBy(f.server::start).isInstanceOf(IllegalStateException.class);
    }

    // --- timeouts -------------------------------------------------------------------------------

    @Test
    void aRequestHeadThatTricklesInIsCutAfterTheHeaderTimeout() throws Exception {
        ApiFixture f = fixture(b -> b.headerTimeout(Duration.ofMillis(300)).idleTimeout(Duration.ofSeconds(20)));
        try (Socket s = new Socket("127.0.0.1", f.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            out.write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(100);
            out.write("Host: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readUntilClosed(s.getInputStream())).isEmpty();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ms).isBetween(250L, 5_000L);
        }
        // a head that arrives in time is served on a fresh connection
        assertThat(f.get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        ApiFixture f = fixture(b -> b.idleTimeout(Duration.ofMillis(300)));
        try (Socket s = new Socket("127.0.0.1", f.server.port())) {
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(readUntilClosed(s.getInputStream())).isEmpty();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 5_000L);
        }
    }

    @Test
    void aClientThatStopsReadingIsCutAfterTheIdleTimeout() throws Exception {
        ViewPush engine = new GeneratedRows(1_000_000).engine();
        ApiServer server = ApiServer.builder(engine).port(0).idleTimeout(Duration.ofMillis(500))
                .key(ApiKey.allViews("admin", ADMIN_KEY, true)).build().start();
        toClose.add(server);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", server.port()));
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /api/views/generated%20rows HTTP/1.1\r\nHost: x\r\nAuthorization: "
                    + ADMIN_KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(2_500);
            long start = System.nanoTime();
            long read = countUntilClosed(s.getInputStream());
            assertThat(read).as("bytes read before the cut").isLessThan(20_000_000L);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(9_000L);
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketException reset) {
            return "";
        }
    }

    private static long countUntilClosed(InputStream in) throws IOException {
        long total = 0;
        byte[] buffer = new byte[65536];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
        } catch (SocketException reset) {
            // the server cut the connection: what we wanted
        }
        return total;
    }

    // --- workers --------------------------------------------------------------------------------

    @Test
    void atMostWorkerThreadsRequestsAreServedAtOnce() throws Exception {
        ApiFixture f = fixture(b -> b.workerThreads(2));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(getAsync(f, "/slow"));
        }
        awaitInside(2);
        Thread.sleep(300);
        assertThat(inside.get()).isEqualTo(2);
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            HttpResponse<String> r = c.get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("done");
        }
        assertThat(mostInside.get()).isEqualTo(2);
    }

    @Test
    void anIdleKeepAliveConnectionDoesNotKeepANewOneWaiting() throws Exception {
        ApiFixture f = fixture(b -> b.workerThreads(1));
        try (Socket idle = new Socket("127.0.0.1", f.server.port())) {
            idle.setSoTimeout(10_000);
            OutputStream out = idle.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = idle.getInputStream();
            readUntil(in, "{\"status\":\"ok\"}");
            long start = System.nanoTime();
            assertThat(f.get("/health", null).statusCode()).isEqualTo(200);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000L);
            // an idle connection holds no worker, so it need not be closed to make room: it still serves
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            readUntil(in, "{\"status\":\"ok\"}");
        }
    }

    private static void readUntil(InputStream in, String end) throws IOException {
        StringBuilder got = new StringBuilder();
        while (!got.toString().endsWith(end)) {
            int c = in.read();
            assertThat(c).isNotNegative();
            got.append((char) c);
        }
    }

    @Test
    void atMostMaxConnectionsAreOpenAtOnceTheNextWaitsForOneToClose() throws Exception {
        ApiFixture f = fixture(b -> b.maxConnections(2));
        try (Socket a = new Socket("127.0.0.1", f.server.port());
             Socket b = new Socket("127.0.0.1", f.server.port());
             Socket c = new Socket("127.0.0.1", f.server.port())) {
            Thread.sleep(300);
            c.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            c.setSoTimeout(1_000);
            assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(java.net.SocketTimeoutException.class);
            a.close();
            c.setSoTimeout(10_000);
            assertThat(readUntilClosed(c.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    // --- stopping -------------------------------------------------------------------------------

    @Test
    void closeLetsTheRequestInFlightFinishAndRefusesNewConnections() throws Exception {
        ApiFixture f = fixture(b -> b.shutdownTimeout(Duration.ofSeconds(10)));
        int port = f.server.port();
        CompletableFuture<HttpResponse<String>> inFlight = getAsync(f, "/slow");
        awaitInside(1);
        long start = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(f.server::close);
        Thread.sleep(300);
        assertThat(closing).isNotDone();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        release.countDown();
        HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("done");
        closing.get(10, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(8_000L);
    }

    @Test
    void closeCutsRequestsThatOutlastTheShutdownTimeout() throws Exception {
        ApiFixture f = fixture(b -> b.shutdownTimeout(Duration.ofMillis(300)));
        CompletableFuture<HttpResponse<String>> inFlight = getAsync(f, "/slow");
        awaitInside(1);
        long start = System.nanoTime();
        f.server.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 5_000L);
        assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    // --- extra routes ---------------------------------------------------------------------------

    @Test
    void extraRoutesAnswerTextToWhomTheirAccessAllows() {
        AtomicInteger scrapes = new AtomicInteger();
        ApiFixture f = fixture(b -> b
                .textRoute("/metrics", ApiServer.Access.PUBLIC, "text/plain; version=0.0.4",
                        () -> "viewpush_scrapes " + scrapes.incrementAndGet() + "\n")
                .textRoute("/ops/state", ApiServer.Access.ADMIN, "application/json", () -> "{\"ok\":true}")
                .textRoute("/ops/who", ApiServer.Access.ANY_KEY, "text/plain", () -> "someone")
                .textRoute("/ops/boom", ApiServer.Access.PUBLIC, "text/plain", () -> {
                    throw new IllegalStateException("secret internals");
                }));
        HttpResponse<String> metrics = f.get("/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).isEqualTo("viewpush_scrapes 1\n");
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=UTF-8");
        HttpResponse<String> post = f.send("POST", "/metrics", null, null, null);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");

        assertThat(f.get("/ops/state", null).statusCode()).isEqualTo(401);
        assertThat(f.get("/ops/state", READER_KEY).statusCode()).isEqualTo(403);
        assertThat(f.get("/ops/state", ADMIN_KEY).body()).isEqualTo("{\"ok\":true}");
        assertThat(f.get("/ops/who", null).statusCode()).isEqualTo(401);
        assertThat(f.get("/ops/who", READER_KEY).body()).isEqualTo("someone");
        assertThat(f.get("/ops/state?key=" + ADMIN_KEY, null).statusCode()).isEqualTo(401);

        HttpResponse<String> boom = f.get("/ops/boom", null);
        assertThat(boom.statusCode()).isEqualTo(500);
        JsonNode body = json(boom);
        assertThat(body.get("error").asText()).isEqualTo("internal_error");
        assertThat(boom.body()).doesNotContain("secret", "IllegalState", "Exception");
    }
}
