package io.viewpush.app.demo;

import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigLoader;
import io.viewpush.app.config.DatabaseConfig;
import io.viewpush.app.metrics.PushLog;
import io.viewpush.http.api.ApiServer;
import io.viewpush.jdbc.modified.ModifiedAtWriteTrigger;
import io.viewpush.port.PushListener;
import io.viewpush.push.PushAttempt;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code demo}: a guided tour that needs nothing but the jar. The embedded PostgreSQL (the default
 * database), its data in a temporary directory, gets a sample {@code orders} table (through the config's {@code database.init}); a
 * config file like an operator's is written there and read with {@link ConfigLoader}; the app is
 * assembled exactly as {@code run} does it ({@link Assembly}); a local receiver prints what arrives
 * and verifies the signature. The tour pushes, changes a row and pushes again, shows a failed push
 * leaving its row unstamped and the next push delivering it, pulls and writes a receipt through the
 * HTTP API, and shows the metrics. With {@code --stay} it then keeps running with the scheduler on.
 */
public final class Demo {
    /** The demo's push view. */
    public static final String VIEW = "orders to push";
    /** The demo's pull-only view of orders without a receipt. */
    public static final String RECEIPTS = "orders awaiting receipt";

    private static final String SCHEMA = String.join("\n",
            "CREATE TABLE IF NOT EXISTS orders (",
            "  id            INT PRIMARY KEY,",
            "  customer      VARCHAR(100) NOT NULL,",
            "  amount        DECIMAL(10, 2) NOT NULL,",
            "  last_modified TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP,",
            "  last_pushed   TIMESTAMP,",
            "  receipt_id    VARCHAR(40)",
            ");",
            "INSERT INTO orders (id, customer, amount) VALUES",
            "  (1, 'Ada', 12.50), (2, 'Grace', 99.99), (3, 'Linus', 7.00)",
            "  ON CONFLICT (id) DO NOTHING;",
            "");

    /**
     * What {@code trigger -c push.yaml 'orders to push'} prints for the demo's table: the modified
     * column set when each row is written (PostgreSQL's LOCALTIMESTAMP keeps its first value for the
     * whole transaction, so a time from it could be older than a stamp set meanwhile).
     */
    private static final String TRIGGER = ModifiedAtWriteTrigger.postgresqlSql("public", "orders", "last_modified", 6,
            List.of("last_pushed", "receipt_id"));

    private static final String CONFIG = String.join("\n",
            "database:                          # no url: the embedded PostgreSQL, in ./viewpush-data",
            "  init: schema.sql                 # creates the sample table at start-up",
            "server:",
            "  host: 127.0.0.1",
            "  port: 0                          # a free port",
            "api:",
            "  keys:",
            "    - name: demo",
            "      key: ${DEMO_KEY}",
            "      views: ['*']",
            "      admin: true",
            "views:",
            "  - name: " + VIEW,
            "    table: orders",
            "    key: id",
            "    fields:",
            "      id: id",
            "      customer: customer",
            "      amount: amount",
            "      last modified [auto]: last_modified",
            "      last pushed: last_pushed",
            "      receipt id: receipt_id",
            "    calculations:",
            "      needs pushing: \"{last modified [auto]} > {last pushed}\"",
            "    filters:",
            "      - \"{needs pushing} = true\"",
            "    writable: [receipt id]",
            "    push:",
            "      url: ${RECEIVER_URL}",
            "      stamp: last pushed",
            "      modified: last modified [auto]",
            "      minInterval: 5s",
            "      secret: ${HOOK_SECRET}",
            "      retry: {attempts: 1}             # fail at once, for the tour",
            "  - name: " + RECEIPTS,
            "    table: orders",
            "    key: id",
            "    fields: {id: id, customer: customer, receipt id: receipt_id}",
            "    filters: [\"{receipt id} is empty\"]",
            "    writable: [receipt id]                  # no push: a pull-only view",
            "engine:",
            "  shutdownTimeout: 5s",
            "");

    private static final int WIDTH = 100;

    private final PrintWriter out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger step = new AtomicInteger();
    /** Counted down when the tour has closed everything (a --stay shutdown waits for it). */
    private final CountDownLatch cleanedUp = new CountDownLatch(1);

    private Demo(PrintWriter out) {
        this.out = out;
    }

    /**
     * Runs the tour.
     *
     * @param out  where the tour is printed
     * @param stay keep running with the scheduler on after the tour, until Ctrl-C / SIGTERM
     * @return the exit code: 0
     */
    public static int run(PrintWriter out, boolean stay) {
        Path dir;
        try {
            dir = Files.createTempDirectory("viewpush-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Demo demo = new Demo(out);
        try {
            return demo.tour(dir, stay);
        } finally {
            deleteTree(dir);
            demo.cleanedUp.countDown();
        }
    }

    private int tour(Path dir, boolean stay) {
        SecureRandom random = new SecureRandom();
        byte[] k = new byte[12];
        random.nextBytes(k);
        String apiKey = "demo-" + HexFormat.of().formatHex(k);
        byte[] s = new byte[24];
        random.nextBytes(s);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(s);

        quietLogs();
        say("ViewPush demo: a guided tour. Nothing to set up: everything runs on this machine, in " + dir
                + ", and is deleted at the end. (Log lines on stderr are what an operator would see; the tour shows "
                + "only warnings.)");
        try (DemoReceiver receiver = new DemoReceiver(out, secret)) {
            write(dir.resolve("schema.sql"), SCHEMA + "\n" + TRIGGER);
            write(dir.resolve("push.yaml"), CONFIG);
            AppConfig loaded = ConfigLoader.load(dir.resolve("push.yaml"), Map.of(
                    "DEMO_KEY", apiKey, "RECEIVER_URL", receiver.url(), "HOOK_SECRET", secret));
            // the tour's data goes to its own directory, not to ./viewpush-data where the operator works
            DatabaseConfig own = loaded.database();
            AppConfig config = loaded.withDatabase(new DatabaseConfig(
                    DatabaseConfig.embeddedIn(dir.resolve(DatabaseConfig.EMBEDDED_DIRECTORY)).url(), own.user(),
                    own.password(), own.init(), own.poolSize(), true, own.timeZone(), own.stampAhead()));

            heading("The database");
            say("The embedded PostgreSQL, the default database of a config without database.url: a real PostgreSQL "
                    + "from the jar, started with the app and stopped with it (the tour keeps its data in "
                    + dir.resolve(DatabaseConfig.EMBEDDED_DIRECTORY) + " instead of ./viewpush-data). A table of orders "
                    + "in it is created by schema.sql (the config's database.init):");
            indent(SCHEMA.substring(0, SCHEMA.indexOf(");") + 2));
            say("and three orders: 1 Ada 12.50, 2 Grace 99.99, 3 Linus 7.00. schema.sql also installs ViewPush's "
                    + "trigger, as 'java -jar push-app.jar trigger -c push.yaml \"" + VIEW + "\"' prints it (--apply runs it): "
                    + "it sets last_modified when each row is written, never to a time taken when the writing "
                    + "transaction began, which could be older than a stamp set meanwhile (that change would never "
                    + "be pushed); a stamp or a receipt alone leaves it as it was:");
            indent(TRIGGER.strip());

            heading("The config");
            say("push.yaml, as an operator writes it (${NAME} comes from the environment):");
            indent(CONFIG.strip());
            say("The view '" + VIEW + "' holds the orders that changed since they were last pushed: "
                    + "{last modified [auto]} > {last pushed} (an empty 'last pushed' counts as older than any time). "
                    + "A push POSTs them, as json=[...], to the receiver; when it answers 2xx, each row sent gets "
                    + "'last pushed' stamped, which takes it out of the view. Nothing is lost: a failed push stamps nothing.");

            try (Assembly app = Assembly.open(config, PushListener.NONE)) {
                ApiServer api = app.startApi();
                String base = "http://127.0.0.1:" + api.port();
                String pull = base + "/api/views/orders%20to%20push";

                heading("The receiver and the API");
                say("A receiver listens on " + receiver.url() + ": it prints what arrives and verifies the "
                        + "webhook-signature with the shared secret.");
                say("The HTTP API listens on " + base + " with the demo key " + apiKey + ".");

                heading("First push: all three orders are new");
                push(app);

                heading("Push again: nothing changed, so nothing is sent");
                push(app);

                heading("Ada's order changes (12.50 -> 15.00)");
                say("The application updates the row; the trigger sets its last_modified as it is written:");
                sql(app, "UPDATE orders SET amount = 15.00 WHERE id = 1");
                push(app);

                heading("The receiver has a bad moment: it answers 500");
                receiver.answer(500);
                say("Grace's order changes and is pushed:");
                sql(app, "UPDATE orders SET amount = 89.99 WHERE id = 2");
                push(app);
                say("Nothing was stamped, so Grace's order is still in the view. The pull API shows it:");
                curl(apiKey, "GET", pull, null);

                heading("The receiver is back: the next push delivers Grace's order");
                receiver.answer(200);
                push(app);
                List<String> ids = receiver.webhookIds();
                boolean same = ids.size() >= 2 && ids.get(ids.size() - 1).equals(ids.get(ids.size() - 2));
                say(same ? "It carries the same webhook-id as the failed attempt: the same batch always has the same "
                        + "idempotency key, so a receiver that did get the first one can tell it is a repeat."
                        : "Its webhook-id differs from the failed attempt's: the batch changed in between.");

                heading("Receipts through the row update API");
                String receipts = base + "/api/views/orders%20awaiting%20receipt";
                say("The second view, '" + RECEIPTS + "', is pull-only and holds the orders without a receipt id "
                        + "({receipt id} is empty). A receiver confirms an order by writing its receipt id through the "
                        + "row update API, which takes the row out of that view. (With a push policy, such a view "
                        + "pushes each order until its receipt arrives.)");
                curl(apiKey, "PATCH", receipts + "/rows/1", "{\"receipt id\":\"R-1001\"}");
                curl(apiKey, "GET", receipts, null);

                heading("Metrics");
                say("GET " + base + "/metrics serves Prometheus text; the push counters now read:");
                metrics(base);

                heading("Try it yourself");
                say(stay ? "The demo keeps running: in another terminal, try"
                        : "Run the demo with --stay to keep it running; then, in another terminal, commands like these work:");
                indent(curlLine(apiKey, "GET", pull, null) + "\n"
                        + curlLine(apiKey, "PATCH", base + "/api/views/orders%20awaiting%20receipt/rows/3",
                        "{\"receipt id\":\"R-1003\"}") + "\n"
                        + curlLine(apiKey, "POST", pull + "/push", null) + "\n"
                        + curlLine(apiKey, "GET", pull + "/pushes", null) + "\n"
                        + "curl " + base + "/metrics");
                if (stay) {
                    stay(app, api);
                } else {
                    out.println();
                    out.println("Done. Next: write your own push.yaml (see the README), run "
                            + "'java -jar push-app/target/push-app.jar check -c push.yaml', then 'run -c push.yaml'.");
                    out.flush();
                }
            }
        }
        return 0;
    }

    private void stay(Assembly app, ApiServer api) {
        app.engine().start();
        out.println();
        say("The scheduler is on: every 15 s the demo changes an order, and the scheduler pushes it "
                + "(at most every 5 s). Press Ctrl-C to stop.");
        out.flush();
        ScheduledExecutorService changes = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-changes");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger n = new AtomicInteger();
        changes.scheduleAtFixedRate(() -> {
            int id = 1 + n.getAndIncrement() % 3;
            synchronized (out) {
                out.println("-- order " + id + " changes");
                out.flush();
            }
            try (Connection c = app.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE orders SET amount = amount + 1 WHERE id = " + id);
            } catch (SQLException e) {
                synchronized (out) {
                    out.println("-- could not change order " + id + ": " + e.getMessage());
                }
            }
            app.engine().wakeTable("orders");
        }, 15, 15, TimeUnit.SECONDS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            try {
                // let the tour's thread stop the engine and delete its files, then end with 0
                cleanedUp.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.println("Stopped.");
            out.flush();
            Runtime.getRuntime().halt(0);
        }, "demo-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            changes.shutdownNow();
        }
    }

    /** The tour prints what happens itself; the log keeps only warnings (a failed push is one). */
    private static void quietLogs() {
        org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger) {
            ((ch.qos.logback.classic.Logger) root).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private void push(Assembly app) {
        PushAttempt a = app.engine().pushNow(VIEW);
        synchronized (out) {
            out.println("   => " + PushLog.describe(a));
            out.flush();
        }
    }

    private void sql(Assembly app, String sql) {
        indent(sql + ";");
        try (Connection c = app.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("the demo's own SQL failed: " + e.getMessage(), e);
        }
    }

    private void curl(String key, String method, String url, String body) {
        indent("$ " + curlLine(key, method, url, body));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            indent(r.statusCode() + " " + r.body());
        } catch (IOException e) {
            indent("(failed: " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            indent("(interrupted)");
        }
    }

    private static String curlLine(String key, String method, String url, String body) {
        return "curl " + (method.equals("GET") ? "" : "-X " + method + " ") + "-H 'Authorization: Bearer " + key + "' "
                + (body == null ? "" : "-H 'Content-Type: application/json' -d '" + body + "' ") + "'" + url + "'";
    }

    private void metrics(String base) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String lines = r.body().lines()
                    .filter(l -> l.startsWith("viewpush_pushes_total") || l.startsWith("viewpush_rows_sent_total")
                            || l.startsWith("viewpush_rows_stamped_total"))
                    .filter(l -> !l.endsWith(" 0.0")) // counters that start at zero and never moved in the tour
                    .sorted().collect(Collectors.joining("\n"));
            indent(lines);
        } catch (IOException e) {
            indent("(failed: " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void heading(String title) {
        synchronized (out) {
            out.println();
            out.println(step.incrementAndGet() + ". " + title);
            out.flush();
        }
    }

    private void say(String text) {
        StringBuilder line = new StringBuilder("  ");
        synchronized (out) {
            for (String word : text.split(" ")) {
                if (line.length() + word.length() + 1 > WIDTH && line.length() > 2) {
                    out.println(line);
                    line = new StringBuilder("  ");
                }
                line.append(' ').append(word);
            }
            out.println(line);
            out.flush();
        }
    }

    private void indent(String text) {
        synchronized (out) {
            text.lines().forEach(l -> out.println("      " + l));
            out.flush();
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless; the tour already ran
            return;
        }
    }
}
