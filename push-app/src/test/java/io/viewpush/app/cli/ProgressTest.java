package io.viewpush.app.cli;

import io.viewpush.push.Delivery;
import io.viewpush.push.StampResult;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress line of {@code push} counts the rows of the batch in flight, not only finished batches. */
class ProgressTest {
    @Test
    void rowsTakenOfTheBatchInFlightCountBeforeItFinishes() {
        StringWriter out = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(out), "orders", false)) {
            assertThat(p.line(1)).isEqualTo("pushing 'orders' … 1 s, 0 batches sent, 0 rows, 0 B");
            p.rowsTaken("orders", 2_000);
            p.rowsTaken("other view", 9_000);
            assertThat(p.line(2)).isEqualTo("pushing 'orders' … 2 s, 0 batches sent, 2000 rows, 0 B");
            p.batchFinished("orders", Delivery.delivered(200, "200 OK", 2_500, 2048, "msg_1", 1, ""),
                    new StampResult(2_500, 0));
            assertThat(p.line(3)).isEqualTo("pushing 'orders' … 3 s, 1 batches sent, 2500 rows, 2.0 KiB");
            // counted over the push: the second batch's rows as the transport takes them
            p.rowsTaken("orders", 4_000);
            assertThat(p.line(4)).isEqualTo("pushing 'orders' … 4 s, 1 batches sent, 4000 rows, 2.0 KiB");
        }
        assertThat(out.toString()).as("not a terminal: nothing printed").isEmpty();
    }
}
