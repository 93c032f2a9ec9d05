package io.viewpush.app.cli;

import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.engine.CannotReplayException;
import io.viewpush.engine.ViewPush;
import io.viewpush.port.PushListener;
import io.viewpush.push.Replay;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.RowKey;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code replay -c FILE VIEW (--all | --key K... | --since TIME) [--dry-run]}: clear the stamp of
 * chosen rows so that the next push sends them again.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Clear the stamp of chosen rows so that the next push sends them again (for a view whose "
                + "filters depend on its stamp field), under the view's lease: it never races a push. Each replay "
                + "is written to the journal (see the journal command).",
                "Exit codes: 0 replayed (or counted), 1 it cannot work for this view, the view stayed busy or the "
                        + "database failed, 2 bad config or usage."})
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "VIEW", description = "the view's name (quote names with spaces)")
    String view;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--dry-run", description = "only count the rows; change nothing")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    /** Exactly one way of choosing rows. */
    static final class Which {
        @Option(names = "--all", required = true, description = "every row whose stamp is set")
        boolean all;

        @Option(names = "--key", paramLabel = "K", required = true,
                description = "the row with this key (repeat for several; a key's text form, as in the row update path)")
        List<String> keys;

        @Option(names = "--since", paramLabel = "TIME", required = true,
                description = "the rows stamped at or after TIME: 2024-05-01T10:00:00Z, 2024-05-01T12:00:00+02:00, "
                        + "2024-05-01T10:00:00 (in the database's time zone) or 2024-05-01")
        String since;
    }

    @Override
    public Integer call() {
        AppConfig c = config.load();
        Views.named(c, view, true);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Replay r;
        try (Assembly assembly = Assembly.open(c, PushListener.NONE)) {
            ViewPush engine = assembly.engine();
            ReplaySelection selection = selection(engine);
            try {
                r = engine.replay(view, selection, dryRun, Operator.describe());
            } catch (CannotReplayException e) {
                err.println("error: " + e.getMessage());
                return ExitCodes.PUSH_FAILED;
            }
        }
        if (r.dryRun()) {
            out.println("dry run: " + r.rows() + (r.rows() == 1 ? " row" : " rows") + " of view '" + view
                    + "' would be sent again (" + r.selection() + "); nothing was changed");
        } else {
            out.println(r.rows() + (r.rows() == 1 ? " row" : " rows") + " of view '" + view + "' will be sent again by "
                    + "the next push (" + r.selection() + "); recorded in the journal");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private ReplaySelection selection(ViewPush engine) {
        if (which.all) {
            return ReplaySelection.all();
        }
        if (which.since != null) {
            try {
                return ReplaySelection.since(ReplaySelection.parseTime(which.since, engine.zone()));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--since: " + e.getMessage());
            }
        }
        List<RowKey> keys = new ArrayList<>();
        for (String k : which.keys) {
            keys.add(engine.keyOf(view, k).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "--key: '" + k + "' is not a key of view '" + view + "' (" + keyForm(engine.view(view).orElseThrow())
                            + ")")));
        }
        return ReplaySelection.keys(keys);
    }

    /** What a key of the view looks like on the command line. */
    static String keyForm(io.viewpush.view.View v) {
        if (v.keyFields().size() == 1) {
            return "its key field is '" + v.keyField() + "', " + v.typeOf(v.keyField()).label();
        }
        return "its key is " + v.keyFields().size() + " fields, " + String.join(", ", v.keyFields())
                + ": give their values in that order joined with '/', each URL-encoded, e.g. 7/a%2Fb";
    }
}
