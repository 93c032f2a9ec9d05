package io.viewpush.http.transport;

import io.viewpush.PushException;
import io.viewpush.json.RowJsonWriter;
import io.viewpush.http.transport.HttpPushTarget.BodyFormat;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * One batch, encoded once while its idempotency key is computed; every attempt sends these same
 * bytes. A body up to {@link #MEMORY_LIMIT} bytes stays in memory (a small push needs no file to
 * create, write, read and delete); a larger one spills, as it is written, to a private temporary
 * file, so memory stays bounded however many rows are sent. {@link #close()} deletes the file.
 */
final class Spool implements AutoCloseable {
    static final String ID_PREFIX = "msg_";
    /** Bodies up to this many bytes are kept in memory; larger ones are written to a file. */
    static final int MEMORY_LIMIT = 256 * 1024;
    private static final byte[] FORM_PREFIX = "json=".getBytes(StandardCharsets.US_ASCII);

    /** The body in memory, or null when it is in {@link #file}. */
    private final byte[] memory;
    private final Path file;
    private final long rows;
    private final long bytes;
    private final String webhookId;

    private Spool(byte[] memory, Path file, long rows, long bytes, String webhookId) {
        this.memory = memory;
        this.file = file;
        this.rows = rows;
        this.bytes = bytes;
        this.webhookId = webhookId;
    }

    /**
     * Encodes the rows, in memory or, beyond {@link #MEMORY_LIMIT} bytes, into a new file in
     * {@code directory}. On any exception the file is deleted and the exception propagates
     * ({@link io.viewpush.json.RowEncodingException} and the row source's exceptions as they
     * are; an I/O failure of the spool as a {@link PushException}).
     */
    static Spool write(Path directory, View view, BodyFormat format, Iterator<Row> rows, RowJsonWriter json) {
        return write(directory, view, format, rows, json, MEMORY_LIMIT);
    }

    /** As {@link #write(Path, View, BodyFormat, Iterator, RowJsonWriter)}, keeping up to {@code memoryLimit} bytes in memory. */
    static Spool write(Path directory, View view, BodyFormat format, Iterator<Row> rows, RowJsonWriter json,
                       int memoryLimit) {
        SpillingOutputStream out = new SpillingOutputStream(directory, memoryLimit);
        boolean done = false;
        try {
            MessageDigest sha = sha256();
            byte[] name = view.name().getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4).putInt(name.length).array());
            sha.update(name);
            long count;
            try (OutputStream hashed = new DigestOutputStream(out, sha)) {
                if (format == BodyFormat.FORM) {
                    hashed.write(FORM_PREFIX);
                    try (OutputStream encoded = new FormUrlEncodingOutputStream(hashed)) {
                        count = json.writeArray(view, rows, encoded);
                    }
                } else {
                    count = json.writeArray(view, rows, hashed);
                }
            }
            Spool spool = new Spool(out.memory(), out.file(), count, out.size(),
                    ID_PREFIX + HexFormat.of().formatHex(sha.digest()));
            done = true;
            return spool;
        } catch (IOException e) {
            throw new PushException("cannot write the batch of view '" + view.name() + "' to the spool file in "
                    + directory + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                out.discard();
            }
        }
    }

    /** Cloned for each body: looking the algorithm up through the providers cost more than hashing a small body. */
    private static final MessageDigest SHA256 = newSha256();

    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** @return whether the body is kept in memory (no file) */
    boolean inMemory() {
        return memory != null;
    }

    /** @return the body as a repeatable entity: each attempt sends the same bytes */
    HttpEntity entity(ContentType type) {
        return memory != null ? new ByteArrayEntity(memory, type) : new DefaultHttpPushTransport.SpoolEntity(file.toFile(), type);
    }

    /** @return a new stream of the body's bytes, from the first */
    InputStream open() throws IOException {
        return memory != null ? new ByteArrayInputStream(memory) : Files.newInputStream(file);
    }

    /** @return where the body is, for messages */
    String where() {
        return memory != null ? "memory" : file.toString();
    }

    long rows() {
        return rows;
    }

    long bytes() {
        return bytes;
    }

    String webhookId() {
        return webhookId;
    }

    @Override
    public void close() {
        if (file != null) {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Spool.class).warn("cannot delete spool file {}: {}", file, e.toString());
        }
    }

    /**
     * Keeps what is written in memory up to a limit; the write that would pass it creates the
     * temporary file, moves what was kept there, and every later write goes to the file.
     */
    private static final class SpillingOutputStream extends OutputStream {
        private final Path directory;
        private final int limit;
        private ByteArrayOutputStream kept = new ByteArrayOutputStream(8192);
        private Path file;
        private OutputStream fileOut;
        private long size;

        SpillingOutputStream(Path directory, int limit) {
            this.directory = directory;
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (fileOut == null && size + len > limit) {
                spill();
            }
            if (fileOut != null) {
                fileOut.write(b, off, len);
            } else {
                kept.write(b, off, len);
            }
            size += len;
        }

        private void spill() throws IOException {
            try {
                file = Files.createTempFile(directory, "viewpush-", ".body");
            } catch (IOException e) {
                throw new IOException("cannot create a spool file in " + directory + ": " + e.getMessage(), e);
            }
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            kept.writeTo(fileOut);
            kept = null;
        }

        @Override
        public void flush() throws IOException {
            if (fileOut != null) {
                fileOut.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (fileOut != null) {
                fileOut.close();
            }
        }

        long size() {
            return size;
        }

        byte[] memory() {
            return kept == null ? null : kept.toByteArray();
        }

        Path file() {
            return file;
        }

        /** After a failure: closes and deletes the file, if any. */
        void discard() {
            kept = null;
            if (fileOut != null) {
                try {
                    fileOut.close();
                } catch (IOException e) {
                    // deleted below all the same
                }
            }
            if (file != null) {
                deleteQuietly(file);
            }
        }
    }
}
