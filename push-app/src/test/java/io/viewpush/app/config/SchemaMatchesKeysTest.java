package io.viewpush.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.viewpush.app.config.ConfigKey.Spec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/push.schema.json} says what {@link ConfigKeys} declares: which keys are required,
 * a whole number's range and default, whether a duration may be zero and its default, a flag's
 * default, a choice's words and default. ({@code ExampleConfigTest} compares the key names.)
 */
class SchemaMatchesKeysTest {
    /** Where each section is described in the schema (as in ExampleConfigTest). */
    private static final Map<String, String> SCHEMA_SECTIONS = Map.of(
            "", "",
            "database", "/properties/database",
            "server", "/properties/server",
            "api", "/properties/api",
            "api.keys[]", "/definitions/apiKey",
            "views[]", "/definitions/view",
            "views[].push", "/definitions/push",
            "views[].push.retry", "/definitions/push/properties/retry",
            "engine", "/properties/engine");

    private static JsonNode schema() throws IOException {
        return new ObjectMapper().readTree(Path.of("../examples/push.schema.json").toFile());
    }

    @Test
    void theSchemaRequiresTheKeysTheTableRequires() throws IOException {
        JsonNode schema = schema();
        assertThat(SCHEMA_SECTIONS.keySet()).containsExactlyInAnyOrderElementsOf(ConfigKeys.sections().keySet());
        ConfigKeys.sections().forEach((path, section) -> {
            Set<String> declared = new TreeSet<>();
            section.keys().stream().filter(ConfigKey::required).forEach(k -> declared.add(k.name()));
            Set<String> inSchema = new TreeSet<>();
            schema.at(SCHEMA_SECTIONS.get(path) + "/required").forEach(n -> inSchema.add(n.asText()));
            assertThat(inSchema).as("required keys of '%s'", path).isEqualTo(declared);
        });
    }

    @Test
    void theSchemaGivesEachValueTheLimitsAndTheDefaultTheTableDeclares() throws IOException {
        JsonNode schema = schema();
        List<String> checked = new ArrayList<>();
        ConfigKeys.sections().forEach((path, section) -> {
            for (ConfigKey<?> k : section.keys()) {
                JsonNode p = schema.at(SCHEMA_SECTIONS.get(path) + "/properties/" + k.name());
                String what = path + "." + k.name();
                assertThat(p.isMissingNode()).as("%s in the schema", what).isFalse();
                Spec spec = k.spec();
                if (spec instanceof Spec.Range r) {
                    assertThat(p.findValues("minimum")).as(what + " minimum").extracting(JsonNode::asInt)
                            .containsExactly(r.min());
                    assertThat(p.findValues("maximum")).as(what + " maximum").extracting(JsonNode::asInt)
                            .containsExactly(r.max());
                    assertThat(p.path("default").asInt()).as(what + " default").isEqualTo(r.defaultValue());
                } else if (spec instanceof Spec.Span s) {
                    assertThat(p.findValuesAsText("$ref")).as(what + " kind of duration")
                            .containsExactly(s.positive() ? "#/definitions/positiveDuration" : "#/definitions/duration");
                    Duration d = Durations.parse(p.path("default").asText()).orElseThrow();
                    assertThat(d).as(what + " default").isEqualTo(s.defaultValue());
                } else if (spec instanceof Spec.Flag f) {
                    assertThat(p.path("default").isBoolean()).as(what + " default is a boolean").isTrue();
                    assertThat(p.path("default").asBoolean()).as(what + " default").isEqualTo(f.defaultValue());
                } else if (spec instanceof Spec.Words w) {
                    List<String> words = new ArrayList<>();
                    p.findValues("enum").forEach(e -> e.forEach(x -> words.add(x.asText())));
                    assertThat(words).as(what + " words").containsAll(w.words());
                    assertThat(p.path("default").asText()).as(what + " default").isEqualTo(w.words().get(0));
                } else {
                    continue;
                }
                checked.add(what);
            }
        });
        assertThat(checked).contains("engine.workers", "engine.journalPruneInterval", "views[].push.format",
                "api.keys[].admin", "views[].push.retry.maxRetryAfter");
    }
}
