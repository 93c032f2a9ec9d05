package io.viewpush.app.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.viewpush.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The architecture rules over the main classes of every module: the app is the one place that sees them all. */
class WholeBuildArchitectureTest {

    @Test
    void everyModuleFollowsTheArchitectureRules() {
        // main classes only: test classes (fixtures that break rules on purpose) are never imported
        JavaClasses classes = ArchitectureRules.importMainClasses("io.viewpush");
        assertThat(classes.containPackage("io.viewpush.engine")).as("the domain").isTrue();
        assertThat(classes.containPackage("io.viewpush.jdbc")).as("the JDBC adapter").isTrue();
        assertThat(classes.containPackage("io.viewpush.http.transport")).as("the HTTP transport").isTrue();
        assertThat(classes.containPackage("io.viewpush.app.cli")).as("the app").isTrue();
        assertThat(classes.containPackage("io.viewpush.port.contract")).as("the testing artifact").isTrue();
        assertThat(classes.contain(WholeBuildArchitectureTest.class)).as("a test class").isFalse();
        ArchitectureRules.checkAll(classes);
    }
}
