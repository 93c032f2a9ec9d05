package io.viewpush.app.bench;

import io.viewpush.port.PushSession;
import io.viewpush.port.PushStore;
import io.viewpush.port.PushTransport;
import io.viewpush.port.StampBatch;
import io.viewpush.push.Delivery;
import io.viewpush.push.StampResult;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a ViewPush push spends its time: the store and the transport wrapped so that reading the
 * rows (cursor, row mapping, recording them for the stamp), encoding and sending, stamping and
 * opening the view are timed apart. Only per-batch calls go through a reflective proxy; per-row
 * calls go through plain delegating classes, so the timing costs two clock reads a row.
 */
final class TimedPorts {
    final AtomicLong readNanos = new AtomicLong();
    final AtomicLong sendNanos = new AtomicLong();
    final AtomicLong stampNanos = new AtomicLong();
    final AtomicLong openNanos = new AtomicLong();

    PushStore store(PushStore store) {
        return timed(PushStore.class, store);
    }

    /** @return {@code target} behind a proxy that times opening reads and wraps sessions and batches */
    private <T> T timed(Class<T> type, T target) {
        return type.cast(Proxy.newProxyInstance(TimedPorts.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> {
                    long t0 = System.nanoTime();
                    try {
                        Object result = method.invoke(target, args);
                        if (result instanceof StampBatch) {
                            return new TimedBatch((StampBatch) result);
                        }
                        if (result instanceof Optional && ((Optional<?>) result).orElse(null) instanceof PushSession) {
                            return Optional.of(timed(PushSession.class, (PushSession) ((Optional<?>) result).get()));
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getName().equals("open") || method.getName().equals("rows")) {
                            openNanos.addAndGet(System.nanoTime() - t0);
                        }
                    }
                }));
    }

    PushTransport transport(PushTransport transport) {
        return new PushTransport() {
            @Override
            public Delivery send(View view, Iterator<Row> rows) {
                long t0 = System.nanoTime();
                try {
                    return transport.send(view, new TimedRows(rows));
                } finally {
                    sendNanos.addAndGet(System.nanoTime() - t0);
                }
            }

            @Override
            public void close() {
                transport.close();
            }
        };
    }

    private final class TimedRows implements Iterator<Row> {
        private final Iterator<Row> rows;

        TimedRows(Iterator<Row> rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            long t0 = System.nanoTime();
            try {
                return rows.hasNext();
            } finally {
                readNanos.addAndGet(System.nanoTime() - t0);
            }
        }

        @Override
        public Row next() {
            long t0 = System.nanoTime();
            try {
                return rows.next();
            } finally {
                readNanos.addAndGet(System.nanoTime() - t0);
            }
        }
    }

    private final class TimedBatch implements StampBatch {
        private final StampBatch batch;

        TimedBatch(StampBatch batch) {
            this.batch = batch;
        }

        @Override
        public void add(Row row) {
            batch.add(row);
        }

        @Override
        public void seal() {
            long t0 = System.nanoTime();
            try {
                batch.seal();
            } finally {
                readNanos.addAndGet(System.nanoTime() - t0);
            }
        }

        @Override
        public StampResult commit() {
            long t0 = System.nanoTime();
            try {
                return batch.commit();
            } finally {
                stampNanos.addAndGet(System.nanoTime() - t0);
            }
        }

        @Override
        public void close() {
            batch.close();
        }
    }
}
