package io.viewpush.http.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpServer;
import io.viewpush.json.RowJsonWriter;
import io.viewpush.push.Delivery;
import io.viewpush.http.transport.HttpPushTarget.BodyFormat;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million-row batch through the transport in a JVM with a 64 MiB heap (the surefire execution
 * "small-heap" runs this class alone with -Xmx64m): the batch is far larger than the heap, so the
 * send only passes if nothing holds the batch in memory. Prints the timings for the report.
 */
class MillionRowsHeapTest {
    private static final int ROWS = 1_000_000;

    @TempDir
    Path spool;

    /** A lazily generated batch: no row exists before it is pulled. */
    private static Iterator<Row> rows(View view) {
        return new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < ROWS;
            }

            @Override
            public Row next() {
                i++;
                return TestViews.row(view, i, "customer " + i + " & co \"ltd\" é", i + ".25", i % 2 == 0,
                        LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(i),
                        OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusSeconds(i), LocalDate.of(2024, 1, 31));
            }
        };
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sendsAMillionRowsInASmallHeapToAReceiverThatDiscardsThem() throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertThat(maxHeap).as("run with -Xmx64m (surefire execution small-heap)").isLessThan(100L * 1024 * 1024);

        AtomicLong received = new AtomicLong();
        AtomicLong objects = new AtomicLong();
        AtomicReference<String> receivedId = new AtomicReference<>();
        AtomicReference<String> headerId = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/hook", exchange -> {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] name = TestViews.VIEW.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(name.length).array());
                sha.update(name);
                try (InputStream raw = new DigestInputStream(exchange.getRequestBody(), sha)) {
                    CountingInput counted = new CountingInput(raw, received);
                    byte[] prefix = counted.readNBytes(5);
                    assertThat(new String(prefix, StandardCharsets.US_ASCII)).isEqualTo("json=");
                    try (JsonParser p = new JsonFactory().createParser(new FormDecodingStream(counted))) {
                        int depth = 0;
                        JsonToken t;
                        while ((t = p.nextToken()) != null) {
                            if (t == JsonToken.START_OBJECT && depth == 1) {
                                objects.incrementAndGet();
                            }
                            if (t.isStructStart()) {
                                depth++;
                            } else if (t.isStructEnd()) {
                                depth--;
                            }
                        }
                    }
                    counted.transferTo(OutputStream.nullOutputStream());
                }
                receivedId.set("msg_" + HexFormat.of().formatHex(sha.digest()));
                headerId.set(exchange.getRequestHeaders().getFirst("webhook-id"));
                exchange.sendResponseHeaders(204, -1);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        try (HttpPushTransport transport = HttpPushTransport.builder().spoolDirectory(spool).build()) {
            View view = TestViews.view(java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                    p -> p.retry(RetrySettings.NONE).timeout(Duration.ofSeconds(90)));

            // With -Dviewpush.measure=true, first time (after a warm-up pass) the encoding alone (into
            // nothing) and the encoding into the spool file (hash + file write): what spooling costs.
            boolean measure = Boolean.getBoolean("viewpush.measure");
            long encodeOnly = -1;
            long spoolWrite = -1;
            long bodyBytes = -1;
            if (measure) {
                try (OutputStream warmUp = new FormUrlEncodingOutputStream(OutputStream.nullOutputStream())) {
                    RowJsonWriter.create().writeArray(view, rows(view), warmUp);
                }
                long t0 = System.nanoTime();
                CountingOutput nowhere = new CountingOutput(OutputStream.nullOutputStream());
                try (OutputStream encoded = new FormUrlEncodingOutputStream(nowhere)) {
                    RowJsonWriter.create().writeArray(view, rows(view), encoded);
                }
                encodeOnly = System.nanoTime() - t0;
                bodyBytes = nowhere.count + "json=".length();
                long t1 = System.nanoTime();
                try (Spool s = Spool.write(spool, view, BodyFormat.FORM, rows(view), RowJsonWriter.create())) {
                    assertThat(s.bytes()).isEqualTo(bodyBytes);
                }
                spoolWrite = System.nanoTime() - t1;
            }

            // The whole send: spool, then POST the file to a receiver that parses and discards it.
            long t2 = System.nanoTime();
            Delivery d = transport.send(view, TestViews.target(view), rows(view));
            long send = System.nanoTime() - t2;

            assertThat(d.delivered()).as(d.reason()).isTrue();
            assertThat(d.rows()).isEqualTo(ROWS);
            assertThat(objects.get()).isEqualTo(ROWS);
            assertThat(received.get()).isEqualTo(d.bytes()).isGreaterThan(3 * maxHeap);
            if (measure) {
                assertThat(d.bytes()).isEqualTo(bodyBytes);
            }
            assertThat(headerId.get()).isEqualTo(d.webhookId()).isEqualTo(receivedId.get());
            try (Stream<Path> left = Files.list(spool)) {
                assertThat(left).isEmpty();
            }

            long peakHeap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                    peakHeap += pool.getPeakUsage().getUsed();
                }
            }
            StringBuilder report = new StringBuilder(String.format("MillionRowsHeapTest: %,d rows, %,d body bytes (%.0f MiB),"
                            + " max heap %d MiB, peak heap used (sum of pool peaks) %d MiB%n"
                            + "  whole send (encode + hash + spool file, POST of the file, receiver decodes and parses): %d ms%n",
                    ROWS, d.bytes(), d.bytes() / 1048576.0, maxHeap / 1048576, peakHeap / 1048576, send / 1_000_000));
            if (measure) {
                report.append(String.format("  encode only (into nothing): %d ms%n"
                                + "  encode + hash + write the spool file: %d ms (spooling costs %+d ms, %+.0f%%)%n",
                        encodeOnly / 1_000_000, spoolWrite / 1_000_000, (spoolWrite - encodeOnly) / 1_000_000,
                        100.0 * (spoolWrite - encodeOnly) / encodeOnly));
            }
            System.out.print(report);
            Files.writeString(Path.of("target", "million-rows-report.txt"), report);
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private final AtomicLong counter;

        CountingInput(InputStream in, AtomicLong counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counter.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                counter.addAndGet(n);
            }
            return n;
        }
    }

    /** Counts the bytes written through it. */
    private static final class CountingOutput extends java.io.FilterOutputStream {
        long count;

        CountingOutput(OutputStream out) {
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
    }

    /** An independent application/x-www-form-urlencoded decoder, streaming. */
    private static final class FormDecodingStream extends InputStream {
        private final InputStream in;

        FormDecodingStream(InputStream in) {
            this.in = new java.io.BufferedInputStream(in, 64 * 1024);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b == '+') {
                return ' ';
            }
            if (b == '%') {
                return (Character.digit(in.read(), 16) << 4) | Character.digit(in.read(), 16);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    return n == 0 ? -1 : n;
                }
                b[off + n++] = (byte) c;
            }
            return n;
        }
    }
}
