package io.viewpush.http.transport;

import io.viewpush.push.InvalidOptionException;
import io.viewpush.view.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpPushTransportBuilderTest {
    @TempDir
    Path dir;

    @Test
    void documentsItsDefaults() {
        assertThat(HttpPushTransport.DEFAULT_CONNECT_TIMEOUT).isEqualTo(Duration.ofSeconds(10));
        assertThat(HttpPushTransport.DEFAULT_RESPONSE_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpPushTransport.DEFAULT_MAX_RESPONSE_BODY).isEqualTo(65536);
        assertThat(HttpPushTransport.DEFAULT_USER_AGENT).isEqualTo("ViewPush/" + HttpPushTransport.VERSION);
        try (HttpPushTransport t = HttpPushTransport.builder().build()) {
            assertThat(t.egressPolicy()).isSameAs(EgressPolicy.OPEN);
        }
    }

    @Test
    void takesItsVersionFromTheBuildNeverNull() {
        assertThat(HttpPushTransport.VERSION).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?").isNotEqualTo("unknown");
        assertThat(HttpPushTransport.DEFAULT_USER_AGENT).doesNotContain("null").doesNotContain("${");
    }

    @Test
    void namesTheBadOption() {
        assertThatThrownBy(() -> HttpPushTransport.builder().connectTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("connectTimeout must be more than zero, not PT0S");
        assertThatThrownBy(() -> HttpPushTransport.builder().responseTimeout(Duration.ofSeconds(-1)).build())
                .hasMessage("responseTimeout must be more than zero, not PT-1S");
        assertThatThrownBy(() -> HttpPushTransport.builder().maxResponseBody(-1).build())
                .hasMessage("maxResponseBody must be 0 or more bytes, not -1");
        assertThatThrownBy(() -> HttpPushTransport.builder().maxConnections(0).build())
                .hasMessage("maxConnections must be at least 1, not 0");
        assertThatThrownBy(() -> HttpPushTransport.builder().spoolDirectory(dir.resolve("missing")).build())
                .hasMessage("spoolDirectory " + dir.resolve("missing") + " is not an existing directory");
        assertThatThrownBy(() -> HttpPushTransport.builder().userAgent("ViewPush/1\r\nX-Evil: 1").build())
                .hasMessage("userAgent must not contain a line break (at character 11)");
        assertThatThrownBy(() -> HttpPushTransport.builder().userAgent(" ").build())
                .hasMessage("userAgent must not be empty");
        assertThatThrownBy(() -> HttpPushTransport.builder().userAgent("ViewPush/1 \u0000").build())
                .hasMessage("userAgent must hold only printable ISO-8859-1 characters, but character 12 is U+0000");
    }

    @Test
    void checksAPolicyBeforeUsingIt() {
        try (HttpPushTransport t = HttpPushTransport.builder().spoolDirectory(dir).build()) {
            HttpPushTarget good = HttpPushTarget.builder(URI.create("https://user:pw@example.com/hook?x=1"))
                    .secrets(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "plain")).build();
            assertThatCode(() -> t.check("v", good)).doesNotThrowAnyException();
            HttpPushTarget emptyKey = HttpPushTarget.builder(URI.create("https://example.com/hook")).secret("whsec_").build();
            assertThatThrownBy(() -> t.check("v", emptyKey)).isInstanceOf(InvalidPolicyException.class)
                    .hasMessage("view 'v': push.secret #1 gives an empty key");
            HttpPushTarget badCredentials = HttpPushTarget.of(URI.create("https://us%0Aer:pw@example.com/hook"));
            assertThatThrownBy(() -> t.check("v", badCredentials)).isInstanceOf(InvalidPolicyException.class)
                    .hasMessage("view 'v': push.url has credentials with a control character");
        }
    }

    @Test
    void aViewWithoutATargetIsRefusedByCheckAndSendNamingTheView() {
        View orders = TestViews.view("orders", URI.create("http://127.0.0.1:9/hook"), p -> p);
        View other = TestViews.view("other", URI.create("http://127.0.0.1:9/hook"), p -> p);
        try (HttpPushTransport t = HttpPushTransport.builder().spoolDirectory(dir)
                .target("orders", URI.create("https://hooks.example/orders")).build()) {
            assertThat(t.target("orders")).hasValue(HttpPushTarget.of(URI.create("https://hooks.example/orders")));
            assertThat(t.target("other")).isEmpty();
            assertThatCode(() -> t.check(orders)).doesNotThrowAnyException();
            assertThatThrownBy(() -> t.check(other)).isInstanceOf(InvalidPolicyException.class)
                    .hasMessageStartingWith("view 'other' has no HTTP target (URL) in this transport");
            assertThatThrownBy(() -> t.send(other, TestViews.simpleRows(other, 1, 1).iterator()))
                    .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("'other'");
        }
    }

    @Test
    void theTargetsOptionsAreCheckedAndNamedAsData() {
        assertThat(HttpPushTarget.of(URI.create("https://h.example/x"))).satisfies(t -> {
            assertThat(t.format()).isEqualTo(HttpPushTarget.BodyFormat.FORM);
            assertThat(t.success()).isEqualTo(HttpPushTarget.SuccessRule.ANY_2XX);
            assertThat(t.timeout()).isEqualTo(HttpPushTarget.DEFAULT_TIMEOUT);
            assertThat(t.secrets()).isEmpty();
            assertThat(t.retry()).isEqualTo(RetrySettings.DEFAULT);
        });
        assertThatThrownBy(() -> HttpPushTarget.of(URI.create("ftp://x/y")))
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("url"))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> HttpPushTarget.of(URI.create("http:///nohost")))
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("url"))
                .hasMessageContaining("has no host");
        assertThatThrownBy(() -> HttpPushTarget.builder(null).build())
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("url"));
        assertThatThrownBy(() -> HttpPushTarget.builder(URI.create("https://h.example/")).timeout(Duration.ZERO).build())
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("timeout"));
        assertThatThrownBy(() -> HttpPushTarget.builder(URI.create("https://h.example/")).secret("a\r\nb").build())
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("secrets"))
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> new RetrySettings(0, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("push.retry.attempts");
    }

    @Test
    void theUrlShownInLogsAndOutputKeepsNoPathSegmentUserInfoOrQuery() {
        HttpPushTarget slack = HttpPushTarget.builder(
                URI.create("https://user:pw@hooks.example:8443/services/T000/B000/SECRET?token=x#f")).secret("whsec_c2VjcmV0").build();
        assertThat(slack.redactedUrl()).isEqualTo("https://hooks.example:8443/\u2026");
        assertThat(slack.toString()).doesNotContain("SECRET").doesNotContain("pw").doesNotContain("token")
                .doesNotContain("whsec_c2VjcmV0").contains("secrets=1");
        assertThat(HttpPushTarget.of(URI.create("http://127.0.0.1/")).redactedUrl()).isEqualTo("http://127.0.0.1/");
    }

    @Test
    void successRules() {
        assertThat(HttpPushTarget.SuccessRule.ANY_2XX.isSuccess(204)).isTrue();
        assertThat(HttpPushTarget.SuccessRule.ANY_2XX.isSuccess(299)).isTrue();
        assertThat(HttpPushTarget.SuccessRule.ANY_2XX.isSuccess(300)).isFalse();
        assertThat(HttpPushTarget.SuccessRule.ANY_2XX.isSuccess(199)).isFalse();
        assertThat(HttpPushTarget.SuccessRule.EXACTLY_200.isSuccess(200)).isTrue();
        assertThat(HttpPushTarget.SuccessRule.EXACTLY_200.isSuccess(204)).isFalse();
    }
}
