package io.viewpush.expression;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The expression language's entry points: parse, type-check, evaluate, and the small tree
 * utilities that adapters need. All methods are pure and thread-safe.
 *
 * <p>The language: field references in braces ({@code {last modified [auto]}}; a name may hold
 * spaces and brackets, and <code>}</code> inside a name is written <code>}}</code>), literals
 * ({@code 'text'} with {@code ''} for a quote, numbers such as {@code 12}, {@code -3.50},
 * {@code true} / {@code false}), {@code now()}, comparisons ({@code = != < <= > >=}; {@code <>} is
 * read as {@code !=}), {@code is empty} / {@code is not empty}, {@code contains},
 * {@code starts with}, {@code and} / {@code or} / {@code not}, parentheses. Keywords are
 * case-insensitive. Precedence, loosest first: {@code or}, {@code and}, {@code not}, then
 * comparisons and the postfix/infix text operators; comparisons do not chain
 * ({@code a = b = c} is an error). Error positions are 1-based indexes of Java {@code char}s in
 * the text; the end of the text is {@code length() + 1}.
 *
 * <p>Values are computed with {@code + - * /} and unary {@code -} on numbers, {@code ||} on text
 * (binding tighter than comparisons; {@code * /} tighter than {@code + - ||}) and the functions of
 * {@link Expression.Function}: {@code today() upper lower trim length substring replace concat
 * add_days add_hours add_minutes days_between year month day weekday start_of_day start_of_month
 * date if coalesce greatest least round text number}.
 *
 * <ul>
 *   <li><b>Numbers are exact.</b> {@code + - *} keep every digit ({@link java.math.BigDecimal}
 *       arithmetic); a quotient has 6 decimal places, halves rounded away from zero
 *       ({@link java.math.RoundingMode#HALF_UP}); a division by zero is empty.</li>
 *   <li><b>The empty rule.</b> An operator or function with an empty operand is empty, except:
 *       {@code concat} counts empty text as {@code ''}; {@code coalesce}, {@code greatest} and
 *       {@code least} skip empty arguments (empty only when all are); {@code if} takes an empty
 *       condition as false; {@code and}, {@code or}, {@code not} take an empty boolean as false.
 *       Comparisons stay total: empty equals empty and sorts before every value, so a comparison
 *       (and {@code is empty}, {@code contains}, {@code starts with}) is always true or false.</li>
 *   <li>Text is counted in code points; {@code upper}/{@code lower} change a-z/A-Z only, so that
 *       every database computes the same.</li>
 *   <li>Every error is an {@link ExpressionException} naming the position and what was expected.</li>
 * </ul>
 */
public final class Expressions {
    private Expressions() {
    }

    /**
     * Parses an expression.
     *
     * @param source the expression text
     * @return the untyped tree
     * @throws ExpressionException naming the position and what was expected
     */
    public static Expression parse(String source) {
        return new Parser(source).parse();
    }

    /**
     * Type-checks a parsed expression against the types of the fields it may reference, and
     * returns the tree ready to evaluate or translate: {@link Expression.Now} nodes carry the type
     * they are compared with, and text literals compared with a date or timestamp are converted
     * to it (ISO-8601).
     *
     * @param source     the expression text, for error messages
     * @param expression the parsed tree
     * @param fieldTypes the type of every field and calculation the expression may reference
     * @return the checked tree
     * @throws ExpressionException on an unknown field, operands of different types, a non-text
     *                             operand of {@code contains}, a non-boolean operand of
     *                             {@code and}/{@code or}/{@code not}, or a bad date literal
     */
    public static Expression check(String source, Expression expression, Map<String, ValueType> fieldTypes) {
        return TypeChecker.check(source, expression, fieldTypes);
    }

    /**
     * {@link #check(String, Expression, Map)} with the labels of enum fields: a text literal compared
     * with an enum field must be one of its labels, and {@code < <= > >=} follow their order.
     *
     * @param enumLabels the labels of each field of type {@link ValueType#ENUM}, in their type's order;
     *                   a field missing here accepts any label for {@code =} / {@code !=} and has no order
     * @throws ExpressionException also for a label the field's type does not have (naming its labels)
     */
    public static Expression check(String source, Expression expression, Map<String, ValueType> fieldTypes,
                                   Map<String, List<String>> enumLabels) {
        return TypeChecker.check(source, expression, fieldTypes, enumLabels);
    }

    /**
     * The type of a checked expression.
     *
     * @param expression a tree returned by {@link #check}
     * @param fieldTypes the types of the fields it references
     * @return its type; comparisons, {@code is empty}, text matches and logic are boolean
     */
    public static ValueType typeOf(Expression expression, Map<String, ValueType> fieldTypes) {
        return TypeChecker.typeOf(expression, fieldTypes);
    }

    /**
     * {@link #typeOf(Expression, Map)} with the field types given as a function.
     *
     * @param fieldTypes the type of each field the expression references (never null for those)
     */
    public static ValueType typeOf(Expression expression, Function<String, ValueType> fieldTypes) {
        return TypeChecker.typeOf(expression, fieldTypes);
    }

    /** @return the direct subexpressions of a node, in reading order (none for fields, literals and now()) */
    public static List<Expression> children(Expression expression) {
        return Trees.children(expression);
    }

    /**
     * Evaluates a checked expression over one row.
     *
     * @param expression a checked tree whose field references are all resolvable by {@code fields}
     * @param fields     the value of each referenced field ({@code null} is empty)
     * @param snapshot   the time {@code now()} stands for
     * @return the value: {@code null} for empty, else an instance of the expression's type's Java
     *         class; a boolean expression is never empty
     */
    public static Object evaluate(Expression expression, Function<String, Object> fields, Snapshot snapshot) {
        return Evaluator.evaluate(expression, fields, snapshot);
    }

    /**
     * Evaluates a boolean expression as a filter: an empty boolean counts as false.
     *
     * @see #evaluate
     */
    public static boolean test(Expression expression, Function<String, Object> fields, Snapshot snapshot) {
        return Boolean.TRUE.equals(evaluate(expression, fields, snapshot));
    }

    /**
     * The two-valued total order of the language over values of one type: empty first, text in
     * code-point order, numbers by value, booleans false before true, timestamps with zone as instants.
     *
     * @return negative, zero or positive
     */
    public static int compare(Object a, Object b) {
        return Evaluator.compare(a, b);
    }

    /** @return the names of the fields and calculations the expression references directly */
    public static Set<String> references(Expression expression) {
        return Trees.references(expression);
    }

    /**
     * Replaces references to calculations by the calculations' own (checked) expressions,
     * recursively, so that only plain fields remain: what a SQL translation needs.
     *
     * @param expression   a checked tree
     * @param calculations checked expression of each calculation, by name (acyclic)
     * @return a tree that references plain fields only
     */
    public static Expression inline(Expression expression, Map<String, Expression> calculations) {
        return Trees.inline(expression, calculations);
    }

    /** @return the expression written back in the language (canonical spacing, fully parenthesised) */
    public static String format(Expression expression) {
        return Trees.format(expression);
    }
}
