package io.viewpush.http.transport;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.viewpush.view.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a receiver that uses the official Standard Webhooks library ({@code com.standardwebhooks})
 * sees: the signatures ViewPush sends verify with it, for a {@code whsec_} secret and for each
 * secret of a rotation; a secret without the prefix verifies only when the receiver gives the
 * library its UTF-8 bytes, as the README says (the library base64-decodes every text secret).
 */
class ReferenceLibrarySignatureTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String NEXT_SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("the next key, 32 bytes long.....".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;
    private Receiver receiver;
    private HttpPushTransport transport;

    @BeforeEach
    void start() throws IOException {
        receiver = new Receiver();
        // the real clock: the library refuses timestamps more than five minutes from its own
        transport = HttpPushTransport.builder().spoolDirectory(dir).build();
    }

    @AfterEach
    void stop() {
        transport.close();
        receiver.close();
    }

    private static Map<String, List<String>> headers(Receiver.Request r) {
        return Map.of("webhook-id", List.of(r.header("webhook-id")),
                "webhook-timestamp", List.of(r.header("webhook-timestamp")),
                "webhook-signature", List.of(r.header("webhook-signature")));
    }

    private Receiver.Request sendWith(java.util.function.UnaryOperator<HttpPushTarget.Builder> secrets) {
        View view = TestViews.view(receiver.uri("/hook"), secrets);
        assertThat(transport.send(view, TestViews.target(view), TestViews.awkwardRows(view).iterator()).delivered()).isTrue();
        return receiver.only();
    }

    @Test
    void aWhsecSecretsSignatureVerifiesWithTheReferenceLibraryAndATamperedBodyDoesNot() throws Exception {
        Receiver.Request r = sendWith(p -> p.secret(SECRET));
        String body = new String(r.body(), StandardCharsets.UTF_8);

        new Webhook(SECRET).verify(body, headers(r));

        assertThatThrownBy(() -> new Webhook(SECRET).verify(body + " ", headers(r)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(NEXT_SECRET).verify(body, headers(r)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void duringARotationEitherSecretVerifies() throws Exception {
        Receiver.Request r = sendWith(p -> p.secrets(List.of(SECRET, NEXT_SECRET)));
        String body = new String(r.body(), StandardCharsets.UTF_8);

        assertThat(r.header("webhook-signature").split(" ")).hasSize(2);
        new Webhook(SECRET).verify(body, headers(r));
        new Webhook(NEXT_SECRET).verify(body, headers(r));
    }

    @Test
    void aSecretWithoutThePrefixVerifiesOnlyFromItsUtf8Bytes() throws Exception {
        String plain = "plain-secret-0123456789";
        Receiver.Request r = sendWith(p -> p.secret(plain));
        String body = new String(r.body(), StandardCharsets.UTF_8);

        new Webhook(plain.getBytes(StandardCharsets.UTF_8)).verify(body, headers(r));
        assertThatThrownBy(() -> new Webhook(plain).verify(body, headers(r))).isInstanceOf(Exception.class);
    }
}
