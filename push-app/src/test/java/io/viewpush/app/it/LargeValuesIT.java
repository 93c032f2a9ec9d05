package io.viewpush.app.it;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large values stream like everything else: rows holding a 10 MB jsonb document or a 10 MB bytea
 * are pushed by the jar in a JVM with a 64 MB heap (the benchmark's bound; an
 * OutOfMemoryError ends it with exit 3), to a receiver that parses the body as it arrives and keeps
 * only the lengths it finds.
 */
class LargeValuesIT {
    private static final int ROWS = 5;
    private static final int SIZE = 10 * 1024 * 1024;
    private static Postgres pg;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() {
        pg = new Postgres();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        pg.close();
    }

    @Test
    void rowsWithTenMegabyteJsonAndBytesArePushedInA64MegabyteHeap() throws Exception {
        pg.sql("DROP TABLE IF EXISTS big_documents",
                "CREATE TABLE big_documents (id uuid PRIMARY KEY, doc jsonb, scan bytea, last_pushed timestamptz)",
                "INSERT INTO big_documents (id, doc, scan) SELECT md5(g::text)::uuid,"
                        + " CASE WHEN g % 2 = 1 THEN jsonb_build_object('payload', repeat('x', " + SIZE + ")) END,"
                        + " CASE WHEN g % 2 = 0 THEN convert_to(repeat('y', " + SIZE + "), 'UTF8') END"
                        + " FROM generate_series(1, " + ROWS + ") g");
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody();
                 JsonParser p = new JsonFactory().createParser(body)) {
                String field = null;
                for (JsonToken t; (t = p.nextToken()) != null; ) {
                    if (t == JsonToken.FIELD_NAME) {
                        field = p.currentName();
                    } else if (t == JsonToken.VALUE_STRING && ("payload".equals(field) || "scan".equals(field))) {
                        seen.add(field + ":" + p.getTextLength());
                    }
                }
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        receiver.start();
        try {
            Files.writeString(dir.resolve("push.yaml"), pg.databaseYaml()
                    + "views:\n  - name: documents\n    table: big_documents\n    key: id\n"
                    + "    fields: {id: id, doc: doc, scan: scan, last pushed: last_pushed}\n"
                    + "    filters: ['{last pushed} is empty']\n"
                    + "    push: {url: 'http://127.0.0.1:" + receiver.getAddress().getPort() + "/', stamp: last pushed,"
                    + " format: json, timeout: 5m, retry: {attempts: 1}}\n");
            List<String> command = new ArrayList<>(Jar.command("push", "-c", "push.yaml", "documents"));
            command.set(command.indexOf("-Xmx256m"), "-Xmx64m");
            command.add(1, "-XX:+ExitOnOutOfMemoryError");
            Process child = new ProcessBuilder(command).directory(dir.toFile()).start();
            Jar.Result r = Jar.finish(child, Duration.ofMinutes(5));

            assertThat(r.exit()).as("%s", r).isZero();
            assertThat(r.out()).contains(ROWS + " rows in 1 batch");
        } finally {
            receiver.stop(0);
        }
        int base64 = (SIZE + 2) / 3 * 4;
        assertThat(seen).hasSize(ROWS).containsOnly("payload:" + SIZE, "scan:" + base64)
                .contains("payload:" + SIZE, "scan:" + base64);
        assertThat(pg.query("SELECT count(*) AS n FROM big_documents WHERE last_pushed IS NULL").get(0).get("n"))
                .isEqualTo(0L);
    }
}
