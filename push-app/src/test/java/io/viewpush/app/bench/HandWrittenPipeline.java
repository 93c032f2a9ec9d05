package io.viewpush.app.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import org.postgresql.PGConnection;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;

/**
 * The yardstick: what a careful engineer writes by hand for this one view, with the same
 * guarantees ViewPush gives (only delivered rows are stamped, and only if they did not change
 * since they were read; stamping strictly after the receiver's success):
 * pgjdbc cursor → Jackson streaming → URL-encoding stream → chunked POST → stamping
 * {@code UPDATE ... FROM unnest(ids, modified)} in chunks, in one transaction per request.
 * Keys and modified times are kept in primitive arrays (16 bytes a row). No lease, no journal,
 * no idempotency key, no retry: those are ViewPush's extras.
 */
final class HandWrittenPipeline {
    /** Rows stamped per UPDATE statement. */
    static final int STAMP_CHUNK = 10_000;
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private static final DateTimeFormatter TS = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final OffsetDateTime EPOCH = OffsetDateTime.parse("1970-01-01T00:00:00Z");

    private final Connection read;
    private final Connection stamp;
    private final URL url;
    private final String select;
    private final String update;
    /** With {@link #guarded}: the lease's and the journal's connection (autocommit), else null. */
    private Connection guard;
    private String guardView;
    private String guardOwner;
    private long fence;
    /** The table of scenario (6): a uuid key and a jsonb document instead of the order's columns. */
    private final boolean uuidKeys;
    /** The orders of scenario (8): the customer's and shop's names and the sum of the order's lines. */
    private final boolean lookups;

    /**
     * How the hand-written read of scenario (8) sums an order's lines: {@code JOIN} LEFT JOINs the
     * lines grouped by order (one pass over all lines, hash-joined), {@code SUBQUERY} sums each
     * order's lines in a correlated subquery (an index range per order, as ViewPush does).
     */
    enum Summary { JOIN, SUBQUERY }

    /** What one push did; {@code stampNanos}: the time spent stamping (the rest read, encoded and sent). */
    record Outcome(long rows, long bytes, int requests, long stampNanos) {
    }

    /**
     * @param read  a connection for the cursor (autocommit is turned off: pgjdbc streams only in a transaction)
     * @param stamp a second connection for the stamping updates (they commit while the cursor is open)
     */
    HandWrittenPipeline(Connection read, Connection stamp, String receiverUrl, String table) {
        this(read, stamp, receiverUrl, table, false);
    }

    /**
     * @param uuidKeys true for the table of scenario (6) ({@link BenchDatabase#documents}): keys are
     *                 uuids (kept as their text, stamped through a uuid array), and the row carries
     *                 the jsonb document as its JSON value
     */
    HandWrittenPipeline(Connection read, Connection stamp, String receiverUrl, String table, boolean uuidKeys) {
        this(read, stamp, receiverUrl, table, uuidKeys, null, null);
    }

    /**
     * The pipeline of scenario (8) ({@link BenchDatabase#lookupOrders}): the order's own fields, its
     * customer's and shop's names (LEFT JOINs: a missing customer gives null) and the sum of its
     * lines in {@code lines} (null when it has none), read as {@code summary} says.
     */
    static HandWrittenPipeline lookups(Connection read, Connection stamp, String receiverUrl, String table, String lines,
                                       Summary summary) {
        return new HandWrittenPipeline(read, stamp, receiverUrl, table, false, lines, summary);
    }

    private HandWrittenPipeline(Connection read, Connection stamp, String receiverUrl, String table, boolean uuidKeys,
                                String lines, Summary summary) {
        this.uuidKeys = uuidKeys;
        this.lookups = lines != null;
        this.read = read;
        this.stamp = stamp;
        try {
            this.url = new URL(receiverUrl);
            read.setAutoCommit(false);
            stamp.setAutoCommit(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        String needsPushing = " WHERE o.last_pushed IS NULL OR o.last_pushed < o.last_modified";
        String related = " o LEFT JOIN " + BenchDatabase.CUSTOMERS + " c ON c.id = o.customer_id LEFT JOIN "
                + BenchDatabase.SHOPS + " s ON s.id = o.shop_id";
        this.select = lines != null && summary == Summary.JOIN
                ? "SELECT o.id, c.name, s.name, o.amount, o.created_at, l.total, o.last_modified, o.last_pushed FROM "
                + table + related + " LEFT JOIN (SELECT order_id, sum(amount) AS total FROM " + lines
                + " GROUP BY order_id) l ON l.order_id = o.id" + needsPushing
                : lines != null
                ? "SELECT o.id, c.name, s.name, o.amount, o.created_at, (SELECT sum(l.amount) FROM " + lines
                + " l WHERE l.order_id = o.id), o.last_modified, o.last_pushed FROM " + table + related + needsPushing
                : uuidKeys
                ? "SELECT id, shop, doc::text, last_modified, last_pushed FROM " + table
                + " WHERE last_pushed IS NULL OR last_pushed < last_modified"
                : "SELECT id, shop, customer, amount, created_at, last_modified, last_pushed FROM " + table
                + " WHERE last_pushed IS NULL OR last_pushed < last_modified";
        this.update = "UPDATE " + table + " o SET last_pushed = ? FROM unnest(?::" + (uuidKeys ? "uuid[]" : "int8[]")
                + ", ?::int8[]) AS s(id, m) WHERE o.id = s.id"
                + " AND o.last_modified = timestamptz 'epoch' + s.m * interval '1 microsecond'";
    }

    /**
     * Sends every row that needs pushing, {@code maxRows} per request (0: all in one), stamping the
     * rows of each request after its success.
     */
    Outcome push(int maxRows) throws SQLException, IOException {
        Timestamp stampValue;
        if (guard != null) {
            stampValue = acquireLease();
        } else {
            try (PreparedStatement now = read.prepareStatement("SELECT now()"); ResultSet r = now.executeQuery()) {
                r.next();
                stampValue = r.getTimestamp(1);
            }
        }
        try {
            return pushRows(maxRows, stampValue);
        } finally {
            if (guard != null) {
                releaseLeaseAndRecord();
            }
        }
    }

    /**
     * Scenario (3)'s third pipeline: this one with a lease and a journal as ViewPush keeps them, each
     * the statement ViewPush's takes its shape from (tables of the bench's own, {@link
     * BenchDatabase#guardTables}): before the push, the lease taken in one autocommitted statement that
     * also reads the stamp's time; the stamping update joined with the lease row locked {@code FOR KEY
     * SHARE} and found held and unexpired; after it, the lease released and the attempt and the view's
     * history written in one statement.
     *
     * @param guard a third connection (autocommit)
     */
    HandWrittenPipeline guarded(Connection guard, String view, String owner) {
        this.guard = guard;
        this.guardView = view;
        this.guardOwner = owner;
        return this;
    }

    private Timestamp acquireLease() throws SQLException {
        try (PreparedStatement ps = guard.prepareStatement("WITH acquired AS (UPDATE " + BenchDatabase.GUARD_LEASE
                + " SET owner = ?, fence = fence + 1, expires_at = clock_timestamp() + interval '1 minute'"
                + " WHERE view_name = ? AND (owner IS NULL OR owner = ? OR expires_at < clock_timestamp())"
                + " RETURNING fence) SELECT now(), (SELECT fence FROM acquired)")) {
            ps.setString(1, guardOwner);
            ps.setString(2, guardView);
            ps.setString(3, guardOwner);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                fence = r.getLong(2);
                if (r.wasNull()) {
                    throw new IllegalStateException("the bench's lease of '" + guardView + "' is held by another");
                }
                return r.getTimestamp(1);
            }
        }
    }

    private void releaseLeaseAndRecord() throws SQLException {
        try (PreparedStatement ps = guard.prepareStatement("WITH released AS (UPDATE " + BenchDatabase.GUARD_LEASE
                + " SET owner = NULL, expires_at = clock_timestamp() WHERE view_name = ? AND owner = ? AND fence = ?),"
                + " history AS (INSERT INTO " + BenchDatabase.GUARD_HISTORY + " (view_name, last_success, attempts)"
                + " VALUES (?, clock_timestamp(), 1) ON CONFLICT (view_name) DO UPDATE SET last_success ="
                + " excluded.last_success, attempts = " + BenchDatabase.GUARD_HISTORY + ".attempts + 1)"
                + " INSERT INTO " + BenchDatabase.GUARD_ATTEMPT + " (view_name, fence, finished, status)"
                + " VALUES (?, ?, clock_timestamp(), 'success')")) {
            ps.setString(1, guardView);
            ps.setString(2, guardOwner);
            ps.setLong(3, fence);
            ps.setString(4, guardView);
            ps.setString(5, guardView);
            ps.setLong(6, fence);
            ps.executeUpdate();
        }
    }

    private Outcome pushRows(int maxRows, Timestamp stampValue) throws SQLException, IOException {
        long rows = 0;
        long bytes = 0;
        int requests = 0;
        long stampNanos = 0;
        try (PreparedStatement ps = read.prepareStatement(select)) {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                Keys keys = new Keys();
                boolean more = rs.next();
                while (more) {
                    keys.clear();
                    HttpURLConnection http = (HttpURLConnection) url.openConnection();
                    http.setRequestMethod("POST");
                    http.setDoOutput(true);
                    http.setChunkedStreamingMode(64 * 1024);
                    http.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
                    CountingStream counted;
                    try (OutputStream body = http.getOutputStream()) {
                        counted = new CountingStream(body);
                        counted.write(new byte[]{'j', 's', 'o', 'n', '='});
                        try (FormEncoder form = new FormEncoder(counted);
                             JsonGenerator g = JSON.createGenerator(form, JsonEncoding.UTF8)) {
                            g.writeStartArray();
                            int inBatch = 0;
                            while (more && (maxRows == 0 || inBatch < maxRows)) {
                                if (lookups) {
                                    writeLookupRow(g, rs, keys);
                                } else if (uuidKeys) {
                                    writeDocumentRow(g, rs, keys);
                                } else {
                                    writeRow(g, rs, keys);
                                }
                                inBatch++;
                                more = rs.next();
                            }
                            g.writeEndArray();
                        }
                    }
                    int status = http.getResponseCode();
                    try (InputStream answer = status < 400 ? http.getInputStream() : http.getErrorStream()) {
                        if (answer != null) {
                            answer.readAllBytes();
                        }
                    }
                    if (status < 200 || status > 299) {
                        throw new IOException("the receiver answered " + status + "; nothing of this request is stamped");
                    }
                    requests++;
                    rows += keys.size;
                    bytes += counted.count;
                    long stampStart = System.nanoTime();
                    stamp(keys, stampValue);
                    stampNanos += System.nanoTime() - stampStart;
                }
            }
        } finally {
            read.commit();
        }
        return new Outcome(rows, bytes, requests, stampNanos);
    }

    private static void writeRow(JsonGenerator g, ResultSet rs, Keys keys) throws SQLException, IOException {
        long id = rs.getLong(1);
        OffsetDateTime modified = rs.getObject(6, OffsetDateTime.class);
        OffsetDateTime pushed = rs.getObject(7, OffsetDateTime.class);
        g.writeStartObject();
        g.writeFieldName("id");
        g.writeNumber(id);
        g.writeFieldName("shop");
        g.writeNumber(rs.getInt(2));
        g.writeFieldName("customer");
        g.writeString(rs.getString(3));
        g.writeFieldName("amount");
        BigDecimal amount = rs.getBigDecimal(4);
        g.writeNumber(amount);
        g.writeFieldName("created");
        g.writeString(TS.format(rs.getObject(5, OffsetDateTime.class)));
        writeStamps(g, modified, pushed);
        keys.add(id, ChronoUnit.MICROS.between(EPOCH, modified));
    }

    /** A row of scenario (8): the order's fields, the two names looked up and the sum of its lines. */
    private static void writeLookupRow(JsonGenerator g, ResultSet rs, Keys keys) throws SQLException, IOException {
        long id = rs.getLong(1);
        OffsetDateTime modified = rs.getObject(7, OffsetDateTime.class);
        OffsetDateTime pushed = rs.getObject(8, OffsetDateTime.class);
        g.writeStartObject();
        g.writeFieldName("id");
        g.writeNumber(id);
        g.writeFieldName("customer");
        g.writeString(rs.getString(2)); // null: no customer
        g.writeFieldName("shop");
        g.writeString(rs.getString(3));
        g.writeFieldName("amount");
        g.writeNumber(rs.getBigDecimal(4));
        g.writeFieldName("created");
        g.writeString(TS.format(rs.getObject(5, OffsetDateTime.class)));
        g.writeFieldName("lines total");
        BigDecimal total = rs.getBigDecimal(6);
        if (total == null) {
            g.writeNull();
        } else {
            g.writeNumber(total);
        }
        writeStamps(g, modified, pushed);
        keys.add(id, ChronoUnit.MICROS.between(EPOCH, modified));
    }

    /** A row of scenario (6): its uuid key, the jsonb document written as the JSON it is. */
    private static void writeDocumentRow(JsonGenerator g, ResultSet rs, Keys keys) throws SQLException, IOException {
        UUID id = rs.getObject(1, UUID.class);
        OffsetDateTime modified = rs.getObject(4, OffsetDateTime.class);
        OffsetDateTime pushed = rs.getObject(5, OffsetDateTime.class);
        g.writeStartObject();
        g.writeFieldName("id");
        g.writeString(id.toString());
        g.writeFieldName("shop");
        g.writeNumber(rs.getInt(2));
        g.writeFieldName("doc");
        g.writeRawValue(rs.getString(3));
        writeStamps(g, modified, pushed);
        keys.add(id, ChronoUnit.MICROS.between(EPOCH, modified));
    }

    /**
     * The end of every scenario's row: its modified and pushed times and the filter's answer (it
     * selected the row).
     */
    private static void writeStamps(JsonGenerator g, OffsetDateTime modified, OffsetDateTime pushed)
            throws IOException {
        g.writeFieldName("last modified [auto]");
        g.writeString(TS.format(modified));
        g.writeFieldName("last pushed");
        if (pushed == null) {
            g.writeNull();
        } else {
            g.writeString(TS.format(pushed));
        }
        g.writeFieldName("needs pushing");
        g.writeBoolean(true); // the filter selected it
        g.writeEndObject();
    }

    /** Stamps the rows of one delivered request: chunked UPDATEs, one commit. */
    private void stamp(Keys keys, Timestamp value) throws SQLException {
        PGConnection pg = stamp.unwrap(PGConnection.class);
        // guarded: the lease row locked FOR KEY SHARE and found held and unexpired, joined to the update
        String sql = guard == null ? update : "WITH held AS MATERIALIZED (SELECT 1 FROM " + BenchDatabase.GUARD_LEASE
                + " WHERE view_name = ? AND owner = ? AND fence = ? AND expires_at > clock_timestamp() FOR KEY SHARE) "
                + update.replace(" AS s(id, m) WHERE", " AS s(id, m), held WHERE");
        int p = guard == null ? 0 : 3;
        try (PreparedStatement ps = stamp.prepareStatement(sql)) {
            for (int from = 0; from < keys.size; from += STAMP_CHUNK) {
                int to = Math.min(keys.size, from + STAMP_CHUNK);
                if (guard != null) {
                    ps.setString(1, guardView);
                    ps.setString(2, guardOwner);
                    ps.setLong(3, fence);
                }
                ps.setTimestamp(p + 1, value);
                ps.setArray(p + 2, uuidKeys ? pg.createArrayOf("uuid", keys.uuids(from, to))
                        : pg.createArrayOf("int8", Arrays.copyOfRange(keys.ids, from, to)));
                ps.setArray(p + 3, pg.createArrayOf("int8", Arrays.copyOfRange(keys.modified, from, to)));
                ps.executeUpdate();
            }
            stamp.commit();
        } catch (SQLException e) {
            stamp.rollback();
            throw e;
        }
    }

    /** The keys and modified times (epoch microseconds) of the rows of one request. */
    private static final class Keys {
        long[] ids = new long[1024];
        long[] lows = new long[0];
        long[] modified = new long[1024];
        int size;

        void add(long id, long micros) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                modified = Arrays.copyOf(modified, size * 2);
            }
            ids[size] = id;
            modified[size] = micros;
            size++;
        }

        /** A uuid key as its two halves: 16 bytes a row, like the bigint keys and their modified times. */
        void add(UUID id, long micros) {
            if (size == lows.length) {
                lows = Arrays.copyOf(lows, Math.max(1024, size * 2));
            }
            lows[size] = id.getLeastSignificantBits();
            add(id.getMostSignificantBits(), micros);
        }

        UUID[] uuids(int from, int to) {
            UUID[] out = new UUID[to - from];
            for (int i = from; i < to; i++) {
                out[i - from] = new UUID(ids[i], lows[i]);
            }
            return out;
        }

        void clear() {
            size = 0;
        }
    }

    /** Counts the bytes of the body. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** application/x-www-form-urlencoded, byte by byte through a table, into a buffer. */
    private static final class FormEncoder extends OutputStream {
        private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
        private static final boolean[] SAFE = new boolean[256];

        static {
            for (int c = 0; c < 256; c++) {
                SAFE[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '*' || c == '-' || c == '.' || c == '_';
            }
        }

        private final OutputStream out;
        private final byte[] buffer = new byte[3 * 16 * 1024];
        private int used;

        FormEncoder(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (used > buffer.length - 3) {
                drain();
            }
            put(b & 0xff);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off, end = off + len; i < end; i++) {
                if (used > buffer.length - 3) {
                    drain();
                }
                put(b[i] & 0xff);
            }
        }

        private void put(int v) {
            if (SAFE[v]) {
                buffer[used++] = (byte) v;
            } else if (v == ' ') {
                buffer[used++] = '+';
            } else {
                buffer[used++] = '%';
                buffer[used++] = HEX[v >>> 4];
                buffer[used++] = HEX[v & 15];
            }
        }

        private void drain() throws IOException {
            out.write(buffer, 0, used);
            used = 0;
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
