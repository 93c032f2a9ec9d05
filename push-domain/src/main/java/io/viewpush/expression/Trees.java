package io.viewpush.expression;

import java.util.Map;
import java.util.Set;

/** Tree utilities: references, inlining, formatting. */
final class Trees {
    private Trees() {
    }

    static Set<String> references(Expression expression) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static Expression inline(Expression expression, Map<String, Expression> calculations) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    static String format(Expression expression) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
