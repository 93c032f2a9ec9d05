package io.viewpush.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.GeneralCodingRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * ViewPush's architecture as ArchUnit rules (docs/ARCHITECTURE.md, "The modules"), public so that the authors
 * of extensions and adapters can hold their code to the same rules:
 *
 * <pre>{@code
 * JavaClasses classes = new ClassFileImporter().importPackages("io.viewpush");
 * ArchitectureRules.ALL.check(classes);
 * }</pre>
 */
public final class ArchitectureRules {
    /** The domain's packages: the root (the exception), expression, view, push, port, engine. */
    public static final String[] DOMAIN = {"io.viewpush", "io.viewpush.expression..", "io.viewpush.view..",
            "io.viewpush.push..", "io.viewpush.port..", "io.viewpush.engine.."};
    /** The JDBC adapter's packages. */
    public static final String JDBC = "io.viewpush.jdbc..";
    /** The HTTP adapter's packages (transport, api). */
    public static final String HTTP = "io.viewpush.http..";
    /** The row JSON's package (its own artifact, push-row-json): a library any adapter may use. */
    public static final String ROW_JSON = "io.viewpush.json..";
    /** The app's packages. */
    public static final String APP = "io.viewpush.app..";

    /** The domain depends on nothing outside the JDK: no jOOQ, JDBC, HTTP, Jackson or logging. */
    public static final ArchRule DOMAIN_DEPENDS_ONLY_ON_THE_JDK = noClasses()
            .that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideOutsideOfPackages(concat(DOMAIN, "java.."))
            .because("push-domain is pure Java 17 (docs/ARCHITECTURE.md): adapters bring the technologies")
            .allowEmptyShould(true);

    /** The domain does not use JDBC either, although java.sql is in the JDK. */
    public static final ArchRule DOMAIN_DOES_NOT_USE_JDBC = noClasses()
            .that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "java.net.http..",
                    "com.sun.net.httpserver..", "java.util.logging..")
            .because("the domain knows no JDBC, HTTP or logging; ports name what it needs")
            .allowEmptyShould(true);

    /** Domain, then adapters that never depend on each other, then the app on top that only wires. */
    public static final ArchRule LAYERS = Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true)
            .layer("Domain").definedBy(DOMAIN)
            .layer("Row JSON").definedBy(ROW_JSON)
            .layer("JDBC adapter").definedBy(JDBC)
            .layer("HTTP adapter").definedBy(HTTP)
            .layer("App").definedBy(APP)
            .whereLayer("App").mayNotBeAccessedByAnyLayer()
            .whereLayer("JDBC adapter").mayOnlyBeAccessedByLayers("App")
            .whereLayer("HTTP adapter").mayOnlyBeAccessedByLayers("App")
            .whereLayer("Row JSON").mayOnlyBeAccessedByLayers("JDBC adapter", "HTTP adapter", "App")
            .whereLayer("Domain").mayOnlyBeAccessedByLayers("Row JSON", "JDBC adapter", "HTTP adapter", "App");

    /** No package cycles between the sub-packages of io.viewpush (and of each adapter). */
    public static final ArchRule NO_CYCLES = slices().matching("io.viewpush.(**)").should().beFreeOfCycles()
            .allowEmptyShould(true);

    /** Library code does not print: it logs (adapters) or returns values (domain). The app's CLI may print. */
    public static final ArchRule NO_STANDARD_STREAMS_OUTSIDE_THE_APP = noClasses()
            .that().resideOutsideOfPackage(APP)
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .allowEmptyShould(true);

    /** The general coding rules: no generic exceptions, no java.util.logging, no Joda-Time, no field injection. */
    public static final ArchRule GENERAL_CODING_RULES = CompositeArchRule
            .of(GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS)
            .and(GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING)
            .and(GeneralCodingRules.NO_CLASSES_SHOULD_USE_JODATIME)
            .and(GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION)
            .and(NO_STANDARD_STREAMS_OUTSIDE_THE_APP);

    /** Every rule above. */
    public static final ArchRule ALL = CompositeArchRule.of(DOMAIN_DEPENDS_ONLY_ON_THE_JDK)
            .and(DOMAIN_DOES_NOT_USE_JDBC).and(LAYERS).and(NO_CYCLES).and(GENERAL_CODING_RULES);

    private ArchitectureRules() {
    }

    /** Checks every rule against the classes; throws AssertionError listing the violations. */
    public static void checkAll(JavaClasses classes) {
        ALL.check(classes);
    }

    private static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}
