package io.viewpush.http.transport;

import io.viewpush.PushException;

/**
 * A URL points where the {@link EgressPolicy} does not allow a connection (a scheme other than
 * http/https, or, with {@link EgressPolicy#PUBLIC_ONLY}, a host that is or resolves to a
 * non-public address), or its host could not be resolved to check it. The message names the host
 * and the refused address, never the URL's path, query or credentials.
 */
public class EgressDeniedException extends PushException {
    private static final long serialVersionUID = 1L;

    /** @param message why the destination is refused */
    public EgressDeniedException(String message) {
        super(message);
    }
}
