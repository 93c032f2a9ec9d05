package io.viewpush.app.assembly;

import com.sun.net.httpserver.HttpServer;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigLoader;
import io.viewpush.port.PushListener;
import io.viewpush.push.PushAttempt;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code database.stampAhead} reaches the store: during the request of a push of more than one chunk
 * (10,000 rows), its first chunk is already stamped (its rows locked by the push's open transaction)
 * with the key on, and not with it off; either way every row is stamped once the request succeeded.
 */
class StampAheadWiringTest {
    private static final int ROWS = 10_005;
    private static EmbeddedPostgres pg;
    private static HttpServer receiver;
    private static final List<Long> lockedDuringRequests = new CopyOnWriteArrayList<>();
    private static volatile long expectLocked;

    @BeforeAll
    static void start() throws IOException {
        pg = EmbeddedPostgres.builder()
                .setServerConfig("unix_socket_directories", Files.createTempDirectory("viewpush-ahead-pg").toString())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            lockedDuringRequests.add(locked(expectLocked));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() throws IOException {
        receiver.stop(0);
        pg.close();
    }

    private static void sql(String... statements) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String query) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return how many rows of t another transaction cannot lock, waiting up to 10 s for {@code expected} */
    private static long locked(long expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(expected == 0 ? 1 : 10);
        while (true) {
            long free;
            try (Connection c = pg.getPostgresDatabase().getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT id FROM t FOR UPDATE SKIP LOCKED) f")) {
                    rs.next();
                    free = rs.getLong(1);
                }
                c.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            long locked = ROWS - free;
            if (locked == expected || System.nanoTime() > deadline) {
                return locked;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return locked;
            }
        }
    }

    private static AppConfig config(String stampAhead) {
        String yaml = "database:\n  url: jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres\n  user: postgres\n"
                + "  password: postgres\n" + stampAhead
                + "views:\n  - name: t\n    table: t\n    key: id\n    fields: {id: id, last pushed: last_pushed}\n"
                + "    filters:\n      - \"{last pushed} is empty\"\n"
                + "    push:\n      url: http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\n"
                + "      stamp: last pushed\n      maxRows: 0\n";
        return ConfigLoader.parse(yaml, "push.yaml", Path.of("."), Map.of());
    }

    private void pushWith(String stampAhead, long lockedDuringTheRequest) {
        sql("DROP TABLE IF EXISTS t", "CREATE TABLE t (id integer PRIMARY KEY, last_pushed timestamptz)",
                "INSERT INTO t SELECT g, NULL FROM generate_series(1, " + ROWS + ") g");
        lockedDuringRequests.clear();
        expectLocked = lockedDuringTheRequest;
        try (Assembly a = Assembly.open(config(stampAhead), PushListener.NONE)) {
            PushAttempt attempt = a.engine().pushNow("t");
            assertThat(attempt.status()).isEqualTo(PushAttempt.Status.SUCCESS);
            assertThat(attempt.rowsStamped()).isEqualTo(ROWS);
        }
        assertThat(lockedDuringRequests).containsExactly(lockedDuringTheRequest);
        assertThat(count("SELECT count(*) FROM t WHERE last_pushed IS NOT NULL")).isEqualTo(ROWS);
        assertThat(locked(0)).isZero();
    }

    @Test
    void withStampAheadTheFirstChunkIsStampedWhileTheRequestIsOnItsWay() {
        pushWith("  stampAhead: true\n", 10_000);
    }

    @Test
    void withoutItNothingIsStampedBeforeTheAnswer() {
        pushWith("", 0);
    }
}
