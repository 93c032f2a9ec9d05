package io.viewpush.engine;

import io.viewpush.port.LeaseToken;
import io.viewpush.port.StorageException;
import io.viewpush.port.ViewLease;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Renews the leases an engine holds while it pushes (a long batch may outlast one lease), and
 * counts what went wrong out of sight: failed renewals and releases, listener exceptions.
 */
final class LeaseKeeper {
    private final ViewLease lease;
    private final Duration ttl;
    private final Map<String, LeaseToken> held = new ConcurrentHashMap<>();
    private final AtomicLong lostLeases = new AtomicLong();
    private final AtomicLong listenerFailures = new AtomicLong();
    private final AtomicReference<RuntimeException> lastProblem = new AtomicReference<>();

    LeaseKeeper(ViewLease lease, Duration ttl) {
        this.lease = lease;
        this.ttl = ttl;
    }

    void hold(LeaseToken token) {
        held.put(token.view(), token);
    }

    void release(LeaseToken token) {
        held.remove(token.view(), token);
    }

    /** Renews every held lease; a lease that cannot be renewed is dropped (its writes will be refused). */
    void renewAll() {
        for (LeaseToken token : held.values()) {
            try {
                if (!lease.renew(token, ttl)) {
                    lostLeases.incrementAndGet();
                    held.remove(token.view(), token);
                }
            } catch (StorageException e) {
                lastProblem.set(e);
            }
        }
    }

    void noteReleaseFailure(StorageException e) {
        lastProblem.set(e);
    }

    void noteListenerFailure(RuntimeException e) {
        listenerFailures.incrementAndGet();
        lastProblem.set(e);
    }

    long listenerFailures() {
        return listenerFailures.get();
    }

    long lostLeases() {
        return lostLeases.get();
    }
}
