package io.viewpush.app.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real jar as a subprocess, the way an operator runs it: {@code java [jvm options] -jar
 * push-app.jar ARGS}, its stdout and stderr written to files (scenario 9 scans them), stopped with
 * SIGTERM, killed with SIGKILL, paused with SIGSTOP and resumed with SIGCONT.
 */
final class AppProcess implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("viewpush.jar", "target/push-app.jar"));
    /**
     * The build's class-data sharing archive of the jar (README, "Start-up"; absent with
     * {@code -Dcds.skip=true}), used as the README's command line does: each start is about a second
     * sooner; {@code -Xshare:auto} ignores an archive that does not fit, and the cds logs are off so
     * that nothing is added to the logs the scenarios read.
     */
    private static final Path ARCHIVE = JAR.resolveSibling("push-app.jsa");
    private static final Pattern API = Pattern.compile("API on http://127\\.0\\.0\\.1:(\\d+)");

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private AppProcess(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Options for one start. */
    static final class Options {
        final List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xss512k"));
        final Map<String, String> env = new java.util.HashMap<>(Map.of("PG_PASSWORD", Pg.PASSWORD));

        Options jvm(String... options) {
            jvm.addAll(List.of(options));
            return this;
        }

        /** Replaces the default {@code -Xmx256m}. */
        Options heap(String xmx) {
            jvm.removeIf(o -> o.startsWith("-Xmx"));
            jvm.add(xmx);
            return this;
        }

        Options env(String key, String value) {
            env.put(key, value);
            return this;
        }
    }

    /**
     * Starts {@code java -jar push-app.jar args} in {@code dir}; output goes to
     * {@code dir/<name>.out.log} and {@code dir/<name>.err.log} (appended, so a restarted process
     * keeps one log).
     */
    static AppProcess start(Path dir, String name, Options options, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run 'mvn package' first (failsafe runs after it)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Files.isRegularFile(ARCHIVE)) {
            cmd.addAll(List.of("-XX:SharedArchiveFile=" + ARCHIVE.toAbsolutePath(), "-Xshare:auto",
                    "-Xlog:cds=off,cds+dynamic=off"));
        }
        cmd.addAll(options.jvm);
        cmd.add("-jar");
        cmd.add(JAR.toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        Path out = dir.resolve(name + ".out.log");
        Path err = dir.resolve(name + ".err.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        pb.environment().putAll(options.env);
        try {
            return new AppProcess(name, pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end and returns the exit code (killed after {@code timeout}). */
    int await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not finish within " + timeout + ":\n" + err());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    /** Waits for {@code run}'s "API on" line and returns the API's port. */
    int awaitApi(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Matcher m = API.matcher(err());
            int port = -1;
            while (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
            if (port > 0 && isAlive()) {
                return port;
            }
            if (!isAlive()) {
                throw new AssertionError(name + " ended (exit " + process.exitValue() + ") before serving the API:\n" + err());
            }
            sleep(100);
        }
        throw new AssertionError(name + " did not start within " + timeout + ":\n" + err());
    }

    /** Waits until the process's stderr contains {@code text} (appearing after {@code from} characters). */
    void awaitLog(String text, int from, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String e = err();
            if (e.length() > from && e.indexOf(text, from) >= 0) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError(name + " never logged '" + text + "' within " + timeout + ":\n" + err());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, nothing flushed, nothing committed that was not already. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the JVM freezes, its sockets and connections stay open. */
    void pause() {
        signal("STOP");
    }

    /** SIGCONT. */
    void resume() {
        signal("CONT");
    }

    private void signal(String sig) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + sig + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGTERM and the exit code. */
    int stop(Duration timeout) {
        process.toHandle().destroy();
        return await(timeout);
    }

    /** Runs {@code jcmd <pid> <command>} (e.g. {@code GC.run}) and returns its output. */
    String jcmd(String... command) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(process.pid()));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String err() {
        return read(err);
    }

    String out() {
        return read(out);
    }

    List<Path> logs() {
        return List.of(out, err);
    }

    String name() {
        return name;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            resume();
            process.destroyForcibly();
        }
    }
}
