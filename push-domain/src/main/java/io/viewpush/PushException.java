package io.viewpush;

/**
 * The root of every exception ViewPush throws. Unchecked: a caller that wants to handle ViewPush
 * failures as a group catches this one; each port's Javadoc names the subclasses it throws.
 */
public class PushException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, for a person to read */
    public PushException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a person to read
     * @param cause the underlying failure
     */
    public PushException(String message, Throwable cause) {
        super(message, cause);
    }
}
