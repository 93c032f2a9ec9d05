package io.viewpush.app.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One mistake in a config: where (file, line, column; the view and the key), what is wrong and,
 * where it helps, what would be valid.
 *
 * <p>Printed like a compiler message, e.g.
 * {@code push.yaml:14:7: view 'orders', push.minIntervall: unknown key 'minIntervall'; did you mean 'minInterval'?}
 * and, for expressions, with the character position:
 * {@code push.yaml:20:9: view 'orders', filters[1], character 2: unknown field {x} ...}.
 *
 * @param location where in the file (line 0 when the problem is not tied to a line)
 * @param view     the view's name, when the problem is inside a view
 * @param key      the key inside the view (or from the root outside views), e.g. {@code push.url},
 *                 {@code database.url}; empty for the whole file
 * @param message  what is wrong and what would be valid
 * @param position the 1-based character position inside an expression, when the problem is in one
 */
public record ConfigProblem(Location location, Optional<String> view, String key, String message,
                            Optional<Integer> position) {
    public ConfigProblem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(position, "position");
    }

    /** @return a problem outside any view */
    public static ConfigProblem at(Location location, String key, String message) {
        return new ConfigProblem(location, Optional.empty(), key, message, Optional.empty());
    }

    /** @return a problem inside a view */
    public static ConfigProblem inView(Location location, String view, String key, String message) {
        return new ConfigProblem(location, Optional.of(view), key, message, Optional.empty());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(location.toString()).append(": ");
        StringBuilder where = new StringBuilder();
        view.ifPresent(v -> where.append("view '").append(v).append('\''));
        if (!key.isEmpty()) {
            if (where.length() > 0) {
                where.append(", ");
            }
            where.append(key);
        }
        position.ifPresent(p -> where.append(where.length() > 0 ? ", " : "").append("character ").append(p));
        if (where.length() > 0) {
            sb.append(where).append(": ");
        }
        return sb.append(message).toString();
    }
}
