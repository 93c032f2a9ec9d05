package io.viewpush.jdbc;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.viewpush.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The adapter against the shared architecture rules: depends on the domain only, no cycles, no printing. */
class JdbcArchitectureTest {
    private static final JavaClasses ADAPTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.viewpush.jdbc");

    @Test
    void theAdapterFollowsEveryRule() {
        assertThat(ADAPTER.contain(JdbcPushStore.class)).isTrue();
        ArchitectureRules.checkAll(ADAPTER);
    }

    @Test
    void onlyTheEntryPointIsPublic() {
        assertThat(ADAPTER.stream().filter(c -> c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)
                        && c.getPackageName().equals("io.viewpush.jdbc") && !c.isNestedClass())
                .map(c -> c.getSimpleName()))
                .containsExactly("JdbcPushStore");
    }
}
