package io.viewpush.app.config;

import io.viewpush.engine.ViewPush;
import io.viewpush.jdbc.JdbcPushStore;

import java.time.Duration;
import java.util.Objects;

/**
 * The optional {@code engine} section: how the scheduler runs. Defaults are the engine builder's.
 *
 * @param workers         threads that push views concurrently; default {@link ViewPush.Builder#DEFAULT_WORKERS}
 * @param pollInterval    least time between two checks of a view with nothing to send; default
 *                        {@link ViewPush.Builder#DEFAULT_POLL_INTERVAL}
 * @param leaseTtl        how long a view's lease lasts unless renewed (another instance takes a
 *                        crashed one's views over after it); default {@link ViewPush.Builder#DEFAULT_LEASE_TTL}
 * @param shutdownTimeout how long a stop waits for the push in flight; default
 *                        {@link ViewPush.Builder#DEFAULT_SHUTDOWN_TIMEOUT}
 * @param journalRetention          how long push attempts stay in the journal, by their start; default
 *                                  {@link JdbcPushStore#DEFAULT_JOURNAL_RETENTION}
 * @param journalMaxAttemptsPerView how many push attempts the journal keeps per view; default
 *                                  {@link JdbcPushStore#DEFAULT_JOURNAL_MAX_ATTEMPTS_PER_VIEW}
 * @param journalPruneInterval      least time between two prunes of a view's journal; default
 *                                  {@link JdbcPushStore#DEFAULT_JOURNAL_PRUNE_INTERVAL}
 */
public record EngineConfig(int workers, Duration pollInterval, Duration leaseTtl, Duration shutdownTimeout,
                           Duration journalRetention, int journalMaxAttemptsPerView, Duration journalPruneInterval) {
    /** The defaults. */
    public static final EngineConfig DEFAULT = new EngineConfig(ViewPush.Builder.DEFAULT_WORKERS,
            ViewPush.Builder.DEFAULT_POLL_INTERVAL, ViewPush.Builder.DEFAULT_LEASE_TTL,
            ViewPush.Builder.DEFAULT_SHUTDOWN_TIMEOUT);

    public EngineConfig {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(journalRetention, "journalRetention");
        Objects.requireNonNull(journalPruneInterval, "journalPruneInterval");
    }

    /** The scheduler's settings with the journal's defaults. */
    public EngineConfig(int workers, Duration pollInterval, Duration leaseTtl, Duration shutdownTimeout) {
        this(workers, pollInterval, leaseTtl, shutdownTimeout, JdbcPushStore.DEFAULT_JOURNAL_RETENTION,
                JdbcPushStore.DEFAULT_JOURNAL_MAX_ATTEMPTS_PER_VIEW, JdbcPushStore.DEFAULT_JOURNAL_PRUNE_INTERVAL);
    }
}
