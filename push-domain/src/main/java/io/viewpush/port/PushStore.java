package io.viewpush.port;

import io.viewpush.expression.Snapshot;
import io.viewpush.view.View;

import java.time.Duration;
import java.util.Optional;

/**
 * Every port a database gives, and where pushes run: one {@link PushSession} per push. A host
 * passes it once ({@code ViewPush.builder().store(store)}), so the rows a push reads and the rows
 * it stamps are always the same database's.
 */
public interface PushStore extends ViewSchema, RowSource, RowUpdater, PushJournal, ViewControl {

    /**
     * Begins a push of the view: takes the view's lease if it is free or expired. A lease expires
     * after its time to live unless renewed, measured by the store's clock, so that a crashed
     * engine's views are taken over; a store that can tell that the holder is gone (its database
     * session ended) may take the lease over before that. Only one session per view holds it across
     * every engine sharing the store, and a taken-over holder's writes are refused (fencing).
     *
     * @param view       the view, with a push policy; its name is the lease's
     * @param owner      the engine asking (unique per engine)
     * @param ttl        how long the lease lasts without renewal
     * @param snapshot   the push's snapshot
     * @param readAtOnce true when the caller's next call is {@link PushSession#rows()} (a push that
     *                   needs no due check): the store may take the lease and start the read in
     *                   one step. The session behaves the same either way.
     * @return the session, or empty when another owner holds an unexpired lease
     * @throws StorageException         when the database fails
     * @throws IllegalArgumentException when the view has no push policy, the owner is blank or the
     *                                  time to live is not positive
     */
    Optional<PushSession> begin(View view, String owner, Duration ttl, Snapshot snapshot, boolean readAtOnce);

    /**
     * Who holds the view's lease now: what a push that found it held tells people. A store that does
     * not keep its holders' names answers empty, as does one whose lease is free or expired.
     *
     * @param view the view's name
     * @return the holder of an unexpired lease, if known
     * @throws StorageException when the database fails
     */
    default Optional<LeaseHolder> leaseHolder(String view) {
        return Optional.empty();
    }

    /**
     * @return the time zone the store's database sessions read and write timestamps without time
     *         zone and dates in (where its {@code now()} is a wall-clock time): the engine compares
     *         them with {@code now()} in this zone unless told another
     * @throws StorageException when the database cannot be asked
     */
    java.time.ZoneId sessionZone();

    /** @return true when the database answers a trivial query now */
    boolean isReachable();
}
