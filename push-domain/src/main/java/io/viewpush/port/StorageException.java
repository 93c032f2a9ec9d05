package io.viewpush.port;

import io.viewpush.PushException;

/** The database failed or could not be reached. The message never contains credentials. */
public class StorageException extends PushException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed */
    public StorageException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the driver's exception
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
