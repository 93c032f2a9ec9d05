/**
 * The filter and calculation language: a parser into an immutable tree, a type checker and an
 * evaluator with two-valued semantics (empty sorts before every value; comparisons are always
 * true or false). Entry point: {@link io.viewpush.expression.Expressions}.
 */
package io.viewpush.expression;
