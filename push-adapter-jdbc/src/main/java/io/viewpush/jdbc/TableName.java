package io.viewpush.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A view's {@code table} as written: {@code name} or {@code schema.name}, each part bare (matched
 * exactly, then ignoring case) or in double quotes (matched exactly; {@code ""} is a quote), as in
 * SQL: {@code sales.orders}, {@code "Sales"."Order Lines"}. A bare part may hold spaces and any
 * letters but no dot or quote.
 *
 * @param schema       the schema, or null when the name is unqualified
 * @param schemaQuoted whether the schema was quoted
 * @param name         the table's name
 * @param nameQuoted   whether the name was quoted
 */
record TableName(String schema, boolean schemaQuoted, String name, boolean nameQuoted) {

    /** @return the parsed name, or empty when it is not one (more than two parts, an unclosed quote, an empty part) */
    static Optional<TableName> parse(String text) {
        List<String> parts = new ArrayList<>();
        List<Boolean> quoted = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            StringBuilder part = new StringBuilder();
            boolean q = i < n && text.charAt(i) == '"';
            if (q) {
                i++;
                while (true) {
                    if (i >= n) {
                        return Optional.empty();
                    }
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            part.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        part.append(c);
                    }
                }
            } else {
                while (i < n && text.charAt(i) != '.') {
                    if (text.charAt(i) == '"') {
                        return Optional.empty();
                    }
                    part.append(text.charAt(i++));
                }
            }
            String p = q ? part.toString() : part.toString().strip();
            if (p.isEmpty()) {
                return Optional.empty();
            }
            parts.add(p);
            quoted.add(q);
            if (i >= n) {
                break;
            }
            if (text.charAt(i) != '.') {
                return Optional.empty();
            }
            i++;
        }
        if (parts.size() == 1) {
            return Optional.of(new TableName(null, false, parts.get(0), quoted.get(0)));
        }
        if (parts.size() == 2) {
            return Optional.of(new TableName(parts.get(0), quoted.get(0), parts.get(1), quoted.get(1)));
        }
        return Optional.empty();
    }
}
