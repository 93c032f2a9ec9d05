package io.viewpush.app;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LogFormatTest {
    @Test
    void textUnlessTheVariableSaysJson() {
        assertThat(LogFormat.parse(null)).contains(LogFormat.TEXT);
        assertThat(LogFormat.parse(" ")).contains(LogFormat.TEXT);
        assertThat(LogFormat.parse("text")).contains(LogFormat.TEXT);
        assertThat(LogFormat.parse("JSON")).contains(LogFormat.JSON);
        assertThat(LogFormat.parse(" json ")).contains(LogFormat.JSON);
        assertThat(LogFormat.parse("xml")).isEqualTo(Optional.empty());
        assertThat(LogFormat.JSON.appender()).isEqualTo("json");
        assertThat(LogFormat.TEXT.appender()).isEqualTo("text");
    }
}
