package io.viewpush.jdbc;

import io.viewpush.engine.ViewPush;
import io.viewpush.push.PushPolicy;
import io.viewpush.testing.RecordingTransport;
import io.viewpush.view.Row;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three engines in one JVM, each with its own store on one database, push one view while a host
 * keeps changing its rows and one engine leaves midway: every change is delivered, and no two
 * engines ever send the view at the same time.
 */
abstract class ThreeEnginesCases extends StoreCases {

    ThreeEnginesCases(TestDatabase.Kind kind) {
        super(kind);
    }

    @Test
    void everyChangeIsDeliveredAndNoTwoEnginesEverPushTheViewAtOnce() throws Exception {
        String t = newTable("shared");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, customer VARCHAR(50), version INTEGER,"
                + " last_modified TIMESTAMP(6), last_pushed TIMESTAMP(6))");
        for (int id = 1; id <= 100; id++) {
            db.execute("INSERT INTO " + t + " VALUES (" + id + ", 'c', 1, LOCALTIMESTAMP, NULL)");
        }
        ViewDefinition def = ViewDefinition.builder("shared view", t).key("id")
                .field("id", "id").field("customer", "customer").field("version", "version")
                .field("last modified [auto]", "last_modified").field("last pushed", "last_pushed")
                .calculation("needs pushing", "{last modified [auto]} > {last pushed}")
                .filter("{needs pushing} = true")
                .push(PushPolicy.builder("last pushed")
                        .modifiedField("last modified [auto]").minInterval(Duration.ZERO).maxRows(15)
                        .backoffInitial(Duration.ofMillis(50)).backoffMax(Duration.ofMillis(200)).build())
                .build();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        List<RecordingTransport> transports = new ArrayList<>();
        List<ViewPush> engines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingTransport transport = new RecordingTransport().onSend(rows -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
            transports.add(transport);
            engines.add(ViewPush.builder()
                    .store(JdbcPushStore.builder(db.dataSource()).build())
                    .transport(transport)
                    .view(def)
                    .owner("engine-" + i)
                    .leaseTtl(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(20))
                    .build());
        }
        engines.forEach(ViewPush::start);

        Random random = new Random(7);
        long end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
        boolean firstLeft = false;
        int nextId = 101;
        while (System.nanoTime() < end) {
            if (!firstLeft && System.nanoTime() > end - Duration.ofMillis(1300).toNanos()) {
                engines.get(0).close();
                firstLeft = true;
            }
            if (random.nextInt(10) == 0) {
                db.execute("INSERT INTO " + t + " VALUES (" + nextId++ + ", 'new', 1, LOCALTIMESTAMP, NULL)");
            } else {
                db.execute("UPDATE " + t + " SET version = version + 1, customer = 'v', last_modified = LOCALTIMESTAMP"
                        + " WHERE id = " + (1 + random.nextInt(nextId - 1)));
            }
            Thread.sleep(2);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (needsPushing(t) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        engines.forEach(ViewPush::close);

        assertThat(needsPushing(t)).as("rows still needing a push").isZero();
        assertThat(maxInFlight.get()).as("engines sending the view at the same time").isEqualTo(1);
        Set<String> delivered = new HashSet<>();
        transports.forEach(tr -> tr.deliveredRows().forEach(r -> delivered.add(versionOf(r))));
        Map<Integer, Integer> finalVersions = finalVersions(t);
        assertThat(finalVersions).hasSize(nextId - 1);
        finalVersions.forEach((id, version) ->
                assertThat(delivered).as("row %d at its last version", id).contains(id + "@" + version));
        assertThat(transports.get(1).deliveredRows().size() + transports.get(2).deliveredRows().size())
                .as("the engines that stayed took over").isPositive();
    }

    private static String versionOf(Row r) {
        return ((BigDecimal) r.key()).intValueExact() + "@" + ((BigDecimal) r.get("version")).intValueExact();
    }

    private long needsPushing(String t) {
        return db.queryValue("SELECT COUNT(*) FROM " + t + " WHERE last_pushed IS NULL OR last_modified > last_pushed",
                Long.class);
    }

    private Map<Integer, Integer> finalVersions(String t) {
        Map<Integer, Integer> out = new HashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, version FROM " + t)) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
