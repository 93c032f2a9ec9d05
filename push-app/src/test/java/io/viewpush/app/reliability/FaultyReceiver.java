package io.viewpush.app.reliability;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 receiver on 127.0.0.1 over raw sockets, so that it can fail the ways real
 * receivers fail: an error status, 429 with {@code Retry-After}, no answer at all (the client times
 * out), a connection reset in the middle of the upload, and a slow read (a throttled input stream).
 * A {@link Script} chooses what happens to each request.
 *
 * <p>Every request is logged, in memory and one line each in a file: the path, the
 * {@code webhook-id}, the status answered (or why none was), the keys of the rows it contained
 * (decoded from the {@code json} form parameter, streamed, so a million rows fit), the body's
 * SHA-256, and when it arrived and finished. The counts of every scenario come from this log.
 */
final class FaultyReceiver implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    /** What happens to one request. */
    enum Kind {
        /** answer {@link Action#status()} */
        ANSWER,
        /** read the whole body, never answer; wait until the client gives up */
        TIMEOUT,
        /** read part of the body, then reset the connection (RST) */
        RESET,
        /** read the whole body, then close without answering (the hooks decide when) */
        DROP
    }

    /**
     * The decision for one request.
     *
     * @param beforeAnswer runs after the body was read and before anything is answered
     * @param afterAnswer  runs after the answer was written and flushed
     */
    record Action(Kind kind, int status, int retryAfterSeconds, Runnable beforeAnswer, Runnable afterAnswer,
                  java.util.function.Function<long[], String> jsonBody) {
        Action(Kind kind, int status, int retryAfterSeconds, Runnable beforeAnswer, Runnable afterAnswer) {
            this(kind, status, retryAfterSeconds, beforeAnswer, afterAnswer, null);
        }

        /** Answers with a JSON body made from the keys of the request's rows (an answer row by row). */
        Action json(java.util.function.Function<long[], String> body) {
            return new Action(kind, status, retryAfterSeconds, beforeAnswer, afterAnswer, body);
        }

        static Action ok() {
            return answer(200);
        }

        static Action answer(int status) {
            return new Action(Kind.ANSWER, status, -1, null, null);
        }

        static Action tooMany(int retryAfterSeconds) {
            return new Action(Kind.ANSWER, 429, retryAfterSeconds, null, null);
        }

        static Action of(Kind kind) {
            return new Action(kind, 0, -1, null, null);
        }

        Action before(Runnable hook) {
            return new Action(kind, status, retryAfterSeconds, hook, afterAnswer, jsonBody);
        }

        Action after(Runnable hook) {
            return new Action(kind, status, retryAfterSeconds, beforeAnswer, hook, jsonBody);
        }
    }

    /** What the receiver knows of a request when it decides (headers read, body not yet). */
    record Incoming(long seq, String path, String webhookId, long contentLength) {
        /** @return the last path segment: the scenarios give each view (or process) its own path */
        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** Chooses the action for each request; called on the connection's thread. */
    @FunctionalInterface
    interface Script {
        Action decide(Incoming request);
    }

    /**
     * One request as logged.
     *
     * @param status  the status answered, or 0 when none was
     * @param outcome the status as text, or {@code timeout}, {@code reset}, {@code dropped}, {@code broken}
     * @param keys    the keys of the rows in the body ({@code null} when the body was not complete)
     */
    record Exchange(long seq, String path, String webhookId, Instant received, Instant finished, int status,
                    String outcome, long[] keys, String sha256, long bytes) {
        boolean delivered() {
            return status >= 200 && status < 300;
        }

        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "receiver-conn");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor;
    private final List<Exchange> log = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final BufferedWriter file;
    private final String keyField;
    private volatile Script script = r -> Action.ok();
    private volatile long bytesPerSecond;
    private volatile boolean closed;

    /**
     * @param logFile  where every request is logged, one line each
     * @param keyField the JSON field that holds a row's key
     */
    FaultyReceiver(Path logFile, String keyField) {
        this.keyField = keyField;
        try {
            Files.createDirectories(logFile.getParent());
            file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
            file.write("seq\treceived\tfinished\tpath\twebhook-id\toutcome\trows\tbytes\tsha256\tkeys\n");
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "receiver-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    FaultyReceiver script(Script value) {
        this.script = value;
        return this;
    }

    /** Reads request bodies at most this fast (0: as fast as they come). */
    FaultyReceiver throttle(long value) {
        this.bytesPerSecond = value;
        return this;
    }

    String url(String name) {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hook/" + name;
    }

    int port() {
        return server.getLocalPort();
    }

    List<Exchange> exchanges() {
        return List.copyOf(log);
    }

    /** @return the requests that arrived and are not finished */
    int inFlight() {
        return inFlight.get();
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.execute(() -> serve(s));
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(120_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            // one request per connection: every answer says Connection: close
            Map<String, String> headers = new LinkedHashMap<>();
            String requestLine = readHead(in, headers);
            if (requestLine == null) {
                return;
            }
            inFlight.incrementAndGet();
            try {
                exchange(socket, in, out, requestLine, headers);
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (IOException e) {
            // the client went away; a logged exchange already says so
        }
    }

    private void exchange(Socket socket, InputStream in, OutputStream out, String requestLine,
                          Map<String, String> headers) throws IOException {
        Instant received = Instant.now();
        String[] parts = requestLine.split(" ");
        String path = parts.length > 1 ? parts[1] : "/";
        long length = headers.containsKey("content-length") ? Long.parseLong(headers.get("content-length").trim()) : -1;
        Incoming incoming = new Incoming(seq.incrementAndGet(), path, headers.getOrDefault("webhook-id", ""), length);
        Action action = script.decide(incoming);
        MessageDigest sha = sha256();
        InputStream body = new BodyStream(in, length, headers.getOrDefault("transfer-encoding", ""), sha, bytesPerSecond);
        if (action.kind() == Kind.RESET) {
            long half = Math.max(1, length / 2);
            long read = skip(body, half);
            socket.setSoLinger(true, 0);
            socket.close();
            record(incoming, received, 0, "reset", null, null, read);
            return;
        }
        long[] keys;
        CountingStream counted = new CountingStream(body);
        try {
            keys = keys(counted);
            skip(counted, Long.MAX_VALUE);
        } catch (IOException e) {
            record(incoming, received, 0, "broken", null, null, counted.count);
            throw e;
        }
        String hash = HexFormat.of().formatHex(sha.digest());
        if (action.beforeAnswer() != null) {
            action.beforeAnswer().run();
        }
        switch (action.kind()) {
            case TIMEOUT -> {
                awaitClientClose(socket, in);
                record(incoming, received, 0, "timeout", keys, hash, counted.count);
            }
            case DROP -> record(incoming, received, 0, "dropped", keys, hash, counted.count);
            default -> {
                byte[] text = action.jsonBody() != null ? action.jsonBody().apply(keys).getBytes(StandardCharsets.UTF_8)
                        : (action.status() < 300 ? "thanks" : "not now").getBytes(StandardCharsets.US_ASCII);
                StringBuilder head = new StringBuilder("HTTP/1.1 ").append(action.status()).append(' ')
                        .append(reason(action.status())).append("\r\nContent-Type: ")
                        .append(action.jsonBody() != null ? "application/json" : "text/plain").append("\r\nContent-Length: ")
                        .append(text.length).append("\r\nConnection: close\r\n");
                if (action.retryAfterSeconds() >= 0) {
                    head.append("Retry-After: ").append(action.retryAfterSeconds()).append("\r\n");
                }
                head.append("\r\n");
                try {
                    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                    out.write(text);
                    out.flush();
                } catch (IOException e) {
                    record(incoming, received, 0, "unanswered", keys, hash, counted.count);
                    throw e;
                }
                record(incoming, received, action.status(), Integer.toString(action.status()), keys, hash, counted.count);
                if (action.afterAnswer() != null) {
                    action.afterAnswer().run();
                }
                socket.shutdownOutput();
                awaitClientClose(socket, in);
            }
        }
    }

    private static void awaitClientClose(Socket socket, InputStream in) {
        try {
            socket.setSoTimeout(600_000);
            while (in.read() >= 0) {
                // the client sends nothing more on a Connection: close exchange; wait for its FIN
            }
        } catch (IOException e) {
            // reset or closed: gone
        }
    }

    private void record(Incoming in, Instant received, int status, String outcome, long[] keys, String sha, long bytes) {
        Exchange x = new Exchange(in.seq(), in.path(), in.webhookId(), received, Instant.now(), status, outcome, keys,
                sha, bytes);
        log.add(x);
        synchronized (file) {
            try {
                StringBuilder line = new StringBuilder().append(x.seq()).append('\t').append(x.received()).append('\t')
                        .append(x.finished()).append('\t').append(x.path()).append('\t').append(x.webhookId())
                        .append('\t').append(outcome).append('\t').append(keys == null ? "-" : keys.length).append('\t')
                        .append(bytes).append('\t').append(sha == null ? "-" : sha).append('\t');
                if (keys == null) {
                    line.append('-');
                } else if (keys.length > 20) {
                    line.append(keys[0]).append("..").append(keys[keys.length - 1]).append(" (").append(keys.length)
                            .append(" keys)");
                } else {
                    for (int i = 0; i < keys.length; i++) {
                        line.append(i == 0 ? "" : ",").append(keys[i]);
                    }
                }
                file.write(line.append('\n').toString());
                file.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Decodes the body ({@code json=<url-encoded array>} or the array itself) and collects each row's key. */
    private long[] keys(InputStream body) throws IOException {
        InputStream json = new FormDecodingStream(body);
        LongList keys = new LongList();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("the body is not a JSON array");
            }
            int depth = 1;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                    if (depth == 0) {
                        break;
                    }
                } else if (t == JsonToken.FIELD_NAME && depth == 2 && keyField.equals(p.currentName())) {
                    p.nextToken();
                    keys.add(p.getValueAsLong());
                }
            }
        }
        return keys.toArray();
    }

    private static long skip(InputStream in, long max) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        while (total < max) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, max - total));
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static String readHead(InputStream in, Map<String, String> headers) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return requestLine;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c < 0 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        connections.shutdownNow();
        try {
            connections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (file) {
            try {
                file.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The request body: Content-Length or chunked, hashed as it is read, optionally throttled. */
    private static final class BodyStream extends InputStream {
        private final InputStream in;
        private final boolean chunked;
        private final MessageDigest sha;
        private final long rate;
        private final long started = System.nanoTime();
        private long remaining;
        private long total;
        private boolean done;

        BodyStream(InputStream in, long length, String transferEncoding, MessageDigest sha, long rate) {
            this.in = in;
            this.chunked = transferEncoding.toLowerCase(Locale.ROOT).contains("chunked");
            this.sha = sha;
            this.rate = rate;
            this.remaining = chunked ? 0 : Math.max(0, length);
            this.done = !chunked && length <= 0;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (remaining == 0) {
                if (!chunked) {
                    done = true;
                    return -1;
                }
                String size = readLine(in);
                if (size == null) {
                    throw new IOException("the chunked body ended early");
                }
                int semi = size.indexOf(';');
                remaining = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (remaining == 0) {
                    while (true) {
                        String trailer = readLine(in);
                        if (trailer == null || trailer.isEmpty()) {
                            break;
                        }
                    }
                    done = true;
                    return -1;
                }
            }
            int want = (int) Math.min(Math.min(len, remaining), rate > 0 ? 16384 : Integer.MAX_VALUE);
            int n = in.read(b, off, want);
            if (n < 0) {
                throw new IOException("the body ended after " + total + " bytes");
            }
            sha.update(b, off, n);
            remaining -= n;
            total += n;
            if (chunked && remaining == 0) {
                readLine(in);
            }
            if (rate > 0) {
                long due = started + total * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                }
            }
            return n;
        }
    }

    /** Counts bytes read. */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        long count;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                count++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Turns {@code json=<url-encoded>} into the JSON bytes as it streams; a body without {@code json=} passes as it is. */
    private static final class FormDecodingStream extends InputStream {
        private final InputStream in;
        private int state = -1; // -1: prefix not checked yet
        private final byte[] pending = new byte[5];
        private int pendingPos;
        private int pendingLen;

        FormDecodingStream(InputStream in) {
            this.in = new java.io.BufferedInputStream(in, 65536);
        }

        @Override
        public int read() throws IOException {
            if (state < 0) {
                int n = 0;
                while (n < 5) {
                    int c = in.read();
                    if (c < 0) {
                        break;
                    }
                    pending[n++] = (byte) c;
                }
                if (n == 5 && new String(pending, 0, 5, StandardCharsets.US_ASCII).equals("json=")) {
                    state = 1;
                    pendingLen = 0;
                } else {
                    state = 0;
                    pendingLen = n;
                }
            }
            if (pendingPos < pendingLen) {
                return pending[pendingPos++] & 0xff;
            }
            int c = in.read();
            if (state == 0 || c < 0) {
                return c;
            }
            if (c == '&') {
                return -1; // the next form parameter: the json value ended
            }
            if (c == '+') {
                return ' ';
            }
            if (c == '%') {
                int h = Character.digit(in.read(), 16);
                int l = Character.digit(in.read(), 16);
                if (h < 0 || l < 0) {
                    throw new IOException("bad percent-encoding in the form body");
                }
                return (h << 4) | l;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int i = 0;
            while (i < len) {
                int c = read();
                if (c < 0) {
                    return i == 0 ? -1 : i;
                }
                b[off + i++] = (byte) c;
                if (state == 1 && in.available() == 0) {
                    break;
                }
            }
            return i;
        }
    }

    /** A growable array of longs. */
    static final class LongList {
        private long[] values = new long[16];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    /** @return the exchanges whose path ends with {@code /name} */
    List<Exchange> exchanges(String name) {
        List<Exchange> out = new ArrayList<>();
        for (Exchange x : log) {
            if (x.name().equals(name)) {
                out.add(x);
            }
        }
        return out;
    }
}
