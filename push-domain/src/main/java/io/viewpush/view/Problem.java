package io.viewpush.view;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing wrong with a view definition.
 *
 * @param view     the view's name (may be empty when the name itself is missing)
 * @param key      where in the definition, in config terms: {@code table}, {@code fields.id},
 *                 {@code calculations.needs pushing}, {@code filters[1]}, {@code push.stamp}
 * @param message  what is wrong and, where it helps, what would be valid
 * @param position the 1-based character position inside an expression, when the problem is in one
 */
public record Problem(String view, String key, String message, Optional<Integer> position) {
    public Problem {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(position, "position");
    }

    /** @return a problem that is not inside an expression */
    public static Problem of(String view, String key, String message) {
        return new Problem(view, key, message, Optional.empty());
    }

    @Override
    public String toString() {
        return "view '" + view + "', " + key + ": " + message;
    }
}
