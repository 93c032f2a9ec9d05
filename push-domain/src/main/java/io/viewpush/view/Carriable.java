package io.viewpush.view;

import io.viewpush.expression.ValueType;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Which values a row can carry to a receiver: the one definition that the row JSON writer applies
 * when it writes a row, that a row update applies before it writes anything, and that a push
 * applies to hold back a row another application filled with a value that cannot be sent.
 *
 * <p>A value of a field's {@link ValueType} can be carried unless it is
 * <ul>
 *   <li>{@code TEXT} that is not valid Unicode: a lone UTF-16 surrogate (a high surrogate not
 *       followed by a low one, or a low one alone). JSON text is Unicode; such a string has no
 *       UTF-8 form, and replacing it would change the data silently;</li>
 *   <li>a {@code NUMBER} whose scale is beyond {@value #MAX_NUMBER_SCALE} either way: it cannot be
 *       written as a plain JSON number (no exponent) of reasonable size;</li>
 *   <li>an {@link Uncarriable}: a value the database holds that has no form in the field's type
 *       (NaN or Infinity in a number column).</li>
 * </ul>
 * Empty (null) and every value of the other types can always be carried.
 */
public final class Carriable {
    /** The widest scale (digits after the point, or trailing zeros for a negative scale) a number may have. */
    public static final int MAX_NUMBER_SCALE = 9999;

    private Carriable() {
    }

    /**
     * @param type  the field's type
     * @param value a value of that type's Java class, or null
     * @return why the value cannot be carried, as a phrase that completes "the value …"
     *         ({@code "is text that is not valid Unicode: …"}), or empty when it can
     */
    public static Optional<String> problem(ValueType type, Object value) {
        if (value instanceof Uncarriable) {
            return Optional.of(((Uncarriable) value).problem());
        }
        if (value instanceof String) {
            String s = (String) value;
            int at = loneSurrogateAt(s);
            return at < 0 ? Optional.empty() : Optional.of(loneSurrogate(s, at));
        }
        if (value instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) value;
            return fits(d) ? Optional.empty() : Optional.of(tooWide(d));
        }
        return Optional.empty();
    }

    /**
     * @return the position of the first field of {@code row} whose value cannot be carried, or -1
     *         when every value can
     */
    public static int firstProblem(Row row) {
        Columns columns = row.columns();
        for (int i = 0; i < columns.size(); i++) {
            Object v = row.get(i);
            if (v instanceof String ? loneSurrogateAt((String) v) >= 0
                    : v instanceof BigDecimal ? !fits((BigDecimal) v) : v instanceof Uncarriable) {
                return i;
            }
        }
        return -1;
    }

    /** @return the index of the first lone surrogate in {@code s}, or -1 when it is valid Unicode */
    public static int loneSurrogateAt(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < Character.MIN_SURROGATE) {
                continue;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** @return whether {@code d} can be written as a plain JSON number (its scale within {@link #MAX_NUMBER_SCALE}) */
    public static boolean fits(BigDecimal d) {
        return Math.abs((long) d.scale()) <= MAX_NUMBER_SCALE;
    }

    /** @return the phrase for text with a lone surrogate at {@code at} (see {@link #problem}) */
    public static String loneSurrogate(CharSequence s, int at) {
        return "is text that is not valid Unicode: a lone surrogate " + String.format("U+%04X", (int) s.charAt(at))
                + " at character " + (at + 1) + ", which JSON cannot carry";
    }

    private static String tooWide(BigDecimal d) {
        return "is a number with a scale of " + d.scale() + ", beyond the " + MAX_NUMBER_SCALE
                + " digits that can be written without an exponent";
    }

    /**
     * Renders text for a message or a report, so that the report itself can always be carried:
     * lone surrogates and control characters escaped as {@code \}{@code uXXXX}, text beyond 80
     * characters cut with an ellipsis.
     *
     * @param s the text
     * @return the printable form
     */
    public static String printable(String s) {
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

    /**
     * @return a row's key as printable text: numbers plain, empty as {@code (empty)}; a composite
     *         key as its values' texts joined with {@code /} (see {@link RowKey#text()})
     */
    public static String keyText(Row row) {
        Columns columns = row.columns();
        if (columns.keySize() == 1) {
            return valueText(row.key());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.keySize(); i++) {
            Object v = row.get(columns.keyIndex(i));
            sb.append(i == 0 ? "" : "/").append(v == null ? "(empty)" : v instanceof Uncarriable
                    ? printable(((Uncarriable) v).text()) : printable(RowKey.encodeSegment(RowKey.valueText(v))));
        }
        return sb.toString();
    }

    private static String valueText(Object key) {
        return key == null ? "(empty)"
                : printable(key instanceof Uncarriable ? ((Uncarriable) key).text() : RowKey.valueText(key));
    }
}
