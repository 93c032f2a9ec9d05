package io.viewpush.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The launcher the build writes next to the jar, {@code push-app/target/viewpush} (README, "Start-up"):
 * {@code java -jar push-app.jar} with the class-data sharing archive next to the jar when there is one,
 * every argument passed on as it was given.
 */
class LauncherIT {
    static final Path LAUNCHER = Jar.JAR.resolveSibling("viewpush");
    static final Path ARCHIVE = Jar.JAR.resolveSibling("push-app.jsa");
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    private static Jar.Result launch(Path launcher, Path dir, String javaOpts, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(Map.of("JAVA", JAVA, "JAVA_OPTS", javaOpts));
        try {
            return Jar.finish(pb.start(), Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void runsTheJarWithTheArchiveNextToIt() throws IOException {
        assertThat(LAUNCHER).isRegularFile().isExecutable();
        assumeThat(ARCHIVE).as("built without -Dcds.skip").isRegularFile();
        Path classes = dir.resolve("classes.log");
        Jar.Result r = launch(LAUNCHER, dir, "-Xmx64m -Xlog:class+load=info:file=" + classes, "push", "--version");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("ViewPush ");
        assertThat(Files.readString(classes)).contains("io.viewpush.app.Main source: shared objects file");
    }

    @Test
    void withoutAnArchiveItRunsTheJarAsItIs() throws IOException {
        Path copy = Files.createDirectory(dir.resolve("bin"));
        Files.copy(LAUNCHER, copy.resolve("viewpush"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(copy.resolve("push-app.jar"), Jar.JAR.toAbsolutePath());
        Path classes = dir.resolve("classes.log");
        Jar.Result r = launch(copy.resolve("viewpush"), dir, "-Xlog:class+load=info:file=" + classes, "--version");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("ViewPush ");
        assertThat(Files.readString(classes)).contains("io.viewpush.app.Main source: file:")
                .doesNotContain("io.viewpush.app.Main source: shared objects file");
    }

    @Test
    void oneShotCommandsRunWithTheSerialCollectorUnlessJavaOptsChoosesOne() throws Exception {
        Jar.Result push = launch(LAUNCHER, dir, "-Xlog:gc:file=" + dir.resolve("push.log"), "push", "--version");
        assertThat(push.exit()).as(push.toString()).isZero();
        assertThat(Files.readString(dir.resolve("push.log"))).contains("Using Serial");

        Jar.Result chosen = launch(LAUNCHER, dir, "-XX:+UseParallelGC -Xlog:gc:file=" + dir.resolve("chosen.log"),
                "check", "--version");
        assertThat(chosen.exit()).as(chosen.toString()).isZero();
        assertThat(Files.readString(dir.resolve("chosen.log"))).contains("Using Parallel");

        // run (and demo) keep the JVM's own choice: the collector plain java picks here
        Process plain = new ProcessBuilder(JAVA, "-Xlog:gc:file=" + dir.resolve("plain.log"), "-version")
                .redirectErrorStream(true).start();
        Jar.finish(plain, Duration.ofSeconds(60));
        String collector = Files.readString(dir.resolve("plain.log")).lines().filter(l -> l.contains("Using "))
                .findFirst().orElseThrow().replaceAll(".*Using ", "");
        Jar.Result run = launch(LAUNCHER, dir, "-Xlog:gc:file=" + dir.resolve("run.log"), "run", "--version");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(Files.readString(dir.resolve("run.log"))).contains("Using " + collector);
    }

    @Test
    void passesEveryArgumentOnAsGivenSpacesIncluded() {
        Path config = dir.resolve("my config.yaml");
        Jar.Result r = launch(LAUNCHER, dir, "", "check", "-c", config.toString());

        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("there is no config file '" + config + "'");
    }
}
