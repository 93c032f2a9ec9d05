package io.viewpush.app.cli;

import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.assembly.DatabaseUnreachableException;
import io.viewpush.app.assembly.StartupException;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.Durations;
import io.viewpush.http.api.ApiServer;
import io.viewpush.port.PushListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code run -c FILE}: the scheduler and the HTTP API until SIGTERM or SIGINT. On the signal a
 * shutdown hook stops the API (no new requests), then the engine (no new push; the one in flight
 * finishes within {@code engine.shutdownTimeout}), then the transport and the pool, and the
 * process exits 0. A database that does not answer yet is waited for (see
 * {@link #openWaitingForTheDatabase}); a bad config still exits 2 at once.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Start the engine: push every view that has a push policy whenever it has rows, and serve the "
                + "HTTP API, until SIGTERM or Ctrl-C; then finish the push in flight (bounded) and stop.",
                "Waits for a database that is not reachable yet (retrying with backoff, /health answering 503 meanwhile).",
                "Exit codes: 0 after a clean stop (also while waiting for the database), 2 bad config."})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("viewpush");

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    /** The first wait between two attempts to reach the database; it doubles up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    /** The longest wait between two attempts to reach the database. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private enum State { STARTING, WAITING, RUNNING, FAILED }

    private final Object lock = new Object();
    private State state = State.STARTING;
    private StartingHealth standIn;
    private Assembly assembly;

    @Override
    public Integer call() {
        AppConfig c = config.load();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> onSignal(c, stopped), "viewpush-shutdown"));
        ApiServer api;
        try {
            Assembly a = openWaitingForTheDatabase(c);
            synchronized (lock) {
                closeStandIn();
                assembly = a;
                state = State.RUNNING;
            }
            api = a.startApi();
            a.engine().start();
        } catch (RuntimeException e) {
            synchronized (lock) {
                closeStandIn();
                state = State.FAILED;
                if (assembly != null) {
                    assembly.close();
                }
            }
            throw e;
        }
        long pushing = c.views().stream().filter(v -> v.push().isPresent()).count();
        LOG.info("ViewPush running: {} {} ({} pushing), API on http://{}:{} with {} {}, metrics at /metrics; "
                        + "stop with Ctrl-C or SIGTERM",
                c.views().size(), c.views().size() == 1 ? "view" : "views", pushing, c.server().host(), api.port(),
                c.apiKeys().size(), c.apiKeys().size() == 1 ? "key" : "keys");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }

    /**
     * Opens the assembly; while the database is unreachable (refused, timed out, still starting up),
     * answers 503 on the API's address and tries again after 1 s, 2 s, 4 s … at most 30 s apart,
     * logging a failure only when its cause differs from the previous one. Any other failure (a bad
     * config, a wrong password, a view that does not fit the database) ends the wait at once.
     */
    private Assembly openWaitingForTheDatabase(AppConfig c) {
        Duration delay = FIRST_BACKOFF;
        String lastCause = null;
        int failures = 0;
        long began = System.nanoTime();
        while (true) {
            try {
                Assembly a = Assembly.open(c, PushListener.NONE);
                if (failures > 0) {
                    LOG.info("the database answers after {} failed {} ({}): starting", failures,
                            failures == 1 ? "attempt" : "attempts",
                            Durations.format(Duration.ofSeconds(Math.max(1, Math.round((System.nanoTime() - began) / 1e9)))));
                }
                return a;
            } catch (DatabaseUnreachableException e) {
                failures++;
                if (failures == 1) {
                    int port;
                    synchronized (lock) {
                        standIn = StartingHealth.start(c.server().host(), c.server().port());
                        state = State.WAITING;
                        port = standIn.port();
                    }
                    LOG.warn("waiting for the database: {}; trying again with backoff (every {} at most); "
                                    + "/health answers 503 on http://{}:{} meanwhile; a failure is logged again only "
                                    + "when its cause changes", e.getMessage(), Durations.format(MAX_BACKOFF),
                            c.server().host(), port);
                } else if (!e.getMessage().equals(lastCause)) {
                    LOG.warn("still waiting for the database: {}", e.getMessage());
                }
                lastCause = e.getMessage();
                sleep(delay);
                delay = delay.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay.multipliedBy(2);
            }
        }
    }

    /** The shutdown hook: a signal while waiting exits 0 at once; while running, stops cleanly and exits 0. */
    private void onSignal(AppConfig c, CountDownLatch stopped) {
        synchronized (lock) {
            if (state == State.WAITING) {
                closeStandIn();
                LOG.info("stopped while waiting for the database: nothing was started");
            } else if (state == State.RUNNING) {
                LOG.info("stopping: no new pushes; a push in flight may finish within {}",
                        Durations.format(c.engine().shutdownTimeout()));
                assembly.close();
                LOG.info("stopped cleanly");
            } else {
                return; // a failed start exits with its own code
            }
            System.out.flush();
            System.err.flush();
            stopped.countDown();
            // a SIGTERM would otherwise end the JVM with 143; a clean stop is 0 (the README's command table)
            Runtime.getRuntime().halt(ExitCodes.OK);
        }
    }

    private void closeStandIn() {
        if (standIn != null) {
            standIn.close();
            standIn = null;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for the database", e);
        }
    }
}
