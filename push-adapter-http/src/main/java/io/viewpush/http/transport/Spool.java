package io.viewpush.http.transport;

import io.viewpush.PushException;
import io.viewpush.http.json.RowJsonWriter;
import io.viewpush.push.PushPolicy.BodyFormat;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import java.io.BufferedOutputStream;
import java.io.IOException;
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
 * One batch, encoded once into a private temporary file while its idempotency key is computed;
 * every attempt sends this file. {@link #close()} deletes it.
 */
final class Spool implements AutoCloseable {
    static final String ID_PREFIX = "msg_";
    private static final byte[] FORM_PREFIX = "json=".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final long rows;
    private final long bytes;
    private final String webhookId;

    private Spool(Path file, long rows, long bytes, String webhookId) {
        this.file = file;
        this.rows = rows;
        this.bytes = bytes;
        this.webhookId = webhookId;
    }

    /**
     * Encodes the rows into a new file in {@code directory}. On any exception the file is deleted
     * and the exception propagates ({@link io.viewpush.http.json.RowEncodingException} and the row
     * source's exceptions as they are; an I/O failure of the spool as a {@link PushException}).
     */
    static Spool write(Path directory, View view, BodyFormat format, Iterator<Row> rows, RowJsonWriter json) {
        Path file;
        try {
            file = Files.createTempFile(directory, "viewpush-", ".body");
        } catch (IOException e) {
            throw new PushException("cannot create a spool file for view '" + view.name() + "' in " + directory
                    + ": " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            MessageDigest sha = sha256();
            byte[] name = view.name().getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4).putInt(name.length).array());
            sha.update(name);
            long count;
            try (OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
                 OutputStream hashed = new DigestOutputStream(fileOut, sha)) {
                if (format == BodyFormat.FORM) {
                    hashed.write(FORM_PREFIX);
                    try (OutputStream encoded = new FormUrlEncodingOutputStream(hashed)) {
                        count = json.writeArray(view, rows, encoded);
                    }
                } else {
                    count = json.writeArray(view, rows, hashed);
                }
            }
            long size = Files.size(file);
            Spool spool = new Spool(file, count, size, ID_PREFIX + HexFormat.of().formatHex(sha.digest()));
            done = true;
            return spool;
        } catch (IOException e) {
            throw new PushException("cannot write the batch of view '" + view.name() + "' to the spool file in "
                    + directory + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                deleteQuietly(file);
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    Path file() {
        return file;
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
        deleteQuietly(file);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Spool.class).warn("cannot delete spool file {}: {}", file, e.toString());
        }
    }
}
