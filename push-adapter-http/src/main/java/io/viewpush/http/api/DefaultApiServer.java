package io.viewpush.http.api;

import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ExceptionListener;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.HttpProcessors;
import org.apache.hc.core5.http.impl.bootstrap.HttpServer;
import org.apache.hc.core5.http.impl.bootstrap.ServerBootstrap;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** The server behind {@link ApiServer#builder}: HttpCore's classic server wired to {@link ApiHandler}. */
final class DefaultApiServer implements ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultApiServer.class);
    /** Longest request line or header line, in bytes. */
    static final int MAX_LINE_LENGTH = 8 * 1024;
    /** Most header lines in one request. */
    static final int MAX_HEADER_COUNT = 100;

    private final InetAddress bindAddress;
    private final int requestedPort;
    private final int workerThreads;
    private final int backlog;
    private final Duration headerTimeout;
    private final Duration idleTimeout;
    private final Duration shutdownTimeout;
    private final KeyRing keys;
    private final ApiServer.Builder settings;
    private HttpServer server;
    private Connections connections;
    private InetSocketAddress address;
    private boolean closed;

    DefaultApiServer(ApiServer.Builder b, InetAddress bindAddress) {
        this.bindAddress = bindAddress;
        this.requestedPort = b.port();
        this.workerThreads = b.workerThreads();
        this.backlog = b.backlog();
        this.headerTimeout = b.headerTimeout();
        this.idleTimeout = b.idleTimeout();
        this.shutdownTimeout = b.shutdownTimeout();
        this.keys = new KeyRing(b.keyEntries());
        this.settings = b;
    }

    @Override
    public synchronized ApiServer start() {
        if (closed) {
            throw new IllegalStateException("the API server is closed");
        }
        if (server != null) {
            return this;
        }
        Connections conns = new Connections(workerThreads, headerTimeout, idleTimeout);
        ApiHandler handler = new ApiHandler(settings.engine(), keys, settings.maxBodyBytes(), settings.routes(),
                conns::draining);
        Http1Config http1 = Http1Config.custom()
                .setMaxLineLength(MAX_LINE_LENGTH)
                .setMaxHeaderCount(MAX_HEADER_COUNT)
                .build();
        HttpServer s = ServerBootstrap.bootstrap()
                .setLocalAddress(bindAddress)
                .setListenerPort(requestedPort)
                .setSocketConfig(SocketConfig.custom()
                        .setSoTimeout(Timeout.of(idleTimeout))
                        .setBacklogSize(backlog)
                        .setTcpNoDelay(true)
                        .build())
                .setHttp1Config(http1)
                .setHttpProcessor(new ProtocolChecks(HttpProcessors.customServer("ViewPush").build()))
                .setConnectionReuseStrategy(conns.reuseStrategy())
                .setServerSocketFactory(conns.serverSocketFactory())
                .setConnectionFactory(conns.connectionFactory(http1))
                .setStreamListener(conns.streamListener())
                .setExceptionListener(new LoggingListener(conns))
                // one handler for every request whatever its Host header: HttpCore's own router answers 421 otherwise
                .setRequestRouter((request, context) -> handler)
                .create();
        try {
            s.start();
        } catch (IOException e) {
            s.close(CloseMode.IMMEDIATE);
            conns.closeAll();
            throw new ApiServerException("the API cannot listen on " + bindAddress.getHostAddress() + ":" + requestedPort
                    + ": " + e.getMessage(), e);
        }
        conns.start();
        this.server = s;
        this.connections = conns;
        this.address = new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
        LOG.info("ViewPush API listening on http://{}:{} ({} keys, {} worker threads)",
                address.getAddress().getHostAddress(), address.getPort(), keys.size(), workerThreads);
        if (keys.size() == 0) {
            LOG.warn("no API keys are configured: every /api request will be refused with 401");
        }
        return this;
    }

    @Override
    public synchronized int port() {
        return requireStarted().getPort();
    }

    @Override
    public synchronized InetSocketAddress address() {
        return requireStarted();
    }

    private InetSocketAddress requireStarted() {
        if (address == null) {
            throw new IllegalStateException("the API server is not started");
        }
        return address;
    }

    @Override
    public void close() {
        HttpServer s;
        Connections conns;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = server;
            conns = connections;
        }
        if (s == null) {
            return;
        }
        boolean clean = false;
        try {
            clean = conns.drain(shutdownTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int cut = conns.open();
        s.close(CloseMode.IMMEDIATE);
        conns.closeAll();
        try {
            s.awaitTermination(TimeValue.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (clean) {
            LOG.info("ViewPush API on port {} stopped", address.getPort());
        } else {
            LOG.warn("ViewPush API on port {} stopped; {} connections were still busy after {} and were cut",
                    address.getPort(), cut, shutdownTimeout);
        }
    }

    /**
     * HttpCore's exceptions, logged (its default listener drops them). Clients that go away or time out
     * are routine (debug); anything else is a warning. Messages of protocol errors may quote the
     * request's header lines, so only the exception's type is logged for those, never its text.
     */
    private static final class LoggingListener implements ExceptionListener {
        private final Connections connections;

        LoggingListener(Connections connections) {
            this.connections = connections;
        }

        @Override
        public void onError(Exception ex) {
            if (connections.draining() && ex instanceof SocketException) {
                LOG.debug("the listener stopped: {}", ex.getClass().getSimpleName());
            } else {
                LOG.warn("the API listener failed: {}", ex.getClass().getSimpleName());
            }
        }

        @Override
        public void onError(HttpConnection connection, Exception ex) {
            Object peer = connection == null || connection.getRemoteAddress() == null ? "a client"
                    : connection.getRemoteAddress();
            if (ex instanceof SocketTimeoutException || ex instanceof ConnectionClosedException
                    || ex instanceof SocketException) {
                LOG.debug("connection from {} ended: {}", peer, ex.getClass().getSimpleName());
            } else if (ex instanceof IOException || ex instanceof HttpException) {
                LOG.debug("connection from {} closed after a protocol or I/O error: {}", peer,
                        ex.getClass().getSimpleName());
            } else {
                LOG.warn("connection from {} failed", peer, ex);
            }
        }
    }
}
