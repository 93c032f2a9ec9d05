package io.viewpush.http.api;

import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The header timeout, which Jetty does not have: once the first byte of a request head has arrived
 * on a connection, the whole head must arrive within {@code headerTimeout}, or the connection is
 * closed. Jetty's idle timeout alone restarts with every byte, so a head sent a byte at a time
 * would never end. A patrol looks at every open connection a few times per timeout: bytes that
 * arrived while no request of that connection is being handled are a head on its way.
 */
final class HeadWatch implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(HeadWatch.class);

    private final long headerTimeoutNanos;
    private final long tickMillis;
    private final Map<Connection, Track> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService patrol;

    HeadWatch(Duration headerTimeout) {
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.tickMillis = Math.max(5, Math.min(500, headerTimeout.toMillis() / 5));
        this.patrol = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "viewpush-api-headwatch");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        patrol.scheduleWithFixedDelay(this::patrol, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        patrol.shutdownNow();
    }

    @Override
    public void onOpened(Connection connection) {
        open.put(connection, new Track(connection.getBytesIn()));
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    /** A request of this connection reached the handler: its head is whole. */
    void requestStarted(Connection connection) {
        Track t = open.get(connection);
        if (t != null) {
            t.busy = true;
            t.headSince = 0;
        }
    }

    /** That request is answered: bytes from now on belong to the next head. */
    void requestEnded(Connection connection) {
        Track t = open.get(connection);
        if (t != null) {
            t.bytesAtRest = connection.getBytesIn();
            t.headSince = 0;
            t.busy = false;
        }
    }

    private void patrol() {
        long now = System.nanoTime();
        for (Map.Entry<Connection, Track> e : open.entrySet()) {
            Connection c = e.getKey();
            Track t = e.getValue();
            if (t.busy) {
                continue;
            }
            if (t.headSince == 0) {
                if (c.getBytesIn() > t.bytesAtRest) {
                    t.headSince = now;
                }
            } else if (now - t.headSince > headerTimeoutNanos) {
                LOG.debug("closing connection from {}: the request head did not arrive within the header timeout",
                        c.getEndPoint().getRemoteSocketAddress());
                open.remove(c);
                c.getEndPoint().close();
            }
        }
    }

    private static final class Track {
        volatile long bytesAtRest;
        volatile long headSince;
        volatile boolean busy;

        Track(long bytesAtRest) {
            this.bytesAtRest = bytesAtRest;
        }
    }
}
