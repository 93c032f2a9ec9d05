package io.viewpush.push;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the journal knows of a view's pushes, as the policy needs it and {@code GET /api/views}
 * shows it.
 *
 * @param view                the view's name
 * @param lastStart           what the minimum interval and the backoff count from: when the last push
 *                            that sent rows had its first request answered (or failed), or started if
 *                            it sent none ({@link PushAttempt#intervalStart()})
 * @param lastSuccess         when the last successful push started
 * @param lastFailure         when the last failed push started
 * @param lastFailureReason   why it failed
 * @param consecutiveFailures failed pushes since the last success (0 after a success)
 * @param failingSince        when the first of those failed pushes started (empty after a success):
 *                            how long a view has been failing, for {@link PushPolicy#pauseAfter()}
 */
public record PushHistory(String view, Optional<Instant> lastStart, Optional<Instant> lastSuccess,
                          Optional<Instant> lastFailure, Optional<String> lastFailureReason,
                          int consecutiveFailures, Optional<Instant> failingSince) {
    public PushHistory {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(lastStart, "lastStart");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
        Objects.requireNonNull(lastFailure, "lastFailure");
        Objects.requireNonNull(lastFailureReason, "lastFailureReason");
        Objects.requireNonNull(failingSince, "failingSince");
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures < 0");
        }
    }

    /**
     * A history that does not know when its failures began: {@code failingSince} is the last
     * failure's start when there are failures (the most recent a streak can have begun), else empty.
     */
    public PushHistory(String view, Optional<Instant> lastStart, Optional<Instant> lastSuccess,
                       Optional<Instant> lastFailure, Optional<String> lastFailureReason, int consecutiveFailures) {
        this(view, lastStart, lastSuccess, lastFailure, lastFailureReason, consecutiveFailures,
                consecutiveFailures > 0 ? lastFailure : Optional.empty());
    }

    /** @return the history of a view that was never pushed */
    public static PushHistory none(String view) {
        return new PushHistory(view, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0,
                Optional.empty());
    }

    /** @return this history followed by {@code attempt} (attempts that sent nothing leave it as it is) */
    public PushHistory after(PushAttempt attempt) {
        switch (attempt.status()) {
            case SUCCESS:
                return new PushHistory(view, Optional.of(attempt.intervalStart()), Optional.of(attempt.startedAt()),
                        lastFailure, lastFailureReason, 0, Optional.empty());
            case FAILED:
            case PARTIAL:
                return new PushHistory(view, Optional.of(attempt.intervalStart()), lastSuccess,
                        Optional.of(attempt.startedAt()), Optional.of(attempt.reason()), consecutiveFailures + 1,
                        consecutiveFailures > 0 && failingSince.isPresent() ? failingSince
                                : Optional.of(attempt.startedAt()));
            default:
                return this;
        }
    }
}
