package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.port.StorageException;
import io.viewpush.push.PushPolicy;
import io.viewpush.view.Field;
import io.viewpush.view.FieldPath;
import io.viewpush.view.ForeignKey;
import io.viewpush.view.PathException;
import io.viewpush.view.ResolvedPath;
import io.viewpush.view.TableRef;
import io.viewpush.view.InvalidViewException;
import io.viewpush.view.Problem;
import io.viewpush.view.ViewDefinition;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads tables and columns from the database's metadata and maps them to a view: names are
 * matched exactly first, then ignoring case when that is unique (H2 upper-cases unquoted names).
 */
final class Schema {
    private static final Set<String> TABLE_TYPES = Set.of("TABLE", "BASE TABLE", "VIEW", "MATERIALIZED VIEW",
            "PARTITIONED TABLE", "FOREIGN TABLE");
    /** The kinds of table whose unique indexes the metadata shows: a view's key is trusted to be unique. */
    private static final Set<String> INDEXED_TYPES = Set.of("TABLE", "BASE TABLE", "PARTITIONED TABLE");
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String SUPPORTED = "every other type is supported; text that compares ignoring case is not,"
            + " because the expression language compares text exactly: use VARCHAR, or cast it in a database view";

    private final Dialect dialect;

    Schema(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * The catalog's answers kept while one thread reads many views' metadata ({@link #keep}): an
     * engine with thousands of views over one table resolved each view's table, columns, types and
     * keys again, five catalog queries a view, which made 10,000 views take minutes to start. Only
     * within such a reading (binding an engine's views, one check of many idle views): a later
     * reading sees a table that changed.
     */
    private final ThreadLocal<Map<List<Object>, Object>> kept = new ThreadLocal<>();

    /** A reading of many views' metadata in which the catalog's answers are kept; closing it forgets them. */
    interface Kept extends AutoCloseable {
        @Override
        void close();
    }

    /** @return a reading that keeps the catalog's answers until closed (nested readings share the outer one) */
    Kept keep() {
        if (kept.get() != null) {
            return () -> { };
        }
        kept.set(new java.util.HashMap<>());
        return kept::remove;
    }

    /** A catalog read that may fail. */
    private interface Read<T> {
        T get() throws SQLException;
    }

    /** @return the catalog's answer to {@code key}: read now, or kept from earlier in this reading */
    @SuppressWarnings("unchecked")
    private <T> T recently(List<Object> key, Read<T> read) throws SQLException {
        Map<List<Object>, Object> answers = kept.get();
        if (answers == null) {
            return read.get();
        }
        if (answers.containsKey(key)) {
            return (T) answers.get(key);
        }
        T answer = read.get();
        answers.put(key, answer);
        return answer;
    }

    /** A column as the metadata describes it. */
    record Column(String name, int jdbcType, String typeName, int size, Integer decimalDigits, boolean nullable) {

        boolean isCharacter() {
            return jdbcType == Types.CHAR || jdbcType == Types.NCHAR;
        }

        boolean isInteger() {
            return jdbcType == Types.TINYINT || jdbcType == Types.SMALLINT || jdbcType == Types.INTEGER
                    || jdbcType == Types.BIGINT;
        }

        String describe() {
            return typeName.toLowerCase(Locale.ROOT);
        }
    }

    /** A table found in the metadata, with its columns in order. */
    record Table(String schema, String name, List<Column> columns, boolean qualified) {
        Table(String schema, String name, List<Column> columns) {
            this(schema, name, columns, false);
        }
    }

    /** The outcome of matching a view definition with its table: a mapping, or problems. */
    record Resolution(Optional<Mapping> mapping, List<Problem> problems, Map<String, ValueType> types) {
    }

    /**
     * @return the types of every plain field of the view
     * @throws InvalidViewException listing every problem
     */
    Map<String, ValueType> fieldTypes(Connection connection, ViewDefinition definition) throws SQLException {
        Resolution r = resolve(connection, definition);
        if (!r.problems().isEmpty()) {
            throw new InvalidViewException(r.problems());
        }
        return r.types();
    }

    /**
     * @return the view's mapping to its table's columns
     * @throws StorageException when the table or a column no longer fits the view
     */
    Mapping mapping(Connection connection, ViewDefinition definition) throws SQLException {
        Resolution r = resolve(connection, definition);
        if (!r.problems().isEmpty()) {
            throw new StorageException("the table of view '" + definition.name() + "' no longer fits it: "
                    + r.problems().stream().map(p -> p.key() + ": " + p.message()).collect(Collectors.joining("; ")));
        }
        return r.mapping().orElseThrow();
    }

    /**
     * @return the labels of each enum field of the view, in their type's order
     * @throws InvalidViewException listing every problem
     */
    Map<String, List<String>> enumLabels(Connection connection, ViewDefinition definition) throws SQLException {
        Resolution r = resolve(connection, definition);
        if (!r.problems().isEmpty()) {
            throw new InvalidViewException(r.problems());
        }
        Map<String, List<String>> labels = new LinkedHashMap<>();
        Mapping m = r.mapping().orElseThrow();
        for (Field f : definition.fields()) {
            m.columnType(f.name()).filter(c -> !c.labels().isEmpty()).ifPresent(c -> labels.put(f.name(), c.labels()));
        }
        return labels;
    }

    Resolution resolve(Connection connection, ViewDefinition definition) throws SQLException {
        String view = definition.name();
        List<Problem> problems = new ArrayList<>();
        DatabaseMetaData meta = connection.getMetaData();
        String[] located = findTable(connection, meta, definition, problems);
        if (located == null) {
            return new Resolution(Optional.empty(), problems, Map.of());
        }
        List<String[]> matches = java.util.Collections.singletonList(located);
        Table table = new Table(located[0], located[1], columns(meta, located[0], located[1]),
                !located[0].equals(firstOrNull(searchPath(connection))));
        Map<String, ColumnType> columnTypes = recently(List.of("types", located[0], located[1]),
                () -> dialect.columnTypes().of(connection, table));
        Map<String, ColumnType> typeByField = new LinkedHashMap<>();
        Optional<PushPolicy> push = definition.push();
        String stampField = push.map(PushPolicy::stampField).orElse(null);
        Map<String, Column> byField = new LinkedHashMap<>();
        Map<String, ValueType> types = new LinkedHashMap<>();
        Map<String, Lookups.Derived> derived = new LinkedHashMap<>();
        JdbcCatalog catalog = new JdbcCatalog(connection, meta);
        for (Field f : definition.fields()) {
            Optional<FieldPath> path = pathOf(f);
            // a column whose name reads as a path (it holds a dot) is still that column
            if (path.isPresent() && match(table.columns(), f.column(), Column::name).isEmpty()) {
                Optional<Lookups.Derived> d0;
                try {
                    d0 = resolveDerived(view, f, path.get(), table, catalog, problems);
                } catch (MetadataFailure e) {
                    throw e.getCause();
                }
                d0.ifPresent(d -> {
                    derived.put(f.name(), d);
                    types.put(f.name(), d.type());
                    if (d.columnType() != null) {
                        typeByField.put(f.name(), d.columnType());
                    }
                });
                continue;
            }
            boolean isStamp = f.name().equals(stampField);
            String key = isStamp ? "push.stamp" : "fields." + f.name();
            List<Column> found = match(table.columns(), f.column(), Column::name);
            if (found.isEmpty() && quotedName(f.column()) != null) {
                // "a.b" in double quotes: the column a.b, not a lookup
                found = table.columns().stream().filter(c -> c.name().equals(quotedName(f.column())))
                        .collect(Collectors.toList());
            }
            if (found.isEmpty()) {
                if (isStamp) {
                    problems.add(Problem.of(view, key, "the stamp field '" + f.name() + "' maps to column '" + f.column()
                            + "', which table '" + table.name() + "' does not have; add it with: "
                            + addStampColumnDdl(table, f.column(), modifiedColumn(definition, table))));
                } else {
                    problems.add(Problem.of(view, key, "field '" + f.name() + "' maps to column '" + f.column()
                            + "', which table '" + table.name() + "' does not have (its columns: "
                            + columnList(table) + ")"));
                }
                continue;
            }
            if (found.size() > 1) {
                problems.add(Problem.of(view, key, "field '" + f.name() + "' maps to column '" + f.column()
                        + "', which matches several columns of table '" + table.name() + "' ignoring case ("
                        + found.stream().map(Column::name).collect(Collectors.joining(", "))
                        + "); write the exact name"));
                continue;
            }
            Column column = found.get(0);
            ColumnType columnType = columnTypes.get(column.name());
            Optional<ValueType> type = columnType == null || columnType.type().isEmpty() ? valueType(column)
                    : columnType.type();
            if (isStamp && (type.isEmpty() || (type.get() != ValueType.TIMESTAMP && type.get() != ValueType.TIMESTAMP_TZ))) {
                problems.add(Problem.of(view, key, "the stamp field '" + f.name() + "' (column '" + column.name()
                        + "' of table '" + table.name() + "') must be a timestamp column (with or without time zone),"
                        + " but it is " + column.describe()));
                continue;
            }
            if (type.isEmpty()) {
                problems.add(Problem.of(view, key, "field '" + f.name() + "' maps to column '" + column.name()
                        + "' of table '" + table.name() + "', whose type " + column.describe()
                        + " is not supported (" + SUPPORTED + ")"));
                continue;
            }
            if (columnType != null && columnType.generated() && definition.writable().contains(f.name())) {
                problems.add(Problem.of(view, "writable", "field '" + f.name() + "' (column '" + column.name()
                        + "' of table '" + table.name() + "') is a generated column, which the database computes and"
                        + " never lets anyone write; remove it from writable (it can still be read)"));
            }
            byField.put(f.name(), column);
            types.put(f.name(), type.get());
            if (columnType != null) {
                typeByField.put(f.name(), columnType);
            }
        }
        List<Column> keyColumns = new ArrayList<>();
        for (String k : definition.keyFields()) {
            Column c = byField.get(k);
            if (c != null) {
                keyColumns.add(c);
            }
        }
        if (keyColumns.size() == definition.keyFields().size() && INDEXED_TYPES.contains(matches.get(0)[2])) {
            List<String> names = keyColumns.stream().map(Column::name).collect(Collectors.toList());
            Map<String, List<String>> unique = recently(List.of("unique", table.schema(), table.name()),
                    () -> uniqueIndexes(meta, table));
            if (unique.values().stream().noneMatch(cols -> Set.copyOf(cols).equals(Set.copyOf(names))
                    && cols.size() == names.size())) {
                problems.add(Problem.of(view, "key", keyNotUnique(definition, table, names, unique)));
            }
        }
        String kind = matches.get(0)[2];
        if (problems.isEmpty() && (kind.equals("VIEW") || kind.equals("MATERIALIZED VIEW"))
                && (push.isPresent() || !definition.writable().isEmpty())) {
            List<String> written = new ArrayList<>();
            push.ifPresent(p -> written.add(byField.get(p.stampField()).name()));
            definition.writable().forEach(w -> written.add(byField.get(w).name()));
            dialect.whyViewNotWritable(connection, table.schema(), table.name(), kind, written)
                    .ifPresent(why -> problems.add(Problem.of(view, push.isPresent() ? "push" : "writable", why)));
        }
        if (!problems.isEmpty()) {
            return new Resolution(Optional.empty(), problems, Map.of());
        }
        return new Resolution(Optional.of(new Mapping(dialect, table, byField, types, typeByField, derived)), List.of(), types);
    }

    /** @return the name inside a text that is one name in double quotes ({@code ""} a quote), else null */
    private static String quotedName(String text) {
        if (text.length() < 2 || text.charAt(0) != '"' || text.charAt(text.length() - 1) != '"') {
            return null;
        }
        String inner = text.substring(1, text.length() - 1);
        return inner.replace("\"\"", "").contains("\"") ? null : inner.replace("\"\"", "\"");
    }

    private static Optional<FieldPath> pathOf(Field f) {
        try {
            return f.path();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // the definition's build() reported it
        }
    }

    /** The types {@code min} and {@code max} order the same way in the databases and in the domain. */
    private static final Set<ValueType> ORDERED = Set.of(ValueType.NUMBER, ValueType.DATE, ValueType.TIMESTAMP,
            ValueType.TIMESTAMP_TZ, ValueType.TEXT);

    /** Follows a lookup's or summary's path through the catalog: its type, or a problem naming what could be meant. */
    private Optional<Lookups.Derived> resolveDerived(String view, Field f, FieldPath path, Table table, JdbcCatalog catalog,
                                                     List<Problem> problems) throws SQLException {
        String key = "fields." + f.name();
        String what = "field '" + f.name() + "' (" + f.column() + ")";
        ResolvedPath resolved;
        try {
            resolved = ResolvedPath.resolve(path, new TableRef(table.schema(), table.name()), catalog);
        } catch (PathException e) {
            problems.add(Problem.of(view, key, what + ": " + e.getMessage()));
            return Optional.empty();
        }
        Optional<FieldPath.Aggregate> aggregate = path.aggregate();
        if (resolved.column().isEmpty()) {
            return Optional.of(new Lookups.Derived(resolved, null, null, ValueType.NUMBER));
        }
        TableRef end = resolved.table();
        Column column = catalog.column(end, resolved.column().get());
        ColumnType columnType = catalog.columnTypes(end).get(column.name());
        Optional<ValueType> type = columnType == null || columnType.type().isEmpty() ? valueType(column) : columnType.type();
        String where = "column '" + column.name() + "' of table '" + end.name() + "'";
        if (type.isEmpty()) {
            problems.add(Problem.of(view, key, what + " reads " + where + ", whose type " + column.describe()
                    + " is not supported (" + SUPPORTED + ")"));
            return Optional.empty();
        }
        if (aggregate.isPresent() && aggregate.get() == FieldPath.Aggregate.SUM && type.get() != ValueType.NUMBER) {
            problems.add(Problem.of(view, key, what + ": sum adds numbers, but " + where + " is " + column.describe()));
            return Optional.empty();
        }
        if (aggregate.isPresent() && !ORDERED.contains(type.get())) {
            problems.add(Problem.of(view, key, what + ": " + aggregate.get().word() + " needs a number, text, a date or a"
                    + " timestamp column, but " + where + " is " + column.describe()));
            return Optional.empty();
        }
        return Optional.of(new Lookups.Derived(resolved, column, columnType, type.get()));
    }

    /** The foreign keys and columns of the tables a view's paths pass through, read from the metadata once per resolution. */
    private final class JdbcCatalog implements io.viewpush.view.Catalog {
        private final Connection connection;
        private final DatabaseMetaData meta;
        private final Map<TableRef, List<ForeignKey>> of = new java.util.HashMap<>();
        private final Map<TableRef, List<ForeignKey>> to = new java.util.HashMap<>();
        private final Map<TableRef, List<Column>> columns = new java.util.HashMap<>();
        private final Map<TableRef, Map<String, ColumnType>> types = new java.util.HashMap<>();

        JdbcCatalog(Connection connection, DatabaseMetaData meta) {
            this.connection = connection;
            this.meta = meta;
        }

        @Override
        public List<ForeignKey> foreignKeysOf(TableRef table) {
            return of.computeIfAbsent(table, t -> keys(true, t));
        }

        @Override
        public List<ForeignKey> foreignKeysTo(TableRef table) {
            return to.computeIfAbsent(table, t -> keys(false, t));
        }

        @Override
        public List<String> columnsOf(TableRef table) {
            return columns(table).stream().map(Column::name).collect(Collectors.toList());
        }

        Column column(TableRef table, String name) {
            return columns(table).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        }

        Map<String, ColumnType> columnTypes(TableRef table) throws SQLException {
            Map<String, ColumnType> known = types.get(table);
            if (known == null) {
                Table t = new Table(table.schema(), table.name(), columns(table));
                known = recently(List.of("types", table.schema(), table.name()), () -> dialect.columnTypes().of(connection, t));
                types.put(table, known);
            }
            return known;
        }

        private List<Column> columns(TableRef table) {
            return columns.computeIfAbsent(table, t -> {
                try {
                    return Schema.this.columns(meta, t.schema(), t.name());
                } catch (SQLException e) {
                    throw new MetadataFailure(e);
                }
            });
        }

        /** A table's own foreign keys ({@code imported}) or those pointing to it, each with its columns in key order. */
        private List<ForeignKey> keys(boolean imported, TableRef table) {
            try {
                return recently(java.util.Arrays.asList("keys", imported, table.schema(), table.name()), () -> readKeys(imported, table));
            } catch (SQLException e) {
                throw new MetadataFailure(e);
            }
        }

        private List<ForeignKey> readKeys(boolean imported, TableRef table) throws SQLException {
            Map<List<String>, List<String[]>> byKey = new LinkedHashMap<>();
            try (ResultSet rs = imported ? meta.getImportedKeys(null, table.schema(), table.name())
                    : meta.getExportedKeys(null, table.schema(), table.name())) {
                while (rs.next()) {
                    String[] row = {rs.getString("FKTABLE_SCHEM"), rs.getString("FKTABLE_NAME"), rs.getString("FKCOLUMN_NAME"),
                        rs.getString("PKTABLE_SCHEM"), rs.getString("PKTABLE_NAME"), rs.getString("PKCOLUMN_NAME"),
                        String.valueOf(rs.getInt("KEY_SEQ")), rs.getString("FK_NAME")};
                    byKey.computeIfAbsent(java.util.Arrays.asList(row[0], row[1], row[3], row[4], row[7]),
                            k -> new ArrayList<>()).add(row);
                }
            }
            List<ForeignKey> keys = new ArrayList<>();
            for (List<String[]> rows : byKey.values()) {
                rows.sort(java.util.Comparator.comparingInt(r -> Integer.parseInt(r[6])));
                String[] first = rows.get(0);
                keys.add(new ForeignKey(first[7] == null ? "" : first[7], new TableRef(first[0], first[1]),
                        rows.stream().map(r -> r[2]).collect(Collectors.toList()), new TableRef(first[3], first[4]),
                        rows.stream().map(r -> r[5]).collect(Collectors.toList())));
            }
            return keys;
        }
    }

    /** Carries a metadata failure out of a {@link io.viewpush.view.Catalog} method, which cannot throw it. */
    private static final class MetadataFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MetadataFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private static String firstOrNull(List<String> path) {
        return path.isEmpty() ? null : path.get(0);
    }

    /**
     * Finds the view's table: {@code name} is looked up in the schemas of the connection's search
     * path in order (the first that has it, exactly, else ignoring case); {@code schema.name}
     * in that schema; a part in double quotes ({@code "Sales"."Order Lines"}) is matched exactly.
     * A name that is itself a table of the first schema (one with a dot in it) is that table.
     *
     * @return {schema, name, table type}, or null with the problem added
     */
    private String[] findTable(Connection connection, DatabaseMetaData meta, ViewDefinition definition,
                               List<Problem> problems) throws SQLException {
        String view = definition.name();
        String wanted = definition.table();
        List<String> path = searchPath(connection);
        Optional<TableName> parsed = TableName.parse(wanted);
        if (parsed.isEmpty()) {
            problems.add(Problem.of(view, "table", "'" + wanted + "' is not a table name: write name, schema.name, or"
                    + " quote a part that holds dots, quotes or leading and trailing spaces (\"Sales\".\"Order Lines\")"));
            return null;
        }
        TableName name = parsed.get();
        if (name.schema() != null && !path.isEmpty()) {
            // a name with a dot in it that is itself a table of the current schema stays that table
            List<String[]> whole = tables(meta, path.get(0), wanted);
            Optional<String[]> exact = whole.stream().filter(t -> t[1].equals(wanted)).findFirst();
            if (exact.isPresent()) {
                return exact.get();
            }
        }
        if (name.schema() != null) {
            List<String> schemas = schemas(meta);
            List<String> inSchema = name.schemaQuoted() ? schemas.stream().filter(name.schema()::equals)
                    .collect(Collectors.toList()) : matchBare(schemas, name.schema(), x -> x);
            if (inSchema.size() != 1) {
                problems.add(Problem.of(view, "table", inSchema.isEmpty()
                        ? "schema '" + name.schema() + "' of table '" + wanted + "' does not exist (schemas: "
                        + String.join(", ", schemas) + ")"
                        : "schema '" + name.schema() + "' matches several schemas ignoring case (" + String.join(", ", inSchema)
                        + "); write the exact name in double quotes"));
                return null;
            }
            List<String[]> matches = tableMatches(meta, inSchema.get(0), name);
            if (matches.size() != 1) {
                problems.add(Problem.of(view, "table", matches.isEmpty()
                        ? "table '" + name.name() + "' does not exist in schema '" + inSchema.get(0) + "'"
                        + " (names are matched exactly, then ignoring case)"
                        : "table '" + wanted + "' matches several tables ignoring case ("
                        + matches.stream().map(t -> t[1]).collect(Collectors.joining(", ")) + "); write the exact name"));
                return null;
            }
            return matches.get(0);
        }
        List<String[]> caseless = new ArrayList<>();
        for (String schema : path) {
            List<String[]> matches = tableMatches(meta, schema, name);
            if (matches.size() == 1 && matches.get(0)[1].equals(name.name())) {
                return matches.get(0); // the first schema on the path that has it, as the database resolves it
            }
            caseless.addAll(matches);
        }
        if (caseless.size() == 1) {
            return caseless.get(0);
        }
        if (caseless.size() > 1) {
            problems.add(Problem.of(view, "table", "table '" + wanted + "' is ambiguous: it matches "
                    + caseless.stream().map(t -> t[0] + "." + t[1]).collect(Collectors.joining(", "))
                    + " ignoring case in the schemas on the search path (" + String.join(", ", path)
                    + "); write the exact name, qualified (schema.name), in double quotes where needed"));
            return null;
        }
        List<String[]> elsewhere = new ArrayList<>();
        for (String schema : schemas(meta)) {
            if (!path.contains(schema)) {
                elsewhere.addAll(tableMatches(meta, schema, name));
            }
        }
        String where = path.isEmpty() ? "" : path.size() == 1 ? " in schema '" + path.get(0) + "'"
                : " in the schemas on the search path (" + String.join(", ", path) + ")";
        problems.add(Problem.of(view, "table", "table '" + wanted + "' does not exist" + where
                + " (names are matched exactly, then ignoring case)" + (elsewhere.isEmpty() ? ""
                : "; it is in " + elsewhere.stream().map(t -> "'" + t[0] + "." + t[1] + "'").collect(Collectors.joining(", "))
                + ": write table: " + elsewhere.get(0)[0] + "." + elsewhere.get(0)[1]
                + ", or put that schema on the connection's search path (currentSchema in the JDBC URL)")));
        return null;
    }

    /** The tables of {@code schema} that match the name: exactly, else ignoring case unless it was quoted. */
    private List<String[]> tableMatches(DatabaseMetaData meta, String schema, TableName name) throws SQLException {
        List<String[]> tables = tables(meta, schema, name.name());
        if (name.nameQuoted()) {
            return tables.stream().filter(t -> t[1].equals(name.name())).limit(1).collect(Collectors.toList());
        }
        return matchBare(tables, name.name(), t -> t[1]);
    }

    /**
     * Matches a bare (unquoted) name: exactly as written, else as the database folds an unquoted
     * name, else every match ignoring case.
     */
    private <T> List<T> matchBare(List<T> candidates, String wanted, java.util.function.Function<T, String> name) {
        List<T> found = match(candidates, wanted, name);
        if (found.size() > 1) {
            String folded = dialect.foldUnquoted(wanted);
            List<T> asFolded = candidates.stream().filter(c -> folded.equals(name.apply(c))).collect(Collectors.toList());
            if (asFolded.size() == 1) {
                return asFolded;
            }
        }
        return found;
    }

    private List<String> schemas(DatabaseMetaData meta) throws SQLException {
        return recently(List.of("schemas"), () -> readSchemas(meta));
    }

    private List<String> searchPath(Connection connection) throws SQLException {
        return recently(List.of("path"), () -> dialect.searchPath(connection));
    }

    private static List<String> readSchemas(DatabaseMetaData meta) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (ResultSet rs = meta.getSchemas()) {
            while (rs.next()) {
                schemas.add(rs.getString("TABLE_SCHEM"));
            }
        }
        return schemas;
    }

    /**
     * The tables that may match the configured name ({schema, name} pairs): the one of exactly that
     * name, else every table of the schema, to match ignoring case (a database may hold thousands
     * of tables and this runs for every read and stamp, so the exact lookup comes first).
     */
    private List<String[]> tables(DatabaseMetaData meta, String schema, String wanted) throws SQLException {
        String escape = meta.getSearchStringEscape();
        List<String[]> exact = tables(meta, schema, escapePattern(wanted, escape), escape);
        if (exact.stream().anyMatch(t -> t[1].equals(wanted))) {
            return exact;
        }
        return tables(meta, schema, null, escape);
    }

    private List<String[]> tables(DatabaseMetaData meta, String schema, String pattern, String escape)
            throws SQLException {
        return recently(java.util.Arrays.asList("tables", schema, pattern, escape), () -> readTables(meta, schema, pattern, escape));
    }

    private static List<String[]> readTables(DatabaseMetaData meta, String schema, String pattern, String escape)
            throws SQLException {
        List<String[]> tables = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, escapePattern(schema, escape), pattern, null)) {
            while (rs.next()) {
                String type = rs.getString("TABLE_TYPE");
                if (type != null && TABLE_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
                    tables.add(new String[]{rs.getString("TABLE_SCHEM"), rs.getString("TABLE_NAME"), type.toUpperCase(Locale.ROOT)});
                }
            }
        }
        return tables;
    }

    /**
     * @return the table's primary key and unique indexes that are neither partial nor on an
     *         expression, each with its columns in order, by name
     */
    private static Map<String, List<String>> uniqueIndexes(DatabaseMetaData meta, Table table) throws SQLException {
        Map<String, List<String>> columnsByIndex = new LinkedHashMap<>();
        java.util.Set<String> partial = new java.util.HashSet<>();
        try (ResultSet rs = meta.getIndexInfo(null, table.schema(), table.name(), true, true)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                if (index == null || rs.getShort("TYPE") == DatabaseMetaData.tableIndexStatistic) {
                    continue;
                }
                String column = rs.getString("COLUMN_NAME");
                if (rs.getString("FILTER_CONDITION") != null || column == null
                        || table.columns().stream().noneMatch(c -> c.name().equals(column))) {
                    partial.add(index);
                }
                columnsByIndex.computeIfAbsent(index, i -> new ArrayList<>()).add(column);
            }
        }
        columnsByIndex.keySet().removeAll(partial);
        return columnsByIndex;
    }

    /** What check says of a key no primary key or unique index makes unique, and what would. */
    private String keyNotUnique(ViewDefinition definition, Table table, List<String> columns,
                                Map<String, List<String>> unique) {
        boolean one = columns.size() == 1;
        String keyColumns = columns.stream().map(Schema::columnIdentifier).collect(Collectors.joining(", "));
        String has = unique.isEmpty() ? "the table has no primary key and no unique index"
                : "the table's unique indexes: " + unique.entrySet().stream()
                .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").collect(Collectors.joining(", "));
        return (one ? "the key field '" + definition.keyField() + "' (column '" + columns.get(0) + "'"
                : "the key " + definition.keyFields() + " (columns " + columns.stream().map(c -> "'" + c + "'")
                .collect(Collectors.joining(", ")))
                + " of table '" + table.name() + "') is not unique: " + has + "; use the columns of one of them as the key"
                + " (key: [a, b] for several), or give the table a primary key or a unique index on "
                + (one ? "it" : "exactly those columns") + " (CREATE UNIQUE INDEX ON " + tableIdentifier(table) + " ("
                + keyColumns + ")); ViewPush stamps the rows it sent by their key, so a key two rows share would stamp"
                + " a row that was never sent";
    }

    private Optional<Column> modifiedColumn(ViewDefinition definition, Table table) {
        return definition.push().flatMap(PushPolicy::modifiedField).flatMap(definition::field).flatMap(f -> {
            List<Column> found = match(table.columns(), f.column(), Column::name);
            return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
        });
    }

    private String addStampColumnDdl(Table table, String column, Optional<Column> modified) {
        boolean zoned = modified.flatMap(this::valueType).filter(t -> t == ValueType.TIMESTAMP_TZ).isPresent();
        return "ALTER TABLE " + tableIdentifier(table.name()) + " ADD COLUMN " + columnIdentifier(column)
                + (zoned ? " TIMESTAMP(0) WITH TIME ZONE" : " TIMESTAMP(0)");
    }

    /** The table's name as DDL must write it, with its schema when that is not the connection's. */
    private String tableIdentifier(Table table) {
        return (table.schema() == null || !table.qualified() ? "" : tableIdentifier(table.schema()) + ".")
                + tableIdentifier(table.name());
    }

    /** A name as DDL must write it: bare when the database would fold it to itself. */
    private String tableIdentifier(String name) {
        String folded = dialect.foldUnquoted(name);
        return PLAIN_IDENTIFIER.matcher(name).matches() && folded.equals(name) ? name : quote(name);
    }

    /** A new column's name: bare when plain (it is then found ignoring case), else quoted. */
    private static String columnIdentifier(String name) {
        return PLAIN_IDENTIFIER.matcher(name).matches() ? name : quote(name);
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String columnList(Table table) {
        List<String> names = table.columns().stream().map(Column::name).collect(Collectors.toList());
        return names.size() <= 40 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 40)) + ", ... (" + names.size() + " in all)";
    }

    private List<Column> columns(DatabaseMetaData meta, String schema, String table) throws SQLException {
        return recently(java.util.Arrays.asList("columns", schema, table), () -> readColumns(meta, schema, table));
    }

    private List<Column> readColumns(DatabaseMetaData meta, String schema, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        String escape = meta.getSearchStringEscape();
        try (ResultSet rs = meta.getColumns(null, escapePattern(schema, escape), escapePattern(table, escape), null)) {
            while (rs.next()) {
                if (!table.equals(rs.getString("TABLE_NAME"))
                        || (schema != null && !schema.equals(rs.getString("TABLE_SCHEM")))) {
                    continue;
                }
                int digits = rs.getInt("DECIMAL_DIGITS");
                Integer decimalDigits = rs.wasNull() ? null : digits;
                columns.add(new Column(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"),
                        rs.getInt("COLUMN_SIZE"), decimalDigits, rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
            }
        }
        return columns;
    }

    private static String escapePattern(String name, String escape) {
        if (name == null || escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    /** Matches a configured name: exactly, else every match ignoring case. */
    private static <T> List<T> match(List<T> candidates, String wanted, java.util.function.Function<T, String> name) {
        List<T> exact = candidates.stream().filter(c -> wanted.equals(name.apply(c))).collect(Collectors.toList());
        if (!exact.isEmpty()) {
            return exact.subList(0, 1);
        }
        return candidates.stream().filter(c -> wanted.equalsIgnoreCase(name.apply(c))).collect(Collectors.toList());
    }

    /** @return the view type of a column, empty when ViewPush does not support its type */
    Optional<ValueType> valueType(Column c) {
        String typeName = c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT);
        switch (c.jdbcType()) {
            case Types.CHAR:
            case Types.VARCHAR:
            case Types.LONGVARCHAR:
            case Types.NCHAR:
            case Types.NVARCHAR:
            case Types.LONGNVARCHAR:
            case Types.CLOB:
            case Types.NCLOB:
                if (!dialect.isPlainText(typeName)) {
                    return Optional.empty();
                }
                return Optional.of(ValueType.TEXT);
            case Types.NUMERIC:
            case Types.DECIMAL:
            case Types.TINYINT:
            case Types.SMALLINT:
            case Types.INTEGER:
            case Types.BIGINT:
                return Optional.of(ValueType.NUMBER);
            case Types.BOOLEAN:
                return Optional.of(ValueType.BOOLEAN);
            case Types.BIT:
                return typeName.equals("bool") || typeName.equals("boolean") ? Optional.of(ValueType.BOOLEAN) : Optional.empty();
            case Types.TIMESTAMP:
                return Optional.of(typeName.equals("timestamptz") ? ValueType.TIMESTAMP_TZ : ValueType.TIMESTAMP);
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return Optional.of(ValueType.TIMESTAMP_TZ);
            case Types.DATE:
                return Optional.of(ValueType.DATE);
            default:
                return Optional.empty();
        }
    }
}
