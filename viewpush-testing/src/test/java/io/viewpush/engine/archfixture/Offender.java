package io.viewpush.engine.archfixture;

/** A test-only class in a domain package that breaks the domain's rules, to prove the rules catch it. */
public final class Offender {
    private Offender() {
    }

    /** @return a JDBC type: what the domain must never use */
    public static Class<?> jdbc() {
        return java.sql.Connection.class;
    }
}
