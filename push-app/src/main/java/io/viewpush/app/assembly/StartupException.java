package io.viewpush.app.assembly;

import io.viewpush.PushException;

/** The app could not start: the database cannot be reached, or the init SQL failed. The message says which and why. */
public class StartupException extends PushException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for the operator
     * @param cause   the underlying failure
     */
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
