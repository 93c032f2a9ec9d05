package io.viewpush.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The embedded PostgreSQL (a config without {@code database.url}) through the real jar. */
class EmbeddedDatabaseIT {
    private static final Duration SLOW = Duration.ofSeconds(300);

    @TempDir
    Path dir;

    @Test
    void commandsRunWhileRunServesJoinItsServerWhichStaysUpForItAndStopsWithIt() throws Exception {
        Files.writeString(dir.resolve("schema.sql"), "CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, "
                + "last_pushed timestamp with time zone);\nINSERT INTO items (id) VALUES (1), (2) ON CONFLICT DO NOTHING;\n");
        Files.writeString(dir.resolve("push.yaml"), """
                database:
                  init: schema.sql
                server: {host: 127.0.0.1, port: 0}
                engine: {pollInterval: 200ms}
                views:
                  - name: items
                    table: items
                    key: id
                    fields: {id: id, last pushed: last_pushed}
                    filters: ['{last pushed} is empty']
                """);
        Process run = Jar.start(dir, Map.of(), "run", "-c", "push.yaml");
        Jar.Drain err = new Jar.Drain(run.getErrorStream());
        new Jar.Drain(run.getInputStream());
        try {
            await().atMost(SLOW).until(() -> err.text().contains("ViewPush running"));
            assertThat(err.text()).contains("the embedded PostgreSQL in " + dir.resolve("viewpush-data/postgres"));
            Path pidFile = dir.resolve("viewpush-data/postgres/postmaster.pid");
            long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());

            Jar.Result preview = Jar.run(dir, Map.of(), SLOW, "preview", "-c", "push.yaml", "items");
            assertThat(preview.exit()).as("%s", preview).isZero();
            assertThat(preview.err()).contains("2 rows in view 'items'");
            assertThat(preview.err()).contains("joined the embedded PostgreSQL already running on 127.0.0.1")
                    .contains("(pid " + postmaster + ")").contains("left the embedded PostgreSQL (pid " + postmaster + ") running");
            Jar.Result check = Jar.run(dir, Map.of(), SLOW, "check", "-c", "push.yaml");
            assertThat(check.exit()).as("%s", check).isZero();
            assertThat(check.out()).contains("is valid against the embedded database");

            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
                    .as("the commands left the server to run").isTrue();
            assertThat(Files.readAllLines(pidFile).get(0).strip()).isEqualTo(Long.toString(postmaster));

            run.toHandle().destroy();
            assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("run stops on SIGTERM").isTrue();
            assertThat(run.exitValue()).as(err.text()).isZero();
            assertThat(err.text()).contains("stopped the embedded PostgreSQL (pid " + postmaster + ")");
            assertThat(pidFile).as("run, the last one out, stopped the server").doesNotExist();
        } finally {
            run.destroyForcibly();
        }
    }

    @Test
    void onAPlatformWithoutBinariesTheDefaultIsABadConfigNamingTheWayOut() throws Exception {
        Files.writeString(dir.resolve("push.yaml"), "views:\n  - {name: items, table: items, key: id, fields: [id]}\n");
        Jar.Result r = Jar.run(dir, Map.of("JAVA_TOOL_OPTIONS", "-Dos.arch=ppc64le"), SLOW, "check", "-c", "push.yaml");
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("the embedded PostgreSQL of this jar runs on Linux x86-64 only, not on Linux ppc64le")
                .contains("set database.url");
    }
}
