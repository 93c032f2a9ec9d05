package io.viewpush.app.metrics;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.ConfigLoader;
import io.viewpush.port.PushListener;
import io.viewpush.push.PushAttempt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Every line a push writes on its thread carries the view in the MDC; nothing is left behind after it. */
class ViewLogContextTest {
    @TempDir
    Path dir;

    private HttpServer receiver;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @AfterEach
    void tearDown() {
        root.detachAppender(captured);
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void theTransportsRetryLineAndThePushLineCarryTheView() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(requests.incrementAndGet() == 1 ? 503 : 200, -1);
            exchange.close();
        });
        receiver.start();
        Files.writeString(dir.resolve("init.sql"), """
                CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, last_pushed TIMESTAMP);
                MERGE INTO orders KEY (id) VALUES (1, NULL);
                """);
        String yaml = """
                database: {url: 'jdbc:h2:file:%s/db', init: init.sql}
                views:
                  - name: orders to push
                    table: orders
                    key: id
                    fields: {id: id, last pushed: last_pushed}
                    filters: ["{last pushed} is empty"]
                    push:
                      url: http://127.0.0.1:%d/hook
                      stamp: last pushed
                      retry: {attempts: 2, initialBackoff: 10ms}
                """.formatted(dir.toString().replace('\\', '/'), receiver.getAddress().getPort());
        captured.start();
        root.addAppender(captured);
        try (Assembly a = Assembly.open(ConfigLoader.parse(yaml, "push.yaml", dir, Map.of()), PushListener.NONE)) {
            captured.list.clear();
            assertThat(a.engine().pushNow("orders to push").status()).isEqualTo(PushAttempt.Status.SUCCESS);
            assertThat(MDC.get(ViewLogContext.KEY)).as("removed when the push ends").isNull();
        }
        List<ILoggingEvent> pushLines = captured.list.stream()
                .filter(e -> e.getThreadName().equals(Thread.currentThread().getName())).toList();
        assertThat(pushLines).as("the retry line and the push line")
                .anyMatch(e -> e.getFormattedMessage().contains("retrying"))
                .anyMatch(e -> e.getLoggerName().equals("push") && e.getFormattedMessage().contains("success"));
        assertThat(pushLines).allSatisfy(e ->
                assertThat(e.getMDCPropertyMap()).as(e.getFormattedMessage()).containsEntry("view", "orders to push"));
    }
}
