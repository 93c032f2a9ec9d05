package io.viewpush.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.GeneralCodingRules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * ViewPush's architecture as ArchUnit rules (docs/ARCHITECTURE.md, "The modules"), for ViewPush's
 * own build and for a host's.
 *
 * <p>A host names its own packages as layers and checks its main classes:
 *
 * <pre>{@code
 * JavaClasses classes = ArchitectureRules.importMainClasses("com.example.orders");
 * ArchitectureRules.forHost()
 *         .adapter("com.example.orders.queue..")   // may use ViewPush's domain and row JSON, never another adapter
 *         .app("com.example.orders")               // wires: may use everything
 *         .check(classes);
 * }</pre>
 *
 * <p>{@link #importMainClasses} never imports test classes (neither a test directory nor a
 * {@code -tests.jar}), so ViewPush's own test fixtures on a host's classpath are never checked;
 * every rule allows an empty selection, so classes without fields (or a layer without classes)
 * never fail a check.
 */
public final class ArchitectureRules {
    /** The domain's packages: the root (the exception), expression, view, push, port, engine. */
    public static final String[] DOMAIN = {"io.viewpush", "io.viewpush.expression..", "io.viewpush.view..",
            "io.viewpush.push..", "io.viewpush.port", "io.viewpush.engine.."};
    /** The row JSON's package (its own artifact, push-row-json): a library any adapter may use. */
    public static final String ROW_JSON = "io.viewpush.json..";
    /** The JDBC adapter's packages. */
    public static final String JDBC = "io.viewpush.jdbc..";
    /** The HTTP adapter's packages (transport, api). */
    public static final String HTTP = "io.viewpush.http..";
    /** The app's packages. */
    public static final String APP = "io.viewpush.app..";
    /** The testing artifact's packages (viewpush-testing): contract suites, in-memory fakes, these rules. */
    public static final String[] TESTING = {"io.viewpush.port.contract..", "io.viewpush.testing..",
            "io.viewpush.architecture.."};

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
            .layer("Testing").definedBy(TESTING)
            .whereLayer("App").mayNotBeAccessedByAnyLayer()
            .whereLayer("Testing").mayNotBeAccessedByAnyLayer()
            .whereLayer("JDBC adapter").mayOnlyBeAccessedByLayers("App")
            .whereLayer("HTTP adapter").mayOnlyBeAccessedByLayers("App")
            .whereLayer("Row JSON").mayOnlyBeAccessedByLayers("JDBC adapter", "HTTP adapter", "App", "Testing")
            .whereLayer("Domain").mayOnlyBeAccessedByLayers("Row JSON", "JDBC adapter", "HTTP adapter", "App",
                    "Testing")
            .allowEmptyShould(true);

    /** No package cycles between the sub-packages of io.viewpush (and of each adapter). */
    public static final ArchRule NO_CYCLES = slices().matching("io.viewpush.(**)").should().beFreeOfCycles()
            .allowEmptyShould(true);

    /** Library code does not print: it logs (adapters) or returns values (domain). The app's CLI may print. */
    public static final ArchRule NO_STANDARD_STREAMS_OUTSIDE_THE_APP = noClasses()
            .that().resideOutsideOfPackage(APP)
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .allowEmptyShould(true);

    /**
     * The general coding rules: no generic exceptions, no java.util.logging, no Joda-Time, no field
     * injection. Each allows an empty selection: a set of classes without fields passes.
     */
    public static final ArchRule GENERAL_CODING_RULES = CompositeArchRule
            .of(GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.allowEmptyShould(true))
            .and(GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.allowEmptyShould(true))
            .and(GeneralCodingRules.NO_CLASSES_SHOULD_USE_JODATIME.allowEmptyShould(true))
            .and(GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION.allowEmptyShould(true))
            .and(NO_STANDARD_STREAMS_OUTSIDE_THE_APP);

    /** Every rule above: ViewPush's own build. */
    public static final ArchRule ALL = CompositeArchRule.of(DOMAIN_DEPENDS_ONLY_ON_THE_JDK)
            .and(DOMAIN_DOES_NOT_USE_JDBC).and(LAYERS).and(NO_CYCLES).and(GENERAL_CODING_RULES);

    private ArchitectureRules() {
    }

    /** Checks every rule of ViewPush's own build against the classes; throws AssertionError listing the violations. */
    public static void checkAll(JavaClasses classes) {
        ALL.check(classes);
    }

    /**
     * Imports the main classes of the packages (and their sub-packages) from the classpath: never a
     * test class, whether from a test-classes directory or a {@code -tests.jar}.
     *
     * @param packages e.g. {@code "com.example.orders"}
     */
    public static JavaClasses importMainClasses(String... packages) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages(packages);
    }

    /** @return the rules for a host's code, once it has named its packages as layers */
    public static HostRules forHost() {
        return new HostRules();
    }

    /**
     * A host's packages as layers around ViewPush's: its own domain, each of its adapters, and its
     * app. Package names are ArchUnit package identifiers ({@code "com.example.orders.queue.."} for
     * a package and its sub-packages).
     *
     * <ul>
     *   <li>A host <b>domain</b> may use ViewPush's domain; it uses no adapter (ViewPush's or the
     *       host's) and not the host's app.</li>
     *   <li>Each host <b>adapter</b> is a layer of its own: it may use ViewPush's domain, the row JSON
     *       and the host's domain, never another adapter (ViewPush's JDBC and HTTP adapters
     *       included) and never the host's app.</li>
     *   <li>A host <b>app</b> wires: it may use everything, and nothing uses it.</li>
     * </ul>
     *
     * Only dependencies between named layers are checked: a host adapter may use any other library.
     * The host's classes also follow {@link #GENERAL_CODING_RULES}.
     */
    public static final class HostRules {
        private final List<String> domain = new ArrayList<>();
        private final List<String[]> adapters = new ArrayList<>();
        private final List<String> apps = new ArrayList<>();

        private HostRules() {
        }

        /** @param packages the host's own domain (may use ViewPush's domain, no adapter) */
        public HostRules domain(String... packages) {
            domain.addAll(Arrays.asList(packages));
            return this;
        }

        /** @param packages one adapter of the host (may use the domains and the row JSON, never another adapter) */
        public HostRules adapter(String... packages) {
            if (packages.length == 0) {
                throw new IllegalArgumentException("an adapter needs at least one package");
            }
            adapters.add(packages.clone());
            return this;
        }

        /** @param packages the host's app, which wires (may use everything) */
        public HostRules app(String... packages) {
            apps.addAll(Arrays.asList(packages));
            return this;
        }

        /**
         * @return the layering rule: the host's layers and ViewPush's. It is written from the side of
         *         the host's classes (what each may use), so it holds whether or not ViewPush's
         *         classes are imported too.
         */
        public ArchRule layers() {
            LayeredArchitecture a = Architectures.layeredArchitecture()
                    .consideringOnlyDependenciesInLayers()
                    .withOptionalLayers(true)
                    .layer("ViewPush domain").definedBy(DOMAIN)
                    .layer("ViewPush row JSON").definedBy(ROW_JSON)
                    .layer("ViewPush JDBC adapter").definedBy(JDBC)
                    .layer("ViewPush HTTP adapter").definedBy(HTTP)
                    .layer("ViewPush app").definedBy(APP);
            List<String> usableByAdapters = new ArrayList<>(List.of("ViewPush domain", "ViewPush row JSON"));
            if (!domain.isEmpty()) {
                a = a.layer("Host domain").definedBy(domain.toArray(String[]::new))
                        .whereLayer("Host domain").mayOnlyAccessLayers("ViewPush domain");
                usableByAdapters.add("Host domain");
            }
            for (String[] packages : adapters) {
                String name = "Host adapter " + String.join(", ", packages);
                a = a.layer(name).definedBy(packages)
                        .whereLayer(name).mayOnlyAccessLayers(usableByAdapters.toArray(String[]::new));
            }
            if (!apps.isEmpty()) {
                a = a.layer("Host app").definedBy(apps.toArray(String[]::new))
                        .whereLayer("Host app").mayNotBeAccessedByAnyLayer();
            }
            return a.because("a host's adapter may use ViewPush's domain and row JSON and the host's domain, never"
                            + " another adapter (ViewPush's JDBC and HTTP adapters included) or the app")
                    .allowEmptyShould(true);
        }

        /** @return every rule for the host's classes: {@link #layers()} and the general coding rules */
        public ArchRule rules() {
            return CompositeArchRule.of(layers()).and(GENERAL_CODING_RULES);
        }

        /** Checks {@link #rules()} against the classes; throws AssertionError listing the violations. */
        public void check(JavaClasses classes) {
            rules().check(classes);
        }
    }

    private static String[] concat(String[] a, String b) {
        String[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}
