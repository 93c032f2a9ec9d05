package io.viewpush.http.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.viewpush.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The project's architecture rules, applied to the API, the HTTP adapter it builds on and the domain. */
class ApiArchitectureTest {
    /** Main classes of this module, the row JSON and the domain, without the test artifacts. */
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("viewpush-testing"))
            .importPackages("io.viewpush");

    @Test
    void importedTheApiTheAdapterAndTheDomain() {
        assertThat(CLASSES.contain(io.viewpush.http.api.ApiServer.class)).isTrue();
        assertThat(CLASSES.contain(io.viewpush.json.RowJsonWriter.class)).isTrue();
        assertThat(CLASSES.contain(io.viewpush.port.PushTransport.class)).isTrue();
        assertThat(CLASSES.stream().anyMatch(c -> c.getPackageName().startsWith("io.viewpush.testing"))).isFalse();
    }

    @Test
    void followsTheProjectsArchitectureRules() {
        ArchitectureRules.checkAll(CLASSES);
    }

    @Test
    void theApiDoesNotPush() {
        noClasses().that().resideInAPackage("io.viewpush.http.api..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.hc.client5..", "io.github.resilience4j..",
                        "io.viewpush.http.transport..")
                .because("the API serves; pushing is the engine's, through whatever transport the app wired")
                .check(CLASSES);
    }

    @Test
    void logsOnlyThroughSlf4j() {
        noClasses().that().resideInAPackage("io.viewpush.http..")
                .should().dependOnClassesThat().resideInAnyPackage("java.util.logging..", "org.apache.logging..",
                        "ch.qos.logback..", "org.apache.commons.logging..")
                .check(CLASSES);
    }
}
