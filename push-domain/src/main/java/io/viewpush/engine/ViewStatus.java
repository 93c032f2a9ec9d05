package io.viewpush.engine;

import io.viewpush.push.Pause;
import io.viewpush.push.PushHistory;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A view's push state, as {@code GET /api/views} shows it.
 *
 * @param view     the view's name
 * @param pushable true when the view has a push policy
 * @param history  what the journal knows (last start, success, failure and reason)
 * @param nextDue  when this engine will next check or push the view, if scheduled
 * @param pushing  true while this engine is pushing it
 * @param paused   the view's pause, as the store has it, when it is paused
 */
public record ViewStatus(String view, boolean pushable, PushHistory history, Optional<Instant> nextDue,
                         boolean pushing, Optional<Pause> paused) {
    public ViewStatus {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(nextDue, "nextDue");
        Objects.requireNonNull(paused, "paused");
    }

    /** The status of a view that is not paused; the other parameters as the record's. */
    public ViewStatus(String view, boolean pushable, PushHistory history, Optional<Instant> nextDue, boolean pushing) {
        this(view, pushable, history, nextDue, pushing, Optional.empty());
    }
}
