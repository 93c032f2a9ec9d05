package io.viewpush.jdbc;

import io.viewpush.expression.Snapshot;
import io.viewpush.view.View;
import org.jooq.Field;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A {@code push.modified} that names a calculation (for example the later of the order's and its
 * customer's last update): its value computed by the database in the stamping statement, on the
 * view's own table alone, so that the optimistic check compares what the row and its related rows
 * hold at stamp time with the value that was sent, without loading a row. The row's own columns are
 * read from the row being stamped (so PostgreSQL's re-check of a row changed meanwhile sees its new
 * values); each lookup is a correlated subquery along the same foreign keys the read joins
 * ({@link Lookups#correlated}); a summary is the read's own correlated subquery.
 */
final class CalculatedModified {
    /** Never read: the domain refuses {@code now()} and {@code today()} in a modified calculation. */
    private static final Snapshot UNUSED = new Snapshot(Instant.EPOCH, ZoneOffset.UTC);

    private CalculatedModified() {
    }

    /** @return the SQL value of the view's modified calculation on the view's table alone */
    static Field<?> value(View view, Mapping mapping) {
        String modified = view.push().orElseThrow().modifiedField().orElseThrow();
        return new SqlTranslator(mapping.dialect(), mapping::valueOnTableAlone, mapping::type, UNUSED)
                .value(view.inlinedCalculations().get(modified));
    }
}
