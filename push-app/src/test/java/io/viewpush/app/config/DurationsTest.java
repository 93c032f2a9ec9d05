package io.viewpush.app.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {
    @Test
    void acceptsShortFormsAndIso8601() {
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).contains(Duration.ofDays(2));
        assertThat(Durations.parse("PT30S")).contains(Duration.ofSeconds(30));
        assertThat(Durations.parse("pt1m30s")).contains(Duration.ofSeconds(90));
        assertThat(Durations.parse("0")).contains(Duration.ZERO);
    }

    @Test
    void rejectsWhatIsNotADuration() {
        assertThat(Durations.parse("30")).isEmpty();
        assertThat(Durations.parse("30 seconds")).isEmpty();
        assertThat(Durations.parse("-5s")).isEmpty();
        assertThat(Durations.parse("PT-5S")).isEmpty();
        assertThat(Durations.parse("P")).isEmpty();
        assertThat(Durations.parse("")).isEmpty();
    }

    @Test
    void formatsInTheShortestForm() {
        assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0");
    }
}
