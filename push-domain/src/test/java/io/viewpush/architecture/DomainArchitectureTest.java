package io.viewpush.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The domain module against the architecture rules (the app module checks all modules together). */
class DomainArchitectureTest {
    private static final JavaClasses DOMAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.viewpush");

    @Test
    void domainClassesWereImported() {
        assertThat(DOMAIN.contain(io.viewpush.engine.ViewPush.class)).isTrue();
        assertThat(DOMAIN.contain(io.viewpush.expression.Expressions.class)).isTrue();
    }

    @Test
    void theDomainFollowsEveryRule() {
        ArchitectureRules.checkAll(DOMAIN);
    }

    @Test
    void theDomainRuleCatchesAForeignDependency() {
        JavaClasses offender = new ClassFileImporter().importClasses(io.viewpush.engine.archfixture.Offender.class);
        assertThatThrownBy(() -> ArchitectureRules.DOMAIN_DOES_NOT_USE_JDBC.check(offender))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("java.sql");
    }
}
