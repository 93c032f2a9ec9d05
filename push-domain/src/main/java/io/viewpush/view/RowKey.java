package io.viewpush.view;

import io.viewpush.expression.Expressions;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The key of one row of a view: its key fields' values, in the view's key order
 * ({@link ViewDefinition#keyFields()}). A key has one value, or several for a composite key; both
 * travel the same way (pages, row updates, stamping). Values have the Java type of their field's
 * type and are never empty.
 *
 * <p><b>Text form</b> ({@link #text()}, what the CLI takes and prints, e.g. {@code replay --key}):
 * each value's text ({@link #valueText(Object)}: numbers plain, date-times ISO-8601, text as it is);
 * a one-value key is that text alone, unchanged; a composite key is its values' texts in key order,
 * each percent-encoded as a URL path segment (UTF-8; only {@code A-Z a-z 0-9 - . _ ~} stay as
 * they are), joined with {@code /}: the key {@code (7, "a/b")} is {@code 7/a%2Fb}, exactly the
 * tail of its row update path {@code /api/views/{view}/rows/7/a%2Fb}. {@link #textParts} splits it.
 *
 * <p><b>JSON form</b> (in API answers and receivers' per-row answers): a one-value key is the
 * value as the row JSON writes its field; a composite key is a JSON array of those values in key
 * order, e.g. {@code [7, "a/b"]}.
 *
 * @param values the key's values, in key order; at least one, none {@code null}
 */
public record RowKey(List<Object> values) implements Comparable<RowKey> {
    public RowKey {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a row key has at least one value");
        }
        for (Object v : values) {
            if (v == null) {
                throw new IllegalArgumentException("a row key's values are never empty: " + values);
            }
        }
        values = List.copyOf(values);
    }

    /**
     * @param values the key's values, in key order
     * @return the key
     * @throws IllegalArgumentException when there is none or one is {@code null}
     */
    public static RowKey of(Object... values) {
        return new RowKey(Arrays.asList(values));
    }

    /** @return how many columns the key has */
    public int size() {
        return values.size();
    }

    /**
     * @return the value of a one-column key
     * @throws IllegalStateException when the key has more than one column
     */
    public Object single() {
        if (values.size() != 1) {
            throw new IllegalStateException("the key " + values + " has " + values.size() + " columns, not one");
        }
        return values.get(0);
    }

    /** Orders keys value by value, in key order, as the view orders its rows. */
    @Override
    public int compareTo(RowKey other) {
        int n = Math.min(values.size(), other.values.size());
        for (int i = 0; i < n; i++) {
            int c = Expressions.compare(values.get(i), other.values.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(values.size(), other.values.size());
    }

    /** @return the key's text form (see the class description) */
    public String text() {
        if (values.size() == 1) {
            return valueText(values.get(0));
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : "/").append(encodeSegment(valueText(values.get(i))));
        }
        return sb.toString();
    }

    /**
     * @param value a key value
     * @return its text: a number plain (no exponent), anything else its {@code toString()} (ISO-8601
     *         for dates and times, lower case for a uuid)
     */
    public static String valueText(Object value) {
        return value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : String.valueOf(value);
    }

    /**
     * Splits a key's text form into its values' texts, for a key of {@code size} fields.
     *
     * @param text the text form
     * @param size how many fields the key has
     * @return one text per field, in key order (the text itself for a one-field key)
     * @throws IllegalArgumentException when a composite key's text has another number of parts, or
     *                                  a part is not valid percent-encoding
     */
    public static List<String> textParts(String text, int size) {
        Objects.requireNonNull(text, "text");
        if (size == 1) {
            return List.of(text);
        }
        String[] parts = text.split("/", -1);
        if (parts.length != size) {
            throw new IllegalArgumentException("the key has " + size + " values, written as " + size
                    + " parts joined with '/' (each URL-encoded), but '" + text + "' has " + parts.length);
        }
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            out.add(decodeSegment(p));
        }
        return out;
    }

    /** @return {@code text} percent-encoded as a URL path segment (UTF-8; unreserved characters kept) */
    public static String encodeSegment(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /**
     * @return a percent-encoded path segment decoded ({@code +} stays a plus)
     * @throws IllegalArgumentException when a {@code %} is not followed by two hex digits, or the
     *                                  bytes are not UTF-8
     */
    public static String decodeSegment(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                int hi = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(segment.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new IllegalArgumentException("'" + segment + "' has a '%' at " + (i + 1)
                            + " that is not followed by two hex digits");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < segment.length()) {
                    b = segment.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("'" + segment + "' is not URL-encoded UTF-8", e);
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    @Override
    public String toString() {
        return values.size() == 1 ? String.valueOf(values.get(0)) : values.toString();
    }
}
