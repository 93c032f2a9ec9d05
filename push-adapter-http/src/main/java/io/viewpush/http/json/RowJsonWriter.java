package io.viewpush.http.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.viewpush.expression.ValueType;
import io.viewpush.view.Columns;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Objects;

/**
 * Writes the rows of a view as the JSON that receivers get (CONTRACT.md section 3): one object per
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
 *       and control characters are escaped.</li>
 * </ul>
 * Text that is not valid Unicode (a lone surrogate) is refused with a {@link RowEncodingException}
 * naming the view, the field and the row's key; it is never silently replaced.
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
                writeRow(g, view.name(), row, names, scratch);
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
        writeRow(generator, viewName, row, names(viewName, row), new char[TEXT_SCRATCH]);
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
                                 char[] scratch) throws IOException {
        Columns columns = row.columns();
        generator.writeStartObject();
        for (int i = 0; i < names.length; i++) {
            generator.writeFieldName(names[i]);
            writeValue(generator, viewName, row, i, columns.type(i), row.get(i), scratch);
        }
        generator.writeEndObject();
    }

    /** Room for the longest date/time {@link IsoText} writes itself. */
    private static final int TEXT_SCRATCH = 64;

    private static void writeValue(JsonGenerator g, String viewName, Row row, int i, ValueType type, Object value,
                                   char[] scratch) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
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
                if (Math.abs((long) d.scale()) > MAX_PLAIN_SCALE) {
                    throw new RowEncodingException(viewName, row.columns().name(i), keyText(row),
                            "the number has a scale of " + d.scale() + ", beyond the " + MAX_PLAIN_SCALE
                                    + " digits that can be written without an exponent");
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
            default:
                throw new IllegalStateException("unhandled value type " + type);
        }
    }

    /** Jackson refuses to write a BigDecimal plain beyond this scale; we refuse first, with context. */
    private static final int MAX_PLAIN_SCALE = 9999;

    private static void checkText(String s, String viewName, String field, Row row, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw lone(viewName, field, row, what, c, i);
            }
            if (Character.isLowSurrogate(c)) {
                throw lone(viewName, field, row, what, c, i);
            }
        }
    }

    private static RowEncodingException lone(String viewName, String field, Row row, String what, char c, int at) {
        return new RowEncodingException(viewName, safe(field), keyText(row),
                what + " is not valid Unicode text: a lone surrogate " + String.format("U+%04X", (int) c)
                        + " at character " + (at + 1) + "; it cannot be sent as JSON");
    }

    static String keyText(Row row) {
        Object key = row.key();
        return key == null ? "(empty)" : safe(key instanceof BigDecimal ? ((BigDecimal) key).toPlainString() : key.toString());
    }

    /** Renders text for a message: surrogates and control characters escaped, long text cut. */
    static String safe(String s) {
        StringBuilder sb = new StringBuilder();
        int max = 80;
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= max && s.length() > max) {
            sb.append('…');
        }
        return sb.toString();
    }
}
