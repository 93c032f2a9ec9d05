package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import io.viewpush.port.RejectedValueException;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * H2's column types beyond those every database shares (which the JDBC metadata describes well
 * enough, and which {@link Schema} maps itself): UUID, JSON, arrays (read as JSON), ENUM (labels from
 * the type's name), BINARY / VARBINARY / BLOB, REAL / DOUBLE PRECISION, TIME, TIME WITH TIME ZONE,
 * intervals and anything else (GEOMETRY, ...) as its text. H2 reports a domain's base type, and
 * enforces its CHECK on every write.
 */
final class H2ColumnTypes implements ColumnTypes {
    private static final String GENERATED = "select column_name from information_schema.columns"
            + " where table_schema = ? and table_name = ? and is_generated <> 'NEVER'";

    @Override
    public Map<String, ColumnType> of(Connection connection, Schema.Table table) throws SQLException {
        Set<String> generated = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(GENERATED)) {
            ps.setString(1, table.schema() == null ? connection.getSchema() : table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    generated.add(rs.getString(1));
                }
            }
        }
        Map<String, ColumnType> types = new HashMap<>();
        for (Schema.Column c : table.columns()) {
            String name = c.typeName() == null ? "" : c.typeName().toUpperCase(Locale.ROOT);
            Optional<ValueType> t = type(c.jdbcType(), name);
            if (t.isPresent() || generated.contains(c.name())) {
                types.put(c.name(), new ColumnType(t, name.toLowerCase(Locale.ROOT), c.typeName() == null ? "" : c.typeName(),
                        false, t.filter(v -> v == ValueType.ENUM).isPresent() ? labels(c.typeName()) : List.of(),
                        generated.contains(c.name())));
            }
        }
        return types;
    }

    /** @return the type of a column that is not one of the shared types; empty for the shared ones */
    private static Optional<ValueType> type(int jdbcType, String name) {
        if (jdbcType == Types.ARRAY || name.endsWith(" ARRAY")) {
            return Optional.of(ValueType.ARRAY);
        }
        if (name.startsWith("ENUM")) {
            return Optional.of(ValueType.ENUM);
        }
        if (name.startsWith("INTERVAL")) {
            return Optional.of(ValueType.INTERVAL);
        }
        switch (name) {
            case "JSON":
                return Optional.of(ValueType.JSON);
            case "UUID":
                return Optional.of(ValueType.UUID);
            case "REAL":
            case "DOUBLE PRECISION":
            case "FLOAT":
                return Optional.of(ValueType.FLOAT);
            case "TIME":
                return Optional.of(ValueType.TIME);
            case "TIME WITH TIME ZONE":
                return Optional.of(ValueType.TIME_TZ);
            case "BINARY":
            case "BINARY VARYING":
            case "VARBINARY":
            case "BINARY LARGE OBJECT":
            case "BLOB":
                return Optional.of(ValueType.BYTES);
            case "GEOMETRY":
            case "JAVA_OBJECT":
            case "ROW":
                return Optional.of(ValueType.OTHER);
            default:
                return Optional.empty();
        }
    }

    /** The labels of {@code ENUM('a', 'b''s')}, as H2 names the type. */
    static List<String> labels(String typeName) {
        List<String> labels = new ArrayList<>();
        int i = typeName.indexOf('(');
        while (i >= 0 && i < typeName.length()) {
            int start = typeName.indexOf('\'', i);
            if (start < 0) {
                break;
            }
            StringBuilder label = new StringBuilder();
            int j = start + 1;
            while (j < typeName.length()) {
                char ch = typeName.charAt(j);
                if (ch == '\'') {
                    if (j + 1 < typeName.length() && typeName.charAt(j + 1) == '\'') {
                        label.append('\'');
                        j += 2;
                        continue;
                    }
                    break;
                }
                label.append(ch);
                j++;
            }
            labels.add(label.toString());
            i = j + 1;
        }
        return labels;
    }

    @Override
    public Field<?> read(Field<?> column, ColumnType type) {
        if (type.type().isEmpty()) {
            return column;
        }
        switch (type.type().get()) {
            case ARRAY:
                return DSL.field("cast({0} as json)", SQLDataType.VARCHAR, column);
            case ENUM:
            case OTHER:
                return column.cast(SQLDataType.VARCHAR);
            default:
                return column;
        }
    }

    @Override
    public String interval(ResultSet rs, int index) throws SQLException {
        String typeName = rs.getMetaData().getColumnTypeName(index).toUpperCase(Locale.ROOT);
        if (typeName.contains("YEAR") || typeName.contains("MONTH")) {
            Period p = rs.getObject(index, Period.class);
            return p == null ? null : IsoInterval.format(p.getYears(), p.getMonths(), p.getDays(), 0, 0, BigDecimal.ZERO);
        }
        Duration d = rs.getObject(index, Duration.class);
        if (d == null) {
            return null;
        }
        int sign = d.isNegative() ? -1 : 1;
        Duration a = d.abs();
        BigDecimal seconds = BigDecimal.valueOf(a.toSecondsPart()).add(BigDecimal.valueOf(a.toNanosPart(), 9));
        return IsoInterval.format(0, 0, sign * a.toDays(), sign * a.toHoursPart(), sign * a.toMinutesPart(),
                sign < 0 ? seconds.negate() : seconds);
    }

    /**
     * An ISO-8601 duration as the {@link Duration} (day-time intervals) or {@link Period} (year-month
     * intervals) H2 binds; H2 keeps the two kinds apart, so a value needing the other kind is refused.
     */
    static Object interval(String iso, ColumnType type, String field, String where) {
        String declared = type.declared().toUpperCase(Locale.ROOT);
        boolean yearMonth = declared.contains("YEAR") || declared.contains("MONTH");
        try {
            if (yearMonth) {
                Period p = Period.parse(iso);
                if (p.getDays() != 0) {
                    throw new RejectedValueException(field, where + " is " + type.declared() + ": '" + iso
                            + "' has days, which it cannot hold", "an " + type.declared() + " holds years and months only");
                }
                return p;
            }
            return Duration.parse(iso);
        } catch (java.time.format.DateTimeParseException e) {
            throw new RejectedValueException(field, where + " is " + type.declared() + ": '" + iso + "' is not an ISO-8601"
                    + " duration it can hold", yearMonth ? "an " + type.declared() + " holds years and months only,"
                    + " written like P1Y2M" : "an " + type.declared() + " holds days and times only, written like"
                    + " P3DT4H5M6.5S (no years or months)");
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Field<?> write(Object value, ColumnType type, Mapping mapping, String field, String where) {
        ValueType t = type.type().orElseThrow();
        if (value == null) {
            return DSL.val(null, (org.jooq.DataType) SqlTypes.of(t));
        }
        switch (t) {
            case JSON:
                return DSL.field("{0} format json", Object.class, DSL.val(value, SQLDataType.VARCHAR));
            case INTERVAL: {
                Object interval = interval((String) value, type, field, where);
                Field<?> bound;
                if (interval instanceof Period) {
                    long months = ((Period) interval).toTotalMonths();
                    org.jooq.types.YearToMonth ym = new org.jooq.types.YearToMonth((int) (Math.abs(months) / 12),
                            (int) (Math.abs(months) % 12));
                    bound = DSL.val(months < 0 ? ym.neg() : ym, SQLDataType.INTERVALYEARTOMONTH);
                } else {
                    bound = DSL.val(org.jooq.types.DayToSecond.valueOf((Duration) interval), SQLDataType.INTERVALDAYTOSECOND);
                }
                return DSL.field("cast({0} as " + type.declared() + ")", Object.class, bound);
            }
            case ARRAY:
            case OTHER:
                // H2 cannot turn a JSON array into an SQL array, and its other types (GEOMETRY, JAVA_OBJECT, ROW)
                // have no form ViewPush writes
                throw new RejectedValueException(field, where + " is " + type.declared() + ", which ViewPush writes"
                        + " on PostgreSQL only", "ViewPush writes " + (t == ValueType.ARRAY ? "arrays" : type.declared())
                        + " on PostgreSQL only, not on H2");
            case TIME:
            case TIME_TZ:
                return DSL.field("cast({0} as " + type.declared() + ")", Object.class, DSL.val(value.toString(), SQLDataType.VARCHAR));
            case BYTES:
                return DSL.val(value, SQLDataType.VARBINARY);
            case FLOAT:
                return DSL.val(value, SQLDataType.DOUBLE);
            default:
                return DSL.val(value, (org.jooq.DataType) SqlTypes.of(t));
        }
    }
}
