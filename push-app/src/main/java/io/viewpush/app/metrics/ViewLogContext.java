package io.viewpush.app.metrics;

import io.viewpush.port.PushListener;
import io.viewpush.push.PushAttempt;
import org.slf4j.MDC;

/**
 * Puts the view's name in the SLF4J MDC under {@value #KEY} for the whole of a push, on the thread
 * that runs it: from {@link #pushStarted} to {@link #pushFinished}. So every line that thread logs
 * meanwhile (the transport's retries, the push line, a database warning) carries the view, in the
 * text log's {@code %X{view}} and as {@code "mdc":{"view":…}} in JSON lines.
 *
 * <p>The domain has no logging and no SLF4J; this listener is the seam: the engine announces the start
 * and the end of each push on the pushing thread, and the app turns that into log context. Register it
 * last, so that the other listeners' {@code pushFinished} lines still carry the view. Work the engine
 * hands to another thread (a batch's stamping) is not tagged.
 */
public final class ViewLogContext implements PushListener {
    /** The MDC key. */
    public static final String KEY = "view";

    @Override
    public void pushStarted(String view, PushAttempt.Trigger trigger) {
        MDC.put(KEY, view);
    }

    @Override
    public void pushFinished(PushAttempt attempt) {
        MDC.remove(KEY);
    }
}
