package io.viewpush.app.cli;

import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.metrics.PushLog;
import io.viewpush.port.PushListener;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.Replay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code journal -c FILE VIEW [--limit N]}: the view's recent push attempts, newest first, as a
 * table, read from the journal in the database (no running {@code run} or API needed); then the
 * view's pause, if it is paused, and its recent replays.
 */
@Command(name = "journal", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print the view's recent push attempts, newest first, from the journal in the database; then "
                + "whether it is paused, and its recent replays (who cleared the stamps of which rows, how many).",
                "Times are UTC. Exit codes: 0 printed (also when there is none), 1 the database is not reachable, "
                        + "2 bad config or usage."})
final class JournalCommand implements Callable<Integer> {
    /** Attempts shown when {@code --limit} is not given. */
    static final int DEFAULT_LIMIT = 20;
    /** The most {@code --limit} accepts: the journal keeps a bounded number per view anyway. */
    static final int MAX_LIMIT = 10_000;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String[] HEADER = {"STARTED", "TRIGGER", "STATUS", "ROWS", "STAMPED", "BATCHES", "BYTES",
            "DURATION", "HTTP", "REASON"};

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "VIEW", description = "the view's name (quote names with spaces)")
    String view;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT,
            description = "most attempts to show, newest first (default: ${DEFAULT-VALUE}, at most " + MAX_LIMIT + ")")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ParameterException(spec.commandLine(),
                    "--limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        AppConfig c = config.load();
        boolean pullOnly = Views.named(c, view, false).push().isEmpty();
        List<PushAttempt> attempts;
        List<Replay> replays;
        java.util.Optional<Pause> paused;
        try (Assembly assembly = Assembly.open(c, PushListener.NONE)) {
            attempts = assembly.engine().recentPushes(view, limit);
            replays = assembly.engine().replays(view, limit);
            paused = assembly.engine().paused(view);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (attempts.isEmpty()) {
            out.println("view '" + view + "' has no push attempts in the journal"
                    + (pullOnly ? " (it is pull-only: it has no push policy)" : ""));
        } else {
            out.print(table(attempts));
        }
        paused.ifPresent(p -> out.println("view '" + view + "' is " + p.describe()));
        if (!replays.isEmpty()) {
            out.println();
            out.print(replayTable(replays));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** @return the attempts as aligned columns under a header; the reason, of any length, last */
    static String table(List<PushAttempt> attempts) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (PushAttempt a : attempts) {
            rows.add(new String[]{
                    TIME.format(a.startedAt().truncatedTo(ChronoUnit.SECONDS)),
                    a.trigger().name().toLowerCase(Locale.ROOT),
                    a.status().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    Long.toString(a.rowsSent()),
                    Long.toString(a.rowsStamped()),
                    Integer.toString(a.batches()),
                    PushLog.bytes(a.bytes()),
                    a.duration().toMillis() + " ms",
                    a.httpStatus().isPresent() ? Integer.toString(a.httpStatus().getAsInt()) : "-",
                    oneLine(a.reason())});
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                boolean number = i >= 3 && i <= 8 && r != HEADER;
                String cell = r[i];
                if (i == r.length - 1) {
                    sb.append(cell);
                } else {
                    String pad = " ".repeat(width[i] - cell.length());
                    sb.append(number ? pad + cell : cell + pad).append("  ");
                }
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** @return the replays as aligned columns under a header, newest first; the rows chosen last */
    static String replayTable(List<Replay> replays) {
        List<String[]> rows = new ArrayList<>();
        String[] header = {"REPLAYED", "ROWS", "BY", "WHICH"};
        rows.add(header);
        for (Replay r : replays) {
            rows.add(new String[]{TIME.format(r.at().truncatedTo(ChronoUnit.SECONDS)), Long.toString(r.rows()),
                    oneLine(r.by()), oneLine(r.selection())});
        }
        int[] width = new int[header.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                if (i == r.length - 1) {
                    sb.append(r[i]);
                } else {
                    String pad = " ".repeat(width[i] - r[i].length());
                    sb.append(i == 1 && r != header ? pad + r[i] : r[i] + pad).append("  ");
                }
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** A receiver's answer may hold line breaks and control characters: one table row stays one line. */
    private static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return sb.toString().strip();
    }
}
