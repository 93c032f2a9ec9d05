package io.viewpush.port.contract;

import com.sun.net.httpserver.HttpServer;
import io.viewpush.expression.ValueType;
import io.viewpush.port.PushTransport;
import io.viewpush.push.Delivery;
import io.viewpush.push.PushPolicy;
import io.viewpush.push.RetrySettings;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract of {@link PushTransport}: every transport passes it. The suite runs its own receiver on
 * 127.0.0.1 (the JDK's HTTP server) that answers with {@link #status}.
 */
public abstract class PushTransportContractTest {

    /** @return the transport under test; closed after each test */
    protected abstract PushTransport transport();

    /** The status the receiver answers with. */
    protected final AtomicInteger status = new AtomicInteger(200);
    /** The bodies the receiver got, in order. */
    protected final List<byte[]> bodies = new CopyOnWriteArrayList<>();

    private HttpServer server;
    private PushTransport transport;

    @BeforeEach
    void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                bodies.add(in.readAllBytes());
            }
            int s = status.get();
            exchange.sendResponseHeaders(s, s == 204 ? -1 : 2);
            if (s != 204) {
                exchange.getResponseBody().write("ok".getBytes());
            }
            exchange.close();
        });
        server.start();
        transport = transport();
    }

    @AfterEach
    void stopReceiver() {
        transport.close();
        server.stop(0);
    }

    /** @return a URI on the suite's receiver */
    protected URI receiverUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** @return a view pushing to {@code url} with the given policy adjustments, no retries */
    protected View view(URI url, PushPolicy.SuccessRule success) {
        ViewDefinition def = ViewDefinition.builder("contract view", "orders").key("id").field("id").field("customer")
                .push(PushPolicy.builder(url, "last_pushed").success(success).retry(RetrySettings.NONE)
                        .timeout(Duration.ofSeconds(5)).build())
                .field("last_pushed")
                .build();
        return def.bind(Map.of("id", ValueType.NUMBER, "customer", ValueType.TEXT, "last_pushed", ValueType.TIMESTAMP));
    }

    /** @return {@code n} rows of the view */
    protected static List<Row> rows(View view, int from, int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            rows.add(Row.of(view.columns(), BigDecimal.valueOf(i), "customer " + i, null));
        }
        return rows;
    }

    @Test
    void deliversABatchAndConsumesEveryRow() {
        View view = view(receiverUri(), PushPolicy.SuccessRule.ANY_2XX);
        Iterator<Row> it = rows(view, 1, 25).iterator();
        Delivery d = transport.send(view, it);
        assertThat(d.delivered()).isTrue();
        assertThat(d.status()).hasValue(200);
        assertThat(d.rows()).isEqualTo(25);
        assertThat(d.bytes()).isPositive();
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(it.hasNext()).isFalse();
        assertThat(bodies).hasSize(1);
        assertThat(new String(bodies.get(0), java.nio.charset.StandardCharsets.UTF_8)).contains("customer");
    }

    @Test
    void aReceiverErrorIsAFailedDeliveryNotAnException() {
        status.set(500);
        View view = view(receiverUri(), PushPolicy.SuccessRule.ANY_2XX);
        Delivery d = transport.send(view, rows(view, 1, 3).iterator());
        assertThat(d.delivered()).isFalse();
        assertThat(d.status()).hasValue(500);
        assertThat(d.reason()).contains("500");
    }

    @Test
    void theSameBatchCarriesTheSameIdAndAnotherBatchAnotherId() {
        status.set(500);
        View view = view(receiverUri(), PushPolicy.SuccessRule.ANY_2XX);
        Delivery first = transport.send(view, rows(view, 1, 3).iterator());
        status.set(200);
        Delivery again = transport.send(view, rows(view, 1, 3).iterator());
        Delivery other = transport.send(view, rows(view, 2, 3).iterator());
        assertThat(again.webhookId()).isEqualTo(first.webhookId()).isNotBlank();
        assertThat(other.webhookId()).isNotEqualTo(first.webhookId());
    }

    @Test
    void underExactly200ANoContentAnswerIsAFailure() {
        status.set(204);
        assertThat(transport.send(view(receiverUri(), PushPolicy.SuccessRule.ANY_2XX),
                rows(view(receiverUri(), PushPolicy.SuccessRule.ANY_2XX), 1, 1).iterator()).delivered()).isTrue();
        View strict = view(receiverUri(), PushPolicy.SuccessRule.EXACTLY_200);
        Delivery d = transport.send(strict, rows(strict, 1, 1).iterator());
        assertThat(d.delivered()).isFalse();
        assertThat(d.status()).hasValue(204);
    }

    @Test
    void aRefusedConnectionIsAFailedDelivery() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        View view = view(URI.create("http://127.0.0.1:" + closedPort + "/hook"), PushPolicy.SuccessRule.ANY_2XX);
        Delivery d = transport.send(view, rows(view, 1, 2).iterator());
        assertThat(d.delivered()).isFalse();
        assertThat(d.status()).isEmpty();
        assertThat(d.reason()).isNotBlank();
    }
}
