package io.viewpush.http.transport;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Percent-encodes the bytes written to it as {@code application/x-www-form-urlencoded} does
 * (the same bytes as {@link java.net.URLEncoder} with UTF-8): {@code A-Z a-z 0-9 * - . _} stay,
 * a space becomes {@code +}, every other byte becomes {@code %XX} (upper-case hex). Encodes
 * while streaming, through a small buffer; {@link #close()} flushes but does not close the
 * underlying stream.
 */
final class FormUrlEncodingOutputStream extends FilterOutputStream {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** For each byte, the one byte it is written as, or 0 when it is written as {@code %XX}. */
    private static final byte[] SINGLE = new byte[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            SINGLE[c] = (byte) c;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            SINGLE[c] = (byte) c;
        }
        for (int c = '0'; c <= '9'; c++) {
            SINGLE[c] = (byte) c;
        }
        SINGLE['*'] = '*';
        SINGLE['-'] = '-';
        SINGLE['.'] = '.';
        SINGLE['_'] = '_';
        SINGLE[' '] = '+';
    }

    private final byte[] buffer = new byte[3 * 16 * 1024];
    private int used;

    FormUrlEncodingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (used > buffer.length - 3) {
            drain();
        }
        encode(b & 0xff);
    }

    /** Encodes as many bytes at a time as surely fit the buffer (three bytes each at most), then drains it. */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        int end = off + len;
        byte[] buf = buffer;
        while (off < end) {
            int room = (buf.length - used) / 3;
            if (room == 0) {
                drain();
                continue;
            }
            int stop = Math.min(end, off + room);
            int u = used;
            for (int i = off; i < stop; i++) {
                int v = b[i] & 0xff;
                byte single = SINGLE[v];
                if (single != 0) {
                    buf[u++] = single;
                } else {
                    buf[u] = '%';
                    buf[u + 1] = HEX[v >>> 4];
                    buf[u + 2] = HEX[v & 0x0f];
                    u += 3;
                }
            }
            used = u;
            off = stop;
        }
    }

    private void encode(int v) {
        byte single = SINGLE[v];
        if (single != 0) {
            buffer[used++] = single;
        } else {
            buffer[used++] = '%';
            buffer[used++] = HEX[v >>> 4];
            buffer[used++] = HEX[v & 0x0f];
        }
    }

    private void drain() throws IOException {
        if (used > 0) {
            out.write(buffer, 0, used);
            used = 0;
        }
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
