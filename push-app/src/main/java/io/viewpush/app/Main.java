package io.viewpush.app;

/** The runnable jar's entry point (placeholder while the CLI is written). */
public final class Main {
    private Main() {
    }

    /** @param args the command line */
    public static void main(String[] args) {
        throw new UnsupportedOperationException("not yet");
    }
}
