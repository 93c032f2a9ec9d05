package io.viewpush.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A config file that is not UTF-8 is a problem placed at the first bad byte. Found by the
 * reliability suite's config fuzzing (scenario 7): the message named only the file.
 */
class ConfigEncodingTest {
    @TempDir
    Path dir;

    @Test
    void aByteThatIsNotUtf8IsPlacedAtItsLineAndColumn() throws IOException {
        Path file = dir.resolve("push.yaml");
        // "    table: t" then the first byte of a two-byte character alone: column 13 of line 3
        byte[] good = "views:\n  - name: café\n    table: t".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(good, good.length + 2);
        bytes[good.length] = (byte) 0xC3;
        bytes[good.length + 1] = '\n';
        Files.write(file, bytes);

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(file + ":3:13: ")
                .hasMessageContaining("the file is not UTF-8 text: save it as UTF-8");
    }

    @Test
    void utf8TextWithAccentsReadsFine() throws IOException {
        Path file = dir.resolve("push.yaml");
        Files.writeString(file, "views:\n  - name: café\n    table: t\n    key: id\n    fields: [id]\n", StandardCharsets.UTF_8);
        assertThat(ConfigLoader.load(file, Map.of()).views()).hasSize(1);
    }
}
