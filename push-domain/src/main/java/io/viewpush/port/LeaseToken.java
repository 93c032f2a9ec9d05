package io.viewpush.port;

import java.util.Objects;

/**
 * Proof that an engine holds a view's lease. {@code fence} grows with every acquisition, so a
 * write carrying an old token is refused after another engine took the view over.
 *
 * @param view  the view's name
 * @param owner the engine holding it
 * @param fence the lease version at acquisition
 */
public record LeaseToken(String view, String owner, long fence) {
    public LeaseToken {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(owner, "owner");
    }
}
