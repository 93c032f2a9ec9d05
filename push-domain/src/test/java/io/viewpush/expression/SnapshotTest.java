package io.viewpush.expression;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotTest {
    @Test
    void keepsMicrosecondsLikeTheDatabaseSoEvaluatorAndSqlAgree() {
        Snapshot s = new Snapshot(Instant.parse("2024-03-01T12:00:00.123456789Z"), ZoneId.of("Europe/Paris"));
        assertThat(s.now()).isEqualTo(Instant.parse("2024-03-01T12:00:00.123456Z"));
        assertThat(s.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }
}
