package io.viewpush.push;

import java.time.Instant;
import java.util.Objects;

/** Whether a view may push now: the value {@link PushPolicy#decide} returns. */
public sealed interface PushDecision {

    /** @return why, for a person to read */
    String because();

    /** The view may push now. */
    record PushNow(String because) implements PushDecision {
        public PushNow {
            Objects.requireNonNull(because, "because");
        }
    }

    /** The view must wait until {@code at}. */
    record WaitUntil(Instant at, String because) implements PushDecision {
        public WaitUntil {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(because, "because");
        }
    }
}
