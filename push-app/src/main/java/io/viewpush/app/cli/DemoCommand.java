package io.viewpush.app.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code demo}: a guided tour on the embedded database. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A self-contained tour on an embedded database: no setup, no config.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("the demo needs the API server (branch api)");
    }
}
