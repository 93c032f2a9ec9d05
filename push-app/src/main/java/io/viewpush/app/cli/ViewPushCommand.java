package io.viewpush.app.cli;

import io.viewpush.PushException;
import io.viewpush.app.assembly.DatabaseUnreachableException;
import io.viewpush.app.assembly.StartupException;
import io.viewpush.app.config.ConfigProblem;
import io.viewpush.app.config.InvalidConfigException;
import io.viewpush.engine.UnknownViewException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The top command: {@code java -jar push-app.jar COMMAND [options]}. Without a command it prints
 * the usage and exits 2.
 */
@Command(name = "push-app.jar", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {"ViewPush pushes the rows of database views to HTTP endpoints and stamps what was delivered.", ""},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'java -jar push-app.jar COMMAND --help' for a command's options.",
                "New here? Run: java -jar push-app.jar demo"})
public final class ViewPushCommand implements Callable<Integer> {
    /** The commands, in the order the usage lists them. */
    static final List<Class<?>> COMMANDS = List.of(RunCommand.class, PushCommand.class, PreviewCommand.class,
            CheckCommand.class, TriggerCommand.class, DemoCommand.class, JournalCommand.class, PauseCommand.class,
            ResumeCommand.class, ReplayCommand.class, CompletionCommand.class);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.BAD_CONFIG;
    }

    /** Runs the command line with the process's standard streams; returns the exit code. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
    }

    /** Runs the command line writing to {@code out} and {@code err}; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(args);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> handle(e, cmd.getErr()));
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The command line with only the command that {@code args} start with, when they start with one
     * (the one that runs: its help, its errors and its usage are the same as with all of them), else
     * with every command (the usage, an unknown command's suggestions, {@code completion}). Picocli
     * builds a command's model from its annotations when it is added, and its classes cannot be kept
     * in a class-data sharing archive (they are Java 5 classes): building all eleven was about a
     * fifth of a short {@code push}'s start-up (docs/BENCHMARKS.md, session 6).
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new ViewPushCommand());
        String first = args.length == 0 ? "" : args[0];
        Class<?> only = first.equals("completion") ? null : COMMANDS.stream()
                .filter(c -> c.getAnnotation(Command.class).name().equals(first)).findFirst().orElse(null);
        for (Class<?> c : only != null ? List.of(only) : COMMANDS) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    static int handle(Exception e, PrintWriter err) {
        if (e instanceof InvalidConfigException) {
            printProblems(((InvalidConfigException) e), err);
            return ExitCodes.BAD_CONFIG;
        }
        if (e instanceof DatabaseUnreachableException) {
            // CONTRACT: 2 is only a bad config or usage; a database that does not answer is a failure
            // to try again later (push, preview, check, journal, trigger all exit 1; run waits for it)
            err.println("error: " + e.getMessage() + " (the database is not reachable; nothing was done)");
            return ExitCodes.PUSH_FAILED;
        }
        if (e instanceof StartupException || e instanceof UnknownViewException) {
            err.println("error: " + e.getMessage());
            return ExitCodes.BAD_CONFIG;
        }
        // our own exceptions say what failed in words; a class name is only worth showing for a bug
        err.println("error: " + (e instanceof PushException && e.getMessage() != null ? e.getMessage() : e));
        if (Boolean.getBoolean("viewpush.debug") || "DEBUG".equalsIgnoreCase(System.getenv("VIEWPUSH_LOG_LEVEL"))) {
            e.printStackTrace(err);
        }
        return ExitCodes.PUSH_FAILED;
    }

    static void printProblems(InvalidConfigException e, PrintWriter err) {
        for (ConfigProblem p : e.problems()) {
            err.println(p);
        }
        int n = e.problems().size();
        err.println(n + (n == 1 ? " problem" : " problems") + "; nothing was started.");
    }
}
