package io.viewpush.app.cli;

import com.sun.net.httpserver.HttpServer;
import io.viewpush.push.PushAttempt;
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
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code journal} reads push attempts from the database with no API running, and {@code completion}
 * prints a bash script that completes the commands and options.
 */
class JournalAndCompletionTest {
    @TempDir
    Path dir;

    private HttpServer receiver;
    /** The status the receiver answers next. */
    private final AtomicInteger answer = new AtomicInteger(200);

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
            exchange.getRequestBody().readAllBytes();
            byte[] body = (answer.get() == 200 ? "ok" : "down for\nmaintenance").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        receiver.start();
        Files.writeString(dir.resolve("init.sql"), """
                CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, amount DECIMAL(10,2), last_pushed TIMESTAMP);
                MERGE INTO orders KEY (id) VALUES (1, 12.50, NULL), (2, 3.00, NULL);
                """);
        Path file = dir.resolve("push.yaml");
        Files.writeString(file, """
                database:
                  url: jdbc:h2:file:%s/db
                  init: init.sql
                views:
                  - name: orders to push
                    table: orders
                    key: id
                    fields: {id: id, amount: amount, last pushed: last_pushed}
                    filters: ["{last pushed} is empty"]
                    push:
                      url: http://127.0.0.1:%d/hook
                      stamp: last pushed
                      retry: {attempts: 1}
                  - name: pull only
                    table: orders
                    key: id
                    fields: [id]
                """.formatted(dir.toString().replace('\\', '/'), receiver.getAddress().getPort()));
        return file;
    }

    @Test
    void journalPrintsTheViewsAttemptsNewestFirstAsATable() throws IOException {
        Path file = config();
        answer.set(500);
        assertThat(run("push", "-c", file.toString(), "orders to push").exit()).isEqualTo(1);
        answer.set(200);
        assertThat(run("push", "-c", file.toString(), "orders to push").exit()).isZero();

        Run r = run("journal", "-c", file.toString(), "orders to push");
        assertThat(r.exit()).as("%s", r).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("STARTED").contains("STATUS", "ROWS", "BYTES", "DURATION", "HTTP", "REASON");
        assertThat(lines.get(1)).contains("manual", "success").containsPattern("\\s2\\s+2\\s+1\\s").contains(" 200 ");
        assertThat(lines.get(2)).contains("manual", "failed").contains(" 500 ").endsWith("500 Internal Server Error; the receiver answered: down for maintenance");
        // columns line up: every row has its status where the header has STATUS
        int status = lines.get(0).indexOf("STATUS");
        assertThat(lines.get(1).substring(status)).startsWith("success");
        assertThat(lines.get(2).substring(status)).startsWith("failed");

        Run newest = run("journal", "-c", file.toString(), "orders to push", "--limit", "1");
        assertThat(newest.out().lines().toList()).hasSize(2);
        assertThat(newest.out().lines().toList().get(1)).contains("success");
    }

    @Test
    void aReasonWithLineBreaksStaysOnItsRow() {
        Instant t = Instant.parse("2026-01-01T10:00:00Z");
        PushAttempt a = new PushAttempt("v", PushAttempt.Trigger.SCHEDULE, t, t.plusMillis(1500),
                PushAttempt.Status.FAILED, 1, 0, 0, 1, 2048, OptionalInt.of(502), "bad gateway:\r\n<html>\tdown</html>\n",
                List.of());
        List<String> lines = JournalCommand.table(List.of(a)).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo(
                "2026-01-01 10:00:00Z  schedule  failed     1        0        1  2.0 KiB   1500 ms   502  bad gateway:  <html> down</html>");
    }

    @Test
    void journalOfAViewNeverPushedOrPullOnlySaysSo() throws IOException {
        Path file = config();
        Run never = run("journal", "-c", file.toString(), "orders to push");
        assertThat(never.exit()).isZero();
        assertThat(never.out()).isEqualTo("view 'orders to push' has no push attempts in the journal" + System.lineSeparator());
        assertThat(run("journal", "-c", file.toString(), "pull only").out()).contains("pull-only");
    }

    @Test
    void journalRejectsABadLimitOrAnUnknownViewWithTwo() throws IOException {
        Path file = config();
        Run zero = run("journal", "-c", file.toString(), "orders to push", "--limit", "0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--limit must be between 1 and 10000, not 0");
        Run unknown = run("journal", "-c", file.toString(), "orders");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("there is no view named 'orders' (did you mean 'orders to push'?)");
    }

    @Test
    void helpOfEveryConfigCommandNamesTheEnvironmentDefault() {
        for (String command : new String[]{"run", "push", "preview", "check", "journal"}) {
            assertThat(run(command, "--help").out().replaceAll("\\s+", " ")).as(command)
                    .contains("default: push.yaml in the working directory, or $VIEWPUSH_CONFIG when set");
        }
    }

    @Test
    void completionScriptCompletesCommandsAndOptionsInBash() throws Exception {
        Run r = run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F").contains("viewpush");
        assertThat(complete(r.out(), "viewpush jo")).contains("journal");
        assertThat(complete(r.out(), "viewpush journal --li")).contains("--limit");
        assertThat(complete(r.out(), "viewpush pu")).contains("push");

        assertThat(run("completion", "--name", "vp").out()).contains("vp");
        Run bad = run("completion", "--name", "vp; rm -rf x");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--name must be a plain command name");
    }

    /** Sources the script in a real bash and asks it for the completions of {@code line}. */
    private String complete(String script, String line) throws Exception {
        Path file = dir.resolve("completion.bash");
        Files.writeString(file, script);
        String words = line.endsWith(" ") ? line + "''" : line;
        String probe = "source " + file + "\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(" + words + "); "
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "fn=$(complete -p viewpush 2>/dev/null | sed -E 's/.*-F ([^ ]+).*/\\1/')\n"
                + "$fn; printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "--noprofile", "--norc", "-c", probe).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
