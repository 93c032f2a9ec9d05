package io.viewpush.app.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real receiver on 127.0.0.1: records every push and answers with the status it is told to. */
final class Receiver implements AutoCloseable {
    /** One request as it arrived. */
    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        /** @return the JSON array of a form push ({@code json=<array>}) or of a json push */
        String json() {
            if (body.startsWith("json=")) {
                return URLDecoder.decode(body.substring(5), StandardCharsets.UTF_8);
            }
            return body;
        }

        String header(String name) {
            List<String> v = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(List.of());
            return v.isEmpty() ? null : v.get(0);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final java.util.concurrent.atomic.AtomicLong delayMillis = new java.util.concurrent.atomic.AtomicLong();

    private final java.util.concurrent.atomic.AtomicReference<Runnable> onRequest = new java.util.concurrent.atomic.AtomicReference<>();

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            Runnable action = onRequest.getAndSet(null);
            if (action != null) {
                action.run();
            }
            long wait = delayMillis.get();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int s = status.get();
            byte[] answer = (s < 300 ? "thanks" : "not now").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(s, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Answers each request only after {@code millis} (a slow receiver). */
    void delay(long millis) {
        delayMillis.set(millis);
    }

    /** Runs {@code action} once, when the next request has arrived and before it is answered. */
    void onNextRequest(Runnable action) {
        onRequest.set(action);
    }

    void answer(int value) {
        status.set(value);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void clear() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
