package io.viewpush.view;

import java.util.Objects;

/**
 * A value the database holds that has no form in its field's type, such as {@code NaN} or
 * {@code Infinity} in a PostgreSQL {@code numeric} column (a number field's values are exact
 * decimals). A row source puts it in the row in place of the value, so that a read goes on and
 * only that row is held back from a push ({@link Carriable}) rather than the whole read failing.
 * A {@link Row} accepts it in a field of any type; it is never equal to a value of that type.
 *
 * @param text    the value as the database writes it, for reports ({@code "NaN"})
 * @param problem why it cannot be carried, completing "the value …"
 */
public record Uncarriable(String text, String problem) {
    public Uncarriable {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(problem, "problem");
    }

    /**
     * @param text the special number as the database writes it ({@code NaN}, {@code Infinity}, {@code -Infinity})
     * @return the value for a number field holding it
     */
    public static Uncarriable specialNumber(String text) {
        return new Uncarriable(text, "is " + Carriable.printable(text)
                + ", which is not an exact decimal number and has no JSON number form");
    }
}
