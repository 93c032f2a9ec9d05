package io.viewpush.port.contract;

import com.sun.net.httpserver.HttpServer;
import io.viewpush.port.PushTransport;
import io.viewpush.push.Delivery;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP part of the transport contract: the transport-neutral suite, plus what an HTTP
 * transport owes its receiver. The suite runs its own receiver on 127.0.0.1 (the JDK's HTTP
 * server); a refused batch is a 500 answer. Extend it with {@link #transport(View, URI)}.
 */
public abstract class HttpTransportContractTest extends PushTransportContractTest {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"?(-?[0-9.]+)");

    /** The status the receiver answers with. */
    protected final AtomicInteger status = new AtomicInteger(200);
    /** The bodies the receiver got, in order, whatever it answered. */
    protected final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final List<List<String>> taken = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ExecutorService executor;

    /**
     * @return the transport under test, pushing {@code view} to {@code url} with no retries (or
     *         few), any 2xx answer counting as success
     */
    protected abstract PushTransport transport(View view, URI url);

    @Override
    protected final PushTransport transport(View view) {
        return transport(view, receiverUri());
    }

    @Override
    protected void refuseBatches(boolean refuse) {
        status.set(refuse ? 500 : 200);
    }

    @Override
    protected List<List<String>> taken() {
        return List.copyOf(taken);
    }

    @BeforeEach
    @Override
    public void openTransport() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the suite's receiver", e);
        }
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            bodies.add(body);
            int s = status.get();
            if (s >= 200 && s < 300) {
                taken.add(keysOf(body, exchange.getRequestHeaders().getFirst("Content-Type")));
            }
            exchange.sendResponseHeaders(s, s == 204 ? -1 : 2);
            if (s != 204) {
                exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            }
            exchange.close();
        });
        server.start();
        super.openTransport();
    }

    @AfterEach
    @Override
    public void closeTransport() {
        super.closeTransport();
        server.stop(0);
        executor.shutdownNow();
    }

    /** @return a URI on the suite's receiver */
    protected URI receiverUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** @return the ids of the rows in a body: a JSON array, or a form with the array in {@code json} */
    private static List<String> keysOf(byte[] body, String contentType) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            text = URLDecoder.decode(text.substring(text.indexOf('=') + 1), StandardCharsets.UTF_8);
        }
        List<String> keys = new ArrayList<>();
        Matcher m = ID.matcher(text);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    @Test
    public void aSuccessCarriesTheReceiversStatus() {
        View view = view();
        Delivery d = transport().send(view, rows(view, 1, 2).iterator());
        assertThat(d.delivered()).isTrue();
        assertThat(d.status()).hasValue(200);
        assertThat(d.bytes()).isPositive();
        assertThat(new String(bodies.get(0), StandardCharsets.UTF_8)).contains("customer");
    }

    @Test
    public void aNoContentAnswerIsASuccess() {
        status.set(204);
        View view = view();
        Delivery d = transport().send(view, rows(view, 1, 1).iterator());
        assertThat(d.delivered()).isTrue();
        assertThat(d.status()).hasValue(204);
    }

    @Test
    public void aReceiverErrorIsAFailedDeliveryWithItsStatus() {
        status.set(500);
        View view = view();
        Delivery d = transport().send(view, rows(view, 1, 3).iterator());
        assertThat(d.delivered()).isFalse();
        assertThat(d.status()).hasValue(500);
        assertThat(d.reason()).contains("500");
    }

    @Test
    public void aRefusedConnectionIsAFailedDeliveryWithoutStatus() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        View view = view();
        try (PushTransport elsewhere = transport(view, URI.create("http://127.0.0.1:" + closedPort + "/hook"))) {
            Delivery d = elsewhere.send(view, rows(view, 1, 2).iterator());
            assertThat(d.delivered()).isFalse();
            assertThat(d.status()).isEmpty();
            assertThat(d.reason()).isNotBlank();
        }
    }
}
