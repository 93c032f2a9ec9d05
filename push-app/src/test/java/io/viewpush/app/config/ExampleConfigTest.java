package io.viewpush.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.viewpush.app.assembly.Assembly;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/push.yaml} shows every key, is valid against {@code examples/push.schema.json} and
 * passes {@code check}; the schema names exactly the keys the config reader accepts (and the README's
 * reference names them too: {@link ReadmeReferenceTest}).
 */
class ExampleConfigTest {
    private static final Path EXAMPLES = Path.of("../examples");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Where each section of {@link ConfigReader#keyReference()} is described in the schema. */
    private static final Map<String, String> SCHEMA_SECTIONS = Map.of(
            "", "/properties",
            "database", "/properties/database/properties",
            "server", "/properties/server/properties",
            "api", "/properties/api/properties",
            "api.keys[]", "/definitions/apiKey/properties",
            "views[]", "/definitions/view/properties",
            "views[].push", "/definitions/push/properties",
            "views[].push.retry", "/definitions/push/properties/retry/properties",
            "engine", "/properties/engine/properties");

    private static Schema schema() throws IOException {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(Files.readString(EXAMPLES.resolve("push.schema.json"), StandardCharsets.UTF_8),
                        InputFormat.JSON);
    }

    private static String example() throws IOException {
        return Files.readString(EXAMPLES.resolve("push.yaml"), StandardCharsets.UTF_8);
    }

    @Test
    void theExampleIsValidAgainstTheSchema() throws IOException {
        List<Error> errors = schema().validate(example(), InputFormat.YAML);
        assertThat(errors).isEmpty();
    }

    @Test
    void theSchemaRejectsWhatTheReaderRejects() throws IOException {
        Schema schema = schema();
        String base = "views:\n  - name: v\n    table: t\n    key: id\n    fields: [id]\n";
        assertThat(schema.validate(base, InputFormat.YAML)).isEmpty();
        assertThat(schema.validate(base + "    push: {url: 'http://h/', stamp: s, minIntervall: 30s}\n",
                InputFormat.YAML)).as("a misspelt key").isNotEmpty();
        assertThat(schema.validate(base + "    push: {url: 'http://h/', stamp: s, minInterval: 30}\n",
                InputFormat.YAML)).as("a duration without unit").isNotEmpty();
        assertThat(schema.validate(base + "    push: {url: 'http://h/', stamp: s, timeout: 0}\n",
                InputFormat.YAML)).as("a zero timeout").isNotEmpty();
        assertThat(schema.validate(base + "    push: {url: 'ftp://h/', stamp: s}\n", InputFormat.YAML))
                .as("not http").isNotEmpty();
        assertThat(schema.validate(base + "    push: {url: 'http://h/', stamp: s, format: xml}\n", InputFormat.YAML))
                .as("an unknown format").isNotEmpty();
        assertThat(schema.validate(base + "    push: {url: 'http://h/', stamp: s, secret: a, secrets: [b]}\n",
                InputFormat.YAML)).as("secret and secrets").isNotEmpty();
        assertThat(schema.validate("server: {port: 70000}\n", InputFormat.YAML)).as("a port out of range").isNotEmpty();
        assertThat(schema.validate("server: {port: '${PORT}'}\nengine: {workers: '${WORKERS:-2}'}\n",
                InputFormat.YAML)).as("values from the environment").isEmpty();
        assertThat(schema.validate("views:\n  - name: v\n    table: t\n    fields: [id]\n", InputFormat.YAML))
                .as("a view without key").isNotEmpty();
    }

    @Test
    void theSchemaNamesExactlyTheKeysTheReaderAccepts() throws IOException {
        JsonNode schema = YAML.readTree(EXAMPLES.resolve("push.schema.json").toFile());
        Map<String, List<String>> reference = ConfigReader.keyReference();
        assertThat(SCHEMA_SECTIONS.keySet()).as("every section of the reader is mapped to the schema")
                .isEqualTo(reference.keySet());
        for (Map.Entry<String, List<String>> section : reference.entrySet()) {
            JsonNode properties = schema.at(SCHEMA_SECTIONS.get(section.getKey()));
            assertThat(properties.isObject()).as("schema section %s", section.getKey()).isTrue();
            assertThat(names(properties)).as("keys of '%s' in the schema", section.getKey())
                    .containsExactlyInAnyOrderElementsOf(section.getValue());
            for (String key : section.getValue()) {
                assertThat(properties.path(key).path("description").asText()
                        + properties.path(key).path("$ref").asText())
                        .as("%s.%s has a description (or its definition has)", section.getKey(), key).isNotBlank();
            }
        }
    }

    @Test
    void theExampleShowsEveryKey() throws IOException {
        Set<String> shown = new TreeSet<>();
        collect(YAML.readTree(example()), "", shown);
        Set<String> all = new TreeSet<>();
        ConfigReader.keyReference().forEach((section, keys) ->
                keys.forEach(k -> all.add(section.isEmpty() ? k : section + "." + k)));
        all.remove("views[].push.secrets"); // an alternative to secret: the example shows it in another view
        all.remove("views[].push.secret");
        assertThat(shown).containsAll(all).contains("views[].push.secrets", "views[].push.secret");
    }

    @Test
    void theExamplePassesCheckAgainstADatabaseWithItsTables() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("VIEWPUSH_DB_URL", "jdbc:h2:mem:example-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        env.put("VIEWPUSH_DB_USER", "sa");
        env.put("VIEWPUSH_DB_PASSWORD", "");
        env.put("METRICS_KEY", "metrics-key-0123456789");
        env.put("PARTNER_A_KEY", "partner-a-key-0123456789");
        env.put("OPS_KEY", "operations-key-0123456789");
        env.put("ORDERS_HOOK_SECRET", "whsec_c2VjcmV0LWZvci10aGUtZXhhbXBsZQ==");
        env.put("CUSTOMERS_SECRET_NEW", "new-secret");
        env.put("CUSTOMERS_SECRET_OLD", "old-secret");
        AppConfig config = ConfigLoader.parse(example(), "push.yaml", EXAMPLES, env);
        assertThat(config.views()).hasSize(3);
        List<ConfigProblem> problems = Assembly.check(config);
        assertThat(problems).isEmpty();
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Key paths in the reference's notation: {@code views[].push.retry.attempts}. */
    private static void collect(JsonNode node, String prefix, Set<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                out.add(path);
                // the names under fields and calculations are the user's, not keys
                if (!path.endsWith("].fields") && !path.endsWith("].calculations")) {
                    collect(e.getValue(), path, out);
                }
            }
        } else if (node.isArray()) {
            node.forEach(item -> {
                if (item.isObject()) {
                    collect(item, prefix + "[]", out);
                }
            });
        }
    }
}
