package io.viewpush.engine;

import io.viewpush.port.PushTransport;
import io.viewpush.port.contract.ContractViews;
import io.viewpush.push.Delivery;
import io.viewpush.push.PushAttempt;
import io.viewpush.testing.InMemoryStore;
import io.viewpush.testing.InMemoryTable;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalInt;

import static io.viewpush.port.contract.ContractViews.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed push's reason carries the start of the receiver's answer (the journal, the API and the
 * console show it): on one line, cut to a bound, and only when there was an answer body.
 */
class ReceiverAnswerInReasonTest {
    private ViewPush engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private PushAttempt pushAnswered(String excerpt) {
        InMemoryStore store = InMemoryStore.create();
        InMemoryTable table = OrdersTable.createIn(store);
        table.insert(order(1, "c1", "1.00", LocalDateTime.of(2024, 3, 1, 12, 0)));
        PushTransport answering = new PushTransport() {
            @Override
            public Delivery send(View view, Iterator<Row> rows) {
                long n = 0;
                while (rows.hasNext()) {
                    rows.next();
                    n++;
                }
                return Delivery.failed(OptionalInt.of(422), "422 Unprocessable Entity", n, 10, "msg_1", 1,
                        Optional.empty(), excerpt);
            }

            @Override
            public void close() {
            }
        };
        engine = ViewPush.builder().store(store).transport(answering).view(ContractViews.neverPushed()).build();
        PushAttempt a = engine.pushNow("new orders");
        assertThat(a.status()).isEqualTo(PushAttempt.Status.FAILED);
        assertThat(engine.status("new orders").history().lastFailureReason()).hasValue(a.reason());
        assertThat(engine.recentPushes("new orders", 1).get(0).reason()).isEqualTo(a.reason());
        return a;
    }

    @Test
    void theReasonEndsWithTheReceiversAnswerOnOneLine() {
        PushAttempt a = pushAnswered("{\"error\":\n\t\"customer <b>missing</b>\"}\r\n");
        assertThat(a.reason()).isEqualTo("422 Unprocessable Entity; the receiver answered: {\"error\": \"customer"
                + " <b>missing</b>\"}");
    }

    @Test
    void withoutAnAnswerBodyTheReasonIsTheTransportsAlone() {
        assertThat(pushAnswered("").reason()).isEqualTo("422 Unprocessable Entity");
        assertThat(pushAnswered(" \n ").reason()).isEqualTo("422 Unprocessable Entity");
    }

    @Test
    void aLongAnswerIsCut() {
        String reason = pushAnswered("x".repeat(5000)).reason();
        assertThat(reason).isEqualTo("422 Unprocessable Entity; the receiver answered: "
                + "x".repeat(Pusher.ANSWER_IN_REASON) + "\u2026");
        // never half a surrogate pair at the cut
        String emoji = "a".repeat(Pusher.ANSWER_IN_REASON - 1) + "\uD83D\uDE00" + "tail";
        assertThat(Pusher.answered(emoji)).endsWith("a\u2026").doesNotContain("\uD83D");
    }
}
