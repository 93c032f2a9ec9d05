package io.viewpush.expression;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Tree utilities: references, inlining, formatting. */
final class Trees {
    private Trees() {
    }

    static Set<String> references(Expression expression) {
        Set<String> names = new LinkedHashSet<>();
        collect(expression, names);
        return Collections.unmodifiableSet(names);
    }

    private static void collect(Expression e, Set<String> names) {
        if (e instanceof Expression.FieldRef) {
            names.add(((Expression.FieldRef) e).name());
        } else if (e instanceof Expression.Comparison) {
            collect(((Expression.Comparison) e).left(), names);
            collect(((Expression.Comparison) e).right(), names);
        } else if (e instanceof Expression.IsEmpty) {
            collect(((Expression.IsEmpty) e).operand(), names);
        } else if (e instanceof Expression.TextMatch) {
            collect(((Expression.TextMatch) e).left(), names);
            collect(((Expression.TextMatch) e).right(), names);
        } else if (e instanceof Expression.And) {
            collect(((Expression.And) e).left(), names);
            collect(((Expression.And) e).right(), names);
        } else if (e instanceof Expression.Or) {
            collect(((Expression.Or) e).left(), names);
            collect(((Expression.Or) e).right(), names);
        } else if (e instanceof Expression.Not) {
            collect(((Expression.Not) e).operand(), names);
        }
    }

    static Expression inline(Expression expression, Map<String, Expression> calculations) {
        return new Inliner(calculations).inline(expression);
    }

    /** Inlines calculations, each once (memoised), and refuses cycles rather than overflowing the stack. */
    private static final class Inliner {
        private final Map<String, Expression> calculations;
        private final Map<String, Expression> done = new HashMap<>();
        private final Set<String> inProgress = new LinkedHashSet<>();

        Inliner(Map<String, Expression> calculations) {
            this.calculations = calculations;
        }

        Expression inline(Expression e) {
            if (e instanceof Expression.FieldRef) {
                String name = ((Expression.FieldRef) e).name();
                Expression calc = calculations.get(name);
                if (calc == null) {
                    return e;
                }
                Expression result = done.get(name);
                if (result == null) {
                    if (!inProgress.add(name)) {
                        throw new IllegalArgumentException("calculations refer to each other in a cycle: "
                                + String.join(" -> ", inProgress) + " -> " + name);
                    }
                    result = inline(calc);
                    inProgress.remove(name);
                    done.put(name, result);
                }
                return result;
            }
            if (e instanceof Expression.Comparison) {
                Expression.Comparison c = (Expression.Comparison) e;
                return new Expression.Comparison(c.operator(), inline(c.left()), inline(c.right()), c.position());
            }
            if (e instanceof Expression.IsEmpty) {
                Expression.IsEmpty i = (Expression.IsEmpty) e;
                return new Expression.IsEmpty(inline(i.operand()), i.negated(), i.position());
            }
            if (e instanceof Expression.TextMatch) {
                Expression.TextMatch m = (Expression.TextMatch) e;
                return new Expression.TextMatch(m.operator(), inline(m.left()), inline(m.right()), m.position());
            }
            if (e instanceof Expression.And) {
                Expression.And a = (Expression.And) e;
                return new Expression.And(inline(a.left()), inline(a.right()), a.position());
            }
            if (e instanceof Expression.Or) {
                Expression.Or o = (Expression.Or) e;
                return new Expression.Or(inline(o.left()), inline(o.right()), o.position());
            }
            if (e instanceof Expression.Not) {
                Expression.Not n = (Expression.Not) e;
                return new Expression.Not(inline(n.operand()), n.position());
            }
            return e;
        }
    }

    static String format(Expression expression) {
        StringBuilder out = new StringBuilder();
        write(expression, out);
        return out.toString();
    }

    private static void write(Expression e, StringBuilder out) {
        if (e instanceof Expression.FieldRef) {
            out.append('{').append(((Expression.FieldRef) e).name().replace("}", "}}")).append('}');
        } else if (e instanceof Expression.Literal) {
            Expression.Literal l = (Expression.Literal) e;
            Object v = l.value();
            if (v instanceof BigDecimal) {
                out.append(((BigDecimal) v).toPlainString());
            } else if (v instanceof Double) { // a number literal compared with a floating-point value
                out.append(BigDecimal.valueOf((Double) v).toPlainString());
            } else if (v instanceof Boolean) {
                out.append(v);
            } else {
                out.append('\'').append(v.toString().replace("'", "''")).append('\'');
            }
        } else if (e instanceof Expression.Now) {
            out.append("now()");
        } else if (e instanceof Expression.Comparison) {
            Expression.Comparison c = (Expression.Comparison) e;
            operand(c.left(), out);
            out.append(' ').append(c.operator().symbol()).append(' ');
            operand(c.right(), out);
        } else if (e instanceof Expression.IsEmpty) {
            Expression.IsEmpty i = (Expression.IsEmpty) e;
            operand(i.operand(), out);
            out.append(i.negated() ? " is not empty" : " is empty");
        } else if (e instanceof Expression.TextMatch) {
            Expression.TextMatch m = (Expression.TextMatch) e;
            operand(m.left(), out);
            out.append(' ').append(m.operator().keyword()).append(' ');
            operand(m.right(), out);
        } else if (e instanceof Expression.And) {
            operand(((Expression.And) e).left(), out);
            out.append(" and ");
            operand(((Expression.And) e).right(), out);
        } else if (e instanceof Expression.Or) {
            operand(((Expression.Or) e).left(), out);
            out.append(" or ");
            operand(((Expression.Or) e).right(), out);
        } else {
            out.append("not ");
            operand(((Expression.Not) e).operand(), out);
        }
    }

    /** Writes a child: leaves as they are, anything else in parentheses. */
    private static void operand(Expression e, StringBuilder out) {
        if (e instanceof Expression.FieldRef || e instanceof Expression.Literal || e instanceof Expression.Now) {
            write(e, out);
        } else {
            out.append('(');
            write(e, out);
            out.append(')');
        }
    }
}
