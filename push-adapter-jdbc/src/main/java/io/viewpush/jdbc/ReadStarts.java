package io.viewpush.jdbc;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each open cursor of a view started reading, by the database's clock. A stamp must not be
 * later than the moment the rows it marks were read: an engine may begin a batch after it opened
 * the cursor the batch's rows come from, and a row changed in between was read (and sent) in its
 * old version. So a stamp is taken no later than the start of any cursor still open on the view;
 * without an optimistic check, such a change then still compares as newer than the stamp.
 */
final class ReadStarts {
    /** The database's time when a read started: as an instant, and as the session's local time. */
    record Start(OffsetDateTime instant, LocalDateTime local) {
    }

    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Map<Long, Start>> open = new ConcurrentHashMap<>();

    /** @return what to run when the cursor closes, to forget its start */
    Runnable opened(String view, Start start) {
        long id = ids.incrementAndGet();
        Map<Long, Start> starts = open.computeIfAbsent(view, v -> new ConcurrentHashMap<>());
        starts.put(id, start);
        return () -> starts.remove(id);
    }

    /** @return the earliest start of a cursor still open on the view */
    Optional<Start> earliest(String view) {
        Map<Long, Start> starts = open.get(view);
        return starts == null ? Optional.empty()
                : starts.values().stream().min(Comparator.comparing(s -> s.instant().toInstant()));
    }
}
