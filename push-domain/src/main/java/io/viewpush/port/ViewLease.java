package io.viewpush.port;

import java.time.Duration;
import java.util.Optional;

/**
 * Port: one pusher per view across every engine sharing a store. A lease expires after its time to
 * live unless renewed, measured by the store's clock, so that a crashed engine's views are taken over.
 */
public interface ViewLease {

    /**
     * Takes the view's lease if it is free or expired.
     *
     * @param view  the view's name
     * @param owner the engine asking (unique per engine)
     * @param ttl   how long the lease lasts without renewal
     * @return the token, or empty when another owner holds an unexpired lease
     * @throws StorageException when the database fails
     */
    Optional<LeaseToken> tryAcquire(String view, String owner, Duration ttl);

    /**
     * Extends a held lease.
     *
     * @return false when the lease was lost (expired and taken, or released)
     * @throws StorageException when the database fails
     */
    boolean renew(LeaseToken token, Duration ttl);

    /** Releases a held lease; does nothing if it was lost. */
    void release(LeaseToken token);
}
