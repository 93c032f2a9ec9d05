package io.viewpush.app.config;

import io.viewpush.PushException;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A config with one or more mistakes; {@link #problems()} lists every one, in file order. */
public class InvalidConfigException extends PushException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    private final transient AppConfig checkable;

    /** @param problems every problem found, at least one */
    public InvalidConfigException(List<ConfigProblem> problems) {
        this(problems, null);
    }

    /**
     * @param problems  every problem found, at least one
     * @param checkable the well-formed part of the config that can still be checked against the database, or null
     */
    public InvalidConfigException(List<ConfigProblem> problems, AppConfig checkable) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n"
                + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
        this.checkable = checkable;
    }

    /**
     * @return the views without problems of their own, with the database the file names, when no problem
     *         touches which database is meant; {@code check} validates them against the database too, so
     *         every problem is listed at once. Never used to start anything.
     */
    public Optional<AppConfig> checkable() {
        return Optional.ofNullable(checkable);
    }

    /** @return every problem found */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
