package io.viewpush.push;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A view that is paused: the engines sharing its store push nothing of it until an operator
 * resumes it. Kept by the store, so it survives restarts and holds for every engine.
 *
 * @param view   the view's name
 * @param reason why, for code to compare
 * @param detail why, for people (the receiver's answer, the failures, the operator's words)
 * @param since  when the view was paused
 * @param by     who paused it: an engine's name for {@link Reason#ENDPOINT_GONE} and
 *               {@link Reason#FAILING}, the operator (a CLI user, an API key) for {@link Reason#OPERATOR}
 */
public record Pause(String view, Reason reason, String detail, Instant since, String by) {
    public Pause {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(by, "by");
    }

    /** @return one line for people: why, since when and by whom, and how to end it */
    public String describe() {
        return "paused since " + since + " (" + reason.code() + ": " + detail + "; by " + by + ")";
    }

    /** Why a view is paused. */
    public enum Reason {
        /** The receiver said it is gone for good ({@link Delivery#gone()}, HTTP 410). */
        ENDPOINT_GONE,
        /** Every push failed for the policy's {@link PushPolicy#pauseAfter()}. */
        FAILING,
        /** An operator paused it. */
        OPERATOR;

        /** @return the code as the API and the journal write it: {@code endpoint_gone}, {@code failing}, {@code operator} */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @return the reason of that {@link #code()}
         * @throws IllegalArgumentException when there is none
         */
        public static Reason ofCode(String code) {
            for (Reason r : values()) {
                if (r.code().equals(code)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("no pause reason '" + code + "'");
        }
    }
}
