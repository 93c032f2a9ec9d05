package io.viewpush.jdbc;

import io.viewpush.expression.ValueType;
import org.jooq.DataType;
import org.jooq.impl.SQLDataType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/** The jOOQ data type of each {@link ValueType}, with zone-independent temporal bindings. */
final class SqlTypes {
    static final DataType<String> TEXT = SQLDataType.VARCHAR;
    static final DataType<BigDecimal> NUMBER = SQLDataType.NUMERIC;
    static final DataType<Boolean> BOOLEAN = SQLDataType.BOOLEAN;
    static final DataType<LocalDateTime> TIMESTAMP =
            SQLDataType.LOCALDATETIME.asConvertedDataType(TemporalBinding.LOCAL_DATE_TIME);
    static final DataType<OffsetDateTime> TIMESTAMP_TZ =
            SQLDataType.OFFSETDATETIME.asConvertedDataType(TemporalBinding.OFFSET_DATE_TIME);
    static final DataType<LocalDate> DATE = SQLDataType.LOCALDATE.asConvertedDataType(TemporalBinding.LOCAL_DATE);

    private SqlTypes() {
    }

    static DataType<?> of(ValueType type) {
        switch (type) {
            case TEXT:
                return TEXT;
            case NUMBER:
                return NUMBER;
            case BOOLEAN:
                return BOOLEAN;
            case TIMESTAMP:
                return TIMESTAMP;
            case TIMESTAMP_TZ:
                return TIMESTAMP_TZ;
            case DATE:
                return DATE;
            case UUID:
                return SQLDataType.UUID;
            case BYTES:
                return SQLDataType.VARBINARY;
            case FLOAT:
                return SQLDataType.DOUBLE;
            case TIME:
                return SQLDataType.LOCALTIME;
            case TIME_TZ:
                return SQLDataType.OFFSETTIME;
            case ENUM:
            case JSON:
            case ARRAY:
            case INTERVAL:
            case OTHER:
                // read as their text (ColumnTypes.read)
                return TEXT;
            default:
                throw new IllegalArgumentException("unknown type " + type);
        }
    }
}
