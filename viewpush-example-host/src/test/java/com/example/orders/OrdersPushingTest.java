package com.example.orders;

import com.example.orders.queue.QueueTransport;
import io.viewpush.push.PushAttempt;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/** The host embeds ViewPush on its own DataSource and pushes its orders to its own queue. */
class OrdersPushingTest {

    @Test
    void pushesTheNewOrdersToTheQueueAsTheDocumentedJsonAndStampsThem() throws SQLException {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:orders-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table orders (id int primary key, customer varchar(100), amount decimal(10,2),"
                    + " pushed_at timestamp)");
            s.execute("insert into orders (id, customer, amount) values (1, 'Ada', 12.50), (2, 'Bob', 3.00)");
        }
        LinkedBlockingQueue<QueueTransport.Message> queue = new LinkedBlockingQueue<>();
        try (OrdersPushing host = new OrdersPushing(dataSource, queue)) {
            PushAttempt first = host.engine().pushNow("new orders");
            assertThat(first.status()).isEqualTo(PushAttempt.Status.SUCCESS);
            assertThat(first.rowsStamped()).isEqualTo(2);
            assertThat(queue).singleElement().satisfies(m -> {
                assertThat(m.view()).isEqualTo("new orders");
                assertThat(m.id()).startsWith("msg_");
                assertThat(m.json()).isEqualTo("[{\"id\":1,\"customer\":\"Ada\",\"amount\":12.50,\"pushed at\":null},"
                        + "{\"id\":2,\"customer\":\"Bob\",\"amount\":3.00,\"pushed at\":null}]");
            });
            assertThat(host.engine().pushNow("new orders").status()).isEqualTo(PushAttempt.Status.NOTHING_TO_SEND);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from orders where pushed_at is null")) {
            rs.next();
            assertThat(rs.getInt(1)).as("unstamped orders").isZero();
        }
    }

    @Test
    void theWiringTakesAtMostFifteenLines() throws IOException {
        List<String> source = Files.readAllLines(Path.of("src/main/java/com/example/orders/OrdersPushing.java"),
                StandardCharsets.UTF_8);
        int from = source.indexOf("    // --- wiring: from here");
        int to = source.indexOf("    // --- wiring: up to here");
        assertThat(from).isNotNegative();
        long lines = source.subList(from + 1, to).stream().filter(l -> !l.isBlank()).count();
        assertThat(lines).isBetween(1L, 15L);
    }
}
