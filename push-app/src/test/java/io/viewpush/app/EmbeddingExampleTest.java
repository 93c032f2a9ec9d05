package io.viewpush.app;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.viewpush.engine.ViewPush;
import io.viewpush.http.transport.HttpPushTransport;
import io.viewpush.jdbc.JdbcPushStore;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushPolicy;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The README's embedding snippet, compiled and run against H2 and a real receiver. */
class EmbeddingExampleTest {

    @Test
    void theReadmeSnippetPushesTheChangedOrders() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            received.add(URLDecoder.decode(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    .substring("json=".length()), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        String receiverUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:h2:mem:embedding;DB_CLOSE_DELAY=-1");
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(50), amount DECIMAL(10,2), "
                        + "last_modified TIMESTAMP DEFAULT LOCALTIMESTAMP, last_pushed TIMESTAMP)");
                s.execute("INSERT INTO orders (id, customer, amount) VALUES (1, 'Ada', 12.50), (2, 'Grace', 99.99)");
            }
            PushAttempt attempt = readmeSnippet(pool, receiverUrl);
            // the scheduler may have pushed first (the view was due at start); either way, once
            assertThat(attempt.status()).isIn(PushAttempt.Status.SUCCESS, PushAttempt.Status.NOTHING_TO_SEND);
            assertThat(received).hasSize(1);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM orders WHERE last_pushed IS NULL")) {
                rs.next();
                assertThat(rs.getInt(1)).as("unstamped rows").isZero();
            }
            assertThat(received.get(0)).startsWith("[{\"id\":1,\"customer\":\"Ada\",\"amount\":12.50,");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theReadmeShowsThisSnippetWithTheImportsAndTheCoordinatesAnEmbedderNeeds() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("## Embedding ViewPush in your application");
        assertThat(start).as("the README's embedding section").isNotNegative();
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<String> readmeJava = lines(block(section, "```java"));
        String source = Files.readString(Path.of("src/test/java/io/viewpush/app/EmbeddingExampleTest.java"),
                StandardCharsets.UTF_8);
        String snippet = source.substring(source.indexOf('\n', source.lastIndexOf("// --- from here")) + 1,
                source.lastIndexOf("// --- up to here"));
        assertThat(String.join("\n", readmeJava)).as("the README's snippet is the one this test runs")
                .contains(String.join("\n", lines(snippet)));
        List<String> imports = new ArrayList<>();
        for (String line : source.split("\n")) {
            if (line.startsWith("import io.viewpush.") || line.equals("import java.net.URI;")
                    || line.equals("import java.time.Duration;")) {
                imports.add(line);
            }
        }
        assertThat(readmeJava).as("the imports the snippet needs").containsAll(imports);

        String xml = block(section, "```xml");
        String parent = Files.readString(Path.of("../pom.xml"), StandardCharsets.UTF_8);
        String groupId = tag(parent, "groupId");
        String version = tag(parent.substring(parent.indexOf("<artifactId>viewpush-parent</artifactId>")), "version");
        String bom = Files.readString(Path.of("../viewpush-bom/pom.xml"), StandardCharsets.UTF_8);
        assertThat(tag(bom.substring(bom.indexOf("<artifactId>viewpush-bom</artifactId>")), "version"))
                .as("the BOM's version is the build's").isEqualTo(version);
        assertThat(xml).as("the README imports the BOM").contains("<groupId>" + groupId + "</groupId>\n"
                + "      <artifactId>viewpush-bom</artifactId>\n      <version>" + version + "</version>\n"
                + "      <type>pom</type>\n      <scope>import</scope>");
        // each folder's artifact: the names say what they are (viewpush-jdbc, viewpush-http)
        for (List<String> folderAndArtifact : List.of(List.of("push-adapter-jdbc", "viewpush-jdbc"),
                List.of("push-adapter-http", "viewpush-http"))) {
            String module = folderAndArtifact.get(1);
            assertThat(Files.readString(Path.of("../" + folderAndArtifact.get(0) + "/pom.xml"), StandardCharsets.UTF_8))
                    .contains("<artifactId>" + module + "</artifactId>");
            assertThat(bom).as("the BOM manages %s", module).contains("<groupId>" + groupId + "</groupId>\n"
                    + "        <artifactId>" + module + "</artifactId>\n        <version>${project.version}</version>");
            assertThat(xml).as("the README's Maven coordinates of %s", module).contains("<dependency>\n    <groupId>"
                    + groupId + "</groupId>\n    <artifactId>" + module + "</artifactId>\n  </dependency>");
        }
        assertThatCode(() -> Class.forName("io.viewpush.testing.InMemoryStore")).doesNotThrowAnyException();
        assertThat(section).contains("`io.viewpush.testing.InMemoryStore`", "`io.viewpush:viewpush-testing`");
    }

    /** The first fenced block that opens with {@code fence} in {@code text}, without its fences. */
    private static String block(String text, String fence) {
        int open = text.indexOf(fence);
        assertThat(open).as("a %s block", fence).isNotNegative();
        int from = text.indexOf('\n', open) + 1;
        return text.substring(from, text.indexOf("\n```", from));
    }

    private static List<String> lines(String code) {
        List<String> out = new ArrayList<>();
        for (String line : code.split("\n")) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    private static String tag(String xml, String name) {
        int from = xml.indexOf("<" + name + ">") + name.length() + 2;
        return xml.substring(from, xml.indexOf("</" + name + ">", from));
    }

    private static PushAttempt readmeSnippet(DataSource dataSource, String receiverUrl) {
        // --- from here, as in README.md "Embedding ViewPush in your application"
        ViewDefinition ordersToPush = ViewDefinition.builder("orders to push", "orders")
                .key("id")
                .field("id", "id")
                .field("customer", "customer")
                .field("amount", "amount")
                .field("last modified [auto]", "last_modified")
                .field("last pushed", "last_pushed")
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true")
                .push(PushPolicy.builder("last pushed")
                        .modifiedField("last modified [auto]")
                        .minInterval(Duration.ofSeconds(30))
                        .build())
                .build();

        try (HttpPushTransport transport = HttpPushTransport.builder()
                .target("orders to push", URI.create(receiverUrl))   // where and how the view is POSTed
                .build();
             ViewPush engine = ViewPush.builder()
                     .store(JdbcPushStore.builder(dataSource).build())   // runs ViewPush's own migrations
                     .transport(transport)
                     .view(ordersToPush)
                     .build()) {                                          // checks the view against the table
            engine.start();                   // the scheduler pushes whenever the view has rows
            // ... your application changes orders, then may say so to push without waiting for the poll:
            engine.wakeTable("orders");
            PushAttempt now = engine.pushNow("orders to push");           // or push at once, on this thread
            // --- up to here
            return now;
        }
    }
}
