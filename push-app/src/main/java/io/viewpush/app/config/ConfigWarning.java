package io.viewpush.app.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Something to tell about a valid config: it works, but as written it may not do what is meant
 * (a warning), or what is safe depends on something ViewPush cannot see (a note). Not a problem:
 * {@code check} still exits 0.
 *
 * <p>Printed like a compiler message, e.g.
 * {@code push.yaml:12:17: warning: view 'orders', push.modified: column ...}.
 *
 * @param code    what was found; code compares this, never the words
 * @param problem where in the file (the view and its key) and, in words, what was found and what to do
 */
public record ConfigWarning(Code code, ConfigProblem problem) {
    /** What a warning is about. */
    public enum Code {
        /** {@code push.modified} is set by a trigger to the time its transaction began: changes can be lost. */
        MODIFIED_BY_TRANSACTION_TIME_TRIGGER(true, true),
        /** {@code push.modified} defaults to the time its transaction began: changes can be lost. */
        MODIFIED_BY_TRANSACTION_TIME_DEFAULT(true, true),
        /** {@code push.modified} is written by the application: safe only if it writes the time of the write. */
        MODIFIED_BY_APPLICATION(false, false),
        /**
         * A {@code push.secret} (or one of {@code push.secrets}) without the {@code whsec_} prefix: signed with
         * its UTF-8 bytes, which receivers using the Standard Webhooks libraries do not verify.
         */
        SECRET_WITHOUT_WHSEC_PREFIX(true, false),
        /**
         * A field whose column type has no JSON form of its own (inet, xml, tsvector, ranges, geometric
         * types, ...): its text form is sent, as a string. A note.
         */
        SENT_AS_TEXT(false, false);

        private final boolean warning;
        private final boolean changesCanBeLost;

        Code(boolean warning, boolean changesCanBeLost) {
            this.warning = warning;
            this.changesCanBeLost = changesCanBeLost;
        }
    }

    public ConfigWarning {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(problem, "problem");
    }

    /** @return the view it is about, when it is about one */
    public Optional<String> view() {
        return problem.view();
    }

    /** @return whether it is a warning ({@code warning}); otherwise a note on what is safe */
    public boolean dangerous() {
        return code.warning;
    }

    /** @return whether changes to the view's rows can be lost (never pushed) */
    public boolean changesCanBeLost() {
        return code.changesCanBeLost;
    }

    /** @return the compiler-style line: {@code push.yaml:12:17: warning: view '...', push.modified: ...} */
    public String line() {
        String all = problem.toString();
        String at = problem.location().toString();
        String rest = all.startsWith(at + ": ") ? all.substring(at.length() + 2) : all;
        return at + ": " + (dangerous() ? "warning" : "note") + ": " + rest;
    }
}
