package io.viewpush.app.cli;

import io.viewpush.engine.ViewPush;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The README's systemd unit agrees with the app: its command, exit codes, stop timeout and variables. */
class ReadmeServiceUnitTest {
    @TempDir
    Path dir;

    private static String unit() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("**Running as a service**");
        assertThat(section).as("the README's operations section has a systemd unit").isNotNegative();
        int from = readme.indexOf("```ini\n", section) + "```ini\n".length();
        return readme.substring(from, readme.indexOf("  ```", from)).lines()
                .map(l -> l.startsWith("  ") ? l.substring(2) : l).collect(Collectors.joining("\n")) + "\n";
    }

    private static Map<String, String> settings(String unit) {
        Map<String, String> m = new LinkedHashMap<>();
        unit.lines().filter(l -> l.contains("=") && !l.startsWith("#")).forEach(l -> {
            String key = l.substring(0, l.indexOf('='));
            m.merge(key, l.substring(l.indexOf('=') + 1), (a, b) -> a + "\n" + b);
        });
        return m;
    }

    @Test
    void theUnitRunsTheAppAsTheAppExpects() throws IOException {
        Map<String, String> s = settings(unit());
        assertThat(s.get("ExecStart")).contains("-jar ").endsWith("push-app.jar run");
        assertThat(s.get("RestartPreventExitStatus")).as("a bad config is not retried")
                .isEqualTo(Integer.toString(ExitCodes.BAD_CONFIG));
        assertThat(Long.parseLong(s.get("TimeoutStopSec"))).as("systemd waits longer than a graceful stop")
                .isGreaterThan(ViewPush.Builder.DEFAULT_SHUTDOWN_TIMEOUT.toSeconds());
        assertThat(s.get("Environment")).contains(ConfigOption.ENV + "=/etc/viewpush/push.yaml")
                .contains("VIEWPUSH_LOG_FORMAT=json");
    }

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed: install systemd to check the unit");
        Path file = dir.resolve("viewpush.service");
        Files.writeString(file, unit());
        Process p = new ProcessBuilder(analyze.toString(), "verify", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // missing binaries or users on this machine are not the unit's fault; unknown keys and bad values are
        assertThat(out.lines().filter(l -> !l.contains("not executable") && !l.contains("No such file")
                && !l.contains("Failed to resolve user") && !l.contains("is not a valid user")))
                .as(out).isEmpty();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
