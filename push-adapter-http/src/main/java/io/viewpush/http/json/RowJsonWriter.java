package io.viewpush.http.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.viewpush.expression.ValueType;
import io.viewpush.view.Carriable;
import io.viewpush.view.Columns;
import io.viewpush.view.Row;
import io.viewpush.view.Uncarriable;
import io.viewpush.view.View;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Writes the rows of a view as the JSON that receivers get (README, "The push request"): one object per
 * row, keys are the view's output field names in the view's order. It is the one serializer for
 * both the push payload and the pull API, so both are byte-identical for the same rows.
 *
 * <p>Values, by {@link ValueType}:
 * <ul>
 *   <li>empty (SQL NULL) → {@code null};</li>
 *   <li>{@code NUMBER} → a JSON number with the exact decimal value, written plain (never with an
 *       exponent, never through a float): {@code 1.10}, {@code 12345678901234567890.123456789};
 *       the scale is kept as the database reports it;</li>
 *   <li>{@code BOOLEAN} → {@code true} / {@code false};</li>
 *   <li>{@code TIMESTAMP} → {@code "2024-01-31T10:00:00"}: seconds are always written; a fraction
 *       of a second only when it is not zero, with as many digits as it needs and no trailing zero
 *       ({@code "2024-01-31T10:00:00.5"}, {@code "2024-01-31T10:00:00.123456"}); see
 *       {@link #TIMESTAMP_FORMAT};</li>
 *   <li>{@code TIMESTAMP_TZ} → the same with the value's own offset, {@code Z} for UTC
 *       ({@code "2024-01-31T10:00:00+01:00"}); see {@link #TIMESTAMP_TZ_FORMAT};</li>
 *   <li>{@code DATE} → {@code "2024-01-31"};</li>
 *   <li>{@code TEXT} → a JSON string, UTF-8, characters outside ASCII written as themselves
 *       (an emoji is its 4 UTF-8 bytes, not an escaped surrogate pair); only {@code "}, {@code \}
 *       and control characters are escaped;</li>
 *   <li>{@code UUID} → a lower-case string; {@code ENUM} → its label; {@code INTERVAL} → an ISO-8601
 *       duration ({@code "P1Y2M3DT4H5M6.5S"}); {@code OTHER} → the value's text form: strings;</li>
 *   <li>{@code JSON} and {@code ARRAY} → the JSON value itself (an array's dimensions as nested
 *       arrays, empty elements {@code null}), never a string holding JSON;</li>
 *   <li>{@code BYTES} → a base64 string (RFC 4648, with padding, no line breaks);</li>
 *   <li>{@code FLOAT} → a JSON number; NaN and ±Infinity, which JSON numbers cannot be, as the
 *       strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"};</li>
 *   <li>{@code TIME} → {@code "10:15:00"} (seconds always, a fraction when not zero);
 *       {@code TIME_TZ} → the same with its offset ({@code "10:15:00+02:00"}).</li>
 * </ul>
 * A value the row JSON cannot carry ({@link Carriable}: text that is not valid Unicode, such as a
 * lone surrogate; a number whose scale is beyond {@value Carriable#MAX_NUMBER_SCALE}) is refused
 * with a {@link RowEncodingException} naming the view, the field and the row's key; it is never
 * silently replaced. The engine holds such rows back before they reach a push, and a row update
 * refuses such values by the same rule. A pull, which must not lose a row, uses
 * {@link #writeArrayMarking}: the value is written as {@code null} and the row is marked.
 *
 * <p>The writer streams: rows are written one at a time to the given stream and never collected.
 * It never closes the stream it writes to. Instances are immutable and thread-safe.
 */
public final class RowJsonWriter {
    /** How {@code TIMESTAMP} values are written: ISO-8601 local date-time, seconds always present. */
    public static final DateTimeFormatter TIMESTAMP_FORMAT = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
    /** How {@code TIMESTAMP_TZ} values are written: ISO-8601 with the value's offset. */
    public static final DateTimeFormatter TIMESTAMP_TZ_FORMAT = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    /** How {@code DATE} values are written: ISO-8601 calendar date. */
    public static final DateTimeFormatter DATE_FORMAT = DateTimeFormatter.ISO_LOCAL_DATE;
    /** How {@code TIME} values are written: ISO-8601 local time, seconds always present. */
    public static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ISO_LOCAL_TIME;
    /** How {@code TIME_TZ} values are written: ISO-8601 time with the value's offset. */
    public static final DateTimeFormatter TIME_TZ_FORMAT = DateTimeFormatter.ISO_OFFSET_TIME;

    private static final RowJsonWriter INSTANCE = new RowJsonWriter();

    private final JsonFactory factory;

    private RowJsonWriter() {
        this.factory = new JsonFactoryBuilder()
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
    }

    /** @return the shared writer */
    public static RowJsonWriter create() {
        return INSTANCE;
    }

    /**
     * @return the configured factory: it never closes the target stream, writes decimals plain and
     *         emits characters outside the BMP as UTF-8. Use it to build an enclosing document.
     */
    public JsonFactory jsonFactory() {
        return factory;
    }

    /**
     * Writes {@code rows} as one JSON array (UTF-8) to {@code out}, consuming the iterator to its
     * end. Flushes but does not close {@code out}.
     *
     * @param view the view the rows belong to (named in errors)
     * @param rows the rows, consumed once, in order
     * @param out  where the bytes go
     * @return how many rows were written
     * @throws RowEncodingException when a value cannot be written as JSON (lone surrogate, …)
     * @throws IOException          when {@code out} fails
     */
    public long writeArray(View view, Iterator<Row> rows, OutputStream out) throws IOException {
        return writeArray(view, rows, out, null);
    }

    /**
     * The name of the member that {@link #writeArrayMarking} adds, last, to a row some of whose
     * values cannot be carried: an array of those fields' names, each of which is written as
     * {@code null}. It starts with {@code $} so that it reads as no field of a view.
     */
    public static final String UNENCODABLE_MEMBER = "$unencodable";

    /** Told of each row that {@link #writeArrayMarking} wrote with a marker instead of some values. */
    @FunctionalInterface
    public interface Marked {
        /**
         * @param row    the row as it was read
         * @param fields the fields written as {@code null} (at least one), in the view's order
         */
        void marked(Row row, List<String> fields);
    }

    /**
     * Like {@link #writeArray}, for a reader that must get every row (a pull): a value the row JSON
     * cannot carry ({@link Carriable}) is written as {@code null} and the row gets a last member
     * {@value #UNENCODABLE_MEMBER} naming those fields, so the array is never cut short and the
     * client can tell a missing value from an empty one.
     *
     * @param marked told of each row written with a marker
     * @return how many rows were written
     * @throws IOException when {@code out} fails
     */
    public long writeArrayMarking(View view, Iterator<Row> rows, OutputStream out, Marked marked) throws IOException {
        return writeArray(view, rows, out, Objects.requireNonNull(marked, "marked"));
    }

    /**
     * Writes one row as a JSON object the way {@link #writeArrayMarking} writes each row.
     *
     * @return the fields written as {@code null} because their values cannot be carried (usually none)
     * @throws IOException when {@code out} fails
     */
    public List<String> writeObjectMarking(View view, Row row, OutputStream out) throws IOException {
        Objects.requireNonNull(view, "view");
        List<List<String>> found = new ArrayList<>(1);
        try (JsonGenerator g = factory.createGenerator(out)) {
            writeRow(g, view.name(), row, names(view.name(), row), new char[TEXT_SCRATCH], (r, f) -> found.add(f));
        }
        return found.isEmpty() ? List.of() : found.get(0);
    }

    private long writeArray(View view, Iterator<Row> rows, OutputStream out, Marked marked) throws IOException {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(out, "out");
        long count = 0;
        Columns checked = null;
        SerializedString[] names = null;
        char[] scratch = new char[TEXT_SCRATCH];
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartArray();
            while (rows.hasNext()) {
                Row row = rows.next();
                if (row.columns() != checked) {
                    names = names(view.name(), row);
                    checked = row.columns();
                }
                writeRow(g, view.name(), row, names, scratch, marked);
                count++;
            }
            g.writeEndArray();
        }
        return count;
    }

    /**
     * Writes one row as a JSON object (UTF-8) to {@code out}; flushes but does not close it.
     *
     * @throws RowEncodingException when a value cannot be written as JSON
     * @throws IOException          when {@code out} fails
     */
    public void writeObject(View view, Row row, OutputStream out) throws IOException {
        Objects.requireNonNull(view, "view");
        try (JsonGenerator g = factory.createGenerator(out)) {
            writeRow(g, view.name(), row);
        }
    }

    /**
     * Writes one row as a JSON object into a generator (for an enclosing document); the generator
     * should come from {@link #jsonFactory()} so that numbers and text are written the same way.
     *
     * @param viewName the view's name, for error messages
     * @throws RowEncodingException when a value cannot be written as JSON
     * @throws IOException          when the generator's target fails
     */
    public void writeRow(JsonGenerator generator, String viewName, Row row) throws IOException {
        writeRow(generator, viewName, row, names(viewName, row), new char[TEXT_SCRATCH], null);
    }

    /** The row's field names, checked to be valid Unicode, each encoded once for all rows with these columns. */
    private static SerializedString[] names(String viewName, Row row) {
        Columns columns = row.columns();
        SerializedString[] names = new SerializedString[columns.size()];
        for (int i = 0; i < names.length; i++) {
            String name = columns.name(i);
            checkText(name, viewName, name, row, "its name");
            names[i] = new SerializedString(name);
        }
        return names;
    }

    private static void writeRow(JsonGenerator generator, String viewName, Row row, SerializedString[] names,
                                 char[] scratch, Marked marked) throws IOException {
        Columns columns = row.columns();
        generator.writeStartObject();
        List<String> unencodable = null;
        for (int i = 0; i < names.length; i++) {
            generator.writeFieldName(names[i]);
            Object value = row.get(i);
            if (marked != null && value != null && Carriable.problem(columns.type(i), value).isPresent()) {
                generator.writeNull();
                if (unencodable == null) {
                    unencodable = new ArrayList<>(1);
                }
                unencodable.add(columns.name(i));
                continue;
            }
            writeValue(generator, viewName, row, i, columns.type(i), value, scratch);
        }
        if (unencodable != null) {
            generator.writeArrayFieldStart(UNENCODABLE_MEMBER);
            for (String f : unencodable) {
                generator.writeString(f);
            }
            generator.writeEndArray();
        }
        generator.writeEndObject();
        if (unencodable != null) {
            marked.marked(row, List.copyOf(unencodable));
        }
    }

    /** Room for the longest date/time {@link IsoText} writes itself. */
    private static final int TEXT_SCRATCH = 64;

    private static void writeValue(JsonGenerator g, String viewName, Row row, int i, ValueType type, Object value,
                                   char[] scratch) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        if (value instanceof Uncarriable) {
            throw new RowEncodingException(viewName, safe(row.columns().name(i)), keyText(row),
                    "its value " + ((Uncarriable) value).problem());
        }
        switch (type) {
            case TEXT: {
                String s = (String) value;
                checkText(s, viewName, row.columns().name(i), row, "its value");
                g.writeString(s);
                break;
            }
            case NUMBER: {
                BigDecimal d = (BigDecimal) value;
                if (!Carriable.fits(d)) {
                    throw new RowEncodingException(viewName, row.columns().name(i), keyText(row),
                            "its value " + Carriable.problem(type, d).orElseThrow());
                }
                int n = IsoText.plainDecimal(d, scratch);
                if (n < 0) {
                    g.writeNumber(d);
                } else {
                    g.writeNumber(scratch, 0, n);
                }
                break;
            }
            case BOOLEAN:
                g.writeBoolean((Boolean) value);
                break;
            case TIMESTAMP: {
                int n = IsoText.localDateTime((LocalDateTime) value, scratch);
                if (n < 0) {
                    g.writeString(TIMESTAMP_FORMAT.format((LocalDateTime) value));
                } else {
                    g.writeString(scratch, 0, n);
                }
                break;
            }
            case TIMESTAMP_TZ: {
                int n = IsoText.offsetDateTime((OffsetDateTime) value, scratch);
                if (n < 0) {
                    g.writeString(TIMESTAMP_TZ_FORMAT.format((OffsetDateTime) value));
                } else {
                    g.writeString(scratch, 0, n);
                }
                break;
            }
            case DATE: {
                int n = IsoText.localDate((LocalDate) value, scratch);
                if (n < 0) {
                    g.writeString(DATE_FORMAT.format((LocalDate) value));
                } else {
                    g.writeString(scratch, 0, n);
                }
                break;
            }
            case UUID:
                g.writeString(value.toString());
                break;
            case ENUM:
            case INTERVAL:
            case OTHER: {
                String s = (String) value;
                checkText(s, viewName, row.columns().name(i), row, "its value");
                g.writeString(s);
                break;
            }
            case JSON:
            case ARRAY: {
                String s = (String) value;
                checkText(s, viewName, row.columns().name(i), row, "its value");
                g.writeRawValue(s);
                break;
            }
            case BYTES:
                g.writeBinary((byte[]) value);
                break;
            case FLOAT: {
                double d = (Double) value;
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    g.writeString(Double.toString(d));
                } else {
                    g.writeNumber(d);
                }
                break;
            }
            case TIME:
                g.writeString(TIME_FORMAT.format((LocalTime) value));
                break;
            case TIME_TZ:
                g.writeString(TIME_TZ_FORMAT.format((OffsetTime) value));
                break;
            default:
                throw new IllegalStateException("unhandled value type " + type);
        }
    }

    private static void checkText(String s, String viewName, String field, Row row, String what) {
        int at = Carriable.loneSurrogateAt(s);
        if (at >= 0) {
            throw new RowEncodingException(viewName, safe(field), keyText(row), what + " " + Carriable.loneSurrogate(s, at));
        }
    }

    static String keyText(Row row) {
        return Carriable.keyText(row);
    }

    /** Renders text for a message: surrogates and control characters escaped, long text cut. */
    static String safe(String s) {
        return Carriable.printable(s);
    }
}
