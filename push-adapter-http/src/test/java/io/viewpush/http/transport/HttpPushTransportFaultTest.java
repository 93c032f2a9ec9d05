package io.viewpush.http.transport;

import io.viewpush.PushException;
import io.viewpush.http.json.RowEncodingException;
import io.viewpush.push.Delivery;
import io.viewpush.push.PushPolicy.SuccessRule;
import io.viewpush.push.RetrySettings;
import io.viewpush.testing.SettableClock;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Receivers that fail, stall, redirect, trickle or shout: every outcome is a clear Delivery. */
class HttpPushTransportFaultTest {
    private static final Instant NOW = Instant.parse("2024-05-06T07:08:09Z");
    private static final RetrySettings ONE = RetrySettings.NONE;

    @TempDir
    Path spool;
    private Receiver receiver;
    private final SettableClock clock = new SettableClock(NOW);
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private HttpPushTransport transport;

    @BeforeEach
    void start() throws IOException {
        receiver = new Receiver();
        transport = recordingTransport(SystemDefaultDnsResolver.INSTANCE);
    }

    private HttpPushTransport recordingTransport(DnsResolver resolver) {
        return HttpPushTransport.builder().clock(clock).spoolDirectory(spool).dnsResolver(resolver)
                .retrySleeper(d -> {
                    sleeps.add(d);
                    clock.advance(d);
                }).build();
    }

    @AfterEach
    void stop() throws IOException {
        transport.close();
        receiver.close();
        try (Stream<Path> files = Files.list(spool)) {
            assertThat(files).as("spool files left behind").isEmpty();
        }
    }

    private View view(URI url, RetrySettings retry) {
        return TestViews.view(url, p -> p.retry(retry));
    }

    private Delivery send(View view) {
        return transport.send(view, TestViews.simpleRows(view, 1, 3).iterator());
    }

    @Test
    void retriesA500AndDeliversTheSameBytesWithTheSameId() {
        receiver.then(Receiver.Answer.of(500, "oops"));
        Delivery d = send(view(receiver.uri("/hook"), TestViews.FAST));

        assertThat(d.delivered()).isTrue();
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.reason()).isEqualTo("200 OK");
        List<Receiver.Request> rs = receiver.requests();
        assertThat(rs).hasSize(2);
        assertThat(rs.get(1).body()).isEqualTo(rs.get(0).body());
        assertThat(rs.get(1).header("webhook-id")).isEqualTo(rs.get(0).header("webhook-id")).isEqualTo(d.webhookId());
        assertThat(Long.parseLong(rs.get(1).header("webhook-timestamp")))
                .isEqualTo(NOW.plus(sleeps.get(0)).getEpochSecond());
    }

    @Test
    void a410GoneIsNotRetriedAndSaysTheReceiverIsGone() {
        receiver.always(Receiver.Answer.of(410, "this hook was deleted"));
        Delivery d = send(view(receiver.uri("/hook"), TestViews.FAST));

        assertThat(d.delivered()).isFalse();
        assertThat(d.gone()).isTrue();
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(receiver.requests()).hasSize(1);
        assertThat(d.status()).hasValue(410);
        assertThat(d.reason()).isEqualTo("410 Gone");
        assertThat(d.responseExcerpt()).isEqualTo("this hook was deleted");
    }

    @Test
    void otherFailuresAreNotGone() {
        receiver.always(Receiver.Answer.of(404, "no such hook"));
        Delivery d = send(view(receiver.uri("/hook"), TestViews.FAST));
        assertThat(d.delivered()).isFalse();
        assertThat(d.gone()).isFalse();
    }

    @Test
    void failsAfterTheLastAttemptWithTheLastAnswer() {
        receiver.always(Receiver.Answer.of(500, "still broken"));
        Delivery d = send(view(receiver.uri("/hook"), TestViews.FAST));

        assertThat(d.delivered()).isFalse();
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(receiver.requests()).hasSize(3);
        assertThat(d.status()).hasValue(500);
        assertThat(d.reason()).isEqualTo("500 Internal Server Error (after 3 attempts)");
        assertThat(d.responseExcerpt()).isEqualTo("still broken");
        assertThat(d.retryAfter()).isEmpty();
    }

    @Test
    void backsOffExponentiallyWithJitterWithinTheBounds() {
        receiver.always(Receiver.Answer.of(503));
        RetrySettings retry = new RetrySettings(5, Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(5));
        Delivery d = send(view(receiver.uri("/hook"), retry));

        assertThat(d.attempts()).isEqualTo(5);
        assertThat(sleeps).hasSize(4);
        assertThat(sleeps.get(0).toMillis()).isBetween(50L, 150L);
        assertThat(sleeps.get(1).toMillis()).isBetween(100L, 250L);
        assertThat(sleeps.get(2).toMillis()).isBetween(200L, 250L);
        assertThat(sleeps.get(3).toMillis()).isBetween(200L, 250L);
    }

    @Test
    void waitsWhatRetryAfterSaysInSeconds() {
        receiver.then(Receiver.Answer.of(429, "slow down").header("Retry-After", "4"));
        Delivery d = send(view(receiver.uri("/hook"), TestViews.FAST));

        assertThat(d.delivered()).isTrue();
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(4));
    }

    @Test
    void waitsUntilTheDateRetryAfterNames() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(3).atOffset(ZoneOffset.UTC));
        receiver.then(Receiver.Answer.of(503).header("Retry-After", date));
        Delivery d = send(view(receiver.uri("/hook"), TestViews.FAST));

        assertThat(d.delivered()).isTrue();
        assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void reallySleepsForRetryAfterWithTheDefaultSleeper() {
        receiver.then(Receiver.Answer.of(429).header("Retry-After", "1"));
        try (HttpPushTransport real = HttpPushTransport.builder().spoolDirectory(spool).build()) {
            View view = view(receiver.uri("/hook"), TestViews.FAST);
            Delivery d = real.send(view, TestViews.simpleRows(view, 1, 1).iterator());
            assertThat(d.delivered()).isTrue();
        }
        List<Receiver.Request> rs = receiver.requests();
        assertThat(rs).hasSize(2);
        assertThat(Duration.ofNanos(rs.get(1).nanoTime() - rs.get(0).nanoTime())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void stopsWhenRetryAfterIsLongerThanHonouredAndReportsIt() {
        receiver.always(Receiver.Answer.of(503, "maintenance").header("Retry-After", "120"));
        Delivery d = send(view(receiver.uri("/hook"), TestViews.FAST));

        assertThat(d.delivered()).isFalse();
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
        assertThat(d.retryAfter()).hasValue(Duration.ofSeconds(120));
        assertThat(d.reason()).isEqualTo("503 Service Unavailable; the receiver asked to retry after 120 s,"
                + " longer than the 5 s waited for, so not retried");
    }

    @Test
    void neverFollowsARedirect() throws IOException {
        try (Receiver elsewhere = new Receiver()) {
            receiver.always(Receiver.Answer.of(302).header("Location", "http://localhost:" + elsewhere.port() + "/other?secret=1"));
            Delivery d = send(view(receiver.uri("/hook"), TestViews.FAST));

            assertThat(d.delivered()).isFalse();
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.status()).hasValue(302);
            assertThat(d.reason()).isEqualTo("redirect to localhost not followed (302 Temporary Redirect)");
            assertThat(receiver.requests()).hasSize(1);
            assertThat(elsewhere.requests()).isEmpty();
        }
    }

    @Test
    void doesNotRetryAClientError() {
        receiver.always(Receiver.Answer.of(404, "no such hook"));
        Delivery d = send(view(receiver.uri("/hook"), TestViews.FAST));

        assertThat(d.delivered()).isFalse();
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(receiver.requests()).hasSize(1);
        assertThat(d.reason()).isEqualTo("404 Not Found");
        assertThat(d.responseExcerpt()).isEqualTo("no such hook");
    }

    @Test
    void acceptsNoContentUnderAny2xxButNotUnderExactly200() {
        receiver.always(Receiver.Answer.of(204));
        View any = TestViews.view(receiver.uri("/hook"), p -> p);
        View strict = TestViews.view(receiver.uri("/hook"), p -> p.success(SuccessRule.EXACTLY_200));

        Delivery ok = send(any);
        Delivery notOk = send(strict);

        assertThat(ok.delivered()).isTrue();
        assertThat(ok.status()).hasValue(204);
        assertThat(notOk.delivered()).isFalse();
        assertThat(notOk.attempts()).isEqualTo(1);
        assertThat(notOk.reason()).isEqualTo("204 No Content is not a success: this view accepts only 200");
    }

    @Test
    void reportsARefusedConnectionAfterRetrying() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Delivery d = send(view(URI.create("http://127.0.0.1:" + port + "/hook"), TestViews.FAST));

        assertThat(d.delivered()).isFalse();
        assertThat(d.status()).isEmpty();
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(d.reason()).isEqualTo("cannot connect to 127.0.0.1:" + port + ": connection refused (after 3 attempts)");
    }

    @Test
    void retriesWhenTheReceiverResetsTheConnectionWhileTheBodyIsUploading() throws IOException {
        try (RawServer server = new RawServer((s, n) -> {
            if (n == 1) {
                InputStream in = s.getInputStream();
                RawServer.readHead(in);
                in.readNBytes(1000);
                RawServer.reset(s);
            } else {
                RawServer.answerOk(s);
            }
        })) {
            View view = view(server.uri("/hook"), TestViews.FAST);
            Delivery d = transport.send(view, bigRows(view));

            assertThat(d.bytes()).isGreaterThan(8_000_000);
            assertThat(d.delivered()).isTrue();
            assertThat(d.attempts()).isEqualTo(2);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void reportsAResetWhileUploadingAsAConnectionFailureWithoutAStackTrace() throws IOException {
        try (RawServer server = new RawServer((s, n) -> {
            InputStream in = s.getInputStream();
            RawServer.readHead(in);
            in.readNBytes(1000);
            RawServer.reset(s);
        })) {
            View view = view(server.uri("/hook"), ONE);
            Delivery d = transport.send(view, bigRows(view));

            assertThat(d.delivered()).isFalse();
            assertThat(d.status()).isEmpty();
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.reason()).matches("(the connection to 127\\.0\\.0\\.1:" + server.port() + " broke: .+"
                    + "|127\\.0\\.0\\.1:" + server.port() + " closed the connection without answering)")
                    .doesNotContain("Exception").doesNotContain("\n").doesNotContain("\tat ");
        }
    }

    @Test
    void givesUpOnAReceiverThatNeverAnswersAtTheDeadline() throws IOException {
        try (RawServer server = new RawServer((s, n) -> {
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // read and never answer
            }
        })) {
            View view = TestViews.view(server.uri("/hook"), p -> p.retry(ONE).timeout(Duration.ofSeconds(1)));
            long start = System.nanoTime();
            Delivery d = send(view);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(d.delivered()).isFalse();
            assertThat(d.reason()).isEqualTo("no answer from 127.0.0.1:" + server.port() + " within 1 s (the push timeout)");
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
        }
    }

    @Test
    void aSilentReceiverHitsTheResponseTimeoutBeforeTheDeadline() throws IOException {
        try (RawServer server = new RawServer((s, n) -> {
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // read and stay silent
            }
        }); HttpPushTransport impatient = HttpPushTransport.builder().spoolDirectory(spool)
                .responseTimeout(Duration.ofMillis(300)).build()) {
            View view = TestViews.view(server.uri("/hook"), p -> p.retry(ONE).timeout(Duration.ofSeconds(10)));
            long start = System.nanoTime();
            Delivery d = impatient.send(view, TestViews.simpleRows(view, 1, 1).iterator());

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(d.reason()).isEqualTo("no data from 127.0.0.1:" + server.port() + " for 300 ms (response timeout)");
        }
    }

    @Test
    void servesSeveralViewsPushingAtOnce() throws Exception {
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Delivery>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                View view = TestViews.view("view " + t, receiver.uri("/hook"), p -> p);
                futures.add(pool.submit(() -> transport.send(view, TestViews.simpleRows(view, 1, 50).iterator())));
            }
            List<String> ids = new ArrayList<>();
            for (java.util.concurrent.Future<Delivery> f : futures) {
                Delivery d = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(d.delivered()).isTrue();
                ids.add(d.webhookId());
            }
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(receiver.requests()).hasSize(threads);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theDeadlineAlsoBoundsAConnectThatHangs() throws IOException {
        // a listener that never accepts, with its accept queue full: the kernel drops further SYNs
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<java.net.Socket> fillers = new ArrayList<>();
            try {
                boolean queueFull = false;
                for (int i = 0; i < 8 && !queueFull; i++) {
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(new java.net.InetSocketAddress("127.0.0.1", full.getLocalPort()), 200);
                        fillers.add(s);
                    } catch (java.net.SocketTimeoutException e) {
                        s.close();
                        queueFull = true;
                    }
                }
                assertThat(queueFull).as("a connect to the full listener hangs").isTrue();
                View view = TestViews.view(URI.create("http://127.0.0.1:" + full.getLocalPort() + "/hook"),
                        p -> p.retry(ONE).timeout(Duration.ofSeconds(1)));
                long start = System.nanoTime();
                Delivery d = send(view);
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(d.delivered()).isFalse();
                assertThat(d.reason()).isEqualTo("no answer from 127.0.0.1:" + full.getLocalPort() + " within 1 s (the push timeout)");
                assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
            } finally {
                for (java.net.Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aTricklingAnswerCannotExtendTheDeadline() throws IOException {
        try (RawServer server = new RawServer((s, n) -> {
            InputStream in = s.getInputStream();
            RawServer.readHead(in);
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 600; i++) {
                out.write('a');
                out.flush();
                Thread.sleep(50);
            }
        })) {
            View view = TestViews.view(server.uri("/hook"), p -> p.retry(ONE).timeout(Duration.ofMillis(1500)));
            long start = System.nanoTime();
            Delivery d = send(view);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(d.delivered()).isFalse();
            assertThat(d.status()).isEmpty();
            assertThat(d.reason()).isEqualTo("no answer from 127.0.0.1:" + server.port() + " within 1500 ms (the push timeout)");
            assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(4));
        }
    }

    @Test
    void aTricklingBodyAfterTheStatusIsCutAtTheDeadlineAndTheStatusDecides() throws IOException {
        try (RawServer server = new RawServer((s, n) -> {
            InputStream in = s.getInputStream();
            RawServer.readHead(in);
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 600; i++) {
                out.write('b');
                out.flush();
                Thread.sleep(50);
            }
        })) {
            View view = TestViews.view(server.uri("/hook"), p -> p.retry(ONE).timeout(Duration.ofSeconds(1)));
            long start = System.nanoTime();
            Delivery d = send(view);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
            assertThat(d.delivered()).isTrue();
            assertThat(d.status()).hasValue(200);
            assertThat(d.responseExcerpt()).matches("b{5,30}");
        }
    }

    @Test
    void keepsOnly64KiBOfAHugeAnswerAndDoesNotReadTheRest() throws Exception {
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        try (RawServer server = new RawServer((s, n) -> {
          try {
            InputStream in = s.getInputStream();
            in.readNBytes((int) RawServer.contentLength(RawServer.readHead(in)));
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "z".repeat(8192).getBytes(StandardCharsets.US_ASCII);
            s.setSoTimeout(10_000);
            for (long i = 0; i < 1_000_000_000L / chunk.length; i++) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
          } finally {
            stopped.countDown();
          }
        })) {
            View view = view(server.uri("/hook"), ONE);
            long start = System.nanoTime();
            Delivery d = send(view);

            assertThat(d.delivered()).isTrue();
            assertThat(d.responseExcerpt()).hasSize(HttpPushTransport.DEFAULT_MAX_RESPONSE_BODY).matches("z+");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            // the server could only fill the socket buffers before the client closed the connection
            assertThat(stopped.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(written.get()).isLessThan(64L * 1024 * 1024);
        }
        // the aborted connection is not reused: the next push opens a new one and works
        receiver.always(Receiver.Answer.of(200, "fine"));
        Delivery next = send(view(receiver.uri("/hook"), ONE));
        assertThat(next.delivered()).isTrue();
        assertThat(next.responseExcerpt()).isEqualTo("fine");
    }

    @Test
    void refusesALoneSurrogateWithAClearErrorAndSendsNothing() {
        View view = view(receiver.uri("/hook"), ONE);
        List<Row> rows = new ArrayList<>(TestViews.simpleRows(view, 1, 2));
        rows.add(TestViews.row(view, 77, "broken \uDC00 text", "1", true, null, null, null));

        assertThatThrownBy(() -> transport.send(view, rows.iterator()))
                .isInstanceOf(RowEncodingException.class)
                .isInstanceOf(PushException.class)
                .hasMessage("view 'orders to push', field 'customer', row with key 77: its value is text that is not valid"
                        + " Unicode: a lone surrogate U+DC00 at character 8, which JSON cannot carry");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void propagatesAFailureOfTheRowSourceAsItIs() {
        View view = view(receiver.uri("/hook"), ONE);
        Iterator<Row> failing = new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Row next() {
                if (++n > 2) {
                    throw new io.viewpush.port.StorageException("the database went away");
                }
                return TestViews.row(view, n, "c", "1", true, null, null, null);
            }
        };
        assertThatThrownBy(() -> transport.send(view, failing))
                .isInstanceOf(io.viewpush.port.StorageException.class).hasMessage("the database went away");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void reportsATlsFailureClearly() throws IOException {
        try (RawServer plain = new RawServer((s, n) -> {
            s.getInputStream().read(new byte[512]);
            s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Thread.sleep(500);
            s.close();
        })) {
            View view = view(URI.create("https://127.0.0.1:" + plain.port() + "/hook"), ONE);
            Delivery d = send(view);

            assertThat(d.delivered()).isFalse();
            assertThat(d.status()).isEmpty();
            assertThat(d.reason()).startsWith("TLS error with 127.0.0.1:" + plain.port() + ": ")
                    .doesNotContain("\n").doesNotContain("Exception");
        }
    }

    @Test
    void reportsAnUnknownHost() {
        transport.close();
        transport = recordingTransport(new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                throw new UnknownHostException(host + ": Name or service not known");
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                throw new UnknownHostException(host);
            }
        });
        Delivery d = send(view(URI.create("http://receiver.invalid/hook"), ONE));

        assertThat(d.delivered()).isFalse();
        assertThat(d.reason()).isEqualTo("cannot resolve host receiver.invalid");
    }

    @Test
    void endsAsAFailureWhenInterruptedWhileWaitingToRetry() {
        receiver.always(Receiver.Answer.of(503));
        try (HttpPushTransport interrupted = HttpPushTransport.builder().spoolDirectory(spool)
                .retrySleeper(d -> {
                    throw new InterruptedException();
                }).build()) {
            View view = view(receiver.uri("/hook"), TestViews.FAST);
            Delivery d = interrupted.send(view, TestViews.simpleRows(view, 1, 1).iterator());
            assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
            assertThat(d.delivered()).isFalse();
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.status()).hasValue(503);
            assertThat(d.reason()).isEqualTo("503 Service Unavailable; not retried: interrupted while waiting to retry");
        }
    }

    @Test
    void refusesToSendOnceClosedAndClosesTwiceQuietly() {
        transport.close();
        transport.close();
        View view = view(receiver.uri("/hook"), ONE);
        assertThatThrownBy(() -> send(view)).isInstanceOf(PushException.class)
                .hasMessage("the HTTP push transport is closed; view 'orders to push' was not sent");
    }

    @Test
    void refusesAViewWithoutAPushPolicy() {
        View pullOnly = io.viewpush.view.ViewDefinition.builder("pull only", "orders").key("id").field("id").build()
                .bind(java.util.Map.of("id", io.viewpush.expression.ValueType.NUMBER));
        assertThatThrownBy(() -> transport.send(pullOnly, Collections.emptyIterator()))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessage("view 'pull only' has no push policy, so it cannot be pushed");
    }

    /** About 8 MB of rows: more than the socket buffers hold, so the upload is still running when the server resets. */
    private static Iterator<Row> bigRows(View view) {
        List<Row> rows = new ArrayList<>();
        String text = "r".repeat(8_000);
        for (int i = 0; i < 1_000; i++) {
            rows.add(TestViews.row(view, i, text, "1", true, null, null, null));
        }
        return rows.iterator();
    }

}
