package io.viewpush.app.cli;

import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.port.PushListener;
import io.viewpush.push.Pause;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code resume -c FILE VIEW}: end a view's pause; a running engine pushes it at once. */
@Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"End a view's pause (a 410 Gone answer, failing for push.pauseAfter, or the pause command). "
                + "A running engine pushes the view at once, within its poll interval.",
                "Exit codes: 0 resumed (also when it was not paused), 1 the database failed, 2 bad config or usage."})
final class ResumeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "VIEW", description = "the view's name (quote names with spaces)")
    String view;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AppConfig c = config.load();
        Views.named(c, view, true);
        Optional<Pause> ended;
        try (Assembly assembly = Assembly.open(c, PushListener.NONE)) {
            ended = assembly.engine().resume(view, Operator.describe());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(ended.map(p -> "view '" + view + "' is resumed; it was " + p.describe())
                .orElse("view '" + view + "' was not paused"));
        out.flush();
        return ExitCodes.OK;
    }
}
