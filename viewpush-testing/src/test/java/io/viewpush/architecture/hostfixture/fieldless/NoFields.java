package io.viewpush.architecture.hostfixture.fieldless;

/** A host class without fields: the rules that look at fields must not fail on it. */
public final class NoFields {
    private NoFields() {
    }

    /** @return a constant */
    public static int one() {
        return 1;
    }
}
