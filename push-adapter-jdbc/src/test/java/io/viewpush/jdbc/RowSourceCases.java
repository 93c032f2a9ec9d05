package io.viewpush.jdbc;

import io.viewpush.expression.Snapshot;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StorageException;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code open}: rows streamed in key order, pages, and exact domain values. */
abstract class RowSourceCases extends StoreCases {

    RowSourceCases(TestDatabase.Kind kind) {
        super(kind);
    }

    @Test
    void readsRowsInKeyOrderWithExactDomainValues() {
        String t = newTable("vals");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, name VARCHAR(100), amount NUMERIC(12,3),"
                        + " big NUMERIC(40,20), flag BOOLEAN, ts TIMESTAMP(6), tz TIMESTAMP(6) WITH TIME ZONE, d DATE, code CHAR(4))",
                "INSERT INTO " + t + " VALUES (20, 'Zoë ''quoted'' \"x\" \\ 日本 ' || U&'\\+01F600', 12.500,"
                        + " 12345678901234567890.12345678901234567890, TRUE, TIMESTAMP '2024-02-29 23:59:59.123456',"
                        + " TIMESTAMP WITH TIME ZONE '2024-06-01 14:00:00.5+02:00', DATE '0999-01-02', 'ab')",
                "INSERT INTO " + t + " VALUES (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
                "INSERT INTO " + t + " VALUES (100, '', -0.001, 0, FALSE, TIMESTAMP '1970-01-01 00:00:00',"
                        + " TIMESTAMP WITH TIME ZONE '1969-12-31 23:00:00-01:00', DATE '2024-12-31', 'abcd')");
        View view = bind(ViewDefinition.builder("vals", t).key("id")
                .field("id", "id").field("name", "name").field("amount", "amount").field("big", "big")
                .field("flag", "flag").field("ts", "ts").field("tz", "tz").field("d", "d").field("code", "code")
                .build());

        List<Row> rows = readAll(view);

        assertThat(rows).extracting(Row::key).containsExactly(new BigDecimal("3"), new BigDecimal("20"), new BigDecimal("100"));
        Row r = rows.get(1);
        assertThat(r.get("name")).isEqualTo("Zoë 'quoted' \"x\" \\ 日本 \uD83D\uDE00");
        assertThat(r.get("amount")).isEqualTo(new BigDecimal("12.500"));
        assertThat(r.get("big")).isEqualTo(new BigDecimal("12345678901234567890.12345678901234567890"));
        assertThat(r.get("flag")).isEqualTo(true);
        assertThat(r.get("ts")).isEqualTo(LocalDateTime.parse("2024-02-29T23:59:59.123456"));
        assertThat(((OffsetDateTime) r.get("tz")).toInstant()).isEqualTo(OffsetDateTime.parse("2024-06-01T12:00:00.5Z").toInstant());
        assertThat(r.get("d")).isEqualTo(LocalDate.parse("0999-01-02"));
        assertThat(r.get("code")).as("char(4) as stored, blank-padded").isEqualTo("ab  ");
        assertThat(rows.get(0).values()).containsExactly(new BigDecimal("3"), null, null, null, null, null, null, null, null);
        Row last = rows.get(2);
        assertThat(last.get("name")).isEqualTo("");
        assertThat(last.get("amount")).isEqualTo(new BigDecimal("-0.001"));
        assertThat(last.get("flag")).isEqualTo(false);
        assertThat(((OffsetDateTime) last.get("tz")).toInstant()).isEqualTo(OffsetDateTime.parse("1970-01-01T00:00:00Z").toInstant());
        assertThat(last.get("code")).isEqualTo("abcd");
    }

    @Test
    void aValueTheRowJsonCannotCarryIsReadIntoItsRowAndTheReadGoesOn() throws Exception {
        // such a row must be held back alone (the engine does that), so the read must not fail on it
        String t = newTable("uncarriable");
        db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, name VARCHAR(100), amount NUMERIC)");
        try (Connection c = db.dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " VALUES (?, ?, CAST(? AS NUMERIC))")) {
            Object[][] rows = isPostgres()
                    ? new Object[][]{{1, "a", "1.5"}, {2, "b", "NaN"}, {3, "c", "Infinity"}, {4, "d", "-Infinity"},
                    {5, "e", "1e-10000"}, {6, "f", "2"}}
                    // H2 keeps a lone surrogate in text (PostgreSQL's UTF-8 text cannot hold one)
                    : new Object[][]{{1, "a", "1.5"}, {2, "b\uD800", "1"}, {3, "\uDC00", "1"}, {4, "d", "1"},
                    {5, "e\uDBFF", "1"}, {6, "f", "2"}};
            for (Object[] r : rows) {
                ps.setInt(1, (Integer) r[0]);
                ps.setString(2, (String) r[1]);
                ps.setString(3, (String) r[2]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        View view = bind(ViewDefinition.builder("uncarriable", t).key("id")
                .field("id", "id").field("name", "name").field("amount", "amount").writable("name").build());

        for (Page page : List.of(Page.ALL, new Page(Optional.of(io.viewpush.view.RowKey.of(new BigDecimal("1"))), 0),
                new Page(Optional.empty(), 3))) {
            List<Row> read = read(view, SNAPSHOT, page);
            assertThat(read).as("page %s", page).isNotEmpty();
            for (Row r : read) {
                int id = ((BigDecimal) r.key()).intValue();
                int expected = id == 1 || id == 6 || (!isPostgres() && id == 4) ? -1 : isPostgres() ? 2 : 1;
                assertThat(io.viewpush.view.Carriable.firstProblem(r)).as("row %s of page %s", r, page).isEqualTo(expected);
            }
        }
        JdbcPushStore streaming = JdbcPushStore.builder(db.dataSource()).fetchSize(2).build();
        for (Page page : List.of(Page.ALL, new Page(Optional.of(io.viewpush.view.RowKey.of(new BigDecimal("1"))), 0))) {
            try (RowCursor c = streaming.open(view, SNAPSHOT, page)) {
                List<Object> keys = new java.util.ArrayList<>();
                c.forEachRemaining(r -> keys.add(r.key()));
                assertThat(keys).as("streamed %s", page).hasSize(page.after().isPresent() ? 5 : 6);
            }
        }
        Row updated = store.update(view, io.viewpush.view.RowKey.of(new BigDecimal("2")), java.util.Map.of("name", "fixed"), SNAPSHOT).orElseThrow();
        assertThat(updated.get("name")).isEqualTo("fixed");
        assertThat(io.viewpush.view.Carriable.firstProblem(updated)).as("the row read back after an update")
                .isEqualTo(isPostgres() ? 2 : -1);
        List<Row> all = readAll(view);
        assertThat(all).extracting(Row::key).hasSize(6);
        if (isPostgres()) {
            assertThat(all.get(1).get("amount")).isEqualTo(io.viewpush.view.Uncarriable.specialNumber("NaN"));
            assertThat(all.get(3).get("amount")).isEqualTo(io.viewpush.view.Uncarriable.specialNumber("-Infinity"));
            assertThat(all.get(5).get("amount")).isEqualTo(new BigDecimal("2"));
            assertThat(((BigDecimal) all.get(4).get("amount")).scale()).isEqualTo(10000);
        } else {
            assertThat(all.get(2).get("name")).isEqualTo("\uDC00");
        }
    }

    @Test
    void textKeysAreInCodePointOrder() {
        String t = newTable("textkeys");
        db.execute("CREATE TABLE " + t + " (k VARCHAR(10) PRIMARY KEY)");
        for (String k : List.of("b", "B", "a", "\uD83D\uDE00", "\uFFFF", "", "ab", "A")) {
            db.execute("INSERT INTO " + t + " VALUES ('" + k + "')");
        }
        View view = bind(ViewDefinition.builder("textkeys", t).key("k").field("k", "k").build());

        assertThat(readAll(view)).extracting(Row::key)
                .containsExactly("", "A", "B", "a", "ab", "b", "\uFFFF", "\uD83D\uDE00");
        assertThat(read(view, SNAPSHOT, new Page(Optional.of(RowKey.of("a")), 2))).extracting(Row::key).containsExactly("ab", "b");
        assertThat(read(view, SNAPSHOT, new Page(Optional.of(RowKey.of("\uFFFF")), 0))).extracting(Row::key)
                .containsExactly("\uD83D\uDE00");
    }

    @Test
    void anEmptyKeyOfANullableKeyColumnComesFirst() {
        String t = newTable("nullkeys");
        db.execute("CREATE TABLE " + t + " (k INTEGER UNIQUE, v VARCHAR(5))", "INSERT INTO " + t + " VALUES (2, 'b')",
                "INSERT INTO " + t + " VALUES (NULL, 'empty')", "INSERT INTO " + t + " VALUES (-1, 'a')");
        View view = bind(ViewDefinition.builder("nullkeys", t).key("k").field("k", "k").field("v", "v").build());

        assertThat(readAll(view)).extracting(r -> r.get("v")).containsExactly("empty", "a", "b");
        assertThat(read(view, SNAPSHOT, new Page(Optional.of(RowKey.of(BigDecimal.ONE.negate())), 0))).extracting(r -> r.get("v"))
                .containsExactly("b");
    }

    @Test
    void pagesStartAfterTheGivenKeyAndStopAtTheLimit() {
        String t = createOrders();
        for (int i = 1; i <= 10; i++) {
            db.execute("INSERT INTO " + t + " (id, customer) VALUES (" + (i * 10) + ", 'c" + i + "')");
        }
        View view = bind(ordersView("paged", t).build());

        assertThat(read(view, SNAPSHOT, new Page(Optional.of(RowKey.of(new BigDecimal("30"))), 3))).extracting(Row::key)
                .containsExactly(new BigDecimal("40"), new BigDecimal("50"), new BigDecimal("60"));
        assertThat(read(view, SNAPSHOT, new Page(Optional.of(RowKey.of(35L)), 0))).hasSize(7);
        assertThat(read(view, SNAPSHOT, new Page(Optional.empty(), 2))).extracting(Row::key)
                .containsExactly(new BigDecimal("10"), new BigDecimal("20"));
        assertThatThrownBy(() -> store.open(view, SNAPSHOT, new Page(Optional.of(RowKey.of("30")), 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("page.after").hasMessageContaining("'paged'").hasMessageContaining("number");
    }

    @Test
    void aClosedCursorHasNoMoreRowsAndClosesOnce() {
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id) VALUES (1)", "INSERT INTO " + t + " (id) VALUES (2)");
        View view = bind(ordersView("closing", t).build());

        RowCursor cursor = store.open(view, SNAPSHOT, Page.ALL);
        assertThat(cursor.next().key()).isEqualTo(new BigDecimal("1"));
        cursor.close();
        cursor.close();

        assertThat(cursor.hasNext()).isFalse();
        assertThatThrownBy(cursor::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void readingATableThatWasDroppedIsAStorageException() {
        String t = createOrders();
        View view = bind(ordersView("dropped", t).build());
        db.execute("DROP TABLE " + t);

        assertThatThrownBy(() -> store.open(view, SNAPSHOT, Page.ALL))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("'dropped'");
    }

    @Test
    void readsATablesMetadataOncePerViewNotOncePerRead() {
        AtomicInteger metadataReads = new AtomicInteger();
        DefaultJdbcPushStore counted = (DefaultJdbcPushStore) JdbcPushStore.builder(countingMetadataReads(db.dataSource(), metadataReads))
                .migrateOnBuild(false).build();
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id, customer) VALUES (1, 'Ada')");
        View view = ordersView("metadata once", t).build().bind(counted.fieldTypes(ordersView("metadata once", t).build()));
        int before = metadataReads.get();

        for (int i = 0; i < 5; i++) {
            try (RowCursor c = counted.open(view, SNAPSHOT, Page.ALL)) {
                assertThat(c.next().key()).isEqualTo(BigDecimal.ONE);
            }
        }

        assertThat(metadataReads.get() - before).isEqualTo(1);
    }

    @Test
    void aTableChangedUnderAViewIsReadAgainAndTheMismatchNamed() {
        String t = createOrders();
        View view = bind(ordersView("changed", t).build());
        assertThat(readAll(view)).isEmpty();
        db.execute("ALTER TABLE " + t + " DROP COLUMN receipt_id");

        assertThatThrownBy(() -> readAll(view)).isInstanceOf(StorageException.class).hasMessageContaining("'changed'");
        assertThatThrownBy(() -> readAll(view)).isInstanceOf(StorageException.class)
                .hasMessageContaining("the table of view 'changed' no longer fits it")
                .hasMessageContaining("receipt_id");
    }

    /** The data source, counting every {@link Connection#getMetaData()} of its connections. */
    private static DataSource countingMetadataReads(DataSource ds, AtomicInteger reads) {
        return (DataSource) Proxy.newProxyInstance(RowSourceCases.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = call(method, ds, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection c = (Connection) result;
                    return Proxy.newProxyInstance(RowSourceCases.class.getClassLoader(), new Class<?>[]{Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("getMetaData")) {
                                    reads.incrementAndGet();
                                }
                                return call(m, c, a);
                            });
                });
    }

    private static Object call(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void aViewThatUsesNowIsReadAtEachSnapshotsTimeAndOtherViewsKeepTheirOwnBindValues() {
        String t = createOrders();
        db.execute("INSERT INTO " + t + " (id, customer, last_modified) VALUES (1, 'Ada', TIMESTAMP '2024-06-01 12:00:00')",
                "INSERT INTO " + t + " (id, customer, last_modified) VALUES (2, 'Grace', TIMESTAMP '2024-06-01 13:00:00')");
        View due = bind(ordersView("due", t).filter("{last modified [auto]} <= now()").build());
        View ada = bind(ordersView("ada", t).filter("{customer} = 'Ada'").build());
        View grace = bind(ordersView("grace", t).filter("{customer} = 'Grace'").build());
        Snapshot noon = Snapshot.at(Instant.parse("2024-06-01T12:30:00Z"));
        Snapshot later = Snapshot.at(Instant.parse("2024-06-01T13:30:00Z"));
        Page first = new Page(Optional.empty(), 1);

        for (int i = 0; i < 3; i++) { // again and again: what is reused must stay right
            assertThat(read(due, noon, Page.ALL)).extracting(Row::key).containsExactly(BigDecimal.ONE);
            assertThat(read(due, later, Page.ALL)).extracting(Row::key).containsExactly(BigDecimal.ONE, BigDecimal.valueOf(2));
            assertThat(read(due, noon, first)).extracting(Row::key).containsExactly(BigDecimal.ONE);
            assertThat(read(ada, noon, first)).extracting(r -> r.get("customer")).containsExactly("Ada");
            assertThat(read(grace, later, Page.ALL)).extracting(r -> r.get("customer")).containsExactly("Grace");
        }
    }
}
