package io.viewpush.app.cli;

import io.viewpush.port.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line in process: help, version, usage errors and config errors, with their exit codes. */
class CommandLineTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ViewPushCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelpAndExitsZero() {
        for (String command : new String[]{"run", "push", "preview", "check", "trigger", "demo"}) {
            Run r = run(command, "--help");
            assertThat(r.exit()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: push-app.jar " + command).contains("--help");
        }
        assertThat(run("push", "--help").out()).contains("-c, --config=FILE").contains("default: push.yaml")
                .contains("0 success or nothing to send, 1 push failed, 2 bad config or usage");
    }

    @Test
    void versionNamesViewPush() {
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("ViewPush ");
    }

    @Test
    void noCommandOrAnUnknownOnePrintsUsageAndExitsTwo() {
        Run none = run();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("Commands:").contains("demo");
        Run unknown = run("pussh");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument").contains("Did you mean: push");
    }

    @Test
    void theUsageListsEveryCommandWhileACommandRunsWithOnlyItsOwn() {
        Run usage = run("--help");
        assertThat(usage.exit()).isZero();
        assertThat(usage.out()).containsSubsequence("Commands:", "run", "push", "preview", "check", "trigger", "demo",
                "journal", "pause", "resume", "replay", "completion");
        assertThat(ViewPushCommand.commandLine("push", "-c", "x.yaml", "orders").getSubcommands()).containsOnlyKeys("push");
        assertThat(ViewPushCommand.commandLine("journal", "--help").getSubcommands()).containsOnlyKeys("journal");
        // the usage, an unknown command's suggestions and the completion script need them all
        for (String[] args : new String[][]{{}, {"--help"}, {"pussh"}, {"completion"}}) {
            assertThat(ViewPushCommand.commandLine(args).getSubcommands()).as(String.join(" ", args))
                    .hasSize(ViewPushCommand.COMMANDS.size()).containsKeys("run", "push", "completion");
        }
    }

    @Test
    void missingConfigFileExitsTwoAndSaysWhichFile() {
        Run r = run("check", "-c", dir.resolve("nope.yaml").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("there is no config file '" + dir.resolve("nope.yaml") + "'")
                .contains("1 problem; nothing was started.");
    }

    @Test
    void badConfigExitsTwoForEveryCommandWithoutTouchingAnything() throws IOException {
        Path file = dir.resolve("push.yaml");
        Files.writeString(file, "views:\n  - name: v\n    tabel: t\n");
        for (String[] args : new String[][]{{"check", "-c", file.toString()}, {"run", "-c", file.toString()},
                {"push", "-c", file.toString(), "v"}, {"preview", "-c", file.toString(), "v"}}) {
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).contains(file + ":3:5: view 'v', tabel: unknown key 'tabel'; did you mean 'table'?");
        }
        assertThat(dir.resolve("viewpush-data")).doesNotExist();
    }

    @Test
    void anUnreachableDatabaseIsExitOneForEveryOneShotCommandNeverTwo() throws IOException {
        Path file = dir.resolve("push.yaml");
        // port 1 on the loopback: nothing listens, the connection is refused at once
        Files.writeString(file, "database:\n  url: jdbc:postgresql://127.0.0.1:1/shop\n  user: u\n  password: pw-Secret-1\n"
                + "views:\n  - name: v\n    table: t\n    key: id\n    fields: [id, pushed]\n"
                + "    push: {url: 'http://127.0.0.1:9/h', stamp: pushed}\n");
        for (String[] args : new String[][]{{"push", "-c", file.toString(), "v"}, {"preview", "-c", file.toString(), "v"},
                {"check", "-c", file.toString()}, {"journal", "-c", file.toString(), "v"}}) {
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(1);
            assertThat(r.err()).as(String.join(" ", args))
                    .startsWith("error: cannot connect to the database jdbc:postgresql://127.0.0.1:1/shop")
                    .contains("the database is not reachable").doesNotContain("pw-Secret-1");
        }
    }

    @Test
    void pushOfAPullOnlyViewIsAUsageError() throws IOException {
        Path file = dir.resolve("push.yaml");
        Files.writeString(file, "views:\n  - name: v\n    table: t\n    key: id\n    fields: [id]\n");
        Run r = run("push", "-c", file.toString(), "v");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("view 'v', push: the view has no push policy (it is pull-only)");
    }

    @Test
    void checkListsTheDatabaseProblemsOfTheOtherViewsTooWhenOneViewIsMalformed() throws IOException {
        Files.writeString(dir.resolve("init.sql"), "CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, "
                + "customer VARCHAR(50), last_pushed TIMESTAMP);\n");
        Path file = dir.resolve("push.yaml");
        Files.writeString(file, """
                database:
                  url: jdbc:h2:file:%s/db
                  init: init.sql
                views:
                  - name: broken
                    table: orders
                    key: id
                    fields: [id]
                    filters: ["{nofield} is empty"]
                  - name: missing table
                    table: no_such_table
                    key: id
                    fields: [id]
                  - name: wrong stamp
                    table: orders
                    key: id
                    fields: [id, customer]
                    push: {url: "http://127.0.0.1:1/x", stamp: customer}
                  - name: fine
                    table: orders
                    key: id
                    fields: [id, last_pushed]
                """.formatted(dir.toAbsolutePath().toString().replace('\\', '/')));
        Run r = run("check", "-c", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as(r.err()).hasSize(4);
        assertThat(lines.get(0)).isEqualTo(file + ":9:16: view 'broken', filters[1], character 1: unknown field "
                + "{nofield} at 1 in \"{nofield} is empty\"; the view has {id}");
        assertThat(lines.get(1)).startsWith(file + ":11:5: view 'missing table', table: table 'no_such_table' does "
                + "not exist");
        assertThat(lines.get(2)).startsWith(file + ":18:48: view 'wrong stamp', push.stamp: the stamp field 'customer'")
                .contains("must be a timestamp column");
        assertThat(lines.get(3)).isEqualTo("3 problems; nothing was started.");
    }

    @Test
    void checkDoesNotAskADatabaseWhenTheDatabaseSectionItselfIsWrong() throws IOException {
        Path file = dir.resolve("push.yaml");
        Files.writeString(file, """
                database:
                  url: jdbc:h2:file:%s/db
                  poolSize: -1
                views:
                  - name: missing table
                    table: no_such_table
                    key: id
                    fields: [id]
                """.formatted(dir.toAbsolutePath().toString().replace('\\', '/')));
        Run r = run("check", "-c", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(file + ":3:13: database.poolSize").doesNotContain("no_such_table")
                .contains("1 problem; nothing was started.");
        assertThat(dir.resolve("db.mv.db")).doesNotExist();
    }

    @Test
    void checkWarnsAtEverySecretWithoutTheWhsecPrefixExitsZeroAndNeverPrintsTheSecret() throws IOException {
        Path file = dir.resolve("push.yaml");
        String plain = "plain-Secret-7c1d9e3a";
        String old = "old-Plain-Secret-5f2b";
        String standard = "whsec_c3RhbmRhcmQtc2VjcmV0LWJ5dGVz";
        Files.writeString(dir.resolve("schema.sql"), "CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, "
                + "last_pushed TIMESTAMP)");
        Files.writeString(file, """
                database:
                  url: jdbc:h2:file:%s/db
                  init: schema.sql
                views:
                  - name: plain
                    table: orders
                    key: id
                    fields: {id: id, pushed: last_pushed}
                    push:
                      url: "http://127.0.0.1:1/x"
                      stamp: pushed
                      secret: %s
                  - name: rotating
                    table: orders
                    key: id
                    fields: {id: id, pushed: last_pushed}
                    push:
                      url: "http://127.0.0.1:1/x"
                      stamp: pushed
                      secrets:
                        - %s
                        - "%s"
                  - name: standard
                    table: orders
                    key: id
                    fields: {id: id, pushed: last_pushed}
                    push: {url: "http://127.0.0.1:1/x", stamp: pushed, secret: %s}
                """.formatted(dir.toAbsolutePath().toString().replace('\\', '/'), plain, standard, old, standard));
        String advice = ": the secret does not start with whsec_, so requests are signed with its UTF-8 bytes; "
                + "receivers that verify with the Standard Webhooks libraries base64-decode every secret and will not "
                + "verify these signatures. Use whsec_ followed by the base64 of random bytes, e.g. "
                + "echo \"whsec_$(head -c 32 /dev/urandom | base64)\", and give receivers the same secret";

        Run check = run("check", "-c", file.toString());

        assertThat(check.exit()).as("a warning is not a problem: %s", check.err()).isZero();
        assertThat(check.out()).startsWith("ok: ").contains("'plain'", "'rotating'", "'standard'");
        assertThat(check.err().lines()).as("one warning per plain secret, where it is written; none for whsec_ secrets")
                .containsExactly(
                        file + ":12:15: warning: view 'plain', push.secret" + advice,
                        file + ":22:11: warning: view 'rotating', push.secrets[2]" + advice);
        for (String secret : List.of(plain, old, standard, standard.substring("whsec_".length()))) {
            assertThat(check.out() + check.err()).as("the secret is never printed").doesNotContain(secret);
        }
        for (String part : List.of("plain-Secret", "7c1d9e3a", "old-Plain", "5f2b")) {
            assertThat(check.out() + check.err()).as("no part of a secret is printed").doesNotContain(part);
        }
    }

    @Test
    void checkWarnsAboutAModifiedColumnOfTheTransactionsTimeExitsZeroAndTriggerApplyEndsIt() throws IOException {
        Path file = dir.resolve("push.yaml");
        Files.writeString(dir.resolve("schema.sql"), "CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, "
                + "amount INT, last_modified TIMESTAMP DEFAULT LOCALTIMESTAMP, last_pushed TIMESTAMP)");
        Files.writeString(file, """
                database:
                  url: jdbc:h2:file:%s/db
                  init: schema.sql
                views:
                  - name: orders to push
                    table: orders
                    key: id
                    fields: {id: id, amount: amount, modified: last_modified, pushed: last_pushed}
                    calculations: {needs pushing: "{modified} > {pushed}"}
                    filters: ["{needs pushing} = true"]
                    push: {url: "http://127.0.0.1:1/x", stamp: pushed, modified: modified}
                  - name: no modified
                    table: orders
                    key: id
                    fields: {id: id, pushed: last_pushed}
                    push: {url: "http://127.0.0.1:1/x", stamp: pushed}
                """.formatted(dir.toAbsolutePath().toString().replace('\\', '/')));
        Run check = run("check", "-c", file.toString());
        assertThat(check.exit()).as("a warning is not a problem").isZero();
        assertThat(check.out()).startsWith("ok: ");
        assertThat(check.err()).as(check.err())
                .contains(file + ":11:66: warning: view 'orders to push', push.modified: column ORDERS.LAST_MODIFIED "
                        + "defaults to LOCALTIMESTAMP")
                .contains("never pushed")
                .contains("trigger -c " + file + " \"orders to push\" prints the SQL, add --apply to run it")
                .contains("1 warning in " + file);

        Run printed = run("trigger", "-c", file.toString(), "orders to push");
        assertThat(printed.exit()).as(printed.err()).isZero();
        assertThat(printed.out()).contains("CREATE TRIGGER \"PUBLIC\".\"viewpush_LAST_MODIFIED_at_write\" BEFORE INSERT, UPDATE")
                .contains("ignore=LAST_PUSHED");
        assertThat(run("check", "-c", file.toString()).err()).as("printing changes nothing").contains("warning:");

        Run applied = run("trigger", "-c", file.toString(), "orders to push", "--apply");
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(applied.err()).contains("applied");
        Run after = run("check", "-c", file.toString());
        assertThat(after.exit()).isZero();
        assertThat(after.err()).doesNotContain("warning").doesNotContain("note:");

        Run without = run("trigger", "-c", file.toString(), "no modified");
        assertThat(without.exit()).isEqualTo(2);
        assertThat(without.err()).contains("view 'no modified', push.modified: ").contains("set push.modified");
    }

    @Test
    void aFailureOfOurOwnIsPrintedInWordsWithoutItsClassNameAndExitsOne() {
        StringWriter err = new StringWriter();
        int exit = ViewPushCommand.handle(new StorageException("the database failed while reading view 'v': gone"),
                new PrintWriter(err, true));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("error: the database failed while reading view 'v': gone");
    }
}
