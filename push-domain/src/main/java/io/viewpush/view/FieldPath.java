package io.viewpush.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a field shows when it is not a column of the view's own table: a <em>lookup</em>, a column
 * of a table reached through foreign keys ({@code customer.name}, {@code customer.address.city.city}),
 * or a <em>summary</em> of the rows of another table that refer to the view's row
 * ({@code count(rental)}, {@code sum(order_line.amount)}, {@code max(payment.payment_date)}).
 *
 * <p>Notation: parts separated by dots, the last one a column (a count has none: it counts rows).
 * Each step before it names a foreign key: for a lookup one of the table's own foreign keys, by its
 * column ({@code original_language_id}) or that column without its id suffix
 * ({@code original_language}, and {@code language} for {@code language_id}), its constraint name, or
 * the table it points to ({@code customer}) when only one foreign key points there; for a summary's first step a foreign
 * key of another table that points to the view's table, by that table ({@code rental}) or the
 * constraint's name. A step may name the foreign key in brackets after the table, which settles
 * which one is meant when several lead to the same table: {@code language[original_language_id].name},
 * {@code count(film[original_language_id])}. A part in double quotes is matched exactly ({@code ""}
 * is a quote) and may hold dots and brackets; a bare part is matched exactly, then ignoring case.
 *
 * @param aggregate the summary's function; empty for a lookup
 * @param steps     the foreign keys followed, in order (at least one)
 * @param column    the column read at the end; empty only for a count
 */
public record FieldPath(Optional<Aggregate> aggregate, List<Step> steps, Optional<Name> column) {
    private static final Pattern SUMMARY = Pattern.compile("(?is)\\s*(count|sum|min|max)\\s*\\((.*)\\)\\s*");

    public FieldPath {
        Objects.requireNonNull(aggregate, "aggregate");
        steps = List.copyOf(steps);
        Objects.requireNonNull(column, "column");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a path has at least one step");
        }
    }

    /** The functions a summary computes over the related rows. */
    public enum Aggregate {
        /** The number of related rows (0 when there are none). */
        COUNT,
        /** The sum of a number column over the related rows (empty when there are none or all are empty). */
        SUM,
        /** The smallest non-empty value (empty when there is none). */
        MIN,
        /** The largest non-empty value (empty when there is none). */
        MAX;

        /** @return the function as it is written, in lower case */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A name as written.
     *
     * @param text   the name without its quotes
     * @param quoted whether it was in double quotes (then it is matched exactly)
     */
    public record Name(String text, boolean quoted) {
        public Name {
            Objects.requireNonNull(text, "text");
        }

        /** @return whether {@code candidate} is this name: exactly, or ignoring case when not quoted */
        public boolean matchesIgnoringCase(String candidate) {
            return !quoted && text.equalsIgnoreCase(candidate);
        }

        @Override
        public String toString() {
            return write(text);
        }
    }

    /**
     * One foreign key followed.
     *
     * @param name      a table, a foreign key's column or its constraint name
     * @param qualifier the foreign key's column(s, comma-separated) or constraint name, written in
     *                  brackets after a table to pick one of several foreign keys
     */
    public record Step(Name name, Optional<Name> qualifier) {
        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(qualifier, "qualifier");
        }

        @Override
        public String toString() {
            return name + qualifier.map(q -> "[" + q + "]").orElse("");
        }
    }

    /** @return whether this is a summary of related rows (else a lookup) */
    public boolean isSummary() {
        return aggregate.isPresent();
    }

    /**
     * Reads a field's column text.
     *
     * @param text what a field maps to
     * @return the path, or empty when the text is a plain column (no dot outside quotes, not a summary)
     * @throws IllegalArgumentException saying what is wrong with a text that is meant as a path
     */
    public static Optional<FieldPath> parse(String text) {
        Matcher m = SUMMARY.matcher(text);
        if (m.matches()) {
            Aggregate a = Aggregate.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            List<List<Name>> parts = parts(m.group(2), text);
            if (a == Aggregate.COUNT) {
                return Optional.of(new FieldPath(Optional.of(a), steps(parts, parts.size(), text), Optional.empty()));
            }
            if (parts.size() < 2) {
                throw new IllegalArgumentException("'" + text + "' needs a column to " + a.word() + ": "
                        + a.word() + "(table.column), for example sum(order_line.amount)");
            }
            return Optional.of(new FieldPath(Optional.of(a), steps(parts, parts.size() - 1, text),
                    Optional.of(column(parts.get(parts.size() - 1), text))));
        }
        if (!hasUnquotedDot(text)) {
            return Optional.empty();
        }
        List<List<Name>> parts = parts(text, text);
        return Optional.of(new FieldPath(Optional.empty(), steps(parts, parts.size() - 1, text),
                Optional.of(column(parts.get(parts.size() - 1), text))));
    }

    private static List<Step> steps(List<List<Name>> parts, int n, String text) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Name> p = parts.get(i);
            steps.add(new Step(p.get(0), p.size() > 1 ? Optional.of(p.get(1)) : Optional.empty()));
        }
        return steps;
    }

    private static Name column(List<Name> part, String text) {
        if (part.size() > 1) {
            throw new IllegalArgumentException("in '" + text + "' the last part, the column " + part.get(0)
                    + ", cannot have a foreign key in brackets");
        }
        return part.get(0);
    }

    private static boolean hasUnquotedDot(String text) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                return true;
            }
        }
        return false;
    }

    /** Each part: its name, and its bracketed qualifier when it has one. */
    private static List<List<Name>> parts(String s, String text) {
        List<List<Name>> parts = new ArrayList<>();
        int[] at = {0};
        while (true) {
            List<Name> part = new ArrayList<>();
            part.add(name(s, at, text, ".["));
            skipBlanks(s, at);
            if (at[0] < s.length() && s.charAt(at[0]) == '[') {
                at[0]++;
                part.add(name(s, at, text, "]"));
                if (at[0] >= s.length() || s.charAt(at[0]) != ']') {
                    throw new IllegalArgumentException("'" + text + "' has a '[' that is not closed by ']'");
                }
                at[0]++;
                skipBlanks(s, at);
            }
            parts.add(part);
            if (at[0] >= s.length()) {
                return parts;
            }
            if (s.charAt(at[0]) != '.') {
                throw new IllegalArgumentException("'" + text + "' has '" + s.charAt(at[0]) + "' where a '.' or the end"
                        + " was expected, at " + (at[0] + 1));
            }
            at[0]++;
        }
    }

    private static void skipBlanks(String s, int[] at) {
        while (at[0] < s.length() && Character.isWhitespace(s.charAt(at[0]))) {
            at[0]++;
        }
    }

    private static Name name(String s, int[] at, String text, String stops) {
        skipBlanks(s, at);
        if (at[0] < s.length() && s.charAt(at[0]) == '"') {
            StringBuilder b = new StringBuilder();
            int i = at[0] + 1;
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("'" + text + "' has a quote that is not closed");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    if (i < s.length() && s.charAt(i) == '"') {
                        b.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    b.append(c);
                }
            }
            at[0] = i;
            if (b.length() == 0) {
                throw new IllegalArgumentException("'" + text + "' has an empty name \"\"");
            }
            return new Name(b.toString(), true);
        }
        int start = at[0];
        while (at[0] < s.length() && stops.indexOf(s.charAt(at[0])) < 0 && s.charAt(at[0]) != ']'
                && s.charAt(at[0]) != '"') {
            at[0]++;
        }
        String bare = s.substring(start, at[0]).strip();
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has an empty part at " + (start + 1)
                    + " (write table.column; a name that holds a dot goes in double quotes)");
        }
        return new Name(bare, false);
    }

    /** @return a name as a path writes it: bare when it can be, else in double quotes */
    static String write(String name) {
        boolean plain = !name.isEmpty() && name.strip().equals(name) && name.chars().noneMatch(c -> ".[]\"()".indexOf(c) >= 0);
        return plain ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Step s : steps) {
            b.append(b.length() == 0 ? "" : ".").append(s);
        }
        column.ifPresent(c -> b.append('.').append(c));
        return aggregate.map(a -> a.word() + "(" + b + ")").orElse(b.toString());
    }
}
