package io.viewpush.jdbc;

import io.viewpush.expression.Snapshot;
import io.viewpush.port.LeaseToken;
import io.viewpush.port.Page;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM's default time zone (America/New_York, with daylight saving) far from the database
 * session's (Pacific/Kiritimati, +14): values, selections and stamps must not depend on the JVM's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TimeZoneCases {
    private static final String JVM_ZONE = "America/New_York";
    private static final String SESSION_ZONE = "Pacific/Kiritimati";

    private final TestDatabase.Kind kind;
    private TimeZone original;
    private TestDatabase db;
    private DefaultJdbcPushStore store;
    private String table;
    private View view;

    TimeZoneCases(TestDatabase.Kind kind) {
        this.kind = kind;
    }

    @BeforeAll
    void setUp() {
        original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(JVM_ZONE));
        db = TestDatabase.create(kind, SESSION_ZONE);
        store = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource()).build();
        table = StoreCases.newTable("zones");
        db.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, ts TIMESTAMP(6), d DATE, stamp TIMESTAMP(0))",
                // 02:30 on 2024-03-10 does not exist in New York (clocks jump from 02:00 to 03:00)
                "INSERT INTO " + table + " VALUES (1, TIMESTAMP '2024-03-10 02:30:00', DATE '2024-03-10', NULL)",
                "INSERT INTO " + table + " VALUES (2, TIMESTAMP '2024-03-10 12:00:00', DATE '2024-03-11', NULL)",
                "INSERT INTO " + table + " VALUES (3, TIMESTAMP '2024-11-03 01:30:00', DATE '2024-11-03', NULL)");
        view = bind(ViewDefinition.builder("zones", table).key("id")
                .field("id", "id").field("ts", "ts").field("d", "d").field("stamp", "stamp")
                .writable("ts")
                .push(StoreCases.policy("stamp", null))
                .build());
    }

    @AfterAll
    void restoreZone() {
        TimeZone.setDefault(original);
    }

    private View bind(ViewDefinition def) {
        return def.bind(store.fieldTypes(def));
    }

    private List<Row> read(View v, Snapshot snapshot) {
        List<Row> rows = new ArrayList<>();
        try (var c = store.open(v, snapshot, Page.ALL)) {
            c.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void timestampsInTheJvmsDaylightSavingGapAreReadAndWrittenExactly() {
        assertThat(read(view, StoreCases.SNAPSHOT).get(0).get("ts")).isEqualTo(LocalDateTime.parse("2024-03-10T02:30:00"));

        Row updated = store.update(view, RowKey.of(3L), Map.of("ts", LocalDateTime.parse("2024-03-10T02:15:00.123456")),
                StoreCases.SNAPSHOT).orElseThrow();

        assertThat(updated.get("ts")).isEqualTo(LocalDateTime.parse("2024-03-10T02:15:00.123456"));
        View gap = bind(view.definition().toBuilder().filter("{ts} = '2024-03-10T02:30:00'").build());
        assertThat(read(gap, StoreCases.SNAPSHOT)).extracting(Row::key).containsExactly(java.math.BigDecimal.ONE);
        store.update(view, RowKey.of(3L), Map.of("ts", LocalDateTime.parse("2024-11-03T01:30:00")), StoreCases.SNAPSHOT);
    }

    @Test
    void theSameRowsAreSelectedWhateverTheJvmZone() {
        View due = bind(view.definition().toBuilder().filter("{ts} <= now()").filter("{d} <= now()").build());
        // 2024-03-10 12:00 in Tokyo is 03:00 UTC: row 1 is due, row 2 (noon, and dated the 11th) is not
        Snapshot snapshot = new Snapshot(Instant.parse("2024-03-10T03:00:00Z"), ZoneId.of("Asia/Tokyo"));
        List<List<Object>> selections = new ArrayList<>();
        for (String zone : List.of(JVM_ZONE, "Pacific/Pago_Pago", "UTC", "Asia/Kolkata")) {
            TimeZone.setDefault(TimeZone.getTimeZone(zone));
            selections.add(read(due, snapshot).stream().map(Row::key).toList());
        }
        TimeZone.setDefault(TimeZone.getTimeZone(JVM_ZONE));

        assertThat(selections).allSatisfy(keys -> assertThat(keys).containsExactly(java.math.BigDecimal.ONE));
    }

    @Test
    void theStoresSessionZoneIsTheSessionsNotTheJvms() {
        assertThat(store.sessionZone()).isEqualTo(java.time.ZoneId.of(SESSION_ZONE));
    }

    @Test
    void anEngineWithoutAZoneComparesNowInTheSessionsZone() {
        // an hour ago on the session's wall clock (UTC+14) is 18 hours ahead on the JVM's (New York)
        String t = StoreCases.newTable("due");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, ts TIMESTAMP(6))",
                "INSERT INTO " + t + " VALUES (1, LOCALTIMESTAMP - INTERVAL '1' HOUR)");
        ViewDefinition due = ViewDefinition.builder("due", t).key("id").field("id", "id").field("ts", "ts")
                .filter("{ts} <= now()").build();
        for (java.time.ZoneId zone : new java.time.ZoneId[]{null, java.time.ZoneId.of(JVM_ZONE)}) {
            try (io.viewpush.engine.ViewPush engine = io.viewpush.engine.ViewPush.builder().store(store).zone(zone)
                    .view(due).build()) {
                java.util.List<Row> rows = new java.util.ArrayList<>();
                try (io.viewpush.port.RowCursor c = engine.read("due", io.viewpush.port.Page.ALL)) {
                    c.forEachRemaining(rows::add);
                }
                assertThat(rows).as("engine zone %s", zone == null ? "by default" : zone).hasSize(zone == null ? 1 : 0);
            }
        }
    }

    @Test
    void anEngineWithoutAZoneTakesTheDatePartsOfATimestampWithTimeZoneInTheSessionsZone() {
        // 12:00 UTC on Saturday 1 June is 02:00 on Sunday 2 June at UTC+14, 08:00 on Saturday in New York
        String t = StoreCases.newTable("parts");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, tz TIMESTAMP(6) WITH TIME ZONE)",
                "INSERT INTO " + t + " VALUES (1, TIMESTAMP WITH TIME ZONE '2024-06-01 12:00:00+00:00')");
        ViewDefinition parts = ViewDefinition.builder("parts", t).key("id").field("id", "id").field("tz", "tz")
                .calculation("day", "day({tz})").calculation("weekday", "weekday({tz})")
                .calculation("midnight", "start_of_day({tz})").build();
        for (java.time.ZoneId zone : new java.time.ZoneId[]{null, java.time.ZoneId.of(JVM_ZONE)}) {
            try (io.viewpush.engine.ViewPush engine = io.viewpush.engine.ViewPush.builder().store(store).zone(zone)
                    .view(parts).build()) {
                java.util.List<Row> rows = new java.util.ArrayList<>();
                try (io.viewpush.port.RowCursor c = engine.read("parts", io.viewpush.port.Page.ALL)) {
                    c.forEachRemaining(rows::add);
                }
                boolean session = zone == null;
                assertThat(rows).as("engine zone %s", session ? "by default" : zone).singleElement().satisfies(r -> {
                    assertThat((java.math.BigDecimal) r.get("day")).isEqualByComparingTo(session ? "2" : "1");
                    assertThat((java.math.BigDecimal) r.get("weekday")).isEqualByComparingTo(session ? "7" : "6");
                    assertThat(r.get("midnight")).isEqualTo(LocalDateTime.parse(session ? "2024-06-02T00:00"
                            : "2024-06-01T00:00"));
                });
            }
        }
    }

    @Test
    void aTimestampStampIsTheSessionsLocalTimeNotTheJvms() {
        LocalDateTime before = db.localNow();
        LeaseToken lease = store.tryAcquire("zones", "engine", Duration.ofMinutes(1)).orElseThrow();
        JdbcStampBatch batch = (JdbcStampBatch) store.batch(view, lease, null);
        LocalDateTime after = db.localNow();
        try (batch) {
            read(view, StoreCases.SNAPSHOT).forEach(batch::add);
            assertThat(batch.commit().stamped()).isEqualTo(3);
        }

        LocalDateTime stamp = (LocalDateTime) batch.stampValue();
        assertThat(stamp).isBetween(before.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1),
                after.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1));
        LocalDateTime sessionNow = LocalDateTime.now(ZoneId.of(SESSION_ZONE));
        assertThat(Duration.between(stamp, sessionNow).abs()).isLessThan(Duration.ofMinutes(5));
        assertThat(Duration.between(stamp, LocalDateTime.now()).abs()).as("not the JVM's local time")
                .isGreaterThan(Duration.ofHours(10));
        assertThat(read(view, StoreCases.SNAPSHOT)).allSatisfy(r -> assertThat(r.get("stamp")).isEqualTo(stamp));
    }
}
