package io.viewpush.port;

import io.viewpush.PushException;

/** A write was refused because the view's lease is no longer held by the writer (fencing). */
public class LeaseLostException extends PushException {
    private static final long serialVersionUID = 1L;

    /** @param token the lease that was lost */
    public LeaseLostException(LeaseToken token) {
        super("the lease on view '" + token.view() + "' (fence " + token.fence() + ") is no longer held by "
                + token.owner());
    }
}
