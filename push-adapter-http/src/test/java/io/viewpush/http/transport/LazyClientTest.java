package io.viewpush.http.transport;

import io.viewpush.push.Delivery;
import io.viewpush.PushException;
import io.viewpush.view.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transport makes its HTTP client (connection manager, TLS context) on the first send only: a
 * one-shot {@code push} with nothing to send, or {@code check}, never pays for it (docs/BENCHMARKS.md,
 * session 6: it was the largest single cost of the start-up of such a command).
 */
class LazyClientTest {
    @TempDir
    Path spool;

    @Test
    void theClientIsMadeOnTheFirstSendAndKeptForTheNext() throws IOException {
        try (Receiver receiver = new Receiver();
             DefaultHttpPushTransport t = (DefaultHttpPushTransport) HttpPushTransport.builder().spoolDirectory(spool).build()) {
            View view = TestViews.view(receiver.uri("/hook"), p -> p);
            t.check(view.name(), TestViews.target(view));
            assertThat(t.clientMade()).as("built and checked, nothing sent").isFalse();

            Delivery first = t.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 2).iterator());
            assertThat(first.delivered()).isTrue();
            assertThat(t.clientMade()).isTrue();
            Delivery second = t.send(view, TestViews.target(view), TestViews.simpleRows(view, 3, 2).iterator());
            assertThat(second.delivered()).isTrue();
            // one client, so one pooled connection for both requests
            assertThat(receiver.requests()).hasSize(2).extracting(Receiver.Request::remotePort)
                    .containsOnly(receiver.requests().get(0).remotePort());
        }
    }

    @Test
    void aTransportClosedBeforeItsFirstSendMakesNoClientAndRefusesToSend() throws IOException {
        try (Receiver receiver = new Receiver()) {
            DefaultHttpPushTransport t = (DefaultHttpPushTransport) HttpPushTransport.builder().spoolDirectory(spool).build();
            t.close();
            View view = TestViews.view(receiver.uri("/hook"), p -> p);
            assertThatThrownBy(() -> t.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 2).iterator()))
                    .isInstanceOf(PushException.class).hasMessageContaining("closed");
            assertThat(t.clientMade()).isFalse();
            assertThat(receiver.requests()).isEmpty();
        }
    }
}
