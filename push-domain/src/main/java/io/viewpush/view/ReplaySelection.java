package io.viewpush.view;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which rows of a view's table a replay clears the stamp of, so that the next push sends them
 * again: every stamped row, the rows with given keys, or the rows stamped at or after a time.
 */
public sealed interface ReplaySelection {

    /** @return every row whose stamp is set */
    static ReplaySelection all() {
        return new All();
    }

    /** @return the rows with these keys (those whose stamp is set) */
    static ReplaySelection keys(List<RowKey> keys) {
        return new Keys(keys);
    }

    /** @return the rows stamped at or after {@code at} */
    static ReplaySelection since(Instant at) {
        return new Since(at);
    }

    /**
     * Reads the time of a {@code --since} / {@code "since"}: an ISO-8601 date and time with offset
     * ({@code 2024-05-01T10:00:00Z}, {@code 2024-05-01T12:00:00+02:00}), without one
     * ({@code 2024-05-01T10:00:00}, in {@code zone}), or a date ({@code 2024-05-01}, its start in {@code zone}).
     *
     * @throws IllegalArgumentException naming the text and the forms accepted
     */
    static Instant parseTime(String text, ZoneId zone) {
        String t = text == null ? "" : text.strip();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // one of the other forms
        }
        try {
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // one of the other forms
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: write it as ISO-8601, such as"
                    + " 2024-05-01T10:00:00Z, 2024-05-01T10:00:00 (in " + zone + ") or 2024-05-01");
        }
    }

    /** @return the selection in one line for people and the journal: {@code all}, {@code keys 1, 2}, {@code since 2024-…Z} */
    String describe();

    /** Every stamped row. */
    record All() implements ReplaySelection {
        @Override
        public String describe() {
            return "all";
        }
    }

    /**
     * The rows with these keys.
     *
     * @param keys at least one, each of the view's key fields' types
     */
    record Keys(List<RowKey> keys) implements ReplaySelection {
        /** Keys listed in {@link #describe()}; more are counted. */
        public static final int DESCRIBED = 20;

        public Keys {
            keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("a replay by keys needs at least one key");
            }
        }

        @Override
        public String describe() {
            String listed = keys.stream().limit(DESCRIBED).map(RowKey::toString).collect(Collectors.joining(", "));
            return "keys " + listed + (keys.size() > DESCRIBED ? " and " + (keys.size() - DESCRIBED) + " more" : "");
        }
    }

    /**
     * The rows stamped at or after a time.
     *
     * @param at the earliest stamp replayed (a stamp without time zone is compared in the engine's zone)
     */
    record Since(Instant at) implements ReplaySelection {
        public Since {
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String describe() {
            return "since " + at;
        }
    }
}
