package io.viewpush.app.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of counts: one row per scenario run, kept in {@code target/reliability/results.tsv}
 * across the scenario classes of one build, printed as a plain aligned text table after each
 * scenario and written to {@code target/reliability-report.md}.
 */
final class Report {
    static final Path DIR = Path.of(System.getProperty("reliability.dir", "target/reliability"));
    private static final Path RESULTS = DIR.resolve("results.tsv");
    private static final Path MARKDOWN = DIR.getParent() == null ? Path.of("reliability-report.md")
            : DIR.getParent().resolve("reliability-report.md");
    private static final String[] HEADER = {"scenario", "inserted", "delivered", "stamped", "lost", "duplicated",
            "max/row", "requests", "not 2xx", "re-sent (same id)", "log lines", "secrets", "notes"};

    static {
        try {
            // one report per test JVM (one build): the rows of an earlier build go
            Files.deleteIfExists(RESULTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Report() {
    }

    /** Adds a scenario's row and rewrites the report. */
    static synchronized void add(String scenario, Ledger l, Secrets.Scan scan, String notes) {
        add(new String[]{scenario, n(l.inserted()), n(l.delivered()), n(l.stamped()), n(l.lost()), n(l.duplicated()),
                n(l.maxDeliveries()), n(l.requests()), n(l.failedRequests()),
                l.resent() + " (" + l.resentSameId() + ")", n(scan.lines()), n(scan.hits()), notes});
    }

    /** Adds a row counted by the scenario itself (changes rather than inserted rows). */
    static synchronized void addCounts(String scenario, long inserted, long delivered, long stamped, long lost,
                                       long duplicated, long maxPerRow, long requests, Secrets.Scan scan, String notes) {
        add(new String[]{scenario, n(inserted), n(delivered), n(stamped), n(lost), n(duplicated), n(maxPerRow),
                n(requests), "0", "-", n(scan.lines()), n(scan.hits()), notes});
    }

    /** Adds a row without row counts (the fuzzers). */
    static synchronized void addCases(String scenario, Secrets.Scan scan, String notes) {
        add(new String[]{scenario, "-", "-", "-", "-", "-", "-", "-", "-", "-", n(scan.lines()), n(scan.hits()), notes});
    }

    private static void add(String[] row) {
        try {
            Files.createDirectories(DIR);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : "\t").append(row[i].replace('\t', ' ').replace('\n', ' '));
            }
            Files.writeString(RESULTS, line.append('\n'), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            List<String[]> rows = rows();
            String text = text(rows);
            System.out.println("\nReliability counts so far:\n" + text);
            Files.writeString(MARKDOWN, markdown(rows), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String[]> rows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(RESULTS, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(line.split("\t", -1));
            }
        }
        long lines = 0;
        long hits = 0;
        for (String[] r : rows) {
            lines += parse(r[10]);
            hits += parse(r[11]);
        }
        List<String[]> all = new ArrayList<>(rows);
        all.add(new String[]{"9. secrets in every log above", "-", "-", "-", "-", "-", "-", "-", "-", "-", n(lines),
                n(hits), "database password, API keys, webhook secrets, URL credentials"});
        return all;
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.replace(",", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String text(List<String[]> rows) {
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            width[i] = HEADER[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length && i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, HEADER, width);
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("  ");
        }
        sb.append(rule.toString().stripTrailing()).append('\n');
        for (String[] r : rows) {
            line(sb, r, width);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.length ? cells[i] : "";
            boolean number = i > 0 && i < width.length - 1;
            l.append(number ? " ".repeat(width[i] - c.length()) + c : c + " ".repeat(width[i] - c.length())).append("  ");
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    private static String markdown(List<String[]> rows) {
        StringBuilder sb = new StringBuilder("# ViewPush reliability suite: counts\n\n")
                .append("Mode: ").append(Scale.LONG ? "long (-Preliability)" : "short (normal build)")
                .append(". Lost must be 0 everywhere; duplicates only where a failure forced them.\n\n")
                .append("| ").append(String.join(" | ", HEADER)).append(" |\n|");
        for (int i = 0; i < HEADER.length; i++) {
            sb.append(i == 0 || i == HEADER.length - 1 ? "---|" : "---:|");
        }
        sb.append('\n');
        for (String[] r : rows) {
            sb.append("| ").append(String.join(" | ", r).replace("|", "\\|").replace(" \\| ", " | ")).append(" |\n");
        }
        sb.append("\n```\n").append(text(rows)).append("```\n");
        return sb.toString();
    }

    private static String n(long v) {
        return String.format(java.util.Locale.ROOT, "%,d", v);
    }
}
