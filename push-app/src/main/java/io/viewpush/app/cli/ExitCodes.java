package io.viewpush.app.cli;

/** The exit codes the README's command table promises ("The standalone app"). */
public final class ExitCodes {
    /** Success, nothing to send, valid, or a clean stop. */
    public static final int OK = 0;
    /** The push failed (the receiver did not accept it, or it could not be reached). */
    public static final int PUSH_FAILED = 1;
    /** Bad config or usage: nothing was started. */
    public static final int BAD_CONFIG = 2;

    private ExitCodes() {
    }
}
