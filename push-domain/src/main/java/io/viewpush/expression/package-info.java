/**
 * The filter and calculation language: a parser into an immutable tree, a type checker and an
 * evaluator with two-valued semantics (empty sorts before every value; comparisons are always
 * true or false). Calculations compute numbers, text, dates, timestamps and booleans; an operator
 * or function with an empty operand is empty, except {@code concat}, {@code coalesce},
 * {@code greatest}, {@code least} (which skip empties) and {@code if} (an empty condition is
 * false); division has 6 decimal places, halves away from zero, and is empty by zero. Entry point
 * and the full rules: {@link io.viewpush.expression.Expressions}.
 */
package io.viewpush.expression;
