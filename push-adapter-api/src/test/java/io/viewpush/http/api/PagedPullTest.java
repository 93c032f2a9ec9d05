package io.viewpush.http.api;

import io.viewpush.engine.ViewPush;
import io.viewpush.expression.Snapshot;
import io.viewpush.json.RowJsonWriter;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.RowSource;
import io.viewpush.view.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pull's page with a limit whose JSON fits in memory is read once (one read of one row more
 * than the page, to learn whether another follows) and sent byte for byte as the streamed page
 * would be, with the same {@code Link}; a page too large to hold is read twice, as before (where it
 * ends, then the page up to there), and streamed.
 */
class PagedPullTest {
    private static final String KEY = "paged-test-key-0123456789";
    private static final String PATH = "/api/views/generated%20rows";

    private final List<Page> reads = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ViewPush engine;
    private ApiServer server;

    private void start(long rows, int maxPulls) {
        GeneratedRows generated = new GeneratedRows(rows);
        RowSource counted = new RowSource() {
            @Override
            public RowCursor open(View view, Snapshot snapshot, Page page) {
                reads.add(page);
                return generated.open(view, snapshot, page);
            }
        };
        engine = ViewPush.builder().schema(generated).rowSource(counted).view(GeneratedRows.definition()).build();
        server = ApiServer.builder(engine).port(0).maxPulls(maxPulls).key(ApiKey.allViews("paged", KEY, false)).build()
                .start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aPageThatFitsInMemoryIsReadOnceAndSentAsTheStreamedPageWouldBe() throws Exception {
        start(1000, 4);
        HttpResponse<byte[]> first = get("?limit=100");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(reads).as("reads of the first page").containsExactly(new Page(Optional.empty(), 101));
        assertThat(first.body()).isEqualTo(written(Page.first(100)));
        assertThat(first.headers().firstValue("Link")).hasValue("<" + PATH + "?limit=100&after=100>; rel=\"next\"");
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");

        reads.clear();
        HttpResponse<byte[]> last = get("?limit=100&after=900");
        assertThat(reads).as("reads of the last page").hasSize(1);
        assertThat(last.body()).isEqualTo(written(new Page(Optional.of(io.viewpush.view.RowKey.of(
                java.math.BigDecimal.valueOf(900))), 0)));
        assertThat(last.headers().firstValue("Link")).as("no page after the last").isEmpty();

        reads.clear();
        HttpResponse<byte[]> exact = get("?limit=1000");
        assertThat(reads).hasSize(1);
        assertThat(exact.body()).isEqualTo(written(Page.ALL));
        assertThat(exact.headers().firstValue("Link")).as("a page that ends with the view has no next").isEmpty();
    }

    @Test
    void aPageTooLargeToHoldIsFoundFirstThenStreamedWithTheSameBytes() throws Exception {
        // one pull at a time: its page may hold 4 MiB; 100,000 of these rows are about 8 MB of JSON
        start(200_000, 1);
        HttpResponse<byte[]> page = get("?limit=100000");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().length).isGreaterThan(ApiHandler.MAX_PAGE_BUFFER_BYTES);
        assertThat(page.body()).isEqualTo(written(Page.first(100_000)));
        assertThat(page.headers().firstValue("Link")).hasValue("<" + PATH + "?limit=100000&after=100000>; rel=\"next\"");
        assertThat(page.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(reads).as("the read that gave up holding it, the one that found its end, the page's")
                .hasSize(3);
        assertThat(reads.get(2).upTo()).isPresent();
    }

    private HttpResponse<byte[]> get(String query) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + PATH + query))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The JSON the row writer writes for these rows, as a streamed pull sends it. */
    private byte[] written(Page page) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        View view = engine.view(GeneratedRows.VIEW).orElseThrow();
        try (RowCursor rows = engine.read(GeneratedRows.VIEW, page)) {
            RowJsonWriter.create().writeArray(view, rows, out);
        }
        reads.remove(reads.size() - 1);
        return out.toByteArray();
    }
}
