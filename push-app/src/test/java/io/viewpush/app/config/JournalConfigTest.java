package io.viewpush.app.config;

import io.viewpush.jdbc.JdbcPushStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The journal's pruning is configurable under {@code engine}. Added for the reliability suite
 * (scenario 8): with the defaults (5,000 attempts per view, pruned every 10 minutes) a 10-minute
 * soak could not show the journal being pruned.
 */
class JournalConfigTest {
    private static AppConfig parse(String engine) {
        return ConfigLoader.parse("engine: " + engine + "\nviews:\n  - name: v\n    table: t\n    key: id\n    fields: [id]\n",
                "push.yaml", Path.of("."), Map.of());
    }

    @Test
    void journalSettingsDefaultToTheStoresDefaults() {
        EngineConfig e = parse("{workers: 3}").engine();
        assertThat(e.journalRetention()).isEqualTo(JdbcPushStore.DEFAULT_JOURNAL_RETENTION);
        assertThat(e.journalMaxAttemptsPerView()).isEqualTo(JdbcPushStore.DEFAULT_JOURNAL_MAX_ATTEMPTS_PER_VIEW);
        assertThat(e.journalPruneInterval()).isEqualTo(JdbcPushStore.DEFAULT_JOURNAL_PRUNE_INTERVAL);
    }

    @Test
    void journalSettingsAreRead() {
        EngineConfig e = parse("{journalRetention: 2d, journalMaxAttemptsPerView: 50, journalPruneInterval: 0}").engine();
        assertThat(e.journalRetention()).isEqualTo(Duration.ofDays(2));
        assertThat(e.journalMaxAttemptsPerView()).isEqualTo(50);
        assertThat(e.journalPruneInterval()).isZero();
    }

    @Test
    void badJournalSettingsAreProblemsInTheirPlace() {
        assertThatThrownBy(() -> parse("{journalMaxAttemptsPerView: 0, journalRetention: 0}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("engine.journalMaxAttemptsPerView")
                .hasMessageContaining("engine.journalRetention: must be more than zero");
    }
}
