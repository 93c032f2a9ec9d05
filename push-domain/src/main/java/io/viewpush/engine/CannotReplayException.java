package io.viewpush.engine;

import io.viewpush.PushException;

import java.util.Objects;

/** A replay that was refused, with why as data ({@link #reason()}); nothing was changed. */
public class CannotReplayException extends PushException {
    private static final long serialVersionUID = 1L;
    private final String view;
    private final Reason reason;

    /**
     * @param view    the view
     * @param reason  why, for code
     * @param message why, for people
     */
    public CannotReplayException(String view, Reason reason, String message) {
        super(message);
        this.view = Objects.requireNonNull(view, "view");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return the view */
    public String view() {
        return view;
    }

    /** @return why the replay was refused */
    public Reason reason() {
        return reason;
    }

    /** Why a replay was refused. */
    public enum Reason {
        /**
         * No filter of the view depends on its stamp field (for example {@code {receipt id} is empty}):
         * clearing stamps would not bring a row back into the view, so a replay cannot work.
         */
        STAMP_NOT_IN_FILTERS,
        /** Another engine held the view's lease (it was pushing) for as long as the replay waited: try again. */
        VIEW_BUSY,
        /** A key does not fit the view's key field. */
        BAD_KEY
    }
}
