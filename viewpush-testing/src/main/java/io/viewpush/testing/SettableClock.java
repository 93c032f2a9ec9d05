package io.viewpush.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand. Thread-safe. */
public final class SettableClock extends Clock {
    private volatile Instant now;
    private final ZoneId zone;

    /** @param start the initial time, in UTC */
    public SettableClock(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    /**
     * @param start the initial time
     * @param zone  the clock's zone
     */
    public SettableClock(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    /** Sets the clock. */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new SettableClock(now, z);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
