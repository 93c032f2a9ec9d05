package io.viewpush.http.transport;

import io.viewpush.PushException;

/**
 * A view's push policy cannot be used by the HTTP transport (a {@code whsec_} secret that is not
 * base64, credentials in the URL that cannot be sent, a view without a push policy, …). The
 * message names the view and the option, never a secret.
 */
public class InvalidPolicyException extends PushException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the view and the option */
    public InvalidPolicyException(String message) {
        super(message);
    }
}
