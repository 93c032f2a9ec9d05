package io.viewpush.app.config;

import io.viewpush.http.transport.HttpPushTarget;
import io.viewpush.http.transport.RetrySettings;
import io.viewpush.push.PushPolicy;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final Path BASE = Path.of("/etc/viewpush");

    static final String CONTRACT_EXAMPLE = String.join("\n",
            "database:",
            "  url: jdbc:postgresql://127.0.0.1:5432/shop",
            "  user: shop",
            "  password: ${SHOP_DB_PASSWORD}",
            "server:",
            "  port: 8080",
            "api:",
            "  keys:",
            "    - name: partner-a",
            "      key: ${PARTNER_A_KEY}",
            "      views: [orders to push]",
            "      admin: false",
            "views:",
            "  - name: orders to push",
            "    table: orders",
            "    key: id",
            "    fields:",
            "      id: id",
            "      customer: customer",
            "      amount: amount",
            "      last modified [auto]: last_modified",
            "      last pushed: last_pushed",
            "      receipt id: receipt_id",
            "    calculations:",
            "      needs pushing: \"{last modified [auto]} > {last pushed}\"",
            "    filters:",
            "      - \"{needs pushing} = true\"",
            "    writable: [receipt id]",
            "    push:",
            "      url: http://127.0.0.1:9000/hook",
            "      stamp: last pushed",
            "      modified: last modified [auto]",
            "      minInterval: 30s",
            "      format: form",
            "      maxRows: 0",
            "      success: 2xx",
            "      timeout: 30s",
            "      secret: ${HOOK_SECRET}",
            "");

    private static final Map<String, String> ENV = Map.of("SHOP_DB_PASSWORD", "pw", "PARTNER_A_KEY", "k-partner-a-0123456789",
            "HOOK_SECRET", "whsec_c2VjcmV0");

    @Test
    void aSecretWithoutTheWhsecPrefixIsValidButWarnedAboutAfterSubstitutionWhereItIsWritten() {
        assertThat(parse(CONTRACT_EXAMPLE).warnings()).as("a whsec_ secret from the environment").isEmpty();

        String plain = "plain-env-Secret-1a2b";
        AppConfig c = ConfigLoader.parse(CONTRACT_EXAMPLE, "push.yaml", BASE, Map.of("SHOP_DB_PASSWORD", "pw",
                "PARTNER_A_KEY", "k-partner-a-0123456789", "HOOK_SECRET", plain));
        assertThat(c.httpTarget(c.views().get(0).name()).orElseThrow().secrets()).as("still signed with it").containsExactly(plain);
        assertThat(c.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ConfigWarning.Code.SECRET_WITHOUT_WHSEC_PREFIX);
            assertThat(w.dangerous()).isTrue();
            assertThat(w.changesCanBeLost()).isFalse();
            assertThat(w.view()).contains("orders to push");
            assertThat(w.problem().key()).isEqualTo("push.secret");
            int line = List.of(CONTRACT_EXAMPLE.split("\n")).indexOf("      secret: ${HOOK_SECRET}") + 1;
            assertThat(w.problem().location()).isEqualTo(new Location("push.yaml", line, 15));
            assertThat(w.line()).startsWith("push.yaml:" + line + ":15: warning: view 'orders to push', push.secret: ")
                    .doesNotContain(plain).doesNotContain("1a2b");
        });

        String rotating = CONTRACT_EXAMPLE.replace("secret: ${HOOK_SECRET}", "secrets: [whsec_c2VjcmV0, plain-Old-9z]");
        assertThat(parse(rotating).warnings()).extracting(w -> w.problem().key() + " " + w.problem().location().column())
                .containsExactly("push.secrets[2] 33");
        assertThat(parse(CONTRACT_EXAMPLE.replace("secret: ${HOOK_SECRET}", "secrets: plain-Only-8y")).warnings())
                .extracting(w -> w.problem().key()).containsExactly("push.secrets");
    }

    private static AppConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "push.yaml", BASE, ENV);
    }

    private static List<ConfigProblem> problems(String yaml) {
        try {
            parse(yaml);
        } catch (InvalidConfigException e) {
            return e.problems();
        }
        throw new AssertionError("the config was accepted:\n" + yaml);
    }

    private static String oneProblem(String yaml) {
        List<ConfigProblem> ps = problems(yaml);
        assertThat(ps).as("problems of\n%s", yaml).hasSize(1);
        return ps.get(0).toString();
    }

    /** The contract example with one line replaced (1-based line number). */
    private static String exampleWith(int line, String replacement) {
        String[] lines = CONTRACT_EXAMPLE.split("\n", -1);
        lines[line - 1] = replacement;
        return String.join("\n", lines);
    }

    @Test
    void aKeyMayBeAListOfFieldsInKeyOrder() {
        AppConfig c = parse(exampleWith(lineOf("    key: id"), "    key: [customer, id]"));
        assertThat(c.views().get(0).keyFields()).containsExactly("customer", "id");
        assertThat(oneProblem(exampleWith(lineOf("    key: id"), "    key: []"))).contains("key").contains("empty")
                .contains("key: [actor_id, film_id]");
        assertThat(oneProblem(exampleWith(lineOf("    key: id"), "    key: [id, nope]"))).contains("key")
                .contains("'nope' is not one of the fields");
        assertThat(oneProblem(exampleWith(lineOf("    key: id"), "    key: [id, {a: b}]"))).contains("key[2]")
                .contains("must be a single value");
    }

    private static int lineOf(String text) {
        String[] lines = CONTRACT_EXAMPLE.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line " + text);
    }

    @Test
    void aConfigOfThousandsOfViewsIsReadWhole() {
        // 3 MiB was the YAML parser's limit: about 2,500 views; this one is 6 MiB
        StringBuilder big = new StringBuilder(CONTRACT_EXAMPLE);
        String comment = "# " + "x".repeat(200) + "\n";
        while (big.length() < 6 * 1024 * 1024) {
            big.append(comment);
        }
        AppConfig c = parse(big.toString());
        assertThat(c.views()).extracting(ViewDefinition::name).contains("orders to push");
    }

    @Test
    void readsEveryKeyOfTheContractExample() {
        AppConfig c = parse(CONTRACT_EXAMPLE);
        assertThat(c.database().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/shop");
        assertThat(c.database().user()).contains("shop");
        assertThat(c.database().password()).contains("pw");
        assertThat(c.database().embedded()).isFalse();
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.apiKeys()).containsExactly(new ApiKeyConfig("partner-a", "k-partner-a-0123456789", List.of("orders to push"), false));
        ViewDefinition v = c.views().get(0);
        assertThat(v.name()).isEqualTo("orders to push");
        assertThat(v.table()).isEqualTo("orders");
        assertThat(v.keyField()).isEqualTo("id");
        assertThat(v.fields()).extracting(f -> f.name() + "=" + f.column()).containsExactly("id=id", "customer=customer",
                "amount=amount", "last modified [auto]=last_modified", "last pushed=last_pushed", "receipt id=receipt_id");
        assertThat(v.calculations()).extracting(x -> x.name() + "=" + x.expression())
                .containsExactly("needs pushing={last modified [auto]} > {last pushed}");
        assertThat(v.filters()).containsExactly("{needs pushing} = true");
        assertThat(v.writable()).containsExactly("receipt id");
        PushPolicy p = v.push().orElseThrow();
        HttpPushTarget h = c.httpTarget(v.name()).orElseThrow();
        assertThat(c.httpTargets()).containsOnlyKeys(v.name());
        assertThat(h.url()).isEqualTo(URI.create("http://127.0.0.1:9000/hook"));
        assertThat(p.stampField()).isEqualTo("last pushed");
        assertThat(p.modifiedField()).contains("last modified [auto]");
        assertThat(p.minInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(h.format()).isEqualTo(HttpPushTarget.BodyFormat.FORM);
        assertThat(p.maxRows()).isZero();
        assertThat(h.success()).isEqualTo(HttpPushTarget.SuccessRule.ANY_2XX);
        assertThat(h.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(h.secrets()).containsExactly("whsec_c2VjcmV0");
    }

    @Test
    void leavesOutOptionalSectionsAtTheirDefaults() {
        AppConfig c = parse(String.join("\n",
                "views:",
                "  - name: never pushed",
                "    table: orders",
                "    key: id",
                "    fields: [id, last_pushed]",
                "    filters: \"{last_pushed} is empty\"",
                "    push:",
                "      url: https://example.com/hook",
                "      stamp: last_pushed"));
        assertThat(c.database().embedded()).isTrue();
        assertThat(c.database().url()).isEqualTo("embedded-postgresql:./viewpush-data");
        assertThat(c.database().isPostgres()).isTrue();
        assertThat(c.server()).isEqualTo(ServerConfig.DEFAULT);
        assertThat(c.engine()).isEqualTo(EngineConfig.DEFAULT);
        assertThat(c.apiKeys()).isEmpty();
        PushPolicy p = c.views().get(0).push().orElseThrow();
        HttpPushTarget h = c.httpTarget("never pushed").orElseThrow();
        assertThat(p.minInterval()).isEqualTo(PushPolicy.DEFAULT_MIN_INTERVAL);
        assertThat(h.url()).isEqualTo(URI.create("https://example.com/hook"));
        assertThat(h.timeout()).isEqualTo(HttpPushTarget.DEFAULT_TIMEOUT);
        assertThat(h.format()).isEqualTo(HttpPushTarget.BodyFormat.FORM);
        assertThat(h.success()).isEqualTo(HttpPushTarget.SuccessRule.ANY_2XX);
        assertThat(h.retry()).isEqualTo(RetrySettings.DEFAULT);
        assertThat(h.secrets()).isEmpty();
        assertThat(c.views().get(0).filters()).containsExactly("{last_pushed} is empty");
    }

    @Test
    void anInitFileThatIsNotThereIsAProblemAtItsLine(@TempDir Path dir) throws IOException {
        String yaml = "database:\n  init: sql/missing.sql\nviews:\n  - {name: v, table: t, key: id, fields: {id: id}}\n";
        List<ConfigProblem> ps = problemsIn(dir, yaml);
        assertThat(ps).as("%s", ps).hasSize(1);
        assertThat(ps.get(0).toString()).startsWith("push.yaml:2:9: database.init: there is no file "
                + dir.resolve("sql/missing.sql"));
        Files.createDirectories(dir.resolve("sql/missing.sql"));
        assertThat(problemsIn(dir, yaml)).singleElement().asString().startsWith("push.yaml:2:9: database.init: "
                + dir.resolve("sql/missing.sql") + " is not a file");
    }

    @Test
    void stampingAheadIsOffUnlessTheDatabaseSectionTurnsItOnAndAnythingButABooleanIsAProblemAtItsLine(@TempDir Path dir) {
        String views = "views:\n  - {name: v, table: t, key: id, fields: {id: id}}\n";
        assertThat(ConfigLoader.parse("database:\n  url: jdbc:postgresql://127.0.0.1/db\n" + views, "push.yaml", dir, ENV)
                .database().stampAhead()).isFalse();
        AppConfig on = ConfigLoader.parse("database:\n  url: jdbc:postgresql://127.0.0.1/db\n  stampAhead: true\n" + views,
                "push.yaml", dir, ENV);
        assertThat(on.database().stampAhead()).isTrue();
        assertThat(ConfigLoader.parse("database:\n  stampAhead: true\n" + views, "push.yaml", dir, ENV)
                .database()).as("the embedded database keeps it").extracting(DatabaseConfig::embedded, DatabaseConfig::stampAhead)
                .containsExactly(true, true);
        assertThat(problemsIn(dir, "database:\n  url: jdbc:postgresql://127.0.0.1/db\n  stampAhead: sometimes\n" + views))
                .singleElement().asString().startsWith("push.yaml:3:").contains("database.stampAhead");
    }

    private static List<ConfigProblem> problemsIn(Path dir, String yaml) {
        try {
            ConfigLoader.parse(yaml, "push.yaml", dir, ENV);
        } catch (InvalidConfigException e) {
            return e.problems();
        }
        throw new AssertionError("the config was accepted:\n" + yaml);
    }

    @Test
    void readsTheExtensionKeys(@TempDir Path base) throws IOException {
        Files.createDirectories(base.resolve("sql"));
        Files.writeString(base.resolve("sql/schema.sql"), "CREATE TABLE t (id int)");
        AppConfig c = ConfigLoader.parse(String.join("\n",
                "database:",
                "  init: sql/schema.sql",
                "  poolSize: 3",
                "server: {host: 127.0.0.1, port: 0}",
                "engine: {workers: 4, pollInterval: 250ms, leaseTtl: PT1M, shutdownTimeout: 5s}",
                "views:",
                "  - name: v",
                "    table: t",
                "    key: id",
                "    fields: {id: , stamp: pushed_at}",
                "    push:",
                "      url: http://127.0.0.1:1/h",
                "      stamp: stamp",
                "      secrets: [old, new]",
                "      format: json",
                "      success: 200",
                "      maxRows: 500",
                "      backoffInitial: 1s",
                "      backoffMax: 1m",
                "      retry: {attempts: 5, initialBackoff: 100ms, maxBackoff: 2s, maxRetryAfter: 10s}"), "push.yaml", base, ENV);
        assertThat(c.database().embedded()).isTrue();
        assertThat(c.database().init()).contains(base.resolve("sql/schema.sql"));
        assertThat(c.database().poolSize()).isEqualTo(3);
        assertThat(c.server()).isEqualTo(new ServerConfig("127.0.0.1", 0));
        assertThat(c.engine()).isEqualTo(new EngineConfig(4, Duration.ofMillis(250), Duration.ofMinutes(1), Duration.ofSeconds(5)));
        ViewDefinition v = c.views().get(0);
        assertThat(v.fields()).extracting(f -> f.name() + "=" + f.column()).containsExactly("id=id", "stamp=pushed_at");
        PushPolicy p = v.push().orElseThrow();
        HttpPushTarget h = c.httpTarget(v.name()).orElseThrow();
        assertThat(h.secrets()).containsExactly("old", "new");
        assertThat(h.format()).isEqualTo(HttpPushTarget.BodyFormat.JSON);
        assertThat(h.success()).isEqualTo(HttpPushTarget.SuccessRule.EXACTLY_200);
        assertThat(p.maxRows()).isEqualTo(500);
        assertThat(p.backoffInitial()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoffMax()).isEqualTo(Duration.ofMinutes(1));
        assertThat(h.retry()).isEqualTo(new RetrySettings(5, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10)));
    }

    @Test
    void pauseAfterIsOffUnlessADurationIsGiven() {
        String base = "views:\n  - name: v\n    table: t\n    key: id\n    fields: {id: id, stamp: pushed_at}\n"
                + "    filters: ['{stamp} is empty']\n    push:\n      url: http://127.0.0.1:1/h\n      stamp: stamp\n";
        assertThat(parse(base).views().get(0).push().orElseThrow().pauseAfter()).isEmpty();
        assertThat(parse(base + "      pauseAfter: off\n").views().get(0).push().orElseThrow().pauseAfter()).isEmpty();
        assertThat(parse(base + "      pauseAfter: 24h\n").views().get(0).push().orElseThrow().pauseAfter())
                .contains(Duration.ofHours(24));
        assertThat(oneProblem(base + "      pauseAfter: soon\n")).startsWith("push.yaml:10:19: view 'v', push.pauseAfter:")
                .contains("'soon' is not a time to pause after").contains("24h");
        assertThat(oneProblem(base + "      pauseAfter: 0s\n")).contains("push.pauseAfter").contains("more than zero");
    }

    @Test
    void unknownKeyNamesFileLineViewAndTheNearestValidKey() {
        String p = oneProblem(exampleWith(33, "      minIntervall: 30s"));
        assertThat(p).startsWith("push.yaml:33:7: view 'orders to push', push.minIntervall: unknown key 'minIntervall'; "
                + "did you mean 'minInterval'?");
        assertThat(p).contains("Valid keys here: url, stamp, modified, minInterval");
    }

    @Test
    void unknownKeyFarFromAnyValidOneListsTheValidKeys() {
        String p = oneProblem(exampleWith(6, "  colour: blue"));
        assertThat(p).startsWith("push.yaml:6:3: server.colour: unknown key 'colour' Valid keys here: port, host");
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumn() {
        String p = oneProblem(exampleWith(16, "    key: [id"));
        assertThat(p).startsWith("push.yaml:17:").contains("YAML syntax error");
    }

    @Test
    void unquotedExpressionGetsAHintToQuoteIt() {
        String p = oneProblem(exampleWith(27, "      - {needs pushing} = true"));
        assertThat(p).contains("push.yaml:27").contains("must be quoted");
    }

    @Test
    void duplicateKeyIsReportedWhereItIsRepeated() {
        String p = oneProblem(CONTRACT_EXAMPLE.replace("    key: id\n", "    key: id\n    table: other\n"));
        assertThat(p).isEqualTo("push.yaml:17:5: view 'orders to push', table: the key 'table' appears twice in the "
                + "same map (first at push.yaml:15:5); keep one");
    }

    @Test
    void badUrlSaysWhatAValidOneLooksLike() {
        String p = oneProblem(exampleWith(30, "      url: ftp://user:pw@example.com/drop"));
        assertThat(p).startsWith("push.yaml:30:12: view 'orders to push', push.url: 'ftp://***@example.com/drop' "
                + "is not an http or https URL; write an http or https URL such as http://127.0.0.1:9000/hook");
        assertThat(p).doesNotContain("pw");
    }

    @Test
    void aPolicyProblemFoundByTheDomainIsPlacedOnItsKeyWithTheKeysName() {
        // the domain names the builder's option ("secrets"); the app puts its own key in front
        String p = oneProblem(CONTRACT_EXAMPLE.replace("secret: ${HOOK_SECRET}", "secret: \"a\\nb\""));
        assertThat(p).matches("push\\.yaml:\\d+:\\d+: view 'orders to push', push\\.secret: "
                + "push\\.secret #1 contains a line break");
    }

    @Test
    void answersRowByRowAreReadFromPushResponseAndNeedABoundedBatch() {
        AppConfig rows = parse(CONTRACT_EXAMPLE.replace("      maxRows: 0", "      maxRows: 50\n      response: rows"));
        assertThat(rows.views().get(0).push().orElseThrow().response()).isEqualTo(PushPolicy.ResponseMode.ROWS);
        assertThat(parse(CONTRACT_EXAMPLE).views().get(0).push().orElseThrow().response())
                .as("the default").isEqualTo(PushPolicy.ResponseMode.STATUS);

        assertThat(oneProblem(CONTRACT_EXAMPLE.replace("      maxRows: 0", "      maxRows: 50\n      response: row")))
                .matches("push\\.yaml:\\d+:\\d+: view 'orders to push', push\\.response: 'row' is not a response; write"
                        + " status .* or rows .*");
        assertThat(oneProblem(CONTRACT_EXAMPLE.replace("      maxRows: 0", "      maxRows: 0\n      response: rows")))
                .contains("view 'orders to push', push.maxRows: ").contains("response: rows");
    }

    @Test
    void unparsableUrlNamesTheCharacter() {
        String p = oneProblem(exampleWith(30, "      url: http://exa mple.com/"));
        assertThat(p).startsWith("push.yaml:30:12: view 'orders to push', push.url:").contains("is not a URL")
                .contains("at character 8");
    }

    @Test
    void badDurationListsTheAcceptedForms() {
        String p = oneProblem(exampleWith(33, "      minInterval: 30 seconds"));
        assertThat(p).isEqualTo("push.yaml:33:20: view 'orders to push', push.minInterval: '30 seconds' is not a "
                + "duration; write 500ms, 30s, 5m, 1h, 2d or ISO-8601 such as PT30S");
    }

    @Test
    void durationWithoutUnitAsksForOne() {
        String p = oneProblem(exampleWith(37, "      timeout: 30"));
        assertThat(p).contains("push.yaml:37:16: view 'orders to push', push.timeout: '30' is not a duration "
                + "(add a unit: 30s or 30ms)");
    }

    @Test
    void unknownFieldInAnExpressionNamesTheCharacterPosition() {
        String p = oneProblem(exampleWith(25, "      needs pushing: \"{last modified [auto]} > {last pushd}\""));
        assertThat(p).startsWith("push.yaml:25:48: view 'orders to push', calculations.needs pushing, character 26: "
                + "unknown field {last pushd}");
    }

    @Test
    void expressionSyntaxErrorNamesTheCharacterPosition() {
        String p = oneProblem(exampleWith(27, "      - \"{needs pushing} = = true\""));
        assertThat(p).startsWith("push.yaml:27:28: view 'orders to push', filters[1], character 19:");
    }

    @Test
    void expressionWrittenWithYamlEscapesIsPlacedAtItsStart() {
        String p = oneProblem(exampleWith(27, "      - \"{nope} = 'say \\\"hi\\\"'\""));
        assertThat(p).startsWith("push.yaml:27:9: view 'orders to push', filters[1], character 1: unknown field {nope}");
    }

    @Test
    void calculationCycleIsReported() {
        String yaml = CONTRACT_EXAMPLE.replace("    filters:\n",
                "      a: \"{b} = true\"\n      b: \"{a} = true\"\n    filters:\n");
        List<ConfigProblem> ps = problems(yaml);
        assertThat(ps).anySatisfy(p -> assertThat(p.toString()).contains("push.yaml:26").contains("view 'orders to push'")
                .contains("cycle").contains("a -> b -> a"));
    }

    @Test
    void missingEnvironmentVariableIsNamedWithItsPlace() {
        List<ConfigProblem> ps;
        try {
            ConfigLoader.parse(CONTRACT_EXAMPLE, "push.yaml", BASE, Map.of("PARTNER_A_KEY", "k-partner-a-0123456789", "HOOK_SECRET", "s"));
            throw new AssertionError("accepted");
        } catch (InvalidConfigException e) {
            ps = e.problems();
        }
        assertThat(ps).hasSize(1);
        assertThat(ps.get(0).toString()).isEqualTo("push.yaml:4:13: database.password: the environment variable "
                + "SHOP_DB_PASSWORD is not set (used as ${SHOP_DB_PASSWORD}); set it, or write ${SHOP_DB_PASSWORD:-default}");
    }

    @Test
    void environmentVariablesHaveFallbacksAndAnEscape() {
        AppConfig c = ConfigLoader.parse(CONTRACT_EXAMPLE.replace("${SHOP_DB_PASSWORD}", "${NOPE:-fallback}")
                        .replace("${HOOK_SECRET}", "$${literal}"),
                "push.yaml", BASE, ENV);
        assertThat(c.database().password()).contains("fallback");
        assertThat(c.httpTarget(c.views().get(0).name()).orElseThrow().secrets()).containsExactly("${literal}");
    }

    @Test
    void missingRequiredKeysAreNamed() {
        List<ConfigProblem> ps = problems(String.join("\n",
                "views:",
                "  - name: v",
                "    fields: {id: id}",
                "    push:",
                "      minInterval: 1s"));
        assertThat(ps).extracting(ConfigProblem::toString).containsExactly(
                "push.yaml:2:5: view 'v', table: missing 'table': the table the view selects from",
                "push.yaml:2:5: view 'v', key: missing 'key': the field that identifies a row, e.g. key: id",
                "push.yaml:5:7: view 'v', push.url: missing 'url': where the rows are POSTed, e.g. http://127.0.0.1:9000/hook",
                "push.yaml:5:7: view 'v', push.stamp: missing 'stamp': the date/time field set on the rows the receiver accepted");
    }

    @Test
    void wrongKindsOfValuesAreNamed() {
        List<ConfigProblem> ps = problems(CONTRACT_EXAMPLE.replace("maxRows: 0", "maxRows: many")
                .replace("format: form", "format: xml").replace("success: 2xx", "success: 201")
                .replace("admin: false", "admin: maybe").replace("port: 8080", "port: 70000"));
        assertThat(ps).extracting(ConfigProblem::toString).containsExactly(
                "push.yaml:6:9: server.port: 70000 is out of range; write a whole number from 0 to 65535",
                "push.yaml:12:14: api.keys[1].admin: 'maybe' is not true or false",
                "push.yaml:34:15: view 'orders to push', push.format: 'xml' is not a format; write form (json=<array> as "
                        + "a form parameter, the default) or json (the array as the body)",
                "push.yaml:35:16: view 'orders to push', push.maxRows: 'many' is not a whole number",
                "push.yaml:36:16: view 'orders to push', push.success: '201' is not a success rule; write 2xx (any 2xx "
                        + "answer, the default) or 200 (exactly 200)");
    }

    @Test
    void viewProblemsFromTheDomainArePlacedOnTheirKeys() {
        List<ConfigProblem> ps = problems(CONTRACT_EXAMPLE.replace("key: id\n", "key: ident\n")
                .replace("stamp: last pushed", "stamp: pushed")
                .replace("writable: [receipt id]", "writable: [needs pushing]"));
        assertThat(ps).extracting(ConfigProblem::toString).anySatisfy(s -> assertThat(s).startsWith(
                "push.yaml:16:5: view 'orders to push', key: the key 'ident' is not one of the fields"));
        assertThat(ps).extracting(ConfigProblem::toString).anySatisfy(s -> assertThat(s).startsWith(
                "push.yaml:28:5: view 'orders to push', writable: 'needs pushing' is not one of the fields")
                .contains("a calculation cannot be written"));
        assertThat(ps).extracting(ConfigProblem::toString).anySatisfy(s -> assertThat(s).startsWith(
                "push.yaml:31:14: view 'orders to push', push.stamp: the stamp field 'pushed' is not one of the fields"));
    }

    @Test
    void duplicateViewNamesAndUnknownViewsOfKeysAreReported() {
        String second = String.join("\n",
                "  - name: orders to push",
                "    table: orders",
                "    key: id",
                "    fields: [id]",
                "");
        List<ConfigProblem> ps = problems(CONTRACT_EXAMPLE.replace("views: [orders to push]", "views: [orders to psh]")
                + second);
        assertThat(ps).extracting(ConfigProblem::toString).containsExactly(
                "push.yaml:11:15: api.keys[1].views: there is no view named 'orders to psh' (did you mean 'orders to push'?); "
                        + "the views are 'orders to push' or '*' for all",
                "push.yaml:39:11: view 'orders to push', name: two views are named 'orders to push' (the other at "
                        + "push.yaml:14:11); names must be unique");
    }

    @Test
    void everyMistakeIsReportedAtOnceInFileOrder() {
        String yaml = CONTRACT_EXAMPLE.replace("url: jdbc:postgresql", "url: postgresql")
                .replace("minInterval: 30s", "minInterval: soon")
                .replace("timeout: 30s", "timout: 30s")
                .replace("{last pushed}\"", "{last pushd}\"");
        List<ConfigProblem> ps = problems(yaml);
        assertThat(ps).extracting(p -> p.location().line()).containsExactly(2, 25, 33, 37);
        assertThat(ps.get(0).toString()).contains("database.url: 'postgresql://127.0.0.1:5432/shop' is not a JDBC URL");
        assertThat(ps.get(3).toString()).contains("did you mean 'timeout'?");
    }

    @Test
    void apiKeyWithoutViewsIsRejected() {
        assertThat(oneProblem(CONTRACT_EXAMPLE.replace("views: [orders to push]", "views: []")))
                .isEqualTo("push.yaml:11:14: api.keys[1].views: the list is empty: name the views this key may use, "
                        + "or ['*'] for all");
        assertThat(oneProblem(CONTRACT_EXAMPLE.replace("      views: [orders to push]\n", "")))
                .startsWith("push.yaml:9:7: api.keys[1].views: missing 'views'");
    }

    @Test
    void shortApiKeyIsRejectedWithoutShowingIt() {
        String p = oneProblem(CONTRACT_EXAMPLE.replace("${PARTNER_A_KEY}", "secret1"));
        assertThat(p).isEqualTo("push.yaml:10:12: api.keys[1].key: the key is too short (7 characters); use at least 16, "
                + "e.g. from: openssl rand -hex 24");
    }

    @Test
    void emptyFileAndMissingViewsAreReported() {
        assertThat(oneProblem("")).contains("the file is empty");
        assertThat(oneProblem("server:\n  port: 1\n")).isEqualTo("push.yaml:1:1: views: no views: add a 'views:' list "
                + "with at least one view (name, table, key, fields)");
    }

    @Test
    void missingFileSaysHowToNameAnother() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("target/does-not-exist/push.yaml"), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("there is no config file 'target/does-not-exist/push.yaml'")
                .hasMessageContaining("-c FILE");
    }

    @Test
    void problemsCarryViewKeyAndPositionAsValues() {
        ConfigProblem p = problems(exampleWith(27, "      - \"{needs pushing} = {nope}\"")).get(0);
        assertThat(p.location()).as("the column of character 19").isEqualTo(new Location("push.yaml", 27, 28));
        assertThat(p.view()).contains("orders to push");
        assertThat(p.key()).isEqualTo("filters[1]");
        assertThat(p.position()).isEqualTo(Optional.of(19));
    }

    @Test
    void aMetricsKeyIsReadHiddenAndCheckedLikeAnApiKey() {
        AppConfig c = parse(CONTRACT_EXAMPLE.replace("  port: 8080", "  port: 8080\n  metricsKey: metrics-key-0123456789"));
        assertThat(c.server().metricsKey()).hasValue("metrics-key-0123456789");
        assertThat(c.server().toString()).doesNotContain("metrics-key-0123456789");
        assertThat(parse(CONTRACT_EXAMPLE).server().metricsKey()).isEmpty();
        assertThat(oneProblem(CONTRACT_EXAMPLE.replace("  port: 8080", "  port: 8080\n  metricsKey: short")))
                .contains("server.metricsKey").contains("too short");
    }
}
