package io.viewpush.app.cli;

import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.metrics.PushLog;
import io.viewpush.push.PushAttempt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code push -c FILE VIEW}: one push of one view now, ignoring its minimum interval. */
@Command(name = "push", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Push one view now, ignoring its minimum interval; prints rows sent, batches, bytes and the outcome.",
                "Exit codes: 0 success or nothing to send, 1 push failed, 2 bad config or usage."})
final class PushCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "VIEW", description = "the view's name (quote names with spaces)")
    String view;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppConfig c = config.load();
        Views.named(c, view, true);
        PushAttempt a;
        try (Progress progress = new Progress(err, view, Progress.onTerminal());
             Assembly assembly = Assembly.open(c, progress)) {
            a = assembly.engine().pushNow(view);
        }
        out.println(PushLog.describe(a));
        switch (a.status()) {
            case SUCCESS:
            case NOTHING_TO_SEND:
                return ExitCodes.OK;
            case SKIPPED:
                if (a.outcome() == PushAttempt.Outcome.PAUSED) {
                    out.println("not pushed: " + a.reason() + " (resume -c " + config.file + " \"" + view + "\")");
                    return ExitCodes.PUSH_FAILED;
                }
                out.println("not pushed: " + a.reason() + "; try again in a moment");
                return ExitCodes.PUSH_FAILED;
            default:
                out.println("the rows that were not delivered were not stamped: the next push sends them again");
                return ExitCodes.PUSH_FAILED;
        }
    }
}
