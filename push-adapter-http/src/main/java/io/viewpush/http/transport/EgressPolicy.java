package io.viewpush.http.transport;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the transport may connect. Every policy allows only {@code http} and {@code https}.
 * {@link #PUBLIC_ONLY} also refuses every address that is not public: unspecified
 * ({@code 0.0.0.0/8}, {@code ::}), loopback ({@code 127.0.0.0/8}, {@code ::1}), private
 * ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}), shared/CGNAT ({@code 100.64/10}),
 * link-local ({@code 169.254/16}, {@code fe80::/10}), unique-local ({@code fc00::/7}) and
 * site-local ({@code fec0::/10}), cloud metadata ({@code 169.254.169.254}, {@code fd00:ec2::254}),
 * multicast, broadcast and reserved ranges, and IPv6 addresses that embed one of those IPv4
 * addresses (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible, NAT64 {@code 64:ff9b::/96},
 * 6to4 {@code 2002::/16}).
 *
 * <p>The transport enforces the policy where it connects: the host is resolved, EVERY address it
 * resolves to is checked (one refused address refuses the host), and the connection is made only
 * to the addresses that were checked, so a DNS answer cannot change between check and connect.
 * A host that cannot be resolved is refused (fail closed).
 *
 * <p>Which to use: {@link #OPEN} (the transport's default) when URLs come from the operator's own
 * configuration, as in the standalone app, where a receiver on the same machine or network is
 * legitimate; {@link #PUBLIC_ONLY} for URLs that arrive over an API from someone else, where the
 * push would otherwise let them reach internal services (SSRF). Callers that accept URLs can
 * {@link #checkUrl(URI)} them up front to reject a bad one with a clear message.
 */
public final class EgressPolicy {
    /** http/https to any address: for URLs from the operator's own configuration (the default). */
    public static final EgressPolicy OPEN = new EgressPolicy(false);
    /** http/https to public addresses only: for URLs that arrive over an API. */
    public static final EgressPolicy PUBLIC_ONLY = new EgressPolicy(true);

    private final boolean blockPrivate;

    private EgressPolicy(boolean blockPrivate) {
        this.blockPrivate = blockPrivate;
    }

    /** @return {@link #PUBLIC_ONLY} when {@code block} is true, else {@link #OPEN} */
    public static EgressPolicy blockPrivateAddresses(boolean block) {
        return block ? PUBLIC_ONLY : OPEN;
    }

    /** @return whether non-public addresses are refused */
    public boolean blocksPrivateAddresses() {
        return blockPrivate;
    }

    /**
     * Checks a URL now: its scheme and, under {@link #PUBLIC_ONLY}, every address its host
     * resolves to (with the system resolver). The transport checks again when it connects.
     *
     * @throws EgressDeniedException naming the host and the refused address or the scheme
     */
    public void checkUrl(URI url) {
        checkScheme(url);
        if (!blockPrivate) {
            return;
        }
        String host = url.getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new EgressDeniedException("cannot resolve host " + host + " to check it against the egress policy");
        }
        Optional<String> refusal = refusal(host, addresses);
        if (refusal.isPresent()) {
            throw new EgressDeniedException(refusal.get());
        }
    }

    /** @throws EgressDeniedException when the URL is not http(s) or has no host */
    void checkScheme(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new EgressDeniedException("only http and https URLs may be pushed to, not '" + scheme + "'");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new EgressDeniedException("the URL has no host");
        }
    }

    /**
     * @param host      the host name, for the message
     * @param addresses every address it resolved to
     * @return why the host is refused, or empty when every address is allowed
     */
    Optional<String> refusal(String host, InetAddress[] addresses) {
        if (!blockPrivate) {
            return Optional.empty();
        }
        if (addresses.length == 0) {
            return Optional.of("host " + host + " resolved to no address");
        }
        for (InetAddress a : addresses) {
            Optional<String> kind = classify(a);
            if (kind.isPresent()) {
                String shown = a.getHostAddress();
                boolean literal = host.equalsIgnoreCase(shown) || host.equalsIgnoreCase("[" + shown + "]");
                return Optional.of("egress policy refuses " + (literal
                        ? shown + ": it is " + kind.get()
                        : "host " + host + ": it resolves to " + shown + ", " + kind.get())
                        + " (only public addresses are allowed)");
            }
        }
        return Optional.empty();
    }

    /** @return the kind of non-public address, or empty for a public one */
    static Optional<String> classify(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return classifyV4(b, 0);
        }
        if (address instanceof Inet6Address) {
            return classifyV6(b);
        }
        return Optional.of("an address of unknown kind");
    }

    private static Optional<String> classifyV4(byte[] b, int o) {
        int a0 = b[o] & 0xff;
        int a1 = b[o + 1] & 0xff;
        int a2 = b[o + 2] & 0xff;
        int a3 = b[o + 3] & 0xff;
        if (a0 == 0) {
            return Optional.of("an unspecified address (0.0.0.0/8)");
        }
        if (a0 == 127) {
            return Optional.of("a loopback address");
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return Optional.of("a private address");
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Optional.of("a shared (CGNAT) address (100.64.0.0/10)");
        }
        if (a0 == 169 && a1 == 254) {
            if (a2 == 169 && a3 == 254) {
                return Optional.of("the cloud metadata address");
            }
            return Optional.of("a link-local address");
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return Optional.of("a reserved address (192.0.0.0/24)");
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return Optional.of("a reserved address (198.18.0.0/15)");
        }
        if (a0 >= 224 && a0 <= 239) {
            return Optional.of("a multicast address");
        }
        if (a0 >= 240) {
            return Optional.of("a reserved or broadcast address (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    private static Optional<String> classifyV6(byte[] b) {
        boolean first10Zero = true;
        for (int i = 0; i < 10; i++) {
            first10Zero &= b[i] == 0;
        }
        if (first10Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return classifyV4(b, 12).map(k -> k + " (IPv4-mapped)");
        }
        if (first10Zero && b[10] == 0 && b[11] == 0) {
            boolean allZero = true;
            for (int i = 12; i < 15; i++) {
                allZero &= b[i] == 0;
            }
            if (allZero && b[15] == 0) {
                return Optional.of("the unspecified address (::)");
            }
            if (allZero && b[15] == 1) {
                return Optional.of("a loopback address");
            }
            Optional<String> v4 = classifyV4(b, 12);
            return Optional.of(v4.map(k -> k + " (IPv4-compatible)").orElse("a deprecated IPv4-compatible address"));
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            boolean wellKnown = true;
            for (int i = 4; i < 12; i++) {
                wellKnown &= b[i] == 0;
            }
            if (!wellKnown) {
                return Optional.of("a local-use NAT64 address (64:ff9b:1::/48)");
            }
            return classifyV4(b, 12).map(k -> k + " (NAT64)");
        }
        if (w0 == 0x2002) {
            return classifyV4(b, 2).map(k -> k + " (6to4)");
        }
        if (w0 == 0xfd00 && w1 == 0x0ec2) {
            boolean metadata = true;
            for (int i = 4; i < 14; i++) {
                metadata &= b[i] == 0;
            }
            if (metadata && b[14] == 0x02 && b[15] == 0x54) {
                return Optional.of("the cloud metadata address");
            }
        }
        if ((w0 & 0xfe00) == 0xfc00) {
            return Optional.of("a unique-local address (fc00::/7)");
        }
        if ((w0 & 0xffc0) == 0xfe80) {
            return Optional.of("a link-local address");
        }
        if ((w0 & 0xffc0) == 0xfec0) {
            return Optional.of("a site-local address");
        }
        if ((w0 & 0xff00) == 0xff00) {
            return Optional.of("a multicast address");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return blockPrivate ? "EgressPolicy[public addresses only]" : "EgressPolicy[open]";
    }
}
