package io.viewpush.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code VIEWPUSH_CONFIG} names the config file when {@code -c} is not given; {@code -c} wins. */
class ConfigEnvironmentIT {
    @TempDir
    Path dir;

    @Test
    void theEnvironmentVariableIsTheDefaultOfDashCAndAnExplicitDashCWins() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("etc")).resolve("viewpush.yaml");
        Files.writeString(elsewhere, "views:\n  - name: v\n    tabel: t\n");
        Map<String, String> env = Map.of("VIEWPUSH_CONFIG", elsewhere.toString());

        Jar.Result fromEnv = Jar.run(dir, env, Duration.ofSeconds(60), "check");
        assertThat(fromEnv.exit()).as("%s", fromEnv).isEqualTo(2);
        assertThat(fromEnv.err()).contains(elsewhere + ":3:5: view 'v', tabel: unknown key 'tabel'");

        Jar.Result explicit = Jar.run(dir, env, Duration.ofSeconds(60), "check", "-c", "other.yaml");
        assertThat(explicit.exit()).as("%s", explicit).isEqualTo(2);
        assertThat(explicit.err()).contains("there is no config file 'other.yaml'").doesNotContain("tabel");

        Jar.Result unset = Jar.run(dir, Map.of(), Duration.ofSeconds(60), "check");
        assertThat(unset.err()).contains("there is no config file 'push.yaml'");
    }
}
