package io.viewpush.expression;

/**
 * Seeds for the randomised tests: fixed by default so that every build runs the same cases; set
 * {@code -Dviewpush.seed=N} to explore other cases. Tests print the seed with every failure.
 */
final class Seeds {
    private Seeds() {
    }

    /** @return {@code viewpush.seed} when set, else {@code fixed} */
    static long seed(long fixed) {
        return Long.getLong("viewpush.seed", fixed);
    }
}
