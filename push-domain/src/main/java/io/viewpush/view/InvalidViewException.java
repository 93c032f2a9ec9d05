package io.viewpush.view;

import io.viewpush.PushException;

import java.util.List;
import java.util.stream.Collectors;

/** A view definition with one or more problems; {@link #problems()} lists them all. */
public class InvalidViewException extends PushException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /** @param problems every problem found, at least one */
    public InvalidViewException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidViewException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** @return every problem found */
    public List<Problem> problems() {
        return problems;
    }
}
