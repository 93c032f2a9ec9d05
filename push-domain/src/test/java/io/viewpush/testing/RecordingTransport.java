package io.viewpush.testing;

import io.viewpush.port.PushTransport;
import io.viewpush.push.Delivery;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * A {@link PushTransport} that keeps every batch in memory instead of sending it, and answers as
 * scripted: success (200) unless told otherwise with {@link #failNext}. For tests of code that
 * embeds ViewPush. Thread-safe.
 */
public final class RecordingTransport implements PushTransport {

    /**
     * A batch the transport was given.
     *
     * @param view      the view's name
     * @param rows      its rows
     * @param webhookId the idempotency key (SHA-256 of the view and the rows)
     * @param delivered what the transport answered
     */
    public record Batch(String view, List<Row> rows, String webhookId, boolean delivered) {
    }

    /** A scripted status that answers "gone for good" ({@link Delivery#gone()}), as HTTP's 410 Gone. */
    public static final int GONE = 410;

    private final List<Batch> batches = new ArrayList<>();
    private final Deque<Integer> scripted = new ArrayDeque<>();
    private volatile Consumer<List<Row>> onSend = rows -> { };
    private volatile java.util.function.Function<List<Row>, io.viewpush.push.RowAnswers> rowAnswers;
    private volatile boolean closed;

    /** The next {@code count} batches fail with {@code status} (e.g. 500); later ones succeed. */
    public synchronized RecordingTransport failNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            scripted.add(status);
        }
        return this;
    }

    /** The next batches are answered with these statuses, in order; later ones with 200. */
    public synchronized RecordingTransport respond(int... statuses) {
        for (int s : statuses) {
            scripted.add(s);
        }
        return this;
    }

    /**
     * Runs {@code action} with each batch's rows after they were read and before the answer, e.g. to
     * change a row "while the request is in flight".
     */
    public RecordingTransport onSend(Consumer<List<Row>> action) {
        this.onSend = action;
        return this;
    }

    /**
     * Answers each delivered batch row by row, as a receiver of a view with
     * {@code response: rows} may: {@code answers} says which of the batch's rows it accepted and rejected.
     */
    public RecordingTransport answerRows(java.util.function.Function<List<Row>, io.viewpush.push.RowAnswers> answers) {
        this.rowAnswers = answers;
        return this;
    }

    @Override
    public Delivery send(View view, Iterator<Row> rows) {
        List<Row> list = new ArrayList<>();
        rows.forEachRemaining(list::add);
        onSend.accept(list);
        String id = webhookId(view.name(), list);
        int status;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("transport closed");
            }
            status = scripted.isEmpty() ? 200 : scripted.poll();
        }
        boolean ok = view.push().map(p -> p.success().isSuccess(status)).orElse(status == 200);
        synchronized (this) {
            batches.add(new Batch(view.name(), List.copyOf(list), id, ok));
        }
        long bytes = list.toString().getBytes(StandardCharsets.UTF_8).length;
        if (!ok && status == GONE) {
            return Delivery.gone(OptionalInt.of(status), "the receiver answered " + status + " Gone", list.size(), bytes,
                    id, 1, "");
        }
        java.util.function.Function<List<Row>, io.viewpush.push.RowAnswers> answers = rowAnswers;
        if (ok && answers != null) {
            return Delivery.delivered(status, status + "", list.size(), bytes, id, 1, "").withRowAnswers(answers.apply(list));
        }
        return ok ? Delivery.delivered(status, status + "", list.size(), bytes, id, 1, "")
                : Delivery.failed(OptionalInt.of(status), "the receiver answered " + status, list.size(), bytes, id, 1,
                Optional.empty(), "");
    }

    /** @return every batch sent so far, in order */
    public synchronized List<Batch> batches() {
        return List.copyOf(batches);
    }

    /** @return the rows of the delivered batches, in order */
    public synchronized List<Row> deliveredRows() {
        List<Row> out = new ArrayList<>();
        batches.stream().filter(Batch::delivered).forEach(b -> out.addAll(b.rows()));
        return out;
    }

    /** @return the keys of the delivered rows, in order */
    public synchronized List<Object> deliveredKeys() {
        List<Object> out = new ArrayList<>();
        deliveredRows().forEach(r -> out.add(r.key()));
        return out;
    }

    /** Forgets the batches sent so far. */
    public synchronized void clear() {
        batches.clear();
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    static String webhookId(String view, List<Row> rows) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(view.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(rows.toString().getBytes(StandardCharsets.UTF_8));
            return "msg_" + HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
