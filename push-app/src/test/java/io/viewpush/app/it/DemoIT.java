package io.viewpush.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code demo} through the real jar, with nothing set up. */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void demoRunsTheWholeTourAndExitsZero() throws IOException {
        Jar.Result r = Jar.run(dir, Map.of(), Duration.ofSeconds(90), "demo");
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out())
                .contains("1. The database")
                .contains("needs pushing: \"{last modified [auto]} > {last pushed}\"")
                .contains("receiver <- POST /hook: 3 rows")
                .contains("\"amount\":12.50")
                .contains("signature ok")
                .contains("=> view 'orders to push' success: 3 rows in 1 batch")
                .contains("=> view 'orders to push' nothing to send")
                .contains("answers 500")
                .contains("=> view 'orders to push' failed: 1 row in 1 batch")
                .contains("It carries the same webhook-id as the failed attempt")
                .contains("\"receipt id\":\"R-1001\"")
                .contains("viewpush_pushes_total{outcome=\"success\",view=\"orders to push\"} 3.0")
                .contains("curl -X POST -H 'Authorization: Bearer demo-")
                .doesNotContain("SIGNATURE INVALID");
        try (var files = Files.list(dir)) {
            assertThat(files).as("the demo leaves nothing in the working directory").isEmpty();
        }
    }

    @Test
    void demoStaysWithTheSchedulerOnUntilSigtermThenExitsZero() throws Exception {
        Process p = Jar.start(dir, Map.of(), "demo", "--stay");
        Jar.Drain out = new Jar.Drain(p.getInputStream());
        Jar.Drain err = new Jar.Drain(p.getErrorStream());
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> out.text().contains("Press Ctrl-C to stop."));
            assertThat(out.text()).contains("The demo keeps running: in another terminal, try");
            p.toHandle().destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            assertThat(p.exitValue()).as(err.text()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> out.text().contains("Stopped."));
        } finally {
            p.destroyForcibly();
        }
    }
}
