package io.viewpush.expression;

/** Recursive-descent parser of the expression language. */
final class Parser {
    private final String source;

    Parser(String source) {
        this.source = source;
    }

    Expression parse() {
        throw new UnsupportedOperationException("not yet implemented: " + source);
    }
}
