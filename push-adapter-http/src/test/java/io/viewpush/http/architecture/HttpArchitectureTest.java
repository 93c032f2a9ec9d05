package io.viewpush.http.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.viewpush.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The project's architecture rules, applied to this adapter and the domain it builds on. */
class HttpArchitectureTest {
    /** Main classes of this module and the domain, without the domain's test-jar (directory or jar). */
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.viewpush");

    @Test
    void importedTheAdapterAndTheDomain() {
        assertThat(CLASSES.contain(io.viewpush.http.transport.HttpPushTransport.class)).isTrue();
        assertThat(CLASSES.contain(io.viewpush.json.RowJsonWriter.class)).isTrue();
        assertThat(CLASSES.contain(io.viewpush.port.PushTransport.class)).isTrue();
        assertThat(CLASSES.stream().anyMatch(c -> c.getPackageName().startsWith("io.viewpush.testing"))).isFalse();
    }

    @Test
    void followsTheProjectsArchitectureRules() {
        ArchitectureRules.checkAll(CLASSES);
    }

    @Test
    void theJsonWriterKnowsNothingOfHttp() {
        noClasses().that().resideInAPackage("io.viewpush.json..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.hc..", "io.github.resilience4j..",
                        "io.viewpush.http..")
                .because("the row JSON is its own artifact: any transport uses it without the HTTP adapter")
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
