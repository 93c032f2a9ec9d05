package io.viewpush.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.viewpush.port.contract.ContractViews;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.viewpush.http.api.ApiFixture.ADMIN_KEY;
import static io.viewpush.http.api.ApiFixture.RECEIPTED;
import static io.viewpush.http.api.ApiFixture.bearer;
import static io.viewpush.http.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A receipt (PATCH) racing a push of the same row, both through the API: whichever wins, the row
 * ends consistent, the loser gets a clean answer and nothing is a 500.
 */
class ReceiptRaceTest {
    private static final int ROUNDS = 150;

    private ApiFixture f;
    private ExecutorService pool;

    @BeforeEach
    void start() {
        f = new ApiFixture();
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        f.close();
    }

    @Test
    void aReceiptRacingAPushOfTheSameRowLeavesItConsistent() throws Exception {
        int patched = 0;
        int lost = 0;
        for (int id = 1; id <= ROUNDS; id++) {
            f.order(id, "c" + id, "1");
            String receipt = "R-" + id;
            CountDownLatch go = new CountDownLatch(1);
            int key = id;
            Future<HttpResponse<String>> patch = pool.submit(() -> {
                go.await();
                return f.patch(RECEIPTED, String.valueOf(key), bearer(ADMIN_KEY), "{\"receipt id\": \"" + receipt + "\"}");
            });
            Future<HttpResponse<String>> push = pool.submit(() -> {
                go.await();
                return f.push(RECEIPTED, bearer(ADMIN_KEY));
            });
            go.countDown();
            HttpResponse<String> p = patch.get(10, TimeUnit.SECONDS);
            HttpResponse<String> s = push.get(10, TimeUnit.SECONDS);

            assertThat(s.statusCode()).as("round %d push: %s", id, s.body()).isEqualTo(200);
            JsonNode attempt = json(s);
            assertThat(attempt.get("status").asText()).as("round %d", id).isIn("success", "nothing_to_send");
            boolean delivered = f.transport.deliveredKeys().contains(ContractViews.key(id));
            Map<String, Object> row = f.row(id);
            assertThat(row.get("last_pushed") != null).as("round %d: stamped exactly when delivered", id)
                    .isEqualTo(delivered);
            if (p.statusCode() == 200) {
                patched++;
                assertThat(row.get("receipt_id")).as("round %d", id).isEqualTo(receipt);
                assertThat(json(p).get("receipt id").asText()).isEqualTo(receipt);
            } else {
                lost++;
                assertThat(p.statusCode()).as("round %d patch: %s", id, p.body()).isEqualTo(404);
                assertThat(row.get("receipt_id")).as("round %d", id).isNull();
                assertThat(delivered).as("round %d: the row left the view by being pushed", id).isTrue();
            }
        }
        assertThat(patched + lost).isEqualTo(ROUNDS);
        System.out.printf("receipt race: %d receipts won, %d lost to the push, in %d rounds%n", patched, lost, ROUNDS);
        // every row has left the view one way or the other
        assertThat(json(f.get("/api/views/" + ApiFixture.enc(RECEIPTED), bearer(ADMIN_KEY)))).isEmpty();
    }
}
