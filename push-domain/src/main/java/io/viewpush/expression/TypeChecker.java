package io.viewpush.expression;

import java.util.Map;

/** Type checker of the expression language. */
final class TypeChecker {
    private TypeChecker() {
    }

    static Expression check(String source, Expression expression, Map<String, ValueType> fieldTypes) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static ValueType typeOf(Expression expression, Map<String, ValueType> fieldTypes) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
