package io.viewpush.jdbc;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * The stamp value rule. A stamp is the database's time when the push's read started (kept by its
 * session, {@link JdbcPushSession}; the time the batch began when there was none), floored to the stamp
 * column's precision and moved back one unit of it. Why: the database rounds (PostgreSQL) or
 * truncates a modification time to the column's precision, so on a {@code timestamp(0)} column a
 * row edited in the same second just after the push began may hold that very second; stamping one
 * unit earlier keeps {@code last_modified > last_pushed} true for it. The price is that a row
 * modified just before the push began may be sent once more, never repeatedly.
 */
final class Stamps {
    private Stamps() {
    }

    /** @param digits fractional-second digits of the column, 0 to 9 */
    static LocalDateTime floorMinusOneUnit(LocalDateTime t, int digits) {
        long unit = unitNanos(digits);
        return t.withNano((int) (t.getNano() - t.getNano() % unit)).minusNanos(unit);
    }

    /** @param digits fractional-second digits of the column, 0 to 9 */
    static OffsetDateTime floorMinusOneUnit(OffsetDateTime t, int digits) {
        long unit = unitNanos(digits);
        return t.withNano((int) (t.getNano() - t.getNano() % unit)).minusNanos(unit);
    }

    private static long unitNanos(int digits) {
        if (digits < 0 || digits > 9) {
            throw new IllegalArgumentException("fractional digits must be 0 to 9, not " + digits);
        }
        long unit = 1;
        for (int i = digits; i < 9; i++) {
            unit *= 10;
        }
        return unit;
    }
}
