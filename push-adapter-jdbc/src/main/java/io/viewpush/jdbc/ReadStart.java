package io.viewpush.jdbc;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * The database's time when a read started: as an instant, and as the session's local time. A push's
 * stamps are based on its read's start (see {@link JdbcPushSession}): a row changed after it was
 * read, but before its batch was stamped, then still compares as changed.
 */
record ReadStart(OffsetDateTime instant, LocalDateTime local) {
}
