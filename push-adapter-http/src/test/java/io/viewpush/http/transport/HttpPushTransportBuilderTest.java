package io.viewpush.http.transport;

import io.viewpush.push.PushPolicy;
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
            PushPolicy good = PushPolicy.builder(URI.create("https://user:pw@example.com/hook?x=1"), "stamp")
                    .secrets(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "plain")).build();
            assertThatCode(() -> t.check("v", good)).doesNotThrowAnyException();
            PushPolicy emptyKey = PushPolicy.builder(URI.create("https://example.com/hook"), "stamp").secret("whsec_").build();
            assertThatThrownBy(() -> t.check("v", emptyKey)).isInstanceOf(InvalidPolicyException.class)
                    .hasMessage("view 'v': push.secret #1 gives an empty key");
            PushPolicy badCredentials = PushPolicy.builder(URI.create("https://us%0Aer:pw@example.com/hook"), "stamp").build();
            assertThatThrownBy(() -> t.check("v", badCredentials)).isInstanceOf(InvalidPolicyException.class)
                    .hasMessage("view 'v': push.url has credentials with a control character");
        }
    }
}
