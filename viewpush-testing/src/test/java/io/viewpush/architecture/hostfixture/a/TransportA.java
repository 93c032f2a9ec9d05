package io.viewpush.architecture.hostfixture.a;

import io.viewpush.architecture.hostfixture.b.HelperOfB;

/** A host adapter that uses another host adapter: the host rules must catch it. */
public final class TransportA {
    private TransportA() {
    }

    /** @return what adapter b says */
    public static String borrow() {
        return HelperOfB.name();
    }
}
