package io.viewpush.expression;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The moment a push reads its view at. {@code now()} in expressions is {@link #now()}; where it is
 * compared with a timestamp without zone or a date, it is converted in {@link #zone()}. The
 * in-memory evaluator and the SQL translation receive the same snapshot, so they agree; for the
 * same reason the instant is kept at microsecond precision, the finest databases store.
 *
 * @param now  the snapshot instant
 * @param zone the zone used to convert {@code now} to a local timestamp or date
 */
public record Snapshot(Instant now, ZoneId zone) {
    public Snapshot {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        now = now.truncatedTo(ChronoUnit.MICROS);
    }

    /** @return a snapshot at {@code now} in UTC */
    public static Snapshot at(Instant now) {
        return new Snapshot(now, ZoneOffset.UTC);
    }
}
