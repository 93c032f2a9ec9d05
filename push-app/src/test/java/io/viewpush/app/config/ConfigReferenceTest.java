package io.viewpush.app.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's configuration reference is the table {@link ConfigKeys} declares: the same keys, in
 * the same order, with the same defaults and meanings. When a key is added or changed there, this
 * test fails and prints the rows to paste into the README.
 */
class ConfigReferenceTest {
    private static final String HEADER = "| key | default | meaning |";

    static List<String> readmeRows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("../README.md"), StandardCharsets.UTF_8);
        int section = lines.indexOf("### Configuration reference");
        assertThat(section).as("the README has a configuration reference").isNotNegative();
        int header = lines.subList(section, lines.size()).indexOf(HEADER) + section;
        assertThat(header).as("its table").isGreaterThan(section);
        List<String> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            rows.add(lines.get(i));
        }
        return rows;
    }

    @Test
    void theReadmesTableIsTheOneTheDeclarationsGive() throws IOException {
        List<String> expected = ConfigKeys.referenceRows();
        assertThat(readmeRows())
                .as("README.md's configuration reference; paste these rows under '%s':%n%s%n", HEADER,
                        String.join("\n", expected))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void everyKeyTheReaderAcceptsHasARowAndEveryRowAKey() {
        List<String> rows = ConfigKeys.referenceRows();
        List<String> leaves = new ArrayList<>();
        ConfigKeys.sections().forEach((path, section) -> section.keys().stream()
                .filter(k -> k.section().isEmpty())
                .forEach(k -> leaves.add(path.isEmpty() ? k.name() : path + "." + k.name())));
        assertThat(rows).hasSameSizeAs(leaves);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i)).startsWith("| `" + leaves.get(i) + "` | ");
        }
        assertThat(leaves).contains("database.url", "views[].push.retry.maxRetryAfter", "api.keys[].admin",
                "engine.journalPruneInterval");
    }

    @Test
    void aDefaultThatIsAValueIsRenderedFromTheValueTheReaderUses() {
        assertThat(rowOf("engine.pollInterval")).contains("| `" + Durations.format(EngineConfig.DEFAULT.pollInterval()) + "` |");
        assertThat(rowOf("views[].push.retry.attempts")).contains("| 3 |");
        assertThat(rowOf("database.poolSize")).contains("| " + DatabaseConfig.DEFAULT_POOL_SIZE + " |");
        assertThat(rowOf("views[].push.format")).contains("| `form` |");
        assertThat(rowOf("views[].table")).contains("| required |");
    }

    private static String rowOf(String key) {
        return ConfigKeys.referenceRows().stream().filter(r -> r.startsWith("| `" + key + "` |")).findFirst()
                .orElseThrow();
    }
}
