package io.viewpush.http.api;

import io.viewpush.engine.ViewPush;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows waiting in a view (for a view with a push policy: the rows a push would send now),
 * counted cheaply for the console: at most {@link #LIMIT}{@code  + 1} rows are read, and a count is
 * served for {@link #MAX_AGE} before the view is counted again, so a console left open on a big
 * table never counts it whole, and many consoles cost one bounded read per view and period.
 */
final class RowsWaiting {
    /** Rows counted at most; more is shown as "more than". */
    static final int LIMIT = 1_000;
    /** How long one count is served. */
    static final Duration MAX_AGE = Duration.ofSeconds(10);

    /** A count: {@code rows} (at most {@code limit}), {@code more} when the view has more. */
    record Count(long rows, boolean more, int limit, long countedAtMillis) {
    }

    private final ViewPush engine;
    private final Clock clock;
    private final Map<String, Cached> views = new ConcurrentHashMap<>();

    RowsWaiting(ViewPush engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    Count count(String view) {
        return views.computeIfAbsent(view, v -> new Cached()).get(view);
    }

    /** Drops the view's count (a push just changed it): the next call counts again. */
    void forget(String view) {
        views.remove(view);
    }

    private final class Cached {
        private Count last;

        synchronized Count get(String view) {
            long now = clock.millis();
            if (last == null || now - last.countedAtMillis() >= MAX_AGE.toMillis() || now < last.countedAtMillis()) {
                long n = 0;
                try (RowCursor rows = engine.read(view, new Page(Optional.empty(), LIMIT + 1))) {
                    while (n <= LIMIT && rows.hasNext()) {
                        rows.next();
                        n++;
                    }
                }
                last = new Count(Math.min(n, LIMIT), n > LIMIT, LIMIT, now);
            }
            return last;
        }
    }
}
