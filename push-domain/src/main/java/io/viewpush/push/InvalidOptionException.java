package io.viewpush.push;

import java.util.Objects;

/**
 * A builder option with a bad or missing value. The option is the builder's name for it (for
 * example {@code url} or {@code stampField}) and {@link #problem()} says what is wrong in words
 * that follow that name, so that a caller naming its options otherwise (the app's YAML keys) can
 * put its own name in front.
 */
public class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String option;
    private final String problem;

    /**
     * @param option  the builder's option
     * @param problem what is wrong with it, worded to follow its name ("is required")
     */
    public InvalidOptionException(String option, String problem) {
        super(Objects.requireNonNull(option, "option") + " " + Objects.requireNonNull(problem, "problem"));
        this.option = option;
        this.problem = problem;
    }

    /** @return the builder's option that is bad */
    public String option() {
        return option;
    }

    /** @return what is wrong with it, worded to follow its name */
    public String problem() {
        return problem;
    }
}
