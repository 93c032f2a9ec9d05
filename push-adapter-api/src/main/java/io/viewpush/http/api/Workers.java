package io.viewpush.http.api;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code permits} pieces of request work (the part that asks the engine, and so the
 * database) run at once; the rest wait in a bounded queue, holding no thread. A request that waits
 * for its head or its body holds no permit, so slow clients never take a worker from anyone.
 */
final class Workers {
    private final Semaphore permits;
    private final int maxWaiting;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();

    Workers(int permits, int maxWaiting) {
        this.permits = new Semaphore(permits);
        this.maxWaiting = maxWaiting;
    }

    /**
     * Runs {@code work} now on this thread when a permit is free, else queues it to run on
     * {@code executor} when one is.
     *
     * @return false when the queue is full and the work was not taken
     */
    boolean submit(Runnable work, Executor executor) {
        if (permits.tryAcquire()) {
            runAndRelease(work, executor);
            return true;
        }
        if (waitingCount.incrementAndGet() > maxWaiting) {
            waitingCount.decrementAndGet();
            return false;
        }
        waiting.add(work);
        // a permit may have been released between the failed tryAcquire and the add
        drain(executor);
        return true;
    }

    private void runAndRelease(Runnable work, Executor executor) {
        try {
            work.run();
        } finally {
            permits.release();
            drain(executor);
        }
    }

    private void drain(Executor executor) {
        while (!waiting.isEmpty() && permits.tryAcquire()) {
            Runnable next = waiting.poll();
            if (next == null) {
                permits.release();
                continue;
            }
            waitingCount.decrementAndGet();
            try {
                executor.execute(() -> runAndRelease(next, executor));
            } catch (RejectedExecutionException stopping) {
                runAndRelease(next, executor);
            }
        }
    }
}
