package io.viewpush.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiver of every scenario: a minimal HTTP/1.1 server on 127.0.0.1 (keep-alive, fixed-length
 * and chunked bodies) that reads each body to its end, throws it away and answers {@code 200}.
 * It costs as little as a receiver can, so the pipelines' own costs show. With {@link #track} it
 * also decodes small bodies and notes when each row id first arrived (the latency scenario).
 */
final class DiscardingReceiver implements AutoCloseable {
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-receiver");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final Map<Long, Long> firstArrival = new ConcurrentHashMap<>();
    private volatile boolean tracking;
    private volatile boolean closed;

    DiscardingReceiver() {
        try {
            server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "bench-receiver-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
    }

    /** Starts (or stops) noting the arrival time ({@link System#nanoTime()}) of each row id. */
    void track(boolean on) {
        tracking = on;
    }

    /** @return when each id first arrived, as {@link System#nanoTime()} */
    Map<Long, Long> arrivals() {
        return Map.copyOf(firstArrival);
    }

    long requests() {
        return requests.get();
    }

    long bytes() {
        return bodyBytes.get();
    }

    void reset() {
        requests.set(0);
        bodyBytes.set(0);
        firstArrival.clear();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                connections.execute(() -> serve(s));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("receiver: accept failed: " + e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
             OutputStream out = socket.getOutputStream()) {
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                long length = -1;
                boolean chunked = false;
                boolean close = false;
                String header;
                while ((header = line(in)) != null && !header.isEmpty()) {
                    int colon = header.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = header.substring(colon + 1).trim();
                    if (name.equals("content-length")) {
                        length = Long.parseLong(value);
                    } else if (name.equals("transfer-encoding")) {
                        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    } else if (name.equals("connection")) {
                        close = value.equalsIgnoreCase("close");
                    }
                }
                ByteArrayOutputStream kept = tracking ? new ByteArrayOutputStream() : null;
                long n = chunked ? readChunked(in, kept) : read(in, Math.max(length, 0), kept);
                long arrived = System.nanoTime();
                bodyBytes.addAndGet(n);
                requests.incrementAndGet();
                if (kept != null) {
                    note(kept.toByteArray(), arrived);
                }
                out.write(OK);
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (SocketException e) {
            // the client closed the connection
        } catch (IOException e) {
            if (!closed) {
                System.err.println("receiver: " + e);
            }
        }
    }

    private void note(byte[] body, long arrived) {
        String text = new String(body, StandardCharsets.UTF_8);
        String json = text.startsWith("json=") ? URLDecoder.decode(text.substring(5), StandardCharsets.UTF_8) : text;
        try {
            for (JsonNode row : JSON.readTree(json)) {
                firstArrival.putIfAbsent(row.get("id").asLong(), arrived);
            }
        } catch (IOException e) {
            System.err.println("receiver: cannot read a tracked body: " + e);
        }
    }

    private static long read(InputStream in, long length, ByteArrayOutputStream kept) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (r < 0) {
                throw new IOException("body ended after " + (length - left) + " of " + length + " bytes");
            }
            if (kept != null) {
                kept.write(buffer, 0, r);
            }
            left -= r;
        }
        return length;
    }

    private static long readChunked(InputStream in, ByteArrayOutputStream kept) throws IOException {
        long total = 0;
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new IOException("chunked body ended early");
            }
            int semicolon = size.indexOf(';');
            long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                String trailer;
                while ((trailer = line(in)) != null && !trailer.isEmpty()) {
                    // trailers are ignored
                }
                return total;
            }
            total += read(in, n, kept);
            line(in);
        }
    }

    /** @return one CRLF-terminated line without its terminator, or null at the end of the stream */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            System.err.println("receiver: close failed: " + e);
        }
        connections.shutdownNow();
    }
}
