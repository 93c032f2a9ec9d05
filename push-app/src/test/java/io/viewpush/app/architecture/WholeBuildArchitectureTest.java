package io.viewpush.app.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.viewpush.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The architecture rules over the main classes of every module: the app is the one place that sees them all. */
class WholeBuildArchitectureTest {

    @Test
    void everyModuleFollowsTheArchitectureRules() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // the domain's test-jar (contract suites, fixtures that break rules on purpose) is not main code
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.viewpush");
        assertThat(classes.containPackage("io.viewpush.engine")).as("the domain").isTrue();
        assertThat(classes.containPackage("io.viewpush.jdbc")).as("the JDBC adapter").isTrue();
        assertThat(classes.containPackage("io.viewpush.http.transport")).as("the HTTP transport").isTrue();
        assertThat(classes.containPackage("io.viewpush.app.cli")).as("the app").isTrue();
        assertThat(classes.containPackage("io.viewpush.testing")).as("test fixtures").isFalse();
        ArchitectureRules.checkAll(classes);
    }
}
