package io.viewpush.view;

import java.util.Objects;

/**
 * A calculated field: a name and an expression over the view's other fields and calculations.
 *
 * @param name       the field's name as the view shows it
 * @param expression the expression text
 */
public record Calculation(String name, String expression) {
    public Calculation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expression, "expression");
    }
}
