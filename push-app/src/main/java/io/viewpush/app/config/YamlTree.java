package io.viewpush.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads YAML text into {@link Node}s that remember their line and column (Jackson's YAML parser's
 * token locations), reporting syntax errors and duplicate keys as problems.
 */
final class YamlTree {
    /**
     * Code points a config file may have: SnakeYAML's default (3 MiB) is about 2,500 views, short of
     * what an engine watches (one view per shop or partner, thousands of them). The text is in memory
     * already; the limit only guards against a file that is not a config at all.
     */
    static final int MAX_CODE_POINTS = 256 * 1024 * 1024;
    private static final YAMLFactory FACTORY = YAMLFactory.builder().loaderOptions(loaderOptions()).build();

    private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
        org.yaml.snakeyaml.LoaderOptions o = new org.yaml.snakeyaml.LoaderOptions();
        o.setCodePointLimit(MAX_CODE_POINTS);
        return o;
    }

    private final String file;
    private final List<ConfigProblem> problems;

    private YamlTree(String file, List<ConfigProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /**
     * @return the document's root, or empty after a syntax error (which is added to {@code problems})
     *         or when the document is empty
     */
    static Optional<Node> read(String text, String file, List<ConfigProblem> problems) {
        YamlTree tree = new YamlTree(file, problems);
        try (JsonParser p = FACTORY.createParser(new StringReader(text))) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return Optional.empty();
            }
            return Optional.of(tree.value(p, ""));
        } catch (StreamReadException e) {
            JsonLocation l = e.getLocation();
            Location at = l == null ? Location.of(file) : new Location(file, l.getLineNr(), l.getColumnNr());
            problems.add(ConfigProblem.at(at, "", "YAML syntax error: " + syntaxMessage(e, text, at)));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(ConfigProblem.at(Location.of(file), "", "cannot read the YAML: " + e.getMessage()));
            return Optional.empty();
        }
    }

    private static String syntaxMessage(StreamReadException e, String text, Location at) {
        String m = e.getOriginalMessage();
        // SnakeYAML's message spans several lines with a context excerpt; keep its sentences only
        List<String> kept = new ArrayList<>();
        for (String line : m.split("\\R")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("in 'reader'") || s.startsWith("^") || line.startsWith("    ")) {
                continue;
            }
            kept.add(s);
        }
        String msg = String.join("; ", kept);
        String[] lines = text.split("\\R", -1);
        boolean braceNearby = false;
        for (int i = Math.max(0, at.line() - 2); i < Math.min(lines.length, at.line() + 1); i++) {
            String l = lines[i];
            if (l.matches(".*(:|-)\\s+\\{.*")) {
                braceNearby = true;
            }
        }
        if (braceNearby) {
            msg += " (an expression that starts with '{' must be quoted in YAML: \"{a} > {b}\")";
        }
        return msg;
    }

    private Location here(JsonParser p) {
        JsonLocation l = p.currentTokenLocation();
        return new Location(file, l.getLineNr(), l.getColumnNr());
    }

    private Node value(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        Location at = here(p);
        switch (t) {
            case START_OBJECT: {
                List<Node.Entry> entries = new ArrayList<>();
                List<Node.Entry> duplicates = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = here(p);
                    p.nextToken();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    Node v = value(p, childPath);
                    (seen.add(key) ? entries : duplicates).add(new Node.Entry(key, keyAt, v));
                }
                return new Node.MapNode(at, List.copyOf(entries), List.copyOf(duplicates));
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    i++;
                    items.add(value(p, path + "[" + i + "]"));
                }
                return new Node.ListNode(at, List.copyOf(items));
            }
            case VALUE_NULL:
                return new Node.ScalarNode(at, null, Node.ScalarType.NULL);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new Node.ScalarNode(at, p.getText(), Node.ScalarType.BOOLEAN);
            case VALUE_NUMBER_INT:
                return new Node.ScalarNode(at, p.getText(), Node.ScalarType.INTEGER);
            case VALUE_NUMBER_FLOAT:
                return new Node.ScalarNode(at, p.getText(), Node.ScalarType.DECIMAL);
            default:
                return new Node.ScalarNode(at, p.getText(), Node.ScalarType.TEXT);
        }
    }
}
