package io.viewpush.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The hints for an unknown key ("did you mean …?", "Valid keys here: …") come from the keys
 * {@link ConfigKeys} declares: for every key of every section, a misspelling of it in that section
 * is answered with that key and with exactly the section's declared keys, at the misspelling's line.
 */
class ConfigHintsTest {
    @TempDir
    Path dir;

    /** A config that reaches every section; {@code %s} marks where the section's extra key goes. */
    private static final Map<String, String> TEMPLATES = Map.of(
            "", """
                    %s: 1
                    views:
                      - {name: v, table: t, key: id, fields: [id]}
                    """,
            "database", """
                    database:
                      %s: 1
                    views:
                      - {name: v, table: t, key: id, fields: [id]}
                    """,
            "server", """
                    server:
                      %s: 1
                    views:
                      - {name: v, table: t, key: id, fields: [id]}
                    """,
            "api", """
                    api:
                      %s: 1
                    views:
                      - {name: v, table: t, key: id, fields: [id]}
                    """,
            "api.keys[]", """
                    api:
                      keys:
                        - name: partner
                          key: 0123456789abcdef0123
                          views: ['*']
                          %s: 1
                    views:
                      - {name: v, table: t, key: id, fields: [id]}
                    """,
            "views[]", """
                    views:
                      - name: v
                        table: t
                        key: id
                        fields: [id, last pushed]
                        %s: 1
                    """,
            "views[].push", """
                    views:
                      - name: v
                        table: t
                        key: id
                        fields: [id, last pushed]
                        push:
                          url: http://127.0.0.1:9000/hook
                          stamp: last pushed
                          %s: 1
                    """,
            "views[].push.retry", """
                    views:
                      - name: v
                        table: t
                        key: id
                        fields: [id, last pushed]
                        push:
                          url: http://127.0.0.1:9000/hook
                          stamp: last pushed
                          retry:
                            %s: 1
                    """,
            "engine", """
                    engine:
                      %s: 1
                    views:
                      - {name: v, table: t, key: id, fields: [id]}
                    """);

    /** The key with two neighbouring letters swapped: the first two different ones after the first letter. */
    static String misspelt(String key) {
        char[] c = key.toCharArray();
        int i = c.length >= 3 ? 1 : 0;
        while (c[i] == c[i + 1]) {
            i++;
        }
        char t = c[i];
        c[i] = c[i + 1];
        c[i + 1] = t;
        return new String(c);
    }

    private List<ConfigProblem> problems(String yaml) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigLoader.parse(yaml, "push.yaml", dir, Map.of()));
        assertThat(e).as("problems in%n%s", yaml).isNotNull();
        return e.problems();
    }

    @Test
    void everySectionOfTheTableHasATemplate() {
        assertThat(TEMPLATES.keySet()).containsExactlyInAnyOrderElementsOf(ConfigKeys.sections().keySet());
    }

    @Test
    void aMisspeltKeyOfAnySectionIsAnsweredWithThatKeyAndTheSectionsDeclaredKeys() {
        ConfigKeys.sections().forEach((path, section) -> {
            String valid = String.join(", ", section.names());
            for (ConfigKey<?> key : section.keys()) {
                String typo = misspelt(key.name());
                String template = TEMPLATES.get(path);
                String yaml = template.formatted(typo);
                int line = template.lines().toList().indexOf(template.lines().filter(l -> l.contains("%s"))
                        .findFirst().orElseThrow()) + 1;
                Optional<ConfigProblem> unknown = problems(yaml).stream()
                        .filter(p -> p.message().startsWith("unknown key '" + typo + "'")).findFirst();
                assertThat(unknown).as("%s in '%s'", typo, path).isPresent();
                assertThat(unknown.get().message()).isEqualTo("unknown key '" + typo + "'; did you mean '"
                        + key.name() + "'? Valid keys here: " + valid);
                assertThat(unknown.get().location().line()).as("line of %s", typo).isEqualTo(line);
            }
        });
    }

    @Test
    void aKeyTheTableDoesNotDeclareIsUnknownEvenWhenAnotherSectionHasIt() {
        // 'attempts' belongs to push.retry, not to push
        List<ConfigProblem> ps = problems(TEMPLATES.get("views[].push").formatted("attempts"));
        assertThat(ps).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .startsWith("unknown key 'attempts'")
                .endsWith("Valid keys here: " + String.join(", ", ConfigKeys.PUSH.names())));
    }

    @Test
    void aRequiredKeysHintIsTheOneItsDeclarationGives() {
        String yaml = TEMPLATES.get("views[].push").formatted("format").replaceAll(" *url: .*\n", "");
        ConfigKey<?> url = ConfigKeys.PUSH.key("url");
        assertThat(url.required()).isTrue();
        assertThat(problems(yaml)).extracting(ConfigProblem::message)
                .contains("missing 'url'" + url.requiredHint().orElseThrow());
    }

    @Test
    void aBuilderOptionsProblemIsPlacedAtTheKeyThatFedTheOption() {
        assertThat(ConfigKeys.PUSH.keyForOption("stampField")).map(ConfigKey::name).hasValue("stamp");
        assertThat(ConfigKeys.PUSH.keyForOption("modifiedField")).map(ConfigKey::name).hasValue("modified");
        assertThat(ConfigKeys.PUSH.keyForOption("secrets")).map(ConfigKey::name).hasValue("secret");
        assertThat(ConfigKeys.PUSH.keyForOption("maxRows")).map(ConfigKey::name).hasValue("maxRows");
        assertThat(ConfigKeys.PUSH.keyForOption("nothing")).isEmpty();
    }

    @Test
    void aChoiceRefusesOtherWordsWithTheChoicesItDeclares() {
        String yaml = TEMPLATES.get("views[].push").formatted("format").replace("format: 1", "format: xml");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "push.yaml", dir, Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'xml' is not a format; write form (json=<array> as a form parameter, the"
                        + " default) or json (the array as the body)");
    }
}
