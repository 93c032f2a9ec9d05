package io.viewpush.http.transport;

import io.viewpush.push.Delivery;
import io.viewpush.view.View;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the transport may connect: only http(s), and with PUBLIC_ONLY only public addresses. */
class EgressPolicyTest {
    private Receiver receiver;

    @BeforeEach
    void start() throws IOException {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private Delivery send(HttpPushTransport transport, URI url) {
        View view = TestViews.view(url, p -> p.retry(TestViews.FAST));
        return transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 2).iterator());
    }

    /** Resolves names from a table (literals as the system would); counts lookups. */
    private static final class TableResolver implements DnsResolver {
        final Map<String, List<String>> table;
        final AtomicInteger lookups = new AtomicInteger();

        TableResolver(Map<String, List<String>> table) {
            this.table = table;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            int n = lookups.incrementAndGet();
            List<String> answer = table.get(host + "#" + n);
            if (answer == null) {
                answer = table.get(host);
            }
            if (answer == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[answer.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = InetAddress.getByName(answer.get(i));
            }
            return out;
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }

    @Test
    void isOpenByDefaultSoALoopbackReceiverIsReached() {
        try (HttpPushTransport transport = HttpPushTransport.builder().build()) {
            assertThat(transport.egressPolicy()).isSameAs(EgressPolicy.OPEN);
            assertThat(send(transport, receiver.uri("/hook")).delivered()).isTrue();
        }
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void refusesLoopbackWhenPrivateAddressesAreBlockedAndDoesNotRetry() {
        try (HttpPushTransport transport = HttpPushTransport.builder().blockPrivateAddresses(true).build()) {
            Delivery d = send(transport, receiver.uri("/hook"));
            assertThat(d.delivered()).isFalse();
            assertThat(d.status()).isEmpty();
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.reason()).isEqualTo("egress policy refuses 127.0.0.1: it is a loopback address (only public addresses are allowed)");
        }
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void refusesAnIpv4MappedIpv6LiteralOfLoopback() {
        try (HttpPushTransport transport = HttpPushTransport.builder().egressPolicy(EgressPolicy.PUBLIC_ONLY).build()) {
            Delivery d = send(transport, URI.create("http://[::ffff:127.0.0.1]:" + receiver.port() + "/hook"));
            assertThat(d.delivered()).isFalse();
            assertThat(d.reason()).startsWith("egress policy refuses ").contains("127.0.0.1").contains("a loopback address");
        }
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void refusesAHostThatResolvesToAPrivateAddress() {
        TableResolver dns = new TableResolver(Map.of("intranet.example", List.of("10.1.2.3")));
        try (HttpPushTransport transport = HttpPushTransport.builder().blockPrivateAddresses(true).dnsResolver(dns).build()) {
            Delivery d = send(transport, URI.create("http://intranet.example/hook?key=secret"));
            assertThat(d.reason()).isEqualTo("egress policy refuses host intranet.example: it resolves to 10.1.2.3,"
                    + " a private address (only public addresses are allowed)");
        }
    }

    @Test
    void refusesAHostWhenAnyOfItsAddressesIsNotPublic() {
        TableResolver dns = new TableResolver(Map.of("mixed.example", List.of("93.184.216.34", "169.254.169.254")));
        try (HttpPushTransport transport = HttpPushTransport.builder().blockPrivateAddresses(true).dnsResolver(dns).build()) {
            Delivery d = send(transport, URI.create("http://mixed.example/hook"));
            assertThat(d.reason()).isEqualTo("egress policy refuses host mixed.example: it resolves to 169.254.169.254,"
                    + " the cloud metadata address (only public addresses are allowed)");
        }
    }

    @Test
    void checksAgainWhenConnectingSoARebindingAnswerIsRefused() {
        // first lookup (the early check) says public, the lookup for the connection says loopback
        TableResolver dns = new TableResolver(Map.of(
                "rebind.example#1", List.of("93.184.216.34"),
                "rebind.example", List.of("127.0.0.1")));
        try (HttpPushTransport transport = HttpPushTransport.builder().blockPrivateAddresses(true).dnsResolver(dns).build()) {
            View view = TestViews.view(URI.create("http://rebind.example:" + receiver.port() + "/hook"), p -> p.retry(RetrySettings.NONE));
            Delivery d = transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 1).iterator());
            assertThat(d.delivered()).isFalse();
            assertThat(d.reason()).isEqualTo("egress policy refuses host rebind.example: it resolves to 127.0.0.1,"
                    + " a loopback address (only public addresses are allowed)");
            assertThat(dns.lookups.get()).isGreaterThanOrEqualTo(2);
        }
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void failsClosedWhenTheHostCannotBeResolved() {
        TableResolver dns = new TableResolver(Map.of());
        try (HttpPushTransport transport = HttpPushTransport.builder().blockPrivateAddresses(true).dnsResolver(dns).build()) {
            Delivery d = send(transport, URI.create("http://nowhere.example/hook"));
            assertThat(d.delivered()).isFalse();
            assertThat(d.reason()).isEqualTo("cannot resolve host nowhere.example (after 3 attempts)");
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0|an unspecified address (0.0.0.0/8)",
            "127.0.0.1|a loopback address",
            "127.255.0.9|a loopback address",
            "10.0.0.1|a private address",
            "172.16.0.1|a private address",
            "172.31.255.255|a private address",
            "192.168.1.1|a private address",
            "100.64.0.1|a shared (CGNAT) address (100.64.0.0/10)",
            "100.127.255.254|a shared (CGNAT) address (100.64.0.0/10)",
            "169.254.1.1|a link-local address",
            "169.254.169.254|the cloud metadata address",
            "224.0.0.1|a multicast address",
            "255.255.255.255|a reserved or broadcast address (240.0.0.0/4)",
            "::|the unspecified address (::)",
            "::1|a loopback address",
            "::ffff:10.0.0.1|a private address",
            "::127.0.0.1|a loopback address (IPv4-compatible)",
            "64:ff9b::a9fe:a9fe|the cloud metadata address (NAT64)",
            "2002:c0a8:0101::1|a private address (6to4)",
            "fe80::1|a link-local address",
            "fc00::1|a unique-local address (fc00::/7)",
            "fd12:3456::1|a unique-local address (fc00::/7)",
            "fd00:ec2::254|the cloud metadata address",
            "fec0::1|a site-local address",
            "ff02::1|a multicast address"})
    void classifiesNonPublicAddresses(String address, String kind) throws UnknownHostException {
        assertThat(EgressPolicy.classify(InetAddress.getByName(address))).hasValue(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
            "169.253.0.1", "2001:4860:4860::8888", "2606:4700::1111", "64:ff9b::808:808"})
    void letsPublicAddressesThrough(String address) throws UnknownHostException {
        assertThat(EgressPolicy.classify(InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void checksUrlsUpFrontForCallersThatAcceptThem() {
        assertThatThrownBy(() -> EgressPolicy.OPEN.checkUrl(URI.create("ftp://example.com/x")))
                .isInstanceOf(EgressDeniedException.class).hasMessage("only http and https URLs may be pushed to, not 'ftp'");
        assertThatThrownBy(() -> EgressPolicy.PUBLIC_ONLY.checkUrl(URI.create("http://127.0.0.1:8080/hook?token=x")))
                .isInstanceOf(EgressDeniedException.class)
                .hasMessage("egress policy refuses 127.0.0.1: it is a loopback address (only public addresses are allowed)");
        assertThatThrownBy(() -> EgressPolicy.PUBLIC_ONLY.checkUrl(URI.create("http://[fd00:ec2::254]/latest/meta-data")))
                .isInstanceOf(EgressDeniedException.class).hasMessageContaining("the cloud metadata address");
        assertThatCode(() -> EgressPolicy.OPEN.checkUrl(URI.create("http://127.0.0.1:8080/hook"))).doesNotThrowAnyException();
        assertThat(EgressPolicy.blockPrivateAddresses(true)).isSameAs(EgressPolicy.PUBLIC_ONLY);
        assertThat(EgressPolicy.blockPrivateAddresses(false)).isSameAs(EgressPolicy.OPEN);
    }
}
