package io.viewpush.app.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutates a valid YAML config the ways people and tools break files: characters deleted, doubled
 * or replaced by YAML's own punctuation, lines dropped, repeated, swapped or re-indented, keys
 * misspelt or unknown, values of the wrong kind, environment variables that are not set, anchors
 * and aliases, tabs, a byte-order mark, control characters and very long values. One to three
 * mutations per case.
 */
final class YamlMutator {
    private static final String PUNCTUATION = "{}[]:,'\"-#&*!|>%@`?\t ";
    private static final List<String> VALUES = List.of("", "~", "null", "0", "-1", "2147483648", "1e999", "true", "no",
            "[]", "{}", "[a, b]", "{a: 1}", "'{x}'", "\"{last pushed} is empty\"", "'${NOT_SET}'", "${NOT_SET}",
            "$${LITERAL}", "'${BAD NAME}'", "10", "10x", "PT30S", "-5s", "0s", "999999d", "1ms", "http://", "ftp://x/y",
            "http://127.0.0.1:1/hook", "'[unclosed'", "\"\\u0000\"", "&anchor v", "*anchor", "*nowhere", "!!binary aGk=",
            "!!int x", "|\n  block", ">\n  folded", "'x'''", "\"\\q\"", "*", "2xx", "200", "form", "json", "xml",
            "ALL", "'*'", "é漢😀", "'a\tb'");
    private static final List<String> KEYS = List.of("url", "user", "password", "init", "poolSize", "timeZone", "port",
            "host", "keys", "name", "key", "views", "admin", "table", "fields", "calculations", "filters", "writable",
            "push", "stamp", "modified", "minInterval", "format", "maxRows", "success", "timeout", "secret", "secrets",
            "retry", "attempts", "initialBackoff", "maxBackoff", "maxRetryAfter", "backoffInitial", "backoffMax",
            "workers", "pollInterval", "leaseTtl", "shutdownTimeout", "journalRetention", "journalMaxAttemptsPerView",
            "journalPruneInterval", "database", "server", "api", "engine", "unknown", "Url", "tabel", "feilds", "<<");

    private final SplittableRandom random;

    YamlMutator(SplittableRandom random) {
        this.random = random;
    }

    String mutate(String yaml) {
        String s = yaml;
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            s = once(s);
        }
        return s;
    }

    private String once(String s) {
        List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
        int line = random.nextInt(lines.size());
        String l = lines.get(line);
        int at = l.isEmpty() ? 0 : random.nextInt(l.length() + 1);
        switch (random.nextInt(16)) {
            case 0 -> { // delete a character
                if (!s.isEmpty()) {
                    int p = random.nextInt(s.length());
                    return s.substring(0, p) + s.substring(p + 1);
                }
                return s;
            }
            case 1 -> lines.set(line, l.substring(0, at) + PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length()))
                    + l.substring(at));
            case 2 -> lines.remove(line);
            case 3 -> lines.add(line, l);
            case 4 -> {
                int other = random.nextInt(lines.size());
                lines.set(line, lines.get(other));
                lines.set(other, l);
            }
            case 5 -> lines.set(line, " ".repeat(random.nextInt(9)) + l.stripLeading());
            case 6 -> { // replace a value
                int colon = l.indexOf(':');
                if (colon > 0) {
                    lines.set(line, l.substring(0, colon + 1) + " " + VALUES.get(random.nextInt(VALUES.size())));
                }
            }
            case 7 -> { // rename a key
                int colon = l.indexOf(':');
                String indent = l.substring(0, l.length() - l.stripLeading().length());
                if (colon > 0) {
                    lines.set(line, indent + (l.stripLeading().startsWith("- ") ? "- " : "")
                            + KEYS.get(random.nextInt(KEYS.size())) + l.substring(colon));
                }
            }
            case 8 -> { // add a key with any value
                String indent = l.substring(0, l.length() - l.stripLeading().length());
                lines.add(line, indent + KEYS.get(random.nextInt(KEYS.size())) + ": "
                        + VALUES.get(random.nextInt(VALUES.size())));
            }
            case 9 -> lines.set(line, l.replace(" ", "\t"));
            case 10 -> { // a control or odd character
                char c = switch (random.nextInt(6)) {
                    case 0 -> '\u0000';
                    case 1 -> '\u0007';
                    case 2 -> '\ufeff';
                    case 3 -> '\r';
                    case 4 -> '\u2028';
                    default -> (char) random.nextInt(0x10000);
                };
                lines.set(line, l.substring(0, at) + c + l.substring(at));
            }
            case 11 -> lines.set(line, l + " " + "x".repeat(random.nextInt(20_000)));
            case 12 -> { // an alias bomb
                lines.add(0, "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                        + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]");
            }
            case 13 -> { // cut the file short
                return s.substring(0, random.nextInt(s.length() + 1));
            }
            case 14 -> lines.set(line, l.toUpperCase(java.util.Locale.ROOT));
            default -> { // a duplicate key
                int colon = l.indexOf(':');
                if (colon > 0) {
                    lines.add(line + 1, l);
                }
            }
        }
        return String.join("\n", lines);
    }
}
