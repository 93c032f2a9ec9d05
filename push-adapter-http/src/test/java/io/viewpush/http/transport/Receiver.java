package io.viewpush.http.transport;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A real HTTP receiver on 127.0.0.1 (the JDK's server, with an executor) that records what it gets. */
final class Receiver implements AutoCloseable {
    /** What one request carried. */
    record Request(String method, URI uri, Headers headers, byte[] body, int remotePort, long nanoTime) {
        String header(String name) {
            return headers.getFirst(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** How to answer one request. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        static Answer of(int status) {
            return new Answer(status, Map.of(), new byte[0]);
        }

        static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
        }

        Answer header(String name, String value) {
            java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
            h.put(name, value);
            return new Answer(status, h, body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    private volatile Answer fallback = Answer.of(200, "ok");

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers the next requests with these, in order, then with the fallback. */
    synchronized Receiver then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    Receiver always(Answer answer) {
        this.fallback = answer;
        return this;
    }

    private synchronized Answer next() {
        Answer a = script.poll();
        return a != null ? a : fallback;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getRequestHeaders(),
                body, exchange.getRemoteAddress().getPort(), System.nanoTime()));
        Answer a = next();
        a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        boolean noBody = a.status() == 204 || a.status() == 304 || a.body().length == 0;
        exchange.sendResponseHeaders(a.status(), noBody ? -1 : a.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(a.body());
            }
        }
        exchange.close();
    }

    List<Request> requests() {
        return requests;
    }

    Request only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + requests.size());
        }
        return requests.get(0);
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
