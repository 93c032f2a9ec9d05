package io.viewpush.app.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Remembers where each view and each of its keys was written, to place problems found later. */
final class Locator {
    private final String file;
    private final Map<String, Map<String, Location>> views = new HashMap<>();
    private final Map<String, Map<String, Expr>> expressions = new HashMap<>();

    /** An expression as written: where its scalar starts, its text, and the file's line holding it. */
    private record Expr(Location at, String source, String rawLine) {
    }

    Locator(String file) {
        this.file = file;
    }

    void put(String view, String key, Location at) {
        views.computeIfAbsent(view, v -> new HashMap<>()).putIfAbsent(key, at);
    }

    /** Remembers an expression, so that a character position inside it can be turned into a column. */
    void putExpression(String view, String key, Location at, String source, String rawLine) {
        expressions.computeIfAbsent(view, v -> new HashMap<>()).put(key, new Expr(at, source, rawLine));
    }

    /**
     * @return where the key was written; for a problem at a character of a single-line expression,
     *         the line and column of that very character
     */
    Location locate(String view, String key, Optional<Integer> position) {
        Location at = locate(view, key);
        Expr e = expressions.getOrDefault(view, Map.of()).get(key);
        if (position.isEmpty() || e == null || e.rawLine() == null || !e.at().equals(at) || at.column() < 1) {
            return at;
        }
        int start = at.column() - 1;
        if (e.rawLine().startsWith(e.source(), start)) {
            return new Location(at.file(), at.line(), at.column() + position.get() - 1);
        }
        if (e.rawLine().startsWith(e.source(), start + 1)) {
            // quoted: the text starts after the quote
            return new Location(at.file(), at.line(), at.column() + position.get());
        }
        return at;
    }

    /**
     * @param key a key in config terms ({@code push.stamp}, {@code fields.id}, {@code filters[2]})
     * @return where it was written, or where its nearest enclosing key or the view was
     */
    Location locate(String view, String key) {
        Map<String, Location> keys = views.get(view);
        if (keys == null) {
            return Location.of(file);
        }
        String k = key;
        while (!k.isEmpty()) {
            Location at = keys.get(k);
            if (at != null) {
                return at;
            }
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            k = cut < 0 ? "" : k.substring(0, cut);
        }
        return keys.getOrDefault("", Location.of(file));
    }
}
