package io.viewpush.push;

import java.util.Objects;

/**
 * A row a push held back: it is in the view, but one of its values cannot be carried by the row
 * JSON (text that is not valid Unicode, a number too wide to write plainly), so it was neither sent
 * nor stamped. It is sent by the first push after someone repairs the value.
 *
 * @param key     the row's key as printable text (numbers plain; surrogates and control
 *                characters escaped as {@code \}{@code uXXXX})
 * @param field   the first field whose value cannot be carried
 * @param problem why, completing "the value …" (for example "is text that is not valid Unicode: …")
 */
public record HeldBackRow(String key, String field, String problem) {
    public HeldBackRow {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(problem, "problem");
    }

    @Override
    public String toString() {
        return "key " + key + ", field '" + field + "'";
    }
}
