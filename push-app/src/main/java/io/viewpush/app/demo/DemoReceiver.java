package io.viewpush.app.demo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's receiver: a JDK {@link HttpServer} on 127.0.0.1 that prints every push it gets,
 * verifies its Standard Webhooks signature the way a real receiver should, and answers with the
 * status it is told to (200 by default, 500 to show a failed push).
 */
final class DemoReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true)); // print 12.50 as sent, not 12.5

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final PrintWriter out;
    private final byte[] key;
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<String> webhookIds = new ArrayList<>();

    /**
     * @param out    where arrivals are printed
     * @param secret the signing secret ({@code whsec_<base64 key>})
     */
    DemoReceiver(PrintWriter out, String secret) {
        this.out = out;
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/hook", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void answer(int value) {
        status.set(value);
    }

    synchronized List<String> webhookIds() {
        return List.copyOf(webhookIds);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String body = new String(raw, StandardCharsets.UTF_8);
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
        String verdict = verify(id, timestamp, body, signatures) ? "signature ok" : "SIGNATURE INVALID";
        String json = body.startsWith("json=") ? URLDecoder.decode(body.substring(5), StandardCharsets.UTF_8) : body;
        int answer = status.get();
        synchronized (this) {
            webhookIds.add(id);
        }
        StringBuilder sb = new StringBuilder();
        JsonNode rows = JSON.readTree(json);
        sb.append("   receiver <- POST ").append(exchange.getRequestURI().getPath()).append(": ")
                .append(rows.size()).append(rows.size() == 1 ? " row" : " rows")
                .append(", webhook-id ").append(shorten(id)).append(", ").append(verdict)
                .append("; answers ").append(answer).append('\n');
        for (Iterator<JsonNode> it = rows.elements(); it.hasNext(); ) {
            sb.append("        ").append(it.next()).append('\n');
        }
        synchronized (out) {
            out.print(sb);
            out.flush();
        }
        byte[] reply = (answer < 300 ? "{\"received\":" + rows.size() + "}" : "{\"error\":\"try later\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    /** Standard Webhooks: base64 HMAC-SHA256 of "id.timestamp.body", one "v1,…" per secret, space-separated. */
    private boolean verify(String id, String timestamp, String body, String signatures) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String s : signatures.split(" ")) {
                if (s.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(s.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String shorten(String id) {
        return id == null ? "(none)" : id.length() > 16 ? id.substring(0, 16) + "…" : id;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
