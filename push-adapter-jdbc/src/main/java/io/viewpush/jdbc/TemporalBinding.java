package io.viewpush.jdbc;

import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.SQLDialect;
import org.jooq.conf.ParamType;
import org.jooq.impl.DSL;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;

/**
 * Binds and reads {@code java.time} values without ever going through {@code java.sql.Timestamp},
 * whose conversions depend on the JVM's default time zone (jOOQ's default binding does, so a
 * timestamp in a daylight-saving gap of the JVM's zone would shift by an hour). Values are bound
 * as ISO text with an explicit cast and read with {@code ResultSet.getObject(int, Class)}.
 */
final class TemporalBinding<T extends Temporal> implements Binding<T, T> {
    private static final long serialVersionUID = 1L;

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSS");
    private static final DateTimeFormatter TIMESTAMP_TZ = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSSSSxxx");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");

    static final TemporalBinding<LocalDateTime> LOCAL_DATE_TIME = new TemporalBinding<>(LocalDateTime.class, Types.TIMESTAMP);
    static final TemporalBinding<OffsetDateTime> OFFSET_DATE_TIME = new TemporalBinding<>(OffsetDateTime.class, Types.TIMESTAMP_WITH_TIMEZONE);
    static final TemporalBinding<LocalDate> LOCAL_DATE = new TemporalBinding<>(LocalDate.class, Types.DATE);

    private final Class<T> type;
    private final int sqlType;
    private final Converter<T, T> converter;

    private TemporalBinding(Class<T> type, int sqlType) {
        this.type = type;
        this.sqlType = sqlType;
        this.converter = Converter.ofNullable(type, type, t -> t, t -> t);
    }

    @Override
    public Converter<T, T> converter() {
        return converter;
    }

    @Override
    public void sql(BindingSQLContext<T> ctx) {
        T value = ctx.convert(converter).value();
        if (ctx.render().paramType() == ParamType.INLINED) {
            if (value == null) {
                ctx.render().visit(DSL.inline((Object) null));
            } else {
                ctx.render().sql("cast(").visit(DSL.inline(text(value))).sql(" as ").sql(castType(ctx.dialect())).sql(')');
            }
        } else {
            ctx.render().sql("cast(").sql(ctx.variable()).sql(" as ").sql(castType(ctx.dialect())).sql(')');
        }
    }

    private String castType(SQLDialect dialect) {
        int digits = Dialect.of(dialect).maxFractionDigits();
        if (type == LocalDateTime.class) {
            return "timestamp(" + digits + ")";
        }
        if (type == OffsetDateTime.class) {
            return "timestamp(" + digits + ") with time zone";
        }
        return "date";
    }

    private String text(T value) {
        if (value instanceof LocalDateTime) {
            return TIMESTAMP.format(value);
        }
        if (value instanceof OffsetDateTime) {
            return TIMESTAMP_TZ.format(value);
        }
        return DATE.format(value);
    }

    @Override
    public void register(BindingRegisterContext<T> ctx) throws SQLException {
        ctx.statement().registerOutParameter(ctx.index(), sqlType);
    }

    @Override
    public void set(BindingSetStatementContext<T> ctx) throws SQLException {
        T value = ctx.convert(converter).value();
        if (value == null) {
            ctx.statement().setNull(ctx.index(), Types.VARCHAR);
        } else {
            ctx.statement().setString(ctx.index(), text(value));
        }
    }

    @Override
    public void set(BindingSetSQLOutputContext<T> ctx) throws SQLException {
        throw new SQLFeatureNotSupportedException("not used");
    }

    @Override
    public void get(BindingGetResultSetContext<T> ctx) throws SQLException {
        ctx.convert(converter).value(ctx.resultSet().getObject(ctx.index(), type));
    }

    @Override
    public void get(BindingGetStatementContext<T> ctx) throws SQLException {
        ctx.convert(converter).value(ctx.statement().getObject(ctx.index(), type));
    }

    @Override
    public void get(BindingGetSQLInputContext<T> ctx) throws SQLException {
        throw new SQLFeatureNotSupportedException("not used");
    }
}
