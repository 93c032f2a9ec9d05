package io.viewpush.push;

import java.time.Instant;
import java.util.Objects;

/**
 * A replay: the stamps of chosen rows cleared so that the next push sends them again, as the
 * journal records it (a dry run only counted, and is not recorded).
 *
 * @param view      the view's name
 * @param selection which rows, in words ({@link ReplaySelection#describe()})
 * @param rows      how many rows had their stamp cleared (or would have, for a dry run)
 * @param dryRun    true when nothing was changed
 * @param by        who asked (a CLI user, an API key)
 * @param at        when
 */
public record Replay(String view, String selection, long rows, boolean dryRun, String by, Instant at) {
    public Replay {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        if (rows < 0) {
            throw new IllegalArgumentException("rows < 0");
        }
    }
}
