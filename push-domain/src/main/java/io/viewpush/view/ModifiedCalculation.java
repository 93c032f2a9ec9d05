package io.viewpush.view;

import io.viewpush.expression.Expression;
import io.viewpush.expression.Expressions;
import io.viewpush.expression.ValueType;
import io.viewpush.push.PushPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules for a {@code push.modified} that names a calculation (for example
 * {@code greatest({last update}, {customer last update})}, where the second field is a lookup), so
 * that a change of a related row makes the row need pushing again. Such a value is computed by the
 * database when the row is read and again when it is stamped (the optimistic check); it works only if
 * it changes exactly when the row or a related row does, and moves forward in time when it does:
 * <ul>
 *   <li>a timestamp (with or without time zone), comparable with the stamp;</li>
 *   <li>no {@code now()} or {@code today()}: a value that changes with every push would never pass
 *       the check, so the row would be sent forever;</li>
 *   <li>no date, date part or truncation to a day or month: it would miss changes within that day or
 *       month, and it reads times in the engine's zone;</li>
 *   <li>not the stamp field: stamping would change the value the check compares;</li>
 *   <li>at least one field: a constant never changes.</li>
 * </ul>
 * The problems are placed at the calculation that holds the mistake, with its position.
 */
final class ModifiedCalculation {
    private ModifiedCalculation() {
    }

    /** Functions that read a time on the calendar: none makes a modified value that moves with every change. */
    private static final Set<Expression.Function> READS_A_CALENDAR = Set.of(Expression.Function.YEAR,
            Expression.Function.MONTH, Expression.Function.DAY, Expression.Function.WEEKDAY,
            Expression.Function.START_OF_DAY, Expression.Function.START_OF_MONTH, Expression.Function.DATE);

    /** What can be told before the database gives the types: now(), today(), the stamp field, no field. */
    static List<Problem> structural(String view, PushPolicy push, List<Calculation> calculations,
                                    Map<String, Expression> parsed) {
        String modified = push.modifiedField().orElseThrow();
        Map<String, String> sources = new HashMap<>();
        calculations.forEach(c -> sources.put(c.name(), c.expression()));
        List<Problem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean[] usesField = {false};
        visit(view, modified, modified, push.stampField(), parsed, sources, seen, usesField, problems);
        if (problems.isEmpty() && !usesField[0]) {
            problems.add(new Problem(view, "calculations." + modified, intro(modified, modified)
                    + " uses no field in \"" + sources.get(modified) + "\", so it never changes; a modified value is"
                    + " computed from the row's fields, e.g. greatest({last update}, {customer last update})",
                    Optional.of(parsed.get(modified).position())));
        }
        return problems;
    }

    private static void visit(String view, String modified, String calc, String stamp, Map<String, Expression> parsed,
                              Map<String, String> sources, Set<String> seen, boolean[] usesField,
                              List<Problem> problems) {
        if (!seen.add(calc)) {
            return;
        }
        List<Expression> nodes = new ArrayList<>();
        collect(parsed.get(calc), nodes);
        for (Expression e : nodes) {
            String source = sources.get(calc);
            if (e instanceof Expression.Now) {
                problems.add(new Problem(view, "calculations." + calc, intro(modified, calc) + " uses now() at "
                        + e.position() + " in \"" + source + "\": a modified value must change only when the row or"
                        + " a related row does, and one that changes with every push never passes the check at"
                        + " stamping, so the row would be sent again by every push", Optional.of(e.position())));
            } else if (e instanceof Expression.Call && ((Expression.Call) e).function() == Expression.Function.TODAY) {
                problems.add(new Problem(view, "calculations." + calc, intro(modified, calc) + " uses today() at "
                        + e.position() + " in \"" + source + "\": a modified value must change only when the row or"
                        + " a related row does, and one that changes with the date never passes the check at stamping",
                        Optional.of(e.position())));
            } else if (e instanceof Expression.Call && READS_A_CALENDAR.contains(((Expression.Call) e).function())) {
                problems.add(new Problem(view, "calculations." + calc, intro(modified, calc) + " uses "
                        + ((Expression.Call) e).function().functionName() + "() at " + e.position() + " in \"" + source
                        + "\": a modified value must move forward with every change of the row or a related row, and"
                        + " a date, a part of one or a truncation to a day or month misses changes within that day or"
                        + " month (and reads times in the engine's zone, which the check at stamping does not know);"
                        + " compare the timestamps themselves, e.g. greatest({last update}, {customer last update})",
                        Optional.of(e.position())));
            } else if (e instanceof Expression.FieldRef) {
                String ref = ((Expression.FieldRef) e).name();
                if (ref.equals(stamp)) {
                    problems.add(new Problem(view, "calculations." + calc, intro(modified, calc)
                            + " uses the stamp field {" + ref.replace("}", "}}") + "} at " + e.position() + " in \""
                            + source + "\": stamping a row would change the value the stamp is checked against",
                            Optional.of(e.position())));
                } else if (parsed.containsKey(ref)) {
                    visit(view, modified, ref, stamp, parsed, sources, seen, usesField, problems);
                } else {
                    usesField[0] = true;
                }
            }
        }
    }

    private static void collect(Expression e, List<Expression> out) {
        out.add(e);
        for (Expression child : Expressions.children(e)) {
            collect(child, out);
        }
    }

    private static String intro(String modified, String calc) {
        return calc.equals(modified) ? "push.modified names calculation '" + modified + "', which"
                : "push.modified names calculation '" + modified + "', which uses calculation '" + calc + "', which";
    }

    /** What the types tell: a calculated modified value must be a timestamp. */
    static Optional<Problem> typed(String view, String calc, String source, Expression checked, ValueType type) {
        if (type == ValueType.TIMESTAMP || type == ValueType.TIMESTAMP_TZ) {
            return Optional.empty();
        }
        return Optional.of(new Problem(view, "calculations." + calc, "push.modified names calculation '" + calc
                + "', which is " + (type == ValueType.TEXT ? "text" : ("aeiou".indexOf(type.label().charAt(0)) >= 0 ? "an "
                : "a ") + type.label()) + " at "
                + checked.position() + " in \"" + source + "\"; a calculated modified value must be a timestamp"
                + " (with or without time zone) that moves forward whenever the row or a related row changes,"
                + " e.g. greatest({last update}, {customer last update})", Optional.of(checked.position())));
    }
}
