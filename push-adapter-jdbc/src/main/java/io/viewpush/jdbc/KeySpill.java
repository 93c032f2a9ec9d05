package io.viewpush.jdbc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The keys (and modified values) of a batch's sent rows beyond what it keeps in memory, in a
 * private temporary file: one record per chunk, the chunk's keys and modified values as the
 * PostgreSQL text-array literals the stamping statement binds ({@link SqlText#pgArrayLiteral}).
 * Written while the rows stream, read back chunk by chunk when the batch is stamped, deleted by
 * {@link #close()}. Memory holds one chunk at a time whatever the batch's size.
 */
final class KeySpill implements AutoCloseable {
    private final Path file;
    private DataOutputStream out;
    private int chunks;

    /**
     * One chunk read back: its row count and literals ({@code keys}: one per key field, in key
     * order; {@code modified} null when the view has no modified field; {@code micros} when it is
     * {@link SqlText#pgMicrosLiteral}, not text).
     */
    record Chunk(int rows, java.util.List<String> keys, String modified, boolean micros) {
    }

    /** A consumer of chunks that may fail with an exception of the caller's. */
    interface ChunkConsumer {
        void accept(Chunk chunk);
    }

    private KeySpill(Path file, DataOutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Creates the file in {@code directory}. */
    static KeySpill create(Path directory) throws IOException {
        Path file = Files.createTempFile(directory, "viewpush-stamp-", ".keys");
        try {
            return new KeySpill(file, new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    int chunks() {
        return chunks;
    }

    /** Appends one chunk of a one-field key. */
    void append(int rows, String keys, String modified, boolean micros) throws IOException {
        append(rows, java.util.List.of(keys), modified, micros);
    }

    /** Appends one chunk: {@code keys} one literal per key field, in key order. */
    void append(int rows, java.util.List<String> keys, String modified, boolean micros) throws IOException {
        if (out == null) {
            throw new IllegalStateException("the spill file " + file + " is no longer being written");
        }
        out.writeInt(rows);
        out.writeInt(keys.size());
        for (String k : keys) {
            writeText(k);
        }
        writeText(modified);
        out.writeBoolean(micros);
        chunks++;
    }

    private void writeText(String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** Ends the writing and hands every chunk, in order, to {@code consumer}. */
    void forEach(ChunkConsumer consumer) throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024))) {
            for (int i = 0; i < chunks; i++) {
                int rows = in.readInt();
                int n = in.readInt();
                java.util.List<String> keys = new java.util.ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    keys.add(readText(in));
                }
                String modified = readText(in);
                boolean micros = in.readBoolean();
                consumer.accept(new Chunk(rows, keys, modified, micros));
            }
            if (in.read() != -1) {
                throw new IOException("the spill file " + file + " has more than its " + chunks + " chunks");
            }
        } catch (EOFException e) {
            throw new IOException("the spill file " + file + " ends before its " + chunks + " chunks", e);
        }
    }

    private static String readText(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Deletes the file (closing it first); safe to call more than once. */
    @Override
    public void close() {
        try {
            try {
                if (out != null) {
                    out.close();
                }
            } finally {
                out = null;
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the spill file " + file, e);
        }
    }
}
