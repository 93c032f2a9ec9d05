package io.viewpush.app.assembly;

/**
 * The database did not answer at start-up (refused, timed out, still starting up). Not a config
 * mistake: {@code run} waits for it with backoff; the one-shot commands ({@code push}, {@code preview},
 * {@code check}, {@code journal}, {@code trigger}) exit 1 (a scheduler may try again later), where a
 * bad config exits 2.
 */
public class DatabaseUnreachableException extends StartupException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for the operator
     * @param cause   the underlying failure
     */
    public DatabaseUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
