package io.viewpush.app.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code run} process: waits for its "API on" line, keeps its output, stops it with SIGTERM. */
final class RunningApp implements AutoCloseable {
    private static final Pattern API = Pattern.compile("API on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final StringBuffer err = new StringBuffer();
    private final Jar.Drain out;
    private final int port;
    private final Thread reader;

    RunningApp(Path dir, String... args) {
        process = Jar.start(dir, Map.of(), args);
        out = new Jar.Drain(process.getInputStream());
        CompletableFuture<Integer> portFound = new CompletableFuture<>();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    err.append(line).append('\n');
                    Matcher m = API.matcher(line);
                    if (m.find()) {
                        portFound.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                err.append("[stderr closed: ").append(e).append("]\n");
            }
            portFound.complete(-1);
        }, "run-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            port = portFound.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("run did not start within 60 s:\n" + err, e);
        }
        if (port < 0) {
            throw new AssertionError("run ended before serving the API:\n" + err);
        }
    }

    int port() {
        return port;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String err() {
        return err.toString();
    }

    String out() {
        return out.text();
    }

    /**
     * Sends SIGTERM and waits for the exit code. Through the process handle: {@link Process#destroy()}
     * sends SIGTERM too but also closes our ends of its pipes, and we want its last log lines.
     */
    int stop(Duration timeout) throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("run did not stop within " + timeout + " after SIGTERM:\n" + err);
        }
        reader.join(5000);
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
