package com.example.orders.queue;

import io.viewpush.json.RowJsonWriter;
import io.viewpush.port.PushTransport;
import io.viewpush.push.Delivery;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;

/** A ViewPush transport that puts each batch on a queue, as the documented row JSON; a full queue refuses it. */
public record QueueTransport(BlockingQueue<Message> queue) implements PushTransport {
    private static final RowJsonWriter WRITER = RowJsonWriter.create();

    /** A batch on the queue: its view, its idempotency key and its rows as a JSON array. */
    public record Message(String view, String id, String json) { }

    @Override
    public Delivery send(View view, Iterator<Row> rows) {
        try {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            long n = WRITER.writeArray(view, rows, json);
            String text = json.toString(StandardCharsets.UTF_8);
            String id = "msg_" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((view.name() + "\n" + text).getBytes(StandardCharsets.UTF_8)));
            return queue.offer(new Message(view.name(), id, text)) ? Delivery.delivered("queued", n, json.size(), id, 1)
                    : Delivery.failed("the queue is full", n, json.size(), id, 1);
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot happen with a byte array and SHA-256", e);
        }
    }

    @Override
    public void close() { // the queue is the host's: nothing to release
    }
}
