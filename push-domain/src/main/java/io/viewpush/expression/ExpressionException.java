package io.viewpush.expression;

import io.viewpush.PushException;

/**
 * A filter or calculation that cannot be parsed or does not type-check. {@link #detail()} is a
 * sentence a user understands that names the 1-based character position, e.g.
 * {@code expected a field, a value or '(' at 17, found '>'}; {@link #getMessage()} adds the
 * expression text.
 */
public class ExpressionException extends PushException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int position;
    private final String detail;

    /**
     * @param source   the expression text
     * @param position the 1-based character position of the problem
     * @param detail   what is wrong, naming the position (e.g. "unknown field {x} at 3")
     */
    public ExpressionException(String source, int position, String detail) {
        super(detail + " in \"" + source + "\"");
        this.source = source;
        this.position = position;
        this.detail = detail;
    }

    /** @return the expression text that failed */
    public String source() {
        return source;
    }

    /** @return the 1-based character position of the problem */
    public int position() {
        return position;
    }

    /** @return what is wrong, naming the position but not repeating the expression text */
    public String detail() {
        return detail;
    }
}
