package io.viewpush.app.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Scenario 9: every log line of a scenario (the jar's stdout and stderr, the receiver's log is
 * ours and not scanned) searched for each configured secret, and for its Base64 and URL-encoded
 * forms, which is how a secret would leak through an Authorization header or a URL.
 */
final class Secrets {
    private final Set<String> secrets = new LinkedHashSet<>();

    /** The result of a scan. */
    record Scan(long files, long lines, long hits, List<String> examples) {
        static Scan none() {
            return new Scan(0, 0, 0, List.of());
        }
    }

    Secrets add(String... values) {
        for (String v : values) {
            if (v.length() < 8) {
                throw new IllegalArgumentException("a secret to look for must be distinctive: " + v);
            }
            secrets.add(v);
            secrets.add(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
            secrets.add(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
        return this;
    }

    /** Scans these files; a secret found anywhere is a hit, with the line as an example. */
    Scan scan(Collection<Path> files) {
        long lines = 0;
        long hits = 0;
        long scanned = 0;
        List<String> examples = new ArrayList<>();
        for (Path f : files) {
            if (!Files.exists(f)) {
                continue;
            }
            scanned++;
            List<String> all;
            try {
                all = List.of(new String(Files.readAllBytes(f), StandardCharsets.UTF_8).split("\n", -1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : all) {
                if (line.isEmpty()) {
                    continue;
                }
                lines++;
                for (String s : secrets) {
                    if (line.contains(s)) {
                        hits++;
                        if (examples.size() < 10) {
                            examples.add(f.getFileName() + ": " + line);
                        }
                        break;
                    }
                }
            }
        }
        return new Scan(scanned, lines, hits, examples);
    }
}
