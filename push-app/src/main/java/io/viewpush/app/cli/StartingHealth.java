package io.viewpush.app.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.viewpush.app.assembly.StartupException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * What {@code run} serves on the API's address while it waits for its database: every request,
 * {@code /health} included, is answered 503 with a JSON body saying why, so a load balancer or an
 * orchestrator sees "not ready" instead of "connection refused". The real API replaces it once the
 * database answers.
 */
final class StartingHealth implements AutoCloseable {
    private static final byte[] BODY = ("{\"status\":\"starting\",\"error\":\"unavailable\","
            + "\"detail\":\"waiting for the database\"}").getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;

    private StartingHealth(HttpServer server) {
        this.server = server;
    }

    /**
     * Binds {@code host:port} and starts answering.
     *
     * @throws StartupException when the address cannot be bound (as the real API would fail)
     */
    static StartingHealth start(String host, int port) {
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new StartupException("cannot serve the API on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        s.createContext("/", StartingHealth::answer);
        s.start();
        return new StartingHealth(s);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange x) throws IOException {
        try (x) {
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.getResponseHeaders().set("Retry-After", "1");
            boolean head = "HEAD".equalsIgnoreCase(x.getRequestMethod());
            x.sendResponseHeaders(503, head ? -1 : BODY.length);
            if (!head) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(BODY);
                }
            }
        }
    }

    /** Stops answering and frees the port at once. */
    @Override
    public void close() {
        server.stop(0);
    }
}
