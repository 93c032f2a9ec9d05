package io.viewpush.app.reliability;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 11 (issue 18): what slow or stalled clients, with a key or without, can take from the
 * others on the running jar over PostgreSQL. 32 connections drip heads and bodies (with and without
 * keys, to {@code /health} and {@code /api}) while {@code /health} must answer within a second and
 * scheduled pushes go on; clients that stop reading pulls of a large view (more of them than the
 * pull bound) must neither starve pushes and {@code /health} of database connections nor keep their
 * cursors: they are cut within seconds, and the database shows no transaction left open by them;
 * keys and {@code after} values the key column cannot hold are 4xx, never 5xx.
 */
class SlowClientsIT {
    private static final String EVENTS = "events";
    private static final String BIG = "big";

    @Test
    void slowAndStalledClientsTakeNothingFromPushesHealthOrOtherKeys() throws Exception {
        int bigRows = Scale.count("slow.rows", 200_000, 1_000_000);
        Pg.Db db = Fixture.sharedPg().createDatabase("s11_slow");
        Path dir = Fixture.dir("11-slow-clients");
        Fixture.table(db, EVENTS);
        Fixture.table(db, BIG);
        Fixture.insert(db, BIG, bigRows);
        AppProcess app = null;
        List<Socket> sockets = new ArrayList<>();
        try (FaultyReceiver receiver = new FaultyReceiver(dir.resolve("receiver.log"), "id")) {
            new Fixture.Config(db)
                    .view(EVENTS, EVENTS, receiver.url(EVENTS), "timeout: 10s")
                    .rawView("  - name: " + BIG + "\n    table: " + BIG + "\n    key: id\n"
                            + "    fields: {id: id, payload: payload}\n")
                    .write(dir.resolve("push.yaml"));
            app = AppProcess.start(dir, "run", Fixture.options(), "run", "-c", "push.yaml");
            int port = app.awaitApi(Duration.ofSeconds(60));

            // 1. 32 slow-drip connections
            for (int i = 0; i < 32; i++) {
                Socket s = connect(port, 0);
                sockets.add(s);
                String key = i % 2 == 0 ? "Authorization: " + Fixture.PARTNER_KEY + "\r\n" : "";
                String head = switch (i % 4) {
                    case 0, 1 -> "PATCH /api/views/" + EVENTS + "/rows/1 HTTP/1.1\r\nHost: x\r\n" + key
                            + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{";
                    case 2 -> "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{";
                    default -> "GET /api/views HTTP/1.1\r\nHost: x\r\n" + key;
                };
                send(s, head);
            }
            Fixture.insert(db, EVENTS, 50);
            long slowest = 0;
            int rounds = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            while (System.nanoTime() < end) {
                for (Socket s : sockets) {
                    trySend(s, "x");
                }
                slowest = Math.max(slowest, healthMillis(port));
                rounds++;
                AppProcess.sleep(2_000);
            }
            assertThat(slowest).as("slowest /health among %d slow-drip connections, ms", sockets.size())
                    .isLessThan(1_000L);
            Fixture.await(Duration.ofSeconds(30), "the events are pushed during the slow drip",
                    () -> Fixture.unstamped(db, List.of(EVENTS)) == 0);
            closeAll(sockets);

            // 2. stalled readers of a large view, more of them than the pull bound
            String pull = "GET /api/views/" + BIG + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + Fixture.PARTNER_KEY
                    + "\r\nConnection: close\r\n\r\n";
            for (int i = 0; i < 6; i++) {
                Socket s = connect(port, 4096);
                sockets.add(s);
                send(s, pull);
            }
            AppProcess.sleep(500);
            RawHttp.Response busy = RawHttp.send(port, pull.getBytes(StandardCharsets.US_ASCII), 10_000);
            assertThat(busy.status()).as("a pull beyond the bound").isEqualTo(503);
            assertThat(busy.header("Retry-After")).isNotNull();
            long healthWhileStalled = healthMillis(port);
            assertThat(healthWhileStalled).isLessThan(1_000L);
            Fixture.insert(db, EVENTS, 50);
            long pushStart = System.nanoTime();
            Fixture.await(Duration.ofSeconds(30), "the events are pushed while pulls are stalled",
                    () -> Fixture.unstamped(db, List.of(EVENTS)) == 0);
            long pushMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pushStart);
            Fixture.await(Duration.ofSeconds(20), "the stalled pulls' transactions are gone", () -> db.count(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db.name() + "' AND query ILIKE '%from%"
                            + BIG + "%' AND state <> 'idle' AND pid <> pg_backend_pid()") == 0);
            RawHttp.Response after = RawHttp.send(port, ("GET /api/views/" + BIG + "?limit=3 HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: " + Fixture.PARTNER_KEY + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII), 10_000);
            assertThat(after.status()).as("a pull once the stalled ones are cut").isEqualTo(200);
            assertThat(after.text()).contains("\"id\":3");
            closeAll(sockets);

            // 3. keys and 'after' values the key column cannot hold
            List<String> bad = new ArrayList<>();
            for (String target : List.of("/api/views/" + BIG + "?after=1e999", "/api/views/" + BIG + "?after=-1e999",
                    "/api/views/" + BIG + "?after=99999999999999999999999", "/api/views/" + BIG + "?after=1e")) {
                RawHttp.Response r = RawHttp.send(port, ("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                        + Fixture.PARTNER_KEY + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII), 10_000);
                if (r.status() >= 500 || r.text().toLowerCase(Locale.ROOT).contains("sqlstate")) {
                    bad.add(target + " -> " + r.status() + " " + r.text());
                }
            }
            for (String key : List.of("1e999", "-1e999", "99999999999999999999999")) {
                RawHttp.Response r = RawHttp.send(port, ("PATCH /api/views/" + EVENTS + "/rows/" + key + " HTTP/1.1\r\n"
                        + "Host: x\r\nAuthorization: " + Fixture.ADMIN_KEY + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII), 10_000);
                if (r.status() >= 500 || r.status() < 400 || r.text().toLowerCase(Locale.ROOT).contains("sqlstate")) {
                    bad.add("PATCH key " + key + " -> " + r.status() + " " + r.text());
                }
            }
            assertThat(bad).isEmpty();
            assertThat(app.err()).doesNotContain("the database is unavailable");

            assertThat(app.stop(Duration.ofSeconds(30))).as(app.err()).isZero();
            Secrets.Scan scan = Fixture.secrets().scan(app.logs());
            Report.addCases("11. slow and stalled clients", scan, String.format(Locale.ROOT,
                    "32 slow-drip connections for %d rounds: slowest /health %d ms; 6 stalled pulls of %,d rows: "
                            + "/health %d ms, a push delivered in %d ms, cursors released, then a pull answered; bad keys"
                            + " and 'after' values all 4xx", rounds, slowest, bigRows, healthWhileStalled, pushMillis));
            assertThat(scan.hits()).as("secrets in the logs: %s", scan.examples()).isZero();
        } finally {
            closeAll(sockets);
            if (app != null) {
                app.close();
            }
        }
    }

    private static Socket connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void trySend(Socket s, String text) {
        try {
            send(s, text);
        } catch (IOException cut) {
            // the server cut this slow client: what it should do
        }
    }

    private static long healthMillis(int port) throws IOException {
        long start = System.nanoTime();
        RawHttp.Response r = RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII), 10_000);
        assertThat(r.status()).isEqualTo(200);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing a socket the server already cut
            }
        }
        sockets.clear();
    }
}
