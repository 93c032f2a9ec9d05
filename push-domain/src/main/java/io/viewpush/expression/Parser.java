package io.viewpush.expression;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * Recursive-descent parser of the expression language. Tokens are read on demand, so the first
 * problem in reading order is the one reported. Positions are 1-based indexes into the source
 * string (Java {@code char}s), the end of the text being {@code length() + 1}.
 *
 * <pre>
 * expr      := or
 * or        := and ('or' and)*
 * and       := not ('and' not)*
 * not       := 'not' not | predicate
 * predicate := sum ( compOp sum | 'is' ['not'] 'empty' | 'contains' sum
 *                        | 'starts' 'with' sum )?
 * sum       := product (('+' | '-' | '||') product)*
 * product   := unary (('*' | '/') unary)*
 * unary     := '-' unary | operand
 * operand   := field | literal | 'now' '(' ')' | function '(' [expr (',' expr)*] ')' | '(' expr ')'
 * </pre>
 *
 * A minus directly before a number literal is part of the literal ({@code -3.50}).
 */
final class Parser {
    /** Most parentheses and {@code not}s that may enclose each other: bounds the parser's recursion. */
    static final int MAX_NESTING = 100;
    /** Deepest tree accepted: bounds the recursion of the checker, the evaluator and translators. */
    static final int MAX_DEPTH = 500;

    private static final int ELLIPSIS_AFTER = 30;

    private enum Kind { FIELD, TEXT, NUMBER, KEYWORD, FUNCTION, SYMBOL, END }

    /** Symbols that compare two operands. */
    private static final java.util.Set<String> COMPARISONS = java.util.Set.of("=", "!=", "<", "<=", ">", ">=");

    private enum Keyword { AND, OR, NOT, IS, EMPTY, CONTAINS, STARTS, WITH, TRUE, FALSE, NOW }

    private static final Map<String, Keyword> KEYWORDS = Map.ofEntries(
            Map.entry("and", Keyword.AND), Map.entry("or", Keyword.OR), Map.entry("not", Keyword.NOT),
            Map.entry("is", Keyword.IS), Map.entry("empty", Keyword.EMPTY),
            Map.entry("contains", Keyword.CONTAINS), Map.entry("starts", Keyword.STARTS),
            Map.entry("with", Keyword.WITH), Map.entry("true", Keyword.TRUE), Map.entry("false", Keyword.FALSE),
            Map.entry("now", Keyword.NOW));

    /**
     * @param kind     what sort of token
     * @param raw      the token as written in the source
     * @param value    field name, text, number or symbol (normalised: {@code <>} is {@code !=})
     * @param keyword  for {@link Kind#KEYWORD}
     * @param position 1-based
     */
    private record Token(Kind kind, String raw, Object value, Keyword keyword, int position) {
        boolean is(Keyword k) {
            return kind == Kind.KEYWORD && keyword == k;
        }

        boolean isSymbol(String s) {
            return kind == Kind.SYMBOL && value.equals(s);
        }

        String describe() {
            switch (kind) {
                case END:
                    return "the end";
                case FIELD:
                    return "the field " + shorten(raw);
                case TEXT:
                    return "the text " + shorten(raw);
                case NUMBER:
                    return "the number " + shorten(raw);
                case FUNCTION:
                    return "the function '" + raw + "'";
                default:
                    return "'" + raw + "'";
            }
        }
    }

    /** A parsed subtree and its depth. */
    private record Node(Expression expression, int depth) {
    }

    private final String source;
    private int index;
    private Token lookahead;
    private int nesting;

    Parser(String source) {
        this.source = source == null ? "" : source;
    }

    Expression parse() {
        Node n = parseOr();
        Token t = peek();
        if (t.kind != Kind.END) {
            throw error(t.position, "expected 'and', 'or' or the end at " + t.position + ", found " + t.describe());
        }
        return n.expression;
    }

    private Node parseOr() {
        Node left = parseAnd();
        while (peek().is(Keyword.OR)) {
            Token op = next();
            Node right = parseAnd();
            left = node(new Expression.Or(left.expression, right.expression, op.position), op, left, right);
        }
        return left;
    }

    private Node parseAnd() {
        Node left = parseNot();
        while (peek().is(Keyword.AND)) {
            Token op = next();
            Node right = parseNot();
            left = node(new Expression.And(left.expression, right.expression, op.position), op, left, right);
        }
        return left;
    }

    private Node parseNot() {
        if (!peek().is(Keyword.NOT)) {
            return parsePredicate();
        }
        Token not = next();
        enter(not);
        Node operand = parseNot();
        nesting--;
        return node(new Expression.Not(operand.expression, not.position), not, operand, operand);
    }

    private Node parsePredicate() {
        Node left = parseSum();
        Token t = peek();
        if (t.kind == Kind.SYMBOL && COMPARISONS.contains((String) t.value)) {
            next();
            Node right = parseSum();
            return node(new Expression.Comparison(operator((String) t.value), left.expression, right.expression,
                    t.position), t, left, right);
        }
        if (t.is(Keyword.IS)) {
            next();
            boolean negated = false;
            if (peek().is(Keyword.NOT)) {
                next();
                negated = true;
            }
            Token empty = next();
            if (!empty.is(Keyword.EMPTY)) {
                throw error(empty.position, "expected " + (negated ? "'empty' after 'is not'" : "'empty' or 'not empty' after 'is'")
                        + " at " + empty.position + ", found " + empty.describe());
            }
            return node(new Expression.IsEmpty(left.expression, negated, t.position), t, left, left);
        }
        if (t.is(Keyword.CONTAINS)) {
            next();
            Node right = parseSum();
            return node(new Expression.TextMatch(Expression.TextOperator.CONTAINS, left.expression, right.expression,
                    t.position), t, left, right);
        }
        if (t.is(Keyword.STARTS)) {
            next();
            Token with = next();
            if (!with.is(Keyword.WITH)) {
                throw error(with.position, "expected 'with' after 'starts' at " + with.position + ", found "
                        + with.describe());
            }
            Node right = parseSum();
            return node(new Expression.TextMatch(Expression.TextOperator.STARTS_WITH, left.expression,
                    right.expression, t.position), t, left, right);
        }
        return left;
    }

    private Node parseSum() {
        Node left = parseProduct();
        while (peek().isSymbol("+") || peek().isSymbol("-") || peek().isSymbol("||")) {
            Token op = next();
            Node right = parseProduct();
            left = node(new Expression.Arithmetic(arithmetic((String) op.value), left.expression, right.expression,
                    op.position), op, left, right);
        }
        return left;
    }

    private Node parseProduct() {
        Node left = parseUnary();
        while (peek().isSymbol("*") || peek().isSymbol("/")) {
            Token op = next();
            Node right = parseUnary();
            left = node(new Expression.Arithmetic(arithmetic((String) op.value), left.expression, right.expression,
                    op.position), op, left, right);
        }
        return left;
    }

    private Node parseUnary() {
        if (!peek().isSymbol("-")) {
            return parseOperand();
        }
        Token minus = next();
        Token t = peek();
        if (t.kind == Kind.NUMBER) {
            next();
            return new Node(new Expression.Literal(((BigDecimal) t.value).negate(), ValueType.NUMBER, minus.position), 1);
        }
        enter(minus);
        Node operand = parseUnary();
        nesting--;
        return node(new Expression.Negate(operand.expression, minus.position), minus, operand, operand);
    }

    private Node parseCall(Token name) {
        Expression.Function function = Expression.Function.named(name.raw).orElseThrow();
        Token open = next();
        if (!open.isSymbol("(")) {
            throw error(open.position, "expected '(' after '" + name.raw + "' at " + open.position + ", found "
                    + open.describe());
        }
        enter(open);
        java.util.List<Expression> arguments = new java.util.ArrayList<>();
        int depth = 0;
        if (!peek().isSymbol(")")) {
            while (true) {
                Node argument = parseOr();
                arguments.add(argument.expression);
                depth = Math.max(depth, argument.depth);
                Token t = peek();
                if (t.isSymbol(",")) {
                    next();
                    continue;
                }
                if (!t.isSymbol(")")) {
                    throw error(t.position, "expected ',' or ')' in the arguments of " + function.functionName()
                            + "() at " + t.position + ", found " + t.describe());
                }
                break;
            }
        }
        next();
        nesting--;
        int n = arguments.size();
        if (n < function.minArguments() || n > function.maxArguments()) {
            throw error(name.position, function.functionName() + "() at " + name.position + " takes "
                    + arity(function) + ", not " + n);
        }
        Node deepest = new Node(null, depth);
        return node(new Expression.Call(function, arguments, name.position), name, deepest, deepest);
    }

    private static String arity(Expression.Function f) {
        if (f.maxArguments() == Integer.MAX_VALUE) {
            return "at least " + f.minArguments() + " argument" + (f.minArguments() == 1 ? "" : "s");
        }
        if (f.minArguments() == f.maxArguments()) {
            return f.minArguments() == 0 ? "no arguments"
                    : f.minArguments() + " argument" + (f.minArguments() == 1 ? "" : "s");
        }
        return f.minArguments() + " to " + f.maxArguments() + " arguments";
    }

    private static Expression.ArithmeticOperator arithmetic(String symbol) {
        for (Expression.ArithmeticOperator o : Expression.ArithmeticOperator.values()) {
            if (o.symbol().equals(symbol)) {
                return o;
            }
        }
        throw new IllegalStateException("not an arithmetic operator: " + symbol);
    }

    private Node parseOperand() {
        Token t = next();
        switch (t.kind) {
            case FIELD:
                return new Node(new Expression.FieldRef((String) t.value, t.position), 1);
            case TEXT:
                return new Node(new Expression.Literal(t.value, ValueType.TEXT, t.position), 1);
            case NUMBER:
                return new Node(new Expression.Literal(t.value, ValueType.NUMBER, t.position), 1);
            case FUNCTION:
                return parseCall(t);
            default:
                break;
        }
        if (t.is(Keyword.TRUE) || t.is(Keyword.FALSE)) {
            return new Node(new Expression.Literal(t.is(Keyword.TRUE), ValueType.BOOLEAN, t.position), 1);
        }
        if (t.is(Keyword.NOW)) {
            Token open = next();
            if (!open.isSymbol("(")) {
                throw error(open.position, "expected '(' after 'now' at " + open.position + ", found " + open.describe());
            }
            Token close = next();
            if (!close.isSymbol(")")) {
                throw error(close.position, "expected ')' after 'now(' at " + close.position + ", found "
                        + close.describe());
            }
            return new Node(new Expression.Now(ValueType.TIMESTAMP_TZ, t.position), 1);
        }
        if (t.isSymbol("(")) {
            enter(t);
            Node inner = parseOr();
            Token close = next();
            if (!close.isSymbol(")")) {
                throw error(close.position, "expected ')' at " + close.position + ", found " + close.describe());
            }
            nesting--;
            return inner;
        }
        throw error(t.position, "expected a field, a value or '(' at " + t.position + ", found " + t.describe());
    }

    private void enter(Token t) {
        if (++nesting > MAX_NESTING) {
            throw error(t.position, "too many nested parentheses or 'not's at " + t.position + ": at most "
                    + MAX_NESTING + " levels");
        }
    }

    private Node node(Expression e, Token at, Node a, Node b) {
        int depth = 1 + Math.max(a.depth, b.depth);
        if (depth > MAX_DEPTH) {
            throw error(at.position, "the expression is too deeply nested at " + at.position + ": at most "
                    + MAX_DEPTH + " operators may enclose each other");
        }
        return new Node(e, depth);
    }

    private static Expression.Operator operator(String symbol) {
        for (Expression.Operator o : Expression.Operator.values()) {
            if (o.symbol().equals(symbol)) {
                return o;
            }
        }
        throw new IllegalStateException("not a comparison: " + symbol);
    }

    // ---------------------------------------------------------------- lexer

    private Token peek() {
        if (lookahead == null) {
            lookahead = lex();
        }
        return lookahead;
    }

    private Token next() {
        Token t = peek();
        lookahead = null;
        return t;
    }

    private Token lex() {
        int n = source.length();
        while (index < n && isSpace(source.codePointAt(index))) {
            index += Character.charCount(source.codePointAt(index));
        }
        int start = index;
        int pos = start + 1;
        if (index >= n) {
            return new Token(Kind.END, "", null, null, n + 1);
        }
        char c = source.charAt(index);
        switch (c) {
            case '{':
                return lexField(start);
            case '\'':
                return lexText(start);
            case '(':
            case ')':
            case '=':
            case '+':
            case '-':
            case '*':
            case '/':
            case ',':
                index++;
                return symbol(String.valueOf(c), String.valueOf(c), pos);
            case '<':
                if (at(index + 1, '=')) {
                    index += 2;
                    return symbol("<=", "<=", pos);
                }
                if (at(index + 1, '>')) {
                    index += 2;
                    return symbol("<>", "!=", pos);
                }
                index++;
                return symbol("<", "<", pos);
            case '>':
                if (at(index + 1, '=')) {
                    index += 2;
                    return symbol(">=", ">=", pos);
                }
                index++;
                return symbol(">", ">", pos);
            case '!':
                if (at(index + 1, '=')) {
                    index += 2;
                    return symbol("!=", "!=", pos);
                }
                throw error(pos, "unexpected character '!' at " + pos + "; 'not equal' is written '!='");
            case '|':
                if (at(index + 1, '|')) {
                    index += 2;
                    return symbol("||", "||", pos);
                }
                throw error(pos, "unexpected character '|' at " + pos + "; text is put together with '||'");
            default:
                break;
        }
        if (isDigit(c)) {
            return lexNumber(start);
        }
        int cp = source.codePointAt(index);
        if (isWordStart(cp)) {
            return lexWord(start);
        }
        if (c == '}') {
            throw error(pos, "unexpected character '}' at " + pos + " without an opening '{'");
        }
        throw error(pos, "unexpected character " + show(cp) + " at " + pos);
    }

    private Token symbol(String raw, String value, int pos) {
        return new Token(Kind.SYMBOL, raw, value, null, pos);
    }

    private Token lexField(int start) {
        int n = source.length();
        StringBuilder name = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= n) {
                throw error(start + 1, "unterminated field name starting at " + (start + 1) + ": missing '}'");
            }
            char c = source.charAt(i);
            if (c == '}') {
                if (at(i + 1, '}')) {
                    name.append('}');
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            name.append(c);
            i++;
        }
        if (name.length() == 0) {
            throw error(start + 1, "empty field name at " + (start + 1) + ": write the field's name between '{' and '}'");
        }
        index = i;
        return new Token(Kind.FIELD, source.substring(start, i), name.toString(), null, start + 1);
    }

    private Token lexText(int start) {
        int n = source.length();
        StringBuilder text = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= n) {
                throw error(start + 1, "unterminated text starting at " + (start + 1) + ": missing the closing '");
            }
            char c = source.charAt(i);
            if (c == '\'') {
                if (at(i + 1, '\'')) {
                    text.append('\'');
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            text.append(c);
            i++;
        }
        index = i;
        return new Token(Kind.TEXT, source.substring(start, i), text.toString(), null, start + 1);
    }

    private Token lexNumber(int start) {
        int n = source.length();
        int i = start;
        while (i < n && isDigit(source.charAt(i))) {
            i++;
        }
        if (at(i, '.')) {
            i++;
            if (i >= n || !isDigit(source.charAt(i))) {
                throw error(i + 1, "expected a digit after the decimal point at " + (i + 1)
                        + "; numbers are written like 12 or -3.50");
            }
            while (i < n && isDigit(source.charAt(i))) {
                i++;
            }
        }
        if (i < n) {
            int cp = source.codePointAt(i);
            if (cp == '.' || isWordStart(cp) || Character.isDigit(cp)) {
                throw error(i + 1, "unexpected " + show(cp) + " right after a number at " + (i + 1)
                        + "; numbers are written like 12 or -3.50");
            }
        }
        index = i;
        String raw = source.substring(start, i);
        return new Token(Kind.NUMBER, raw, new BigDecimal(raw), null, start + 1);
    }

    private Token lexWord(int start) {
        int n = source.length();
        int i = start;
        while (i < n) {
            int cp = source.codePointAt(i);
            if (!isWordStart(cp) && !Character.isDigit(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        String raw = source.substring(start, i);
        Keyword k = KEYWORDS.get(raw.toLowerCase(Locale.ROOT));
        if (k == null && Expression.Function.named(raw).isPresent()) {
            index = i;
            return new Token(Kind.FUNCTION, raw, null, null, start + 1);
        }
        if (k == null && nextNonSpaceIs(i, '(')) {
            throw error(start + 1, "unknown function '" + raw + "' at " + (start + 1) + "; the functions are "
                    + java.util.Arrays.stream(Expression.Function.values()).map(Expression.Function::functionName)
                    .collect(java.util.stream.Collectors.joining(", ")) + " and now");
        }
        if (k == null) {
            String hint = raw.equalsIgnoreCase("null")
                    ? "; to test for an empty value write {field} is empty"
                    : "; a field name goes in braces, like {" + raw + "}";
            throw error(start + 1, "unknown word '" + raw + "' at " + (start + 1) + hint);
        }
        index = i;
        return new Token(Kind.KEYWORD, raw, null, k, start + 1);
    }

    private boolean nextNonSpaceIs(int i, char c) {
        while (i < source.length() && isSpace(source.charAt(i))) {
            i++;
        }
        return at(i, c);
    }

    private boolean at(int i, char c) {
        return i < source.length() && source.charAt(i) == c;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordStart(int cp) {
        return cp == '_' || Character.isLetter(cp);
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    /** A character as a user can read it in a message. */
    private static String show(int cp) {
        if (Character.isISOControl(cp) || Character.isSurrogate((char) cp) && cp <= 0xFFFF
                || !Character.isDefined(cp) || Character.getType(cp) == Character.FORMAT
                || Character.getType(cp) == Character.PRIVATE_USE) {
            return String.format("U+%04X", cp);
        }
        return "'" + new String(Character.toChars(cp)) + "'";
    }

    private static String shorten(String s) {
        if (s.codePointCount(0, s.length()) <= ELLIPSIS_AFTER) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, ELLIPSIS_AFTER - 3)) + "...";
    }

    private ExpressionException error(int position, String detail) {
        return new ExpressionException(source, position, detail);
    }
}
