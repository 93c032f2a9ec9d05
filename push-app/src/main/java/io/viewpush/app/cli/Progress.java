package io.viewpush.app.cli;

import io.viewpush.app.metrics.PushLog;
import io.viewpush.port.PushListener;
import io.viewpush.push.Delivery;
import io.viewpush.push.StampResult;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress line for {@code push} on a terminal: after the first second, every half second,
 * {@code pushing 'orders' … 4 s, 3 batches sent, 3000 rows, 1.2 MiB}, overwritten in place and
 * cleared at the end. The rows count those of the batch being sent too, as the transport takes them
 * ({@link PushListener#rowsTaken}, every thousand), so a push of the whole view in one request
 * ({@code maxRows: 0}) shows its rows going out long before its one batch is answered. Does nothing
 * when the output is not a terminal.
 */
final class Progress implements PushListener, AutoCloseable {
    private final PrintWriter err;
    private final String view;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicLong rows = new AtomicLong();
    /** Rows the transport took in this push, finished batches or not. */
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean shown = new AtomicBoolean();
    private final ScheduledExecutorService timer;

    Progress(PrintWriter err, String view, boolean enabled) {
        this.err = err;
        this.view = view;
        this.enabled = enabled;
        if (enabled) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::show, 1000, 500, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /** @return true when standard output is a terminal */
    static boolean onTerminal() {
        return System.console() != null;
    }

    @Override
    public void rowsTaken(String v, long rowsTaken) {
        if (v.equals(view)) {
            taken.accumulateAndGet(rowsTaken, Math::max);
        }
    }

    @Override
    public void batchFinished(String v, Delivery delivery, StampResult stamp) {
        if (v.equals(view)) {
            batches.incrementAndGet();
            rows.addAndGet(delivery.rows());
            bytes.addAndGet(delivery.bytes());
        }
    }

    /** @return the progress line's text after {@code seconds} */
    String line(long seconds) {
        long sent = Math.max(rows.get(), taken.get());
        return "pushing '" + view + "' … " + seconds + " s, " + batches.get() + " batches sent, " + sent
                + " rows, " + PushLog.bytes(bytes.get());
    }

    private void show() {
        shown.set(true);
        long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        String text = line(s);
        synchronized (err) {
            err.print("\r" + text + "   ");
            err.flush();
        }
    }

    @Override
    public void close() {
        if (!enabled) {
            return;
        }
        timer.shutdownNow();
        if (shown.get()) {
            synchronized (err) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
