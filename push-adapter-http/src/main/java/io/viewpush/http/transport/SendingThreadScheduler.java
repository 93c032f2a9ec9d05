package io.viewpush.http.transport;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler a view's resilience4j {@code Retry} runs one send's attempts on: resilience4j
 * decides whether and after how long the next attempt comes ({@code Retry.executeCompletionStage}
 * schedules it), and this runs it on the sending thread once the transport's
 * {@link HttpPushTransport.RetrySleeper} has waited that long. A send therefore stays synchronous,
 * on the caller's thread (its interrupt and logging context included), while the waits, the
 * decisions and the events are resilience4j's. Used by one send, on one thread; not shared.
 */
final class SendingThreadScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final HttpPushTransport.RetrySleeper sleeper;
    private final Queue<Next<?>> due = new ArrayDeque<>();
    private boolean shutdown;

    SendingThreadScheduler(HttpPushTransport.RetrySleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Runs what was scheduled, each after its wait, until nothing is left.
     *
     * @throws InterruptedException when a wait is interrupted; what was due then is dropped
     */
    void runUntilIdle() throws InterruptedException {
        for (Next<?> next = due.poll(); next != null; next = due.poll()) {
            try {
                sleeper.sleep(Duration.ofNanos(next.delayNanos));
            } catch (InterruptedException e) {
                due.clear();
                shutdown = true;
                throw e;
            }
            next.run();
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Next<>(Executors.callable(command), unit.toNanos(Math.max(0, delay))));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Next<>(callable, unit.toNanos(Math.max(0, delay))));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    private <V> Next<V> enqueue(Next<V> next) {
        if (shutdown) {
            throw new RejectedExecutionException("the send has ended");
        }
        due.add(next);
        return next;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("a send schedules single attempts only");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("a send schedules single attempts only");
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> dropped = List.copyOf(due);
        due.clear();
        return Collections.unmodifiableList(dropped);
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && due.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    /** One scheduled task and the wait before it. */
    private static final class Next<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long delayNanos;

        Next(Callable<V> task, long delayNanos) {
            super(task);
            this.delayNanos = delayNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(delayNanos, other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
