package com.example.orders.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.viewpush.port.PushTransport;
import io.viewpush.port.contract.PushTransportContractTest;
import io.viewpush.view.View;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/** The host's queue transport passes ViewPush's transport-neutral contract suite. */
class QueueTransportContractTest extends PushTransportContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile boolean refusing;
    /** A queue that is full while {@link #refuseBatches} says so. */
    private final LinkedBlockingQueue<QueueTransport.Message> queue = new LinkedBlockingQueue<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean offer(QueueTransport.Message m) {
            return !refusing && super.offer(m);
        }
    };

    @Override
    protected PushTransport transport(View view) {
        return new QueueTransport(queue);
    }

    @Override
    protected void refuseBatches(boolean refuse) {
        refusing = refuse;
    }

    @Override
    protected List<List<String>> taken() {
        List<List<String>> batches = new ArrayList<>();
        for (QueueTransport.Message m : queue) {
            List<String> keys = new ArrayList<>();
            try {
                for (JsonNode row : JSON.readTree(m.json())) {
                    keys.add(row.get("id").asText());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            batches.add(keys);
        }
        return batches;
    }
}
