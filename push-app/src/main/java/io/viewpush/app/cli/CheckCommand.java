package io.viewpush.app.cli;

import io.viewpush.PushException;
import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigProblem;
import io.viewpush.app.config.ConfigWarning;
import io.viewpush.app.config.Durations;
import io.viewpush.app.config.InvalidConfigException;
import io.viewpush.http.transport.HttpPushTarget;
import io.viewpush.view.ViewDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code check -c FILE}: validates the config against the database and prints every problem, or "ok". */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Validate the config against the database (tables, columns, types, expressions) and print "
                + "every problem, or ok with a summary of each view; warns (on stderr, still exit 0) about "
                + "modified columns whose time can be older than a stamp, so that changes are lost, and about signing "
                + "secrets without the whsec_ prefix, which receivers using the Standard Webhooks libraries cannot verify.",
                "Exit codes: 0 valid, 1 the database is not reachable, 2 invalid."})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppConfig c;
        try {
            c = config.load();
        } catch (InvalidConfigException e) {
            throw withDatabaseProblems(e);
        }
        List<ConfigWarning> warnings = new ArrayList<>();
        List<ConfigProblem> problems = Assembly.check(c, warnings);
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in " + c.fileName() + ".");
            return ExitCodes.BAD_CONFIG;
        }
        out.println("ok: " + c.fileName() + " is valid against " + (c.database().embedded()
                ? "the embedded database" : "the database") + "; " + c.views().size()
                + (c.views().size() == 1 ? " view" : " views") + ", " + c.apiKeys().size() + " API "
                + (c.apiKeys().size() == 1 ? "key" : "keys"));
        for (ViewDefinition d : c.views()) {
            out.println("  " + summary(d, c.httpTarget(d.name())));
        }
        // a warning is not a problem: the config is valid, so the exit code stays 0
        warnings.stream().sorted(Comparator.comparingInt((ConfigWarning w) -> w.problem().location().line())
                .thenComparingInt(w -> w.problem().location().column())).forEach(w -> err.println(w.line()));
        long dangers = warnings.stream().filter(ConfigWarning::changesCanBeLost).count();
        if (dangers > 0) {
            err.println(dangers + (dangers == 1 ? " warning" : " warnings") + " in " + c.fileName()
                    + ": changes to these views' rows can be lost.");
        }
        return ExitCodes.OK;
    }

    /**
     * The file's own problems, plus what the database says about the views that have none of their own
     * (a missing table or column, a wrong type), so that one {@code check} lists every problem. When the
     * database cannot be reached or set up, the file's own problems alone.
     */
    private static InvalidConfigException withDatabaseProblems(InvalidConfigException e) {
        if (e.checkable().isEmpty() || e.checkable().get().views().isEmpty()) {
            return e;
        }
        List<ConfigProblem> all = new ArrayList<>(e.problems());
        try {
            all.addAll(Assembly.check(e.checkable().get()));
        } catch (PushException unreachable) {
            return e;
        }
        all.sort(Comparator.comparingInt((ConfigProblem p) -> p.location().line())
                .thenComparingInt(p -> p.location().column()));
        return new InvalidConfigException(all);
    }

    static String summary(ViewDefinition d, Optional<HttpPushTarget> target) {
        StringBuilder sb = new StringBuilder("'").append(d.name()).append("': table ").append(d.table())
                .append(", ").append(count(d.fields().size(), "field"))
                .append(", ").append(count(d.calculations().size(), "calculation"))
                .append(", ").append(count(d.filters().size(), "filter"));
        if (!d.writable().isEmpty()) {
            sb.append(", writable ").append(d.writable());
        }
        sb.append("; ");
        d.push().ifPresentOrElse(p -> sb.append("pushes to ").append(target.map(HttpPushTarget::redactedUrl).orElse("?"))
                        .append(" at most every ").append(Durations.format(p.minInterval()))
                        .append(" (").append(target.map(t -> t.format().configName()).orElse("?"))
                        .append(", stamps '").append(p.stampField())
                        .append("'").append(p.maxRows() > 0 ? ", " + p.maxRows() + " rows per request" : "")
                        .append(target.map(t -> t.secrets().isEmpty()).orElse(true) ? "" : ", signed").append(")"),
                () -> sb.append("pull-only"));
        return sb.toString();
    }

    private static String count(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
