package io.viewpush.app.config;

import java.util.List;
import java.util.Optional;

/** A YAML value with the place it was written: a map, a list or a scalar. */
sealed interface Node permits Node.MapNode, Node.ListNode, Node.ScalarNode {

    /** @return where the value starts */
    Location location();

    /** @return what a user calls this kind of value, for messages */
    String kind();

    /** A key of a map with the place it was written, and its value. */
    record Entry(String key, Location keyLocation, Node value) {
    }

    /** A YAML mapping, keys in the order written; {@code duplicates} are later entries with a key seen before. */
    record MapNode(Location location, List<Entry> entries, List<Entry> duplicates) implements Node {
        Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }

        @Override
        public String kind() {
            return "a map of keys";
        }
    }

    /** A YAML sequence. */
    record ListNode(Location location, List<Node> items) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A YAML scalar: its text (after {@code ${NAME}} substitution) and the type YAML gave it. */
    record ScalarNode(Location location, String text, ScalarType type) implements Node {
        boolean isNull() {
            return type == ScalarType.NULL;
        }

        @Override
        public String kind() {
            return isNull() ? "empty" : "a single value";
        }
    }

    /** How YAML typed a scalar. */
    enum ScalarType {
        NULL, TEXT, INTEGER, DECIMAL, BOOLEAN
    }
}
