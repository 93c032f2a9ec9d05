package io.viewpush.expression;

import java.util.function.Function;

/** Evaluator of checked expressions with the language's two-valued semantics. */
final class Evaluator {
    private Evaluator() {
    }

    static Object evaluate(Expression expression, Function<String, Object> fields, Snapshot snapshot) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static int compare(Object a, Object b) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
