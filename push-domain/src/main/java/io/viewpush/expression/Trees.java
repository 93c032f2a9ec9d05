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
        } else {
            for (Expression child : children(e)) {
                collect(child, names);
            }
        }
    }

    /** @return the direct subexpressions, in reading order */
    static java.util.List<Expression> children(Expression e) {
        if (e instanceof Expression.Comparison) {
            return java.util.List.of(((Expression.Comparison) e).left(), ((Expression.Comparison) e).right());
        }
        if (e instanceof Expression.IsEmpty) {
            return java.util.List.of(((Expression.IsEmpty) e).operand());
        }
        if (e instanceof Expression.TextMatch) {
            return java.util.List.of(((Expression.TextMatch) e).left(), ((Expression.TextMatch) e).right());
        }
        if (e instanceof Expression.And) {
            return java.util.List.of(((Expression.And) e).left(), ((Expression.And) e).right());
        }
        if (e instanceof Expression.Or) {
            return java.util.List.of(((Expression.Or) e).left(), ((Expression.Or) e).right());
        }
        if (e instanceof Expression.Not) {
            return java.util.List.of(((Expression.Not) e).operand());
        }
        if (e instanceof Expression.Arithmetic) {
            return java.util.List.of(((Expression.Arithmetic) e).left(), ((Expression.Arithmetic) e).right());
        }
        if (e instanceof Expression.Negate) {
            return java.util.List.of(((Expression.Negate) e).operand());
        }
        if (e instanceof Expression.Call) {
            return ((Expression.Call) e).arguments();
        }
        return java.util.List.of();
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
            if (e instanceof Expression.Arithmetic) {
                Expression.Arithmetic a = (Expression.Arithmetic) e;
                return new Expression.Arithmetic(a.operator(), inline(a.left()), inline(a.right()), a.position());
            }
            if (e instanceof Expression.Negate) {
                Expression.Negate n = (Expression.Negate) e;
                return new Expression.Negate(inline(n.operand()), n.position());
            }
            if (e instanceof Expression.Call) {
                Expression.Call c = (Expression.Call) e;
                java.util.List<Expression> args = new java.util.ArrayList<>();
                for (Expression a : c.arguments()) {
                    args.add(inline(a));
                }
                return new Expression.Call(c.function(), args, c.position());
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
        } else if (e instanceof Expression.Arithmetic) {
            Expression.Arithmetic a = (Expression.Arithmetic) e;
            operand(a.left(), out);
            out.append(' ').append(a.operator().symbol()).append(' ');
            operand(a.right(), out);
        } else if (e instanceof Expression.Negate) {
            Expression operand = ((Expression.Negate) e).operand();
            out.append('-');
            if (operand instanceof Expression.FieldRef || operand instanceof Expression.Call) {
                write(operand, out);
            } else {
                out.append('(');
                write(operand, out);
                out.append(')');
            }
        } else if (e instanceof Expression.Call) {
            Expression.Call c = (Expression.Call) e;
            out.append(c.function().functionName()).append('(');
            for (int i = 0; i < c.arguments().size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                write(c.arguments().get(i), out);
            }
            out.append(')');
        } else {
            out.append("not ");
            operand(((Expression.Not) e).operand(), out);
        }
    }

    /** Writes a child: leaves as they are, anything else in parentheses. */
    private static void operand(Expression e, StringBuilder out) {
        if (e instanceof Expression.FieldRef || e instanceof Expression.Literal || e instanceof Expression.Now
                || e instanceof Expression.Call) {
            write(e, out);
        } else {
            out.append('(');
            write(e, out);
            out.append(')');
        }
    }
}
