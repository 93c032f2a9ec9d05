package io.viewpush.http.api;

import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ConnectionReuseStrategy;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.Http1StreamListener;
import org.apache.hc.core5.http.impl.io.DefaultBHttpServerConnection;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ServerSocketFactory;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What HttpCore's classic server does not do by itself, done around its sockets:
 * <ul>
 *   <li><b>Bounded workers.</b> HttpCore runs one (unbounded) worker thread per connection, so the
 *       server socket hands out at most {@code maxConnections} connections at once; the next one
 *       waits (in the kernel's backlog) until one closes. When all are taken and one of them is
 *       idle (kept alive after an exchange, or silent for a second since it opened), the oldest idle
 *       one is closed to make room.</li>
 *   <li><b>Header timeout.</b> Once the first byte of a request head has arrived, the whole head
 *       must arrive within {@code headerTimeout}, or the connection is closed (slow-loris).</li>
 *   <li><b>Idle timeout.</b> The socket read timeout is {@code idleTimeout} (set by HttpCore from
 *       the socket config); a write that stays blocked longer (a client that stopped reading) gets
 *       its connection closed too, and an idle keep-alive connection is closed after it.</li>
 *   <li><b>Graceful stop.</b> {@link #drain} refuses new connections (and waits for the listener to
 *       leave {@code accept}, until which the kernel would still take them), closes idle ones, lets
 *       busy ones finish their exchange and then close, and returns when none is left or the time is
 *       up.</li>
 *   <li><b>Lingering close.</b> A connection whose request body was refused unread sends its answer,
 *       then FIN, and drops what the client still sends for a bounded time before it closes: closing
 *       over unread bytes would reset the connection and could destroy the answer.</li>
 *   <li><b>Reset on a broken response.</b> {@link #abortCurrent()} cuts a connection with a reset,
 *       so a streamed response that failed half way never looks complete.</li>
 * </ul>
 */
final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);
    private static final ThreadLocal<GuardedSocket> CURRENT = new ThreadLocal<>();

    private final int maxConnections;
    private final Semaphore permits;
    private final long headerTimeoutNanos;
    private final long idleTimeoutNanos;
    private final long tickMillis;
    private final long evictionGraceNanos;
    private final Set<GuardedSocket> live = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog;
    private volatile boolean draining;
    private volatile GuardedServerSocket serverSocket;

    Connections(int maxConnections, Duration headerTimeout, Duration idleTimeout) {
        this.maxConnections = maxConnections;
        this.permits = new Semaphore(maxConnections);
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
        long shortest = Math.min(headerTimeout.toMillis(), idleTimeout.toMillis());
        this.tickMillis = Math.max(5, Math.min(500, shortest / 5));
        this.evictionGraceNanos = Math.min(TimeUnit.SECONDS.toNanos(1), headerTimeout.toNanos());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "viewpush-api-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        watchdog.scheduleWithFixedDelay(this::patrol, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    boolean draining() {
        return draining;
    }

    int open() {
        return live.size();
    }

    ServerSocketFactory serverSocketFactory() {
        return new ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                throw new UnsupportedOperationException("use createServerSocket(port, backlog, address)");
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return createServerSocket(port, 0, null);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                return createServerSocket(port, backlog, null);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
                GuardedServerSocket s = new GuardedServerSocket(port, backlog, address);
                serverSocket = s;
                return s;
            }
        };
    }

    HttpConnectionFactory<DefaultBHttpServerConnection> connectionFactory(Http1Config config) {
        return socket -> {
            GuardedConnection c = new GuardedConnection(config, (GuardedSocket) socket);
            c.bind(socket);
            return c;
        };
    }

    Http1StreamListener streamListener() {
        return new Http1StreamListener() {
            @Override
            public void onRequestHead(HttpConnection connection, HttpRequest request) {
                // marked by GuardedConnection.onRequestReceived, on the connection itself
            }

            @Override
            public void onResponseHead(HttpConnection connection, HttpResponse response) {
                // nothing to track
            }

            @Override
            public void onExchangeComplete(HttpConnection connection, boolean keepAlive) {
                if (connection instanceof GuardedConnection) {
                    ((GuardedConnection) connection).socket.exchangeComplete();
                }
            }
        };
    }

    /** Keep-alive as HttpCore decides, except while draining: then every connection closes after its exchange. */
    ConnectionReuseStrategy reuseStrategy() {
        return (HttpRequest request, HttpResponse response, HttpContext context) ->
                !draining && DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context);
    }

    /**
     * Cuts the connection this worker thread serves, so that a response already under way ends
     * visibly broken (no terminating chunk) instead of looking complete.
     */
    static void abortCurrent() {
        GuardedSocket s = CURRENT.get();
        if (s != null) {
            s.abort();
        }
    }

    /**
     * Asks for a lingering close of the connection this worker thread serves: its request body was
     * left unread, and closing over unread bytes makes the kernel send a reset that can destroy the
     * answer before the client reads it.
     */
    static void lingerOnCloseCurrent() {
        GuardedSocket s = CURRENT.get();
        if (s != null) {
            s.lingerOnClose = true;
        }
    }

    /**
     * Stops taking connections and waits for the open ones to finish.
     *
     * @return true when every connection closed in time
     */
    boolean drain(Duration timeout) throws InterruptedException {
        draining = true;
        GuardedServerSocket ss = serverSocket;
        if (ss != null) {
            ss.closeAndWait();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (GuardedSocket s : live) {
                if (s.isIdle()) {
                    s.closeQuietly();
                }
            }
            if (live.isEmpty()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(10);
        }
    }

    /** Closes every connection still open and stops the watchdog. */
    void closeAll() {
        draining = true;
        for (GuardedSocket s : live) {
            s.abort();
        }
        watchdog.shutdownNow();
    }

    private void patrol() {
        long now = System.nanoTime();
        for (GuardedSocket s : live) {
            long headSince = s.headBytesSince;
            long writeSince = s.writeSince;
            if (s.state == State.AWAITING_HEAD && headSince != 0 && now - headSince > headerTimeoutNanos) {
                LOG.debug("closing connection from {}: the request head did not arrive within the header timeout",
                        s.getRemoteSocketAddress());
                s.abort();
            } else if (writeSince != 0 && now - writeSince > idleTimeoutNanos) {
                LOG.debug("closing connection from {}: the client stopped reading the response", s.getRemoteSocketAddress());
                s.abort();
            } else if (s.state == State.AWAITING_HEAD && headSince == 0 && now - s.awaitingSince > idleTimeoutNanos) {
                s.closeQuietly();
            }
        }
    }

    private void evictIdle() {
        long now = System.nanoTime();
        Optional<GuardedSocket> oldest = live.stream().filter(s -> s.isEvictable(now, evictionGraceNanos))
                .min(Comparator.comparingLong(s -> s.awaitingSince));
        oldest.ifPresent(s -> {
            LOG.debug("all {} connections in use: closing the idle one from {}", maxConnections,
                    s.getRemoteSocketAddress());
            s.closeQuietly();
        });
    }

    /** A lingering close stops when the client has sent nothing for this long. */
    static final int LINGER_QUIET_MILLIS = 200;
    /** A lingering close takes at most this long. */
    static final int LINGER_MAX_MILLIS = 2_000;
    /** A lingering close drops at most this many bytes. */
    static final long LINGER_MAX_BYTES = 16L * 1024 * 1024;

    enum State { AWAITING_HEAD, BUSY, BETWEEN }

    /** A server socket that hands out at most as many connections as there are permits. */
    final class GuardedServerSocket extends ServerSocket {
        private final AtomicInteger accepting = new AtomicInteger();

        GuardedServerSocket(int port, int backlog, InetAddress address) throws IOException {
            super(port, backlog, address);
        }

        /**
         * Closes and waits (briefly) for the thread blocked in accept to leave it: until it does, the
         * kernel still holds the listening socket open and would take new connections.
         */
        void closeAndWait() {
            try {
                close();
            } catch (IOException e) {
                LOG.debug("closing the server socket failed: {}", e.toString());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (accepting.get() > 0 && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(100_000);
            }
        }

        @Override
        public Socket accept() throws IOException {
            if (isClosed() || draining) {
                throw new SocketException("the server is stopping");
            }
            GuardedSocket s = new GuardedSocket();
            accepting.incrementAndGet();
            try {
                if (isClosed()) {
                    throw new SocketException("the server is stopping");
                }
                implAccept(s);
            } finally {
                accepting.decrementAndGet();
            }
            try {
                if (!permits.tryAcquire()) {
                    evictIdle();
                    while (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                        if (isClosed() || draining) {
                            throw new SocketException("the server is stopping");
                        }
                        evictIdle();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s.closeQuietly();
                throw new InterruptedIOException("interrupted while waiting for a free worker");
            } catch (IOException | RuntimeException e) {
                s.closeQuietly();
                throw e;
            }
            s.admit();
            if (draining) {
                s.closeQuietly();
                throw new SocketException("the server is stopping");
            }
            return s;
        }
    }

    /** A connection's socket that knows what its connection is doing, for the watchdog and the drain. */
    final class GuardedSocket extends Socket {
        private final AtomicBoolean admitted = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();
        private final AtomicBoolean lingering = new AtomicBoolean();
        volatile State state = State.AWAITING_HEAD;
        volatile long awaitingSince = System.nanoTime();
        volatile long headBytesSince;
        volatile long writeSince;
        volatile int exchanges;
        volatile boolean lingerOnClose;
        private volatile boolean aborting;
        private InputStream guardedIn;
        private OutputStream guardedOut;

        void admit() {
            admitted.set(true);
            awaitingSince = System.nanoTime();
            live.add(this);
        }

        boolean isIdle() {
            return state == State.AWAITING_HEAD && headBytesSince == 0;
        }

        /**
         * Idle and safe to close for a newcomer: kept alive after an exchange, or silent since it
         * opened for longer than {@code grace} (a fresh connection gets a moment to send its request).
         */
        boolean isEvictable(long now, long grace) {
            return isIdle() && (exchanges > 0 || now - awaitingSince > grace);
        }

        void requestReceived() {
            state = State.BUSY;
            headBytesSince = 0;
        }

        void exchangeComplete() {
            exchanges++;
            state = State.BETWEEN;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (guardedIn == null) {
                guardedIn = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        beforeRead();
                        int b = super.read();
                        afterRead(b < 0 ? -1 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        beforeRead();
                        int n = super.read(b, off, len);
                        afterRead(n);
                        return n;
                    }
                };
            }
            return guardedIn;
        }

        private void beforeRead() {
            if (state == State.BETWEEN) {
                awaitingSince = System.nanoTime();
                headBytesSince = 0;
                state = State.AWAITING_HEAD;
            }
        }

        private void afterRead(int n) {
            if (n > 0 && state == State.AWAITING_HEAD && headBytesSince == 0) {
                headBytesSince = System.nanoTime();
            }
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (guardedOut == null) {
                guardedOut = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        writeSince = System.nanoTime();
                        try {
                            out.write(b);
                        } finally {
                            writeSince = 0;
                        }
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        writeSince = System.nanoTime();
                        try {
                            out.write(b, off, len);
                        } finally {
                            writeSince = 0;
                        }
                    }

                    @Override
                    public void flush() throws IOException {
                        writeSince = System.nanoTime();
                        try {
                            out.flush();
                        } finally {
                            writeSince = 0;
                        }
                    }
                };
            }
            return guardedOut;
        }

        /** Closes at once with a reset, so the peer cannot take a cut response for a whole one. */
        void abort() {
            aborting = true;
            try {
                if (!isClosed()) {
                    setSoLinger(true, 0);
                }
            } catch (SocketException e) {
                LOG.trace("linger not set: {}", e.toString());
            }
            closeQuietly();
        }

        /**
         * Sends FIN after the answer, then reads and drops what the client still sends, until it
         * closes too, goes quiet for {@link #LINGER_QUIET_MILLIS}, or {@link #LINGER_MAX_MILLIS} or
         * {@link #LINGER_MAX_BYTES} are reached; only then the socket is closed.
         */
        private void linger() {
            try {
                shutdownOutput();
                setSoTimeout(LINGER_QUIET_MILLIS);
                InputStream raw = super.getInputStream();
                byte[] sink = new byte[8192];
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MAX_MILLIS);
                long total = 0;
                int n;
                while (total < LINGER_MAX_BYTES && System.nanoTime() - deadline < 0 && (n = raw.read(sink)) >= 0) {
                    total += n;
                }
            } catch (IOException e) {
                LOG.trace("lingering close ended: {}", e.toString());
            }
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException e) {
                LOG.trace("close failed: {}", e.toString());
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (lingerOnClose && !aborting && !draining && lingering.compareAndSet(false, true) && !isClosed()) {
                    linger();
                }
                super.close();
            } finally {
                live.remove(this);
                if (admitted.get() && released.compareAndSet(false, true)) {
                    permits.release();
                }
            }
        }
    }

    /** HttpCore's server connection, telling its socket when a request head has been read. */
    static final class GuardedConnection extends DefaultBHttpServerConnection {
        final GuardedSocket socket;

        GuardedConnection(Http1Config config, GuardedSocket socket) {
            super("http", config);
            this.socket = socket;
        }

        @Override
        protected void onRequestReceived(ClassicHttpRequest request) {
            CURRENT.set(socket);
            socket.requestReceived();
        }
    }
}
