package io.viewpush.app.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pause}, {@code resume} and {@code replay} on the database (no running {@code run} or API
 * needed), a 410 answer that pauses, and the pause and replays in {@code journal}.
 */
class PauseResumeReplayCommandsTest {
    @TempDir
    Path dir;

    private HttpServer receiver;
    private final AtomicInteger answer = new AtomicInteger(200);
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ViewPushCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private Path config() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        receiver.start();
        Files.writeString(dir.resolve("init.sql"), """
                CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, amount DECIMAL(10,2), last_pushed TIMESTAMP,
                    receipt VARCHAR(20));
                INSERT INTO orders (id, amount) SELECT x, x FROM SYSTEM_RANGE(1, 3) WHERE NOT EXISTS (SELECT 1 FROM orders);
                CREATE TABLE IF NOT EXISTS order_lines (order_id INT, line VARCHAR(20), last_pushed TIMESTAMP,
                    PRIMARY KEY (order_id, line));
                MERGE INTO order_lines (order_id, line) KEY (order_id, line) VALUES (1, 'a/b c'), (1, 'x'), (2, 'x');
                """);
        Path file = dir.resolve("push.yaml");
        Files.writeString(file, """
                database:
                  url: jdbc:h2:file:%1$s/db
                  init: init.sql
                views:
                  - name: orders to push
                    table: orders
                    key: id
                    fields: {id: id, amount: amount, last pushed: last_pushed}
                    filters: ["{last pushed} is empty"]
                    push:
                      url: http://127.0.0.1:%2$d/hook
                      stamp: last pushed
                      maxRows: 1
                      retry: {attempts: 1}
                  - name: lines
                    table: order_lines
                    key: [order id, line]
                    fields: {order id: order_id, line: line, last pushed: last_pushed}
                    filters: ["{last pushed} is empty"]
                    push:
                      url: http://127.0.0.1:%2$d/hook
                      stamp: last pushed
                  - name: receipts
                    table: orders
                    key: id
                    fields: {id: id, last pushed: last_pushed, receipt: receipt}
                    filters: ["{receipt} is empty"]
                    push:
                      url: http://127.0.0.1:%2$d/hook
                      stamp: last pushed
                """.formatted(dir.toString().replace('\\', '/'), receiver.getAddress().getPort()));
        return file;
    }

    private List<Integer> unstamped() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toString().replace('\\', '/') + "/db");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM orders WHERE last_pushed IS NULL ORDER BY id")) {
            List<Integer> ids = new java.util.ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
            return ids;
        }
    }

    @Test
    void a410PausesTheViewThePauseHoldsAcrossProcessesAndResumeEndsIt() throws Exception {
        Path file = config();
        answer.set(200);
        receiver.removeContext("/hook");
        AtomicInteger calls = new AtomicInteger();
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(calls.incrementAndGet() == 2 ? 410 : 200, -1);
            exchange.close();
        });

        Run gone = run("push", "-c", file.toString(), "orders to push");
        assertThat(gone.exit()).as("%s", gone).isEqualTo(1);
        assertThat(gone.out()).contains("gone").contains("paused");
        assertThat(calls.get()).as("nothing is sent after the 410").isEqualTo(2);
        assertThat(unstamped()).as("the batch before the 410 stays stamped").containsExactly(2, 3);

        Run paused = run("push", "-c", file.toString(), "orders to push");
        assertThat(paused.exit()).isEqualTo(1);
        assertThat(paused.out()).contains("not pushed").contains("endpoint_gone").contains("resume -c");
        assertThat(calls.get()).isEqualTo(2);

        Run journal = run("journal", "-c", file.toString(), "orders to push");
        assertThat(journal.out()).contains("view 'orders to push' is paused since").contains("endpoint_gone");

        Run resumed = run("resume", "-c", file.toString(), "orders to push");
        assertThat(resumed.exit()).as("%s", resumed).isZero();
        assertThat(resumed.out()).startsWith("view 'orders to push' is resumed; it was paused since");
        assertThat(run("resume", "-c", file.toString(), "orders to push").out()).contains("was not paused");

        assertThat(run("push", "-c", file.toString(), "orders to push").exit()).isZero();
        assertThat(unstamped()).isEmpty();
    }

    @Test
    void pauseByAnOperatorIsKeptUntilResumed() throws Exception {
        Path file = config();
        Run p = run("pause", "-c", file.toString(), "orders to push", "--detail", "receiver maintenance");
        assertThat(p.exit()).as("%s", p).isZero();
        assertThat(p.out()).contains("is now paused since").contains("operator: receiver maintenance")
                .contains("CLI user");
        assertThat(run("pause", "-c", file.toString(), "orders to push").out()).contains("was already paused");
        assertThat(run("push", "-c", file.toString(), "orders to push").exit()).isEqualTo(1);
        assertThat(bodies).isEmpty();
        assertThat(run("resume", "-c", file.toString(), "orders to push").exit()).isZero();
        assertThat(run("push", "-c", file.toString(), "orders to push").exit()).isZero();
        assertThat(bodies).hasSize(3);
    }

    @Test
    void replayClearsTheChosenStampsAndTheNextPushSendsThemAgain() throws Exception {
        Path file = config();
        assertThat(run("push", "-c", file.toString(), "orders to push").exit()).isZero();
        assertThat(unstamped()).isEmpty();

        Run dry = run("replay", "-c", file.toString(), "orders to push", "--all", "--dry-run");
        assertThat(dry.exit()).as("%s", dry).isZero();
        assertThat(dry.out()).startsWith("dry run: 3 rows of view 'orders to push' would be sent again (all)");
        assertThat(unstamped()).isEmpty();

        Run keys = run("replay", "-c", file.toString(), "orders to push", "--key", "1", "--key", "3");
        assertThat(keys.exit()).as("%s", keys).isZero();
        assertThat(keys.out()).startsWith("2 rows of view 'orders to push' will be sent again by the next push (keys 1, 3)");
        assertThat(unstamped()).containsExactly(1, 3);

        bodies.clear();
        assertThat(run("push", "-c", file.toString(), "orders to push").exit()).isZero();
        assertThat(bodies).hasSize(2);
        assertThat(unstamped()).isEmpty();

        Run since = run("replay", "-c", file.toString(), "orders to push", "--since", "2000-01-01");
        assertThat(since.out()).startsWith("3 rows");

        Run journal = run("journal", "-c", file.toString(), "orders to push");
        List<String> lines = journal.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("REPLAYED")).findFirst().orElseThrow());
        assertThat(lines.get(header)).contains("ROWS", "BY", "WHICH");
        assertThat(lines.get(header + 1)).contains(" 3  ").contains("CLI user")
                .containsPattern("since (2000-01-01|1999-12-31)T");
    }

    @Test
    void replayTakesACompositeKeyAsItsValuesJoinedWithSlashesEachUrlEncoded() throws Exception {
        Path file = config();
        assertThat(run("push", "-c", file.toString(), "lines").exit()).isZero();
        assertThat(unstampedLines()).isEmpty();

        Run keys = run("replay", "-c", file.toString(), "lines", "--key", "1/a%2Fb%20c", "--key", "2/x");
        assertThat(keys.exit()).as("%s", keys).isZero();
        assertThat(keys.out()).startsWith("2 rows of view 'lines' will be sent again by the next push");
        assertThat(unstampedLines()).containsExactly("1 a/b c", "2 x");

        Run one = run("replay", "-c", file.toString(), "lines", "--key", "1");
        assertThat(one.exit()).isEqualTo(2);
        assertThat(one.err()).contains("--key: '1' is not a key of view 'lines' (its key is 2 fields, order id, line:"
                + " give their values in that order joined with '/', each URL-encoded");
        assertThat(unstampedLines()).as("a refused replay changes nothing").containsExactly("1 a/b c", "2 x");
    }

    private List<String> unstampedLines() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toString().replace('\\', '/') + "/db");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT order_id, line FROM order_lines WHERE last_pushed IS NULL ORDER BY 1, 2")) {
            List<String> keys = new java.util.ArrayList<>();
            while (rs.next()) {
                keys.add(rs.getInt(1) + " " + rs.getString(2));
            }
            return keys;
        }
    }

    @Test
    void replayRefusesWhatCannotWorkAndBadChoices() throws Exception {
        Path file = config();
        Run receipts = run("replay", "-c", file.toString(), "receipts", "--all");
        assertThat(receipts.exit()).isEqualTo(1);
        assertThat(receipts.err()).contains("no filter of view 'receipts' depends on its stamp field 'last pushed'");

        Run none = run("replay", "-c", file.toString(), "orders to push");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--all").contains("--key").contains("--since");

        Run two = run("replay", "-c", file.toString(), "orders to push", "--all", "--since", "2024-01-01");
        assertThat(two.exit()).isEqualTo(2);
        assertThat(two.err()).contains("mutually exclusive");

        Run badKey = run("replay", "-c", file.toString(), "orders to push", "--key", "one");
        assertThat(badKey.exit()).isEqualTo(2);
        assertThat(badKey.err()).contains("--key: 'one' is not a key of view 'orders to push'");

        Run badTime = run("replay", "-c", file.toString(), "orders to push", "--since", "yesterday");
        assertThat(badTime.exit()).isEqualTo(2);
        assertThat(badTime.err()).contains("--since: 'yesterday' is not a time");
    }

    @Test
    void theNewCommandsAreCompleted() throws Exception {
        Run r = run("completion");
        assertThat(r.out()).contains("pause").contains("resume").contains("replay").contains("--dry-run");
    }
}
