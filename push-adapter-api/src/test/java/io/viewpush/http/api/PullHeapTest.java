package io.viewpush.http.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.viewpush.engine.ViewPush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million-row pull through a 64 MiB heap (this class runs in its own JVM with {@code -Xmx64m}: see
 * the {@code small-heap} execution in the module's POM). The rows are generated as the cursor reaches
 * them, so nothing but the server's streaming can hold them; the client parses the response as a
 * stream too. The body is about 95 MB.
 */
class PullHeapTest {
    private static final long ROWS = 1_000_000;
    private static final String KEY = "heap-test-key-0123456789";

    private ViewPush engine;
    private ApiServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        engine = new GeneratedRows(ROWS).engine();
        server = ApiServer.builder(engine).port(0).key(ApiKey.allViews("heap", KEY, false)).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    @Test
    @Timeout(120)
    void pullsAMillionRowsThroughASmallHeap() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("run with -Xmx64m").isLessThan(100L * 1024 * 1024);
        long start = System.nanoTime();
        Pulled all = pull("");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("pulled %d rows, %d bytes in %.1f s (%.0f rows/s) with a %d MiB heap%n", all.rows, all.bytes,
                seconds, all.rows / seconds, Runtime.getRuntime().maxMemory() / (1024 * 1024));
        assertThat(all.rows).isEqualTo(ROWS);
        assertThat(all.firstKey).isEqualTo(1);
        assertThat(all.lastKey).isEqualTo(ROWS);
    }

    @Test
    @Timeout(120)
    void pagesOfAMillionRowsHoldEveryRowExactlyOnce() throws Exception {
        long limit = 300_000;
        long expectedNext = 1;
        long after = 0;
        int pages = 0;
        while (true) {
            Pulled page = pull("?limit=" + limit + (after == 0 ? "" : "&after=" + after));
            pages++;
            if (page.rows == 0) {
                break;
            }
            assertThat(page.firstKey).isEqualTo(expectedNext);
            assertThat(page.lastKey - page.firstKey + 1).isEqualTo(page.rows);
            expectedNext = page.lastKey + 1;
            after = page.lastKey;
        }
        assertThat(expectedNext - 1).isEqualTo(ROWS);
        assertThat(pages).isEqualTo(5);
    }

    private static final class Pulled {
        long rows;
        long bytes;
        long firstKey = -1;
        long lastKey = -1;
    }

    /** Pulls and parses as a stream, checking that keys rise one by one. */
    private Pulled pull(String query) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/views/generated%20rows" + query)).header("Authorization", "Bearer " + KEY).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        Pulled p = new Pulled();
        try (InputStream raw = response.body();
             CountingStream in = new CountingStream(raw);
             JsonParser parser = new JsonFactory().createParser(in)) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                long id = -1;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    if (name.equals("id")) {
                        id = parser.getLongValue();
                    } else if (name.equals("amount")) {
                        assertThat(parser.getDecimalValue()).isEqualTo(BigDecimal.valueOf(id * 101, 2));
                    }
                }
                if (p.firstKey < 0) {
                    p.firstKey = id;
                } else {
                    assertThat(id).isEqualTo(p.lastKey + 1);
                }
                p.lastKey = id;
                p.rows++;
            }
            assertThat(parser.currentToken()).isEqualTo(JsonToken.END_ARRAY);
            assertThat(parser.nextToken()).isNull();
            p.bytes = in.count;
        }
        return p;
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
