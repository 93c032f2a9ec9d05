package io.viewpush.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.viewpush.architecture.hostfixture.a.TransportA;
import io.viewpush.architecture.hostfixture.b.HelperOfB;
import io.viewpush.architecture.hostfixture.fieldless.NoFields;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The published rules: ViewPush's own, and a host's with the layers it names. */
class ArchitectureRulesTest {

    @Test
    void theDomainAndThisArtifactFollowViewPushsRulesAndNoTestClassIsImported() {
        JavaClasses classes = ArchitectureRules.importMainClasses("io.viewpush");
        assertThat(classes.contain(io.viewpush.engine.ViewPush.class)).as("the domain").isTrue();
        assertThat(classes.contain(io.viewpush.port.contract.PushSessionContractTest.class)).as("the suites").isTrue();
        assertThat(classes.contain(ArchitectureRulesTest.class)).as("a test class").isFalse();
        assertThat(classes.contain(io.viewpush.engine.archfixture.Offender.class)).as("a test fixture").isFalse();
        ArchitectureRules.checkAll(classes);
    }

    @Test
    void theDomainRuleCatchesAForeignDependency() {
        JavaClasses offender = new ClassFileImporter().importClasses(io.viewpush.engine.archfixture.Offender.class);
        assertThatThrownBy(() -> ArchitectureRules.DOMAIN_DOES_NOT_USE_JDBC.check(offender))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("java.sql");
    }

    @Test
    void aHostAdapterThatUsesAnotherHostAdapterIsCaught() {
        JavaClasses host = new ClassFileImporter().importClasses(TransportA.class, HelperOfB.class);
        ArchitectureRules.HostRules rules = ArchitectureRules.forHost()
                .adapter("io.viewpush.architecture.hostfixture.a..")
                .adapter("io.viewpush.architecture.hostfixture.b..");
        assertThatThrownBy(() -> rules.check(host))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("TransportA")
                .hasMessageContaining("HelperOfB");
        assertThatCode(() -> ArchitectureRules.forHost().app("io.viewpush.architecture.hostfixture.a..")
                .adapter("io.viewpush.architecture.hostfixture.b..").check(host))
                .as("an app may use an adapter").doesNotThrowAnyException();
    }

    @Test
    void classesWithoutFieldsAndLayersWithoutClassesNeverFail() {
        JavaClasses fieldless = new ClassFileImporter().importClasses(NoFields.class);
        assertThatCode(() -> ArchitectureRules.forHost().adapter("io.viewpush.architecture.hostfixture.fieldless..")
                .domain("com.example.nothing..").app("com.example.none..").check(fieldless))
                .doesNotThrowAnyException();
        assertThatCode(() -> ArchitectureRules.checkAll(fieldless)).doesNotThrowAnyException();
        assertThatCode(() -> ArchitectureRules.GENERAL_CODING_RULES.check(fieldless)).doesNotThrowAnyException();
    }

    @Test
    void anAdapterNeedsAPackage() {
        assertThatThrownBy(() -> ArchitectureRules.forHost().adapter())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one package");
    }
}
