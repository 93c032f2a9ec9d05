package io.viewpush.http.transport;

import org.apache.hc.client5.http.DnsResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The connection manager's resolver: resolves with the delegate, checks every address against the
 * egress policy, and hands the connection manager only checked addresses. A refusal is an
 * {@link Refused} (an {@link UnknownHostException}, the only checked exception the interface
 * allows) carrying the reason.
 */
final class GuardedDnsResolver implements DnsResolver {
    private final DnsResolver delegate;
    private final EgressPolicy policy;

    GuardedDnsResolver(DnsResolver delegate, EgressPolicy policy) {
        this.delegate = delegate;
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = delegate.resolve(host);
        if (addresses == null) {
            addresses = new InetAddress[0];
        }
        Optional<String> refusal = policy.refusal(host, addresses);
        if (refusal.isPresent()) {
            throw new Refused(refusal.get());
        }
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        return addresses;
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        InetAddress[] addresses = resolve(host);
        List<InetSocketAddress> out = new ArrayList<>(addresses.length);
        for (InetAddress a : addresses) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return delegate.resolveCanonicalHostname(host);
    }

    /** The egress policy refused every connection to a host. */
    static final class Refused extends UnknownHostException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }
}
