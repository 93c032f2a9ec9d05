package io.viewpush.app.cli;

import io.viewpush.app.assembly.Assembly;
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

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code run -c FILE}: the scheduler and the HTTP API until SIGTERM or SIGINT. On the signal a
 * shutdown hook stops the API (no new requests), then the engine (no new push; the one in flight
 * finishes within {@code engine.shutdownTimeout}), then the transport and the pool, and the
 * process exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Start the engine: push every view that has a push policy whenever it has rows, and serve the "
                + "HTTP API, until SIGTERM or Ctrl-C; then finish the push in flight (bounded) and stop.",
                "Exit codes: 0 after a clean stop, 2 bad config."})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("viewpush");

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AppConfig c = config.load();
        Assembly assembly = Assembly.open(c, PushListener.NONE);
        ApiServer api;
        try {
            api = assembly.startApi();
            assembly.engine().start();
        } catch (RuntimeException e) {
            assembly.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: no new pushes; a push in flight may finish within {}",
                    Durations.format(c.engine().shutdownTimeout()));
            assembly.close();
            LOG.info("stopped cleanly");
            System.out.flush();
            System.err.flush();
            stopped.countDown();
            // a SIGTERM would otherwise end the JVM with 143; a clean stop is 0 (the README's command table)
            Runtime.getRuntime().halt(ExitCodes.OK);
        }, "viewpush-shutdown"));
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
}
