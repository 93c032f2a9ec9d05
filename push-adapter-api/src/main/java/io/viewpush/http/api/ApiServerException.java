package io.viewpush.http.api;

import io.viewpush.PushException;

/** The API server cannot start, e.g. because its address is in use or cannot be resolved. */
public class ApiServerException extends PushException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the address
     * @param cause   the underlying failure
     */
    public ApiServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
