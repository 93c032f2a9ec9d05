package io.viewpush.app.cli;

import io.viewpush.app.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code demo}: a guided tour on an embedded database; no setup, no config. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"A self-contained, guided tour on an embedded database: no setup and no config. It pushes to a "
                + "local receiver, changes a row and pushes again, shows a failed push and its recovery, and uses the "
                + "HTTP API and metrics.",
                "Exit code: 0."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--stay", description = "keep running after the tour, with the scheduler and the API on, "
            + "until Ctrl-C")
    boolean stay;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Demo.run(spec.commandLine().getOut(), stay);
    }
}
