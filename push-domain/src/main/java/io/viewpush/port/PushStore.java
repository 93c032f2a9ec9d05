package io.viewpush.port;

/**
 * Every port a database gives: one adapter object usually implements them all, so a host passes
 * it once ({@code ViewPush.builder().store(store)}).
 */
public interface PushStore extends ViewSchema, RowSource, RowStamper, RowUpdater, PushJournal, ViewLease {

    /** @return true when the database answers a trivial query now */
    boolean isReachable();
}
