package com.example.orders;

import com.example.orders.badfixture.JdbcQueueTransport;
import com.example.orders.queue.QueueTransport;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.viewpush.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host checks itself with ViewPush's architecture rules, naming its own packages as layers. */
class HostArchitectureTest {
    /** The host's layers: the queue package is an adapter, the root package the app that wires. */
    private static final ArchitectureRules.HostRules RULES = ArchitectureRules.forHost()
            .adapter("com.example.orders.queue..")
            .adapter("com.example.orders.badfixture..")
            .app("com.example.orders");

    @Test
    void theHostsMainClassesFollowTheRules() {
        JavaClasses host = ArchitectureRules.importMainClasses("com.example.orders");
        assertThat(host.contain(QueueTransport.class)).isTrue();
        assertThat(host.contain(OrdersPushing.class)).isTrue();
        assertThat(host.contain(JdbcQueueTransport.class)).as("test classes are not imported").isFalse();
        RULES.check(host);
    }

    @Test
    void onTheHostsClasspathViewPushsOwnRulesHoldAndNoTestClassIsFlagged() {
        JavaClasses all = ArchitectureRules.importMainClasses("com.example.orders", "io.viewpush");
        assertThat(all.containPackage("io.viewpush.jdbc")).isTrue();
        assertThat(all.containPackage("io.viewpush.port.contract")).as("the published suites").isTrue();
        RULES.check(all);
        ArchitectureRules.checkAll(ArchitectureRules.importMainClasses("io.viewpush"));
    }

    @Test
    void aTransportThatUsesTheJdbcStoreIsCaught() {
        JavaClasses bad = new ClassFileImporter().importClasses(JdbcQueueTransport.class);
        assertThatThrownBy(() -> RULES.check(bad))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("JdbcQueueTransport")
                .hasMessageContaining("io.viewpush.jdbc.JdbcPushStore");
    }
}
