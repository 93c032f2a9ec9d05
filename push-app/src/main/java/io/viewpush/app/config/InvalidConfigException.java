package io.viewpush.app.config;

import io.viewpush.PushException;

import java.util.List;
import java.util.stream.Collectors;

/** A config with one or more mistakes; {@link #problems()} lists every one, in file order. */
public class InvalidConfigException extends PushException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /** @param problems every problem found, at least one */
    public InvalidConfigException(List<ConfigProblem> problems) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n"
                + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** @return every problem found */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
