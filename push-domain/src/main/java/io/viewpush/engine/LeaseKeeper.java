package io.viewpush.engine;

import io.viewpush.port.PushSession;
import io.viewpush.port.StorageException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Renews the leases an engine holds while it pushes (a long batch may outlast one lease), on a
 * thread of its own, and counts what went wrong out of sight: failed renewals and releases,
 * listener exceptions. Its own thread, from the first lease held until {@link #close()}: a push
 * started by {@code pushNow} without the scheduler (the CLI's {@code push}) needs renewing as much
 * as a scheduled one, and the scheduler's workers may all be busy sending.
 */
final class LeaseKeeper implements AutoCloseable {
    private final Duration ttl;
    private final Map<String, PushSession> held = new ConcurrentHashMap<>();
    private final AtomicLong lostLeases = new AtomicLong();
    private final AtomicLong listenerFailures = new AtomicLong();
    private final AtomicReference<RuntimeException> lastProblem = new AtomicReference<>();

    private ScheduledThreadPoolExecutor timer;
    private boolean closed;

    /** @param ttl the leases' time to live: they are renewed three times in it */
    LeaseKeeper(Duration ttl) {
        this.ttl = ttl;
    }

    void hold(String view, PushSession session) {
        held.put(view, session);
        startRenewing();
    }

    private synchronized void startRenewing() {
        if (timer != null || closed) {
            return;
        }
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "viewpush-lease-renewal");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, ttl.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops renewing (the engine closes); leases still held expire by themselves. */
    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdown();
        }
    }

    void release(String view, PushSession session) {
        held.remove(view, session);
    }

    /** Renews every held lease; a lease that cannot be renewed is dropped (its writes will be refused). */
    void renewAll() {
        for (Map.Entry<String, PushSession> e : held.entrySet()) {
            try {
                if (!e.getValue().renew()) {
                    lostLeases.incrementAndGet();
                    held.remove(e.getKey(), e.getValue());
                }
            } catch (RuntimeException x) {
                // a StorageException, or worse: the timer must outlive it, or no lease would be renewed again
                lastProblem.set(x);
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
