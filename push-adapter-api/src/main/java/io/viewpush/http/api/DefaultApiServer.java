package io.viewpush.http.api;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;

/** The server behind {@link ApiServer#builder}: an embedded Jetty server wired to {@link ApiHandler}. */
final class DefaultApiServer implements ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultApiServer.class);
    /** Largest request head (request line and headers together), in bytes. */
    static final int MAX_HEAD_BYTES = 8 * 1024;
    /** Threads Jetty needs besides the workers: its acceptor, its selector and one spare. */
    static final int JETTY_OWN_THREADS = 4;

    private final InetAddress bindAddress;
    private final int requestedPort;
    private final ApiServer.Builder settings;
    private final KeyRing keys;
    private final Duration shutdownTimeout;
    private volatile boolean draining;
    private ApiHandler mountable;
    private Server server;
    private HeadWatch headWatch;
    private GracefulHandler graceful;
    private ServerConnector connector;
    private InetSocketAddress address;
    private boolean closed;

    DefaultApiServer(ApiServer.Builder b, InetAddress bindAddress) {
        this.bindAddress = bindAddress;
        this.requestedPort = b.port();
        this.settings = b;
        this.keys = new KeyRing(b.keyEntries());
        this.shutdownTimeout = b.shutdownTimeout();
    }

    @Override
    public synchronized Handler handler() {
        if (mountable == null) {
            mountable = new ApiHandler(settings.engine(), keys, settings, () -> false, null);
        }
        return mountable;
    }

    @Override
    public synchronized ApiServer start() {
        if (closed) {
            throw new IllegalStateException("the API server is closed");
        }
        if (server != null) {
            return this;
        }
        QueuedThreadPool threads = new QueuedThreadPool(settings.workerThreads() + JETTY_OWN_THREADS,
                Math.min(4, settings.workerThreads() + JETTY_OWN_THREADS));
        threads.setName("viewpush-api");
        threads.setReservedThreads(0);
        threads.setStopTimeout(1_000);
        Server s = new Server(threads);
        s.setStopTimeout(shutdownTimeout.toMillis());
        s.setStopAtShutdown(false);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEAD_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setIdleTimeout(settings.idleTimeout().toMillis());
        // the API decodes the raw path itself, once per segment after splitting: Jetty must not refuse or fold it
        http.setUriCompliance(UriCompliance.from(EnumSet.allOf(UriCompliance.Violation.class)));
        ServerConnector connector = new ServerConnector(s, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bindAddress.getHostAddress());
        connector.setPort(requestedPort);
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        connector.setAcceptQueueSize(settings.backlog());
        connector.setAcceptedTcpNoDelay(true);
        HeadWatch watch = new HeadWatch(settings.headerTimeout());
        connector.addBean(watch);
        s.addConnector(connector);
        s.addBean(new ConnectionLimit(settings.maxConnections(), connector));
        ApiHandler handler = new ApiHandler(settings.engine(), keys, settings, () -> draining, watch);
        GracefulHandler graceful = new GracefulHandler(handler);
        s.setHandler(graceful);
        s.setErrorHandler(new JsonErrors());
        try {
            s.start();
        } catch (Exception e) {
            stopQuietly(s);
            watch.stop();
            throw new ApiServerException("the API cannot listen on " + bindAddress.getHostAddress() + ":" + requestedPort
                    + ": " + e.getMessage(), e);
        }
        watch.start();
        this.server = s;
        this.graceful = graceful;
        this.connector = connector;
        this.headWatch = watch;
        this.address = new InetSocketAddress(bindAddress, connector.getLocalPort());
        LOG.info("ViewPush API listening on http://{}:{} ({} keys, {} worker threads)",
                address.getAddress().getHostAddress(), address.getPort(), keys.size(), settings.workerThreads());
        if (keys.size() == 0) {
            LOG.warn("no API keys are configured: every /api request will be refused with 401");
        }
        return this;
    }

    private static void stopQuietly(Server s) {
        try {
            s.stop();
        } catch (Exception e) {
            LOG.debug("stopping a server that did not start failed: {}", e.toString());
        }
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
        Server s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = server;
        }
        if (s == null) {
            return;
        }
        draining = true;
        boolean drained = true;
        try {
            // The requests in flight finish (new ones are answered 503), up to the shutdown timeout.
            // Only they are waited for: Jetty's own graceful stop also waited for every idle keep-alive
            // connection to close, which a client holding one open made last the whole timeout.
            connector.shutdown(); // closes the listening socket: new connections are refused
            graceful.shutdown().get(shutdownTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            drained = false;
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.debug("waiting for the API's requests failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        s.setStopTimeout(0);
        try {
            s.stop();
        } catch (Exception e) {
            LOG.warn("the API server did not stop cleanly: {}", e.toString());
        } finally {
            headWatch.stop();
        }
        if (drained) {
            LOG.info("ViewPush API on port {} stopped", address.getPort());
        } else {
            LOG.warn("ViewPush API on port {} stopped; requests still busy after {} were cut", address.getPort(),
                    shutdownTimeout);
        }
    }
}
