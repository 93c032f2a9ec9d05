package io.viewpush.app.cli;

import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.view.ViewDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code trigger -c FILE VIEW [--apply]}: the SQL of ViewPush's trigger that sets the view's
 * modified column when each row is written, printed for a DBA; run only with {@code --apply}.
 */
@Command(name = "trigger", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print the SQL of a trigger that sets the view's modified column (push.modified) when each "
                + "row is written, so that no change can be lost to a time taken when its transaction began. "
                + "Changes nothing unless --apply is given.",
                "Exit codes: 0 printed (and applied), 1 applying failed or the database is not reachable, "
                        + "2 bad config or usage."})
final class TriggerCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "VIEW", description = "the view's name (quote names with spaces)")
    String view;

    @Option(names = "--apply", description = "run the SQL on the database (in one transaction) after printing it")
    boolean apply;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AppConfig c = config.load();
        ViewDefinition d = Views.named(c, view, true);
        PrintWriter out = spec.commandLine().getOut();
        String sql;
        try {
            sql = Assembly.modifiedTrigger(c, d, apply);
        } catch (io.viewpush.app.assembly.StartupException e) {
            if (!apply) {
                throw e;
            }
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.PUSH_FAILED;
        }
        out.print(sql);
        out.flush();
        if (apply) {
            spec.commandLine().getErr().println("applied: the trigger now sets the modified column of view '" + view
                    + "' when each row is written.");
        }
        return ExitCodes.OK;
    }
}
