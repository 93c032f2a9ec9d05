package io.viewpush.view;

import io.viewpush.PushException;

import java.util.List;

/**
 * A {@link FieldPath} that does not lead anywhere in the database: a step that names no foreign
 * key, a step that could mean several, or a column the table reached does not have. The message
 * says so for a person; {@link #kind()} and {@link #candidates()} say it for code.
 */
public class PathException extends PushException {
    private static final long serialVersionUID = 1L;

    /** What is wrong. */
    public enum Kind {
        /** A step names no foreign key of the table it starts from. */
        UNKNOWN_RELATION,
        /** A step names several foreign keys: the candidates say how to write each. */
        AMBIGUOUS_RELATION,
        /** The table reached has no column of that name. */
        UNKNOWN_COLUMN
    }

    private final Kind kind;
    private final transient List<String> candidates;

    /**
     * @param kind       what is wrong
     * @param message    what is wrong, for a person
     * @param candidates what could be written instead (steps or columns)
     */
    public PathException(Kind kind, String message, List<String> candidates) {
        super(message);
        this.kind = kind;
        this.candidates = List.copyOf(candidates);
    }

    /** @return what is wrong */
    public Kind kind() {
        return kind;
    }

    /** @return what could be written instead, as a path writes it */
    public List<String> candidates() {
        return candidates;
    }
}
