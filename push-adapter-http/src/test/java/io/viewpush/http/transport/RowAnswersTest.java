package io.viewpush.http.transport;

import io.viewpush.push.Delivery;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.RowAnswers;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code response: rows}: a receiver's 2xx that lists the rows it accepted and rejected, read from a real HTTP answer. */
class RowAnswersTest {
    @TempDir
    Path spool;
    private Receiver receiver;
    private HttpPushTransport transport;
    private View view;

    @BeforeEach
    void start() throws IOException {
        receiver = new Receiver();
        transport = HttpPushTransport.builder().spoolDirectory(spool).build();
        view = TestViews.view(receiver.uri("/hook"), p -> p.maxRows(100).response(PushPolicy.ResponseMode.ROWS));
    }

    @AfterEach
    void stop() {
        transport.close();
        receiver.close();
    }

    private Delivery send(String answer) {
        receiver.then(Receiver.Answer.of(200, answer).header("Content-Type", "application/json"));
        return transport.send(view, TestViews.simpleRows(view, 1, 4).iterator());
    }

    private static java.util.List<Object> key(int id) {
        return RowKey.of(new BigDecimal(id)).values();
    }

    @Test
    void theAcceptedAndRejectedRowsAreNamedByTheirKeysAsTheRowJsonShowsThem() {
        Delivery d = send("{\"accepted\": [1, 3.0], \"rejected\": [{\"key\": 2, \"reason\": \"missing email\"}, {\"key\": 4}]}");

        assertThat(d.delivered()).isTrue();
        RowAnswers a = d.rowAnswers().orElseThrow();
        assertThat(a.accepted()).containsExactlyInAnyOrder(key(1), key(3));
        assertThat(a.rejected()).containsExactly(Map.entry(key(2), "missing email"), Map.entry(key(4), "no reason given"));
    }

    @Test
    void aSuccessWithoutSuchABodyAcceptsTheWholeBatch() {
        for (String body : new String[]{"", "OK", "thanks", "{\"status\": \"queued\"}", "  \n", "{ok}"}) {
            Delivery d = send(body);
            assertThat(d.delivered()).as("%s", body).isTrue();
            assertThat(d.rowAnswers()).as("%s", body).isEmpty();
        }
    }

    @Test
    void aMalformedAnswerIsAFailedBatchWithTheReason() {
        Map<String, String> cases = Map.of(
                "{\"accepted\": 1}", "\"accepted\" must be an array of row keys, not a number",
                "{\"accepted\": [1], \"rejected\": [2]}", "rejected[0] must be an object with a \"key\"",
                "{\"accepted\": [99]}", "accepted[0] 99 is not the key of a row of the batch",
                "{\"accepted\": [\"1\"]}", "accepted[0] \"1\" is not the key of a row of the batch",
                "{\"accepted\": [1], \"rejected\": [{\"key\": 1, \"reason\": \"no\"}]}", "rejected[0].key 1 is also accepted",
                "{\"accepted\": [1,", "the answer is not valid JSON",
                "{\"rejected\": [{\"key\": 2, \"reason\": 7}]}", "rejected[0].reason must be text, not a number",
                "{\"accepted\": [{\"id\": 1}]}", "accepted[0] is not a row key");
        cases.forEach((body, why) -> {
            Delivery d = send(body);
            assertThat(d.delivered()).as("%s", body).isFalse();
            assertThat(d.status()).as("the receiver's status is kept").hasValue(200);
            assertThat(d.reason()).as("%s", body).startsWith("200 OK, but its answer row by row is malformed: ").contains(why);
            assertThat(d.rowAnswers()).isEmpty();
        });
    }

    @Test
    void aViewAnsweredForTheWholeBatchIgnoresSuchABody() {
        View whole = TestViews.view(receiver.uri("/hook"), p -> p.maxRows(100));
        receiver.then(Receiver.Answer.of(200, "{\"accepted\": [1]}"));
        Delivery d = transport.send(whole, TestViews.simpleRows(whole, 1, 4).iterator());
        assertThat(d.delivered()).isTrue();
        assertThat(d.rowAnswers()).isEmpty();
    }

    @Test
    void aCompositeKeyIsAnArrayOfItsValuesInKeyOrder() {
        Map<String, RowKey> sent = Map.of(RowAnswerReader.canonical(RowKey.of(new BigDecimal("7"), "eu")),
                RowKey.of(new BigDecimal("7"), "eu"));
        RowAnswers a;
        try {
            a = RowAnswerReader.read("{\"accepted\": [[7, \"eu\"]]}".getBytes(java.nio.charset.StandardCharsets.UTF_8), sent)
                    .orElseThrow();
        } catch (RowAnswerReader.MalformedAnswer e) {
            throw new AssertionError(e);
        }
        assertThat(a.accepted()).isEqualTo(Set.of(RowKey.of(new BigDecimal("7"), "eu").values()));
    }
}
