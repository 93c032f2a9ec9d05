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
    private static final boolean[] KEEP = new boolean[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            KEEP[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            KEEP[c] = true;
        }
        for (int c = '0'; c <= '9'; c++) {
            KEEP[c] = true;
        }
        KEEP['*'] = true;
        KEEP['-'] = true;
        KEEP['.'] = true;
        KEEP['_'] = true;
    }

    private final byte[] buffer = new byte[3 * 8192];
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

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        for (int i = off; i < off + len; i++) {
            if (used > buffer.length - 3) {
                drain();
            }
            encode(b[i] & 0xff);
        }
    }

    private void encode(int v) {
        if (KEEP[v]) {
            buffer[used++] = (byte) v;
        } else if (v == ' ') {
            buffer[used++] = '+';
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
