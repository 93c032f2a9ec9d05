package io.viewpush.jdbc;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large view streamed and stamped in a 64 MB heap: {@link LargeBatch} runs in a child JVM with
 * {@code -Xmx64m}, on a database of this JVM's embedded PostgreSQL. 100,000 rows by default;
 * {@code -Plarge} (or {@code -Dviewpush.largeRows=1000000}) runs a million.
 */
class LargeBatchHeapTest {
    private static final int ROWS = Integer.getInteger("viewpush.largeRows", 100_000);
    private static final Pattern HEAP = Pattern.compile("max heap (\\d+) MB");

    @Test
    void streamsAndStampsEveryRowOfALargeViewInA64MegabyteHeap() throws IOException, InterruptedException {
        TestDatabase db = TestDatabase.postgres();
        String url = "jdbc:postgresql://localhost:" + TestDatabase.postgresPort() + "/" + db.name() + "?user=postgres";
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-Dorg.jooq.no-logo=true", "-Dorg.jooq.no-tips=true",
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                "-cp", System.getProperty("java.class.path"), LargeBatch.class.getName(), url, Integer.toString(ROWS)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println(line);
                output.add(line);
            }
        }
        boolean finished = child.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly();
        }

        assertThat(finished).as("finished within 5 minutes").isTrue();
        assertThat(child.exitValue()).as("exit code; output:%n%s", String.join("\n", output)).isZero();
        assertThat(output).contains("LargeBatch: OK");
        assertThat(output.stream().map(HEAP::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1))))
                .as("the child's max heap in MB").singleElement().satisfies(mb -> assertThat(mb).isLessThanOrEqualTo(64));
    }
}
