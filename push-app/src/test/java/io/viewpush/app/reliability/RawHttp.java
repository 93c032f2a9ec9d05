package io.viewpush.app.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One HTTP/1.1 request over a raw socket, exactly as given, and its response read to the end. */
final class RawHttp {
    private RawHttp() {
    }

    /** A response: status, headers (lower-case names), the body with any chunked encoding removed. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Sends the request bytes and reads until the server closes; status -1 when no response came. */
    static Response send(int port, byte[] request, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            // write while reading, as a real client does: the answer may come before the body is all sent
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(request);
                    s.getOutputStream().flush();
                    s.shutdownOutput();
                } catch (IOException e) {
                    // the server stopped reading (it answered early and closed): its answer is what counts
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            byte[] all = readAll(s.getInputStream());
            try {
                writer.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return parse(all);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        try {
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the response (the server closed with unread input): keep what came
        }
        return out.toByteArray();
    }

    static Response parse(byte[] all) {
        int headEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headEnd < 0) {
            return new Response(-1, Map.of(), all);
        }
        String[] head = new String(all, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = head[0].split(" ", 3);
        int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -1;
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            if (colon > 0) {
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(all, headEnd + 4, all.length);
        if (String.valueOf(headers.get("transfer-encoding")).toLowerCase(Locale.ROOT).contains("chunked")) {
            body = dechunk(body);
        }
        return new Response(status, headers, body);
    }

    private static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < b.length) {
            int eol = indexOf(b, i, "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (eol < 0) {
                break;
            }
            String size = new String(b, i, eol - i, StandardCharsets.US_ASCII);
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
            if (n == 0) {
                break;
            }
            out.write(b, eol + 2, Math.min(n, b.length - eol - 2));
            i = eol + 2 + n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] a, byte[] what) {
        return indexOf(a, 0, what);
    }

    private static int indexOf(byte[] a, int from, byte[] what) {
        outer:
        for (int i = from; i <= a.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (a[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
