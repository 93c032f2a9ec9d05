package io.viewpush.app.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the shaded jar as a subprocess, the way an operator does. */
final class Jar {
    static final Path JAR = Path.of(System.getProperty("viewpush.jar", "target/push-app.jar"));
    /**
     * The build's class-data sharing archive of the jar, next to it (README, "Start-up"; absent with
     * {@code -Dcds.skip=true}). The tests start the jar with it, as the README's command line does:
     * each start is about a second sooner. An archive that does not fit the jar is ignored, quietly.
     */
    static final Path ARCHIVE = JAR.resolveSibling("push-app.jsa");

    private Jar() {
    }

    /** What a finished run printed and returned. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static List<String> command(String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run 'mvn package' first (failsafe runs after it)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(classDataSharing(ARCHIVE));
        cmd.add("-jar");
        cmd.add(JAR.toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * @return the README's options for the archive when it exists: {@code -Xshare:auto} (the JVM starts
     *         without it when it does not fit the jar or the JDK) and the cds logs off, so that nothing
     *         is added to the stdout or stderr that tests read; none when there is no archive
     */
    static List<String> classDataSharing(Path archive) {
        return Files.isRegularFile(archive) ? List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath(), "-Xshare:auto",
                "-Xlog:cds=off,cds+dynamic=off") : List.of();
    }

    static Process start(Path dir, Map<String, String> env, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(dir.toFile());
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end (at most {@code timeout}) and returns exit code and output. */
    static Result run(Path dir, Map<String, String> env, Duration timeout, String... args) {
        return finish(start(dir, env, args), timeout);
    }

    static Result run(Path dir, String... args) {
        return run(dir, Map.of(), Duration.ofSeconds(60), args);
    }

    static Result finish(Process p, Duration timeout) {
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the jar did not finish within " + timeout + "\n--- stdout\n" + out.text()
                        + "\n--- stderr\n" + err.text());
            }
            out.join();
            err.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
        return new Result(p.exitValue(), out.text(), err.text());
    }

    /** Reads a stream to its end on its own thread, so that the process never blocks on a full pipe. */
    static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (bytes) {
                        bytes.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                synchronized (bytes) {
                    bytes.writeBytes(("\n[stream closed: " + e + "]").getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
