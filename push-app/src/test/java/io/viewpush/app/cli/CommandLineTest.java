package io.viewpush.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

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
        for (String command : new String[]{"run", "push", "preview", "check", "demo"}) {
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
    void pushOfAPullOnlyViewIsAUsageError() throws IOException {
        Path file = dir.resolve("push.yaml");
        Files.writeString(file, "views:\n  - name: v\n    table: t\n    key: id\n    fields: [id]\n");
        Run r = run("push", "-c", file.toString(), "v");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("view 'v', push: the view has no push policy (it is pull-only)");
    }
}
