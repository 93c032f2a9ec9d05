package io.viewpush.push;

import java.util.List;
import java.util.Objects;

/**
 * The rows one push held back ({@link HeldBackRow}): how many, and the first of them. Memory is
 * bounded whatever the view holds: at most {@link #MAX_LISTED} rows are listed, the rest only
 * counted.
 *
 * @param count how many rows were held back; at least {@code first.size()}
 * @param first the first rows held back, in the order they were read, at most {@link #MAX_LISTED}
 */
public record HeldBack(long count, List<HeldBackRow> first) {
    /** How many held-back rows a push lists (with key and field); the others are counted. */
    public static final int MAX_LISTED = 10;

    /** Nothing held back. */
    public static final HeldBack NONE = new HeldBack(0, List.of());

    public HeldBack {
        first = List.copyOf(Objects.requireNonNull(first, "first"));
        if (first.size() > MAX_LISTED) {
            throw new IllegalArgumentException("at most " + MAX_LISTED + " held-back rows are listed, got " + first.size());
        }
        if (count < first.size()) {
            throw new IllegalArgumentException("count " + count + " is less than the " + first.size() + " rows listed");
        }
    }

    /** @return whether no row was held back */
    public boolean isEmpty() {
        return count == 0;
    }

    /**
     * @return a sentence for a push's reason or a log line: how many, and which (key and field);
     *         empty text when none was held back
     */
    public String summary() {
        if (count == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(count).append(count == 1 ? " row" : " rows")
                .append(" held back (a value the row JSON cannot carry; not sent, not stamped): ");
        for (int i = 0; i < first.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(first.get(i));
        }
        if (count > first.size()) {
            sb.append("; and ").append(count - first.size()).append(" more");
        }
        return sb.toString();
    }
}
