package io.viewpush.engine;

import io.viewpush.port.PushListener.Activity;
import io.viewpush.port.PushSession;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Renews the leases an engine holds while it pushes (a long batch may outlast one lease), on a
 * thread of its own, and reports what goes wrong there to the listener: a lost lease, a renewal
 * that failed. Its own thread, from the first lease held until {@link #close()}: a push
 * started by {@code pushNow} without the scheduler (the CLI's {@code push}) needs renewing as much
 * as a scheduled one, and the scheduler's workers may all be busy sending.
 */
final class LeaseKeeper implements AutoCloseable {
    private final Duration ttl;
    private final Map<String, PushSession> held = new ConcurrentHashMap<>();
    private final Events events;

    private ScheduledThreadPoolExecutor timer;
    private boolean closed;

    /** @param ttl the leases' time to live: they are renewed three times in it */
    LeaseKeeper(Duration ttl, Events events) {
        this.ttl = ttl;
        this.events = events;
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
                if (!e.getValue().renew() && held.remove(e.getKey(), e.getValue())) {
                    events.leaseLost(e.getKey(), e.getValue().lease());
                }
            } catch (RuntimeException x) {
                // a StorageException, or worse: the timer must outlive it, or no lease would be renewed again
                events.unexpectedError(e.getKey(), Activity.RENEWING_LEASE, x);
            }
        }
    }
}
