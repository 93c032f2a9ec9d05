package io.viewpush.app.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap after each collection, read from a child JVM's {@code -Xlog:gc:file=...} log
 * ({@code [1.234s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 30M->9M(64M) 2.1ms}).
 */
record GcLog(List<Double> seconds, List<Integer> afterMb, List<Boolean> full) {
    private static final Pattern LINE = Pattern.compile("\\[(\\d+[.,]\\d+)s].*GC\\(\\d+\\) (Pause [^)]*\\)).*?(\\d+)M->(\\d+)M\\(\\d+M\\)");

    static GcLog read(Path file) {
        List<Double> t = new ArrayList<>();
        List<Integer> after = new ArrayList<>();
        List<Boolean> full = new ArrayList<>();
        try {
            if (!Files.exists(file)) {
                return new GcLog(t, after, full);
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Matcher m = LINE.matcher(line);
                if (m.find()) {
                    t.add(Double.parseDouble(m.group(1).replace(',', '.')));
                    full.add(m.group(2).startsWith("Pause Full"));
                    after.add(Integer.parseInt(m.group(4)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GcLog(t, after, full);
    }

    int collections() {
        return afterMb.size();
    }

    int maxAfter() {
        return afterMb.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The highest heap after GC in the collections between fractions {@code from} and {@code to} of the run. */
    int maxAfter(double from, double to) {
        int n = afterMb.size();
        int max = 0;
        for (int i = (int) Math.floor(n * from); i < Math.min(n, (int) Math.ceil(n * to)); i++) {
            max = Math.max(max, afterMb.get(i));
        }
        return max;
    }

    /** The heap after the last full collection at or after {@code fromSeconds} (e.g. one forced by jcmd GC.run). */
    int lastFullAfter() {
        for (int i = afterMb.size() - 1; i >= 0; i--) {
            if (full.get(i)) {
                return afterMb.get(i);
            }
        }
        return -1;
    }

    List<Integer> fullAfters() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < afterMb.size(); i++) {
            if (full.get(i)) {
                out.add(afterMb.get(i));
            }
        }
        return out;
    }
}
