package io.viewpush.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code run -c FILE}: the scheduler and the HTTP API until SIGTERM/SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Start the engine: push every view that has a push policy whenever it has rows, and serve the "
                + "HTTP API, until SIGTERM or Ctrl-C; then finish the push in flight (bounded) and stop.",
                "Exit codes: 0 after a clean stop, 2 bad config."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("run needs the API server (branch api)");
    }
}
