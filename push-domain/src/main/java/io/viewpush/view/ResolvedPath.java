package io.viewpush.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A {@link FieldPath} followed through a database's {@link Catalog}: the foreign keys it takes,
 * the table it ends at and the column it reads there, each as the catalog spells it.
 *
 * @param path   the path as written
 * @param hops   the foreign keys followed, in order
 * @param column the column read at the end (as the catalog spells it); empty for a count
 */
public record ResolvedPath(FieldPath path, List<Hop> hops, Optional<String> column) {
    public ResolvedPath {
        Objects.requireNonNull(path, "path");
        hops = List.copyOf(hops);
        Objects.requireNonNull(column, "column");
    }

    /**
     * One foreign key followed: from the referring table to the one it refers to (a lookup), or
     * the other way, from the table referred to, to the rows that refer to it (a summary's first step).
     *
     * @param key     the foreign key
     * @param inbound whether it is followed from the table referred to, to the referring rows
     */
    public record Hop(ForeignKey key, boolean inbound) {
        public Hop {
            Objects.requireNonNull(key, "key");
        }

        /** @return the table the hop starts from */
        public TableRef from() {
            return inbound ? key.referencedTable() : key.table();
        }

        /** @return the table the hop leads to */
        public TableRef to() {
            return inbound ? key.table() : key.referencedTable();
        }
    }

    /** @return the table the path ends at */
    public TableRef table() {
        return hops.get(hops.size() - 1).to();
    }

    /**
     * Follows a path from a view's table.
     *
     * @param path    the path
     * @param start   the view's table
     * @param catalog what the database says about its tables
     * @return the path resolved
     * @throws PathException naming the step or column that leads nowhere, with what could be written
     */
    public static ResolvedPath resolve(FieldPath path, TableRef start, Catalog catalog) {
        List<Hop> hops = new ArrayList<>();
        TableRef at = start;
        for (int i = 0; i < path.steps().size(); i++) {
            FieldPath.Step step = path.steps().get(i);
            boolean inbound = path.isSummary() && i == 0;
            Hop hop = inbound ? new Hop(inbound(step, at, catalog), true) : new Hop(outbound(step, at, catalog), false);
            hops.add(hop);
            at = hop.to();
        }
        Optional<String> column = Optional.empty();
        if (path.column().isPresent()) {
            FieldPath.Name wanted = path.column().get();
            List<String> columns = catalog.columnsOf(at);
            List<String> found = match(columns, wanted, c -> c);
            if (found.size() != 1) {
                throw new PathException(PathException.Kind.UNKNOWN_COLUMN, found.isEmpty()
                        ? "table '" + at.name() + "' has no column " + quoted(wanted) + " (its columns: " + list(columns) + ")"
                        : "column " + quoted(wanted) + " matches several columns of table '" + at.name() + "' ignoring case ("
                        + String.join(", ", found) + "); write it exactly, in double quotes",
                        found.isEmpty() ? columns : found);
            }
            column = Optional.of(found.get(0));
        }
        return new ResolvedPath(path, hops, column);
    }

    private static ForeignKey outbound(FieldPath.Step step, TableRef at, Catalog catalog) {
        List<ForeignKey> keys = catalog.foreignKeysOf(at);
        Function<ForeignKey, String> target = k -> k.referencedTable().name();
        Optional<ForeignKey> one = pick(step, keys, target, true);
        if (one.isPresent()) {
            return one.get();
        }
        List<ForeignKey> meant = meant(step, keys, target, true);
        if (meant.size() > 1) {
            throw new PathException(PathException.Kind.AMBIGUOUS_RELATION, "'" + step + "' is ambiguous: table '" + at.name()
                    + "' has " + meant.size() + " foreign keys to table '" + meant.get(0).referencedTable().name()
                    + "'; write one of " + meant.stream().map(k -> writeOutbound(k, keys) + " (" + describeOutbound(k) + ")")
                    .collect(Collectors.joining(", ")), meant.stream().map(k -> writeOutbound(k, keys)).collect(Collectors.toList()));
        }
        List<String> candidates = keys.stream().map(k -> writeOutbound(k, keys)).collect(Collectors.toList());
        String referring = catalog.foreignKeysTo(at).stream().filter(k -> step.name().text().equalsIgnoreCase(k.table().name()))
                .findFirst().map(k -> "; table '" + k.table().name() + "' refers to '" + at.name() + "' rather: a summary"
                        + " such as count(" + FieldPath.write(k.table().name()) + ") reads the rows that refer to it").orElse("");
        throw new PathException(PathException.Kind.UNKNOWN_RELATION, keys.isEmpty()
                ? "table '" + at.name() + "' has no foreign keys, so '" + step + "' leads nowhere" + referring
                : "table '" + at.name() + "' has no foreign key '" + step + "'; its foreign keys: "
                + keys.stream().map(k -> describeOutbound(k) + " (write " + writeOutbound(k, keys) + ")")
                .collect(Collectors.joining(", ")) + referring, candidates);
    }

    private static ForeignKey inbound(FieldPath.Step step, TableRef at, Catalog catalog) {
        List<ForeignKey> keys = catalog.foreignKeysTo(at);
        Function<ForeignKey, String> source = k -> k.table().name();
        Optional<ForeignKey> one = pick(step, keys, source, false);
        if (one.isPresent()) {
            return one.get();
        }
        List<ForeignKey> meant = meant(step, keys, source, false);
        if (meant.size() > 1) {
            throw new PathException(PathException.Kind.AMBIGUOUS_RELATION, "'" + step + "' is ambiguous: table '"
                    + meant.get(0).table().name() + "' refers to table '" + at.name() + "' through " + meant.size()
                    + " foreign keys; write one of " + meant.stream().map(k -> writeInbound(k, keys) + " (" + describeInbound(k) + ")")
                    .collect(Collectors.joining(", ")), meant.stream().map(k -> writeInbound(k, keys)).collect(Collectors.toList()));
        }
        throw new PathException(PathException.Kind.UNKNOWN_RELATION, keys.isEmpty()
                ? "no table refers to table '" + at.name() + "' through a foreign key, so '" + step + "' has no rows to summarise"
                : "no table refers to table '" + at.name() + "' as '" + step + "'; the tables that refer to it: "
                + keys.stream().map(k -> describeInbound(k) + " (write " + writeInbound(k, keys) + ")")
                .collect(Collectors.joining(", ")), keys.stream().map(k -> writeInbound(k, keys)).collect(Collectors.toList()));
    }

    /**
     * The one foreign key a step names, if it names exactly one: by constraint name, then (for a
     * lookup) by its one column, or that column without an id suffix ({@code language} for
     * {@code language_id}) when that names one, then by the table at its other end; a bracketed qualifier picks
     * among the foreign keys of that table by column(s) or constraint name.
     */
    private static Optional<ForeignKey> pick(FieldPath.Step step, List<ForeignKey> keys, Function<ForeignKey, String> table,
                                             boolean byColumn) {
        List<ForeignKey> meant = meant(step, keys, table, byColumn);
        return meant.size() == 1 ? Optional.of(meant.get(0)) : Optional.empty();
    }

    private static List<ForeignKey> meant(FieldPath.Step step, List<ForeignKey> keys, Function<ForeignKey, String> table,
                                          boolean byColumn) {
        if (step.qualifier().isPresent()) {
            FieldPath.Name q = step.qualifier().get();
            List<ForeignKey> there = match(keys, step.name(), table);
            List<ForeignKey> named = match(there, q, ForeignKey::name);
            if (!named.isEmpty()) {
                return named;
            }
            FieldPath.Name columns = new FieldPath.Name(normaliseColumns(q.text()), q.quoted());
            return match(there, columns, k -> String.join(",", k.columns()));
        }
        List<ForeignKey> named = match(keys, step.name(), ForeignKey::name);
        if (!named.isEmpty()) {
            return named;
        }
        if (byColumn) {
            List<ForeignKey> single = keys.stream().filter(k -> k.columns().size() == 1).collect(Collectors.toList());
            List<ForeignKey> column = match(single, step.name(), k -> k.columns().get(0));
            if (!column.isEmpty()) {
                return column;
            }
            List<ForeignKey> stem = match(single.stream().filter(k -> stem(k.columns().get(0)) != null)
                    .collect(Collectors.toList()), step.name(), k -> stem(k.columns().get(0)));
            if (stem.size() == 1) {
                return stem;
            }
        }
        return match(keys, step.name(), table);
    }

    private static final java.util.regex.Pattern ID_SUFFIX = java.util.regex.Pattern.compile("(.+?)(?:(?i:[_ ]id)|Id|ID)");

    /** A foreign key column's name without its id suffix ({@code language_id}: {@code language}), or null. */
    private static String stem(String column) {
        java.util.regex.Matcher m = ID_SUFFIX.matcher(column);
        return m.matches() ? m.group(1) : null;
    }

    private static String normaliseColumns(String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::strip).collect(Collectors.joining(","));
    }

    /** A lookup's step that names exactly this key: its table when no other key points there, else table[columns]. */
    private static String writeOutbound(ForeignKey k, List<ForeignKey> all) {
        long sameTarget = all.stream().filter(o -> o.referencedTable().equals(k.referencedTable())).count();
        return sameTarget == 1 ? FieldPath.write(k.referencedTable().name())
                : FieldPath.write(k.referencedTable().name()) + "[" + k.columnText() + "]";
    }

    private static String writeInbound(ForeignKey k, List<ForeignKey> all) {
        long sameSource = all.stream().filter(o -> o.table().equals(k.table())).count();
        return sameSource == 1 ? FieldPath.write(k.table().name())
                : FieldPath.write(k.table().name()) + "[" + k.columnText() + "]";
    }

    private static String describeOutbound(ForeignKey k) {
        return String.join(", ", k.columns()) + " -> " + k.referencedTable().name()
                + (k.name().isEmpty() ? "" : ", constraint " + k.name());
    }

    private static String describeInbound(ForeignKey k) {
        return k.table().name() + "." + String.join(", ", k.columns())
                + (k.name().isEmpty() ? "" : ", constraint " + k.name());
    }

    /** Exactly, else ignoring case unless quoted. */
    private static <T> List<T> match(List<T> candidates, FieldPath.Name wanted, Function<T, String> name) {
        List<T> exact = candidates.stream().filter(c -> wanted.text().equals(name.apply(c))).collect(Collectors.toList());
        if (!exact.isEmpty() || wanted.quoted()) {
            return exact;
        }
        return candidates.stream().filter(c -> wanted.matchesIgnoringCase(name.apply(c))).collect(Collectors.toList());
    }

    private static String quoted(FieldPath.Name n) {
        return "'" + n.text() + "'";
    }

    private static String list(List<String> names) {
        return names.size() <= 40 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 40)) + ", ... (" + names.size() + " in all)";
    }
}
