package io.viewpush.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code VIEWPUSH_LOG_FORMAT=json}: the jar's log is JSON lines, and a push's lines name the view. */
class JsonLogIT {
    @TempDir
    Path dir;

    @Test
    void jsonLinesWithTheViewInTheMdcOfThePushsLines() throws IOException {
        try (Receiver receiver = new Receiver()) {
            Files.writeString(dir.resolve("init.sql"), """
                    CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, last_pushed TIMESTAMP);
                    MERGE INTO orders KEY (id) VALUES (1, NULL), (2, NULL);
                    """);
            Files.writeString(dir.resolve("push.yaml"), """
                    database: {url: 'jdbc:h2:file:./db', init: init.sql}
                    views:
                      - name: orders to push
                        table: orders
                        key: id
                        fields: {id: id, last pushed: last_pushed}
                        filters: ["{last pushed} is empty"]
                        push: {url: '%s', stamp: last pushed}
                    """.formatted(receiver.url()));
            Jar.Result r = Jar.run(dir, Map.of("VIEWPUSH_LOG_FORMAT", "json"), Duration.ofSeconds(60),
                    "push", "-c", "push.yaml", "orders to push");
            assertThat(r.exit()).as("%s", r).isZero();
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : r.err().split("\n")) {
                if (!line.isBlank()) {
                    lines.add(json.readTree(line)); // every line is one JSON object
                }
            }
            assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l.path("level").asText()).isNotEmpty());
            JsonNode push = lines.stream().filter(l -> l.path("loggerName").asText().equals("push")).findFirst()
                    .orElseThrow(() -> new AssertionError(r.err()));
            assertThat(push.path("formattedMessage").asText()).startsWith("view 'orders to push' success: 2 rows");
            assertThat(push.path("mdc").path("view").asText()).isEqualTo("orders to push");
            assertThat(lines).as("the start-up lines belong to no view")
                    .anyMatch(l -> !l.path("mdc").has("view"));
        }

        Jar.Result bad = Jar.run(dir, Map.of("VIEWPUSH_LOG_FORMAT", "xml"), Duration.ofSeconds(60), "--version");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("VIEWPUSH_LOG_FORMAT must be text or json, not 'xml'");
    }
}
