package io.viewpush.http.transport;

import io.viewpush.push.Delivery;
import io.viewpush.testing.SettableClock;
import io.viewpush.view.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Standard Webhooks signatures, checked by an independent verifier written from the spec. */
class SignatureTest {
    // The test vector of the Standard Webhooks reference libraries
    // (standard-webhooks/standard-webhooks, libraries/go/webhook_test.go, TestWebhookSign).
    static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long VECTOR_TIMESTAMP = 1614265330L;
    static final String VECTOR_PAYLOAD = "{\"test\": 2432232314}";
    static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final Instant NOW = Instant.parse("2024-05-06T07:08:09Z");

    @TempDir
    Path dir;
    private Receiver receiver;
    private HttpPushTransport transport;
    private final SettableClock clock = new SettableClock(NOW);

    @BeforeEach
    void start() throws IOException {
        receiver = new Receiver();
        // waiting between attempts moves the clock instead of sleeping
        transport = HttpPushTransport.builder().clock(clock).spoolDirectory(dir).retrySleeper(clock::advance).build();
    }

    @AfterEach
    void stop() {
        transport.close();
        receiver.close();
    }

    /** The spec's verification, independent of the transport's code: key, HMAC, constant-time compare. */
    static boolean verifies(String secret, String id, String timestamp, byte[] body, String signatureHeader) throws Exception {
        byte[] key = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring(6))
                : secret.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        for (String candidate : signatureHeader.split(" ")) {
            String[] parts = candidate.split(",", 2);
            if (parts.length == 2 && parts[0].equals("v1")
                    && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theIndependentVerifierAcceptsThePublishedTestVector() throws Exception {
        assertThat(verifies(VECTOR_SECRET, VECTOR_ID, Long.toString(VECTOR_TIMESTAMP),
                VECTOR_PAYLOAD.getBytes(StandardCharsets.UTF_8), VECTOR_SIGNATURE)).isTrue();
        assertThat(verifies(VECTOR_SECRET, VECTOR_ID, Long.toString(VECTOR_TIMESTAMP + 1),
                VECTOR_PAYLOAD.getBytes(StandardCharsets.UTF_8), VECTOR_SIGNATURE)).isFalse();
    }

    @Test
    void signsThePublishedTestVectorExactly() throws IOException {
        Path body = Files.writeString(dir.resolve("vector.body"), VECTOR_PAYLOAD);
        Signer signer = Signer.of("v", List.of(VECTOR_SECRET)).orElseThrow();
        try (java.io.InputStream in = Files.newInputStream(body)) {
            assertThat(signer.sign(VECTOR_ID, VECTOR_TIMESTAMP, in)).isEqualTo(VECTOR_SIGNATURE);
        }
        assertThat(signer.sign(VECTOR_ID, VECTOR_TIMESTAMP, new java.io.ByteArrayInputStream(
                VECTOR_PAYLOAD.getBytes(StandardCharsets.UTF_8)))).isEqualTo(VECTOR_SIGNATURE);
    }

    @Test
    void signsTheExactBytesSentWithTheIdAndTimestampSent() throws Exception {
        View view = TestViews.view(receiver.uri("/hook"), p -> p.secret(VECTOR_SECRET));
        Delivery d = transport.send(view, TestViews.target(view), TestViews.awkwardRows(view).iterator());

        assertThat(d.delivered()).isTrue();
        Receiver.Request r = receiver.only();
        assertThat(r.header("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}=");
        assertThat(r.header("webhook-timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(verifies(VECTOR_SECRET, r.header("webhook-id"), r.header("webhook-timestamp"), r.body(),
                r.header("webhook-signature"))).isTrue();
        byte[] tampered = r.body().clone();
        tampered[tampered.length - 1] ^= 1;
        assertThat(verifies(VECTOR_SECRET, r.header("webhook-id"), r.header("webhook-timestamp"), tampered,
                r.header("webhook-signature"))).isFalse();
    }

    @Test
    void usesTheUtf8BytesOfASecretWithoutThePrefix() throws Exception {
        String plain = "plain secret é";
        View view = TestViews.view(receiver.uri("/hook"), p -> p.secret(plain));
        transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 2).iterator());
        Receiver.Request r = receiver.only();
        assertThat(verifies(plain, r.header("webhook-id"), r.header("webhook-timestamp"), r.body(), r.header("webhook-signature"))).isTrue();
    }

    @Test
    void signsOncePerSecretDuringARotation() throws Exception {
        String oldSecret = "whsec_" + Base64.getEncoder().encodeToString("the old key".getBytes(StandardCharsets.UTF_8));
        String newSecret = "the new secret";
        View view = TestViews.view(receiver.uri("/hook"), p -> p.secrets(List.of(oldSecret, newSecret)));
        transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 2).iterator());

        Receiver.Request r = receiver.only();
        String[] signatures = r.header("webhook-signature").split(" ");
        assertThat(signatures).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        String id = r.header("webhook-id");
        String ts = r.header("webhook-timestamp");
        assertThat(verifies(oldSecret, id, ts, r.body(), signatures[0])).isTrue();
        assertThat(verifies(newSecret, id, ts, r.body(), signatures[1])).isTrue();
        assertThat(verifies(newSecret, id, ts, r.body(), signatures[0])).isFalse();
    }

    @Test
    void signsEveryRetryAfreshWithItsOwnTimestampOverTheSameBytesAndId() throws Exception {
        receiver.then(Receiver.Answer.of(503), Receiver.Answer.of(500));
        View view = TestViews.view(receiver.uri("/hook"), p -> p.secret(VECTOR_SECRET)
                .retry(new RetrySettings(3, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10))));
        Delivery d = transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 3).iterator());

        assertThat(d.delivered()).isTrue();
        assertThat(d.attempts()).isEqualTo(3);
        List<Receiver.Request> rs = receiver.requests();
        assertThat(rs).hasSize(3);
        List<String> timestamps = new ArrayList<>();
        for (Receiver.Request r : rs) {
            assertThat(r.body()).isEqualTo(rs.get(0).body());
            assertThat(r.header("webhook-id")).isEqualTo(d.webhookId());
            assertThat(verifies(VECTOR_SECRET, r.header("webhook-id"), r.header("webhook-timestamp"), r.body(),
                    r.header("webhook-signature"))).isTrue();
            timestamps.add(r.header("webhook-timestamp"));
        }
        assertThat(timestamps).doesNotHaveDuplicates();
        assertThat(Long.parseLong(timestamps.get(0))).isEqualTo(NOW.getEpochSecond());
        assertThat(rs.get(1).header("webhook-signature")).isNotEqualTo(rs.get(0).header("webhook-signature"));
    }

    @Test
    void refusesASecretWhoseBase64IsBrokenWithoutShowingItAndWithoutSending() {
        View view = TestViews.view(receiver.uri("/hook"), p -> p.secrets(List.of("fine", "whsec_not*base64!")));
        HttpPushTarget policy = TestViews.target(view);
        assertThatThrownBy(() -> transport.check(view.name(), policy))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageStartingWith("view 'orders to push': push.secret #2 starts with whsec_ but the rest is not valid base64")
                .hasMessageNotContaining("not*base64!");
        assertThatThrownBy(() -> transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 1).iterator()))
                .isInstanceOf(InvalidPolicyException.class);
        assertThat(receiver.requests()).isEmpty();
    }
}
