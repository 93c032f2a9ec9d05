package io.viewpush.push;

/**
 * What stamping one delivered batch did.
 *
 * @param stamped rows whose stamp field was set
 * @param skipped rows not stamped because they changed after they were read (they stay "needs
 *                pushing" and go out again), or no longer exist
 */
public record StampResult(long stamped, long skipped) {
    /** Nothing stamped, nothing skipped. */
    public static final StampResult NONE = new StampResult(0, 0);

    public StampResult {
        if (stamped < 0 || skipped < 0) {
            throw new IllegalArgumentException("negative counts");
        }
    }

    /** @return the sum of both */
    public StampResult plus(StampResult other) {
        return new StampResult(stamped + other.stamped, skipped + other.skipped);
    }
}
