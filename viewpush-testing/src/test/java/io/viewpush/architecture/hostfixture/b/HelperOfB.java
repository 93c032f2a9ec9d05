package io.viewpush.architecture.hostfixture.b;

/** A class of another host adapter. */
public final class HelperOfB {
    private HelperOfB() {
    }

    /** @return its name */
    public static String name() {
        return "b";
    }
}
