package io.viewpush.app.cli;

import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.port.PushListener;
import io.viewpush.push.Pause;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code pause -c FILE VIEW}: pause a view for every engine on the database, until {@code resume}. */
@Command(name = "pause", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Pause a view: no engine on the database pushes it until it is resumed (a push in flight "
                + "finishes). The pause survives restarts and shows in GET /api/views.",
                "Exit codes: 0 paused (also when it was already), 1 the database failed, 2 bad config or usage."})
final class PauseCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "VIEW", description = "the view's name (quote names with spaces)")
    String view;

    @Option(names = "--detail", paramLabel = "TEXT", description = "why, shown with the pause (default: paused by an operator)")
    String detail;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AppConfig c = config.load();
        Views.named(c, view, true);
        Pause p;
        Optional<Pause> before;
        try (Assembly assembly = Assembly.open(c, PushListener.NONE)) {
            before = assembly.engine().paused(view);
            p = assembly.engine().pause(view, detail, Operator.describe());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println((before.isPresent() ? "view '" + view + "' was already " : "view '" + view + "' is now ")
                + p.describe());
        out.println("resume it with: resume -c " + config.file + " \"" + view + "\"");
        out.flush();
        return ExitCodes.OK;
    }
}
