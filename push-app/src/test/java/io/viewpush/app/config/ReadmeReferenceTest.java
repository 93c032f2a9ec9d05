package io.viewpush.app.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration reference names every key the loader accepts. */
class ReadmeReferenceTest {
    @Test
    void everyConfigKeyIsDocumentedInTheReadme() throws IOException {
        Path readme = Path.of("../README.md");
        assertThat(readme).exists();
        String text = Files.readString(readme);
        for (Map.Entry<String, List<String>> section : ConfigReader.keyReference().entrySet()) {
            for (String key : section.getValue()) {
                String path = section.getKey().isEmpty() ? key : section.getKey() + "." + key;
                String documented = path;
                boolean found = text.contains("`" + documented + "`") || text.contains("`" + documented + ".")
                        || text.contains("`" + documented + "[")
                        || text.contains(documented.substring(documented.lastIndexOf('.') + 1) + "` /")
                        || text.contains("/ `" + key + "`");
                assertThat(found).as("README documents %s", documented).isTrue();
            }
        }
    }
}
