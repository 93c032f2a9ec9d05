package io.viewpush.http.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.viewpush.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The project's architecture rules, applied to this adapter and the domain it builds on. */
class HttpArchitectureTest {
    /** Main classes of this module, the domain, the row JSON and the testing artifact; no test class. */
    private static final JavaClasses CLASSES = ArchitectureRules.importMainClasses("io.viewpush");

    @Test
    void importedTheAdapterAndTheDomain() {
        assertThat(CLASSES.contain(io.viewpush.http.transport.HttpPushTransport.class)).isTrue();
        assertThat(CLASSES.contain(io.viewpush.json.RowJsonWriter.class)).isTrue();
        assertThat(CLASSES.contain(io.viewpush.port.PushTransport.class)).isTrue();
        assertThat(CLASSES.contain(HttpArchitectureTest.class)).as("a test class").isFalse();
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
