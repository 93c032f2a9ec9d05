package io.viewpush.app;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which command lines initialise jOOQ's classes on a thread of their own while the command starts. */
class PreloadTest {
    @Test
    void aCommandThatOpensTheDatabasePreloadsOnADaemonThreadThatEnds() throws InterruptedException {
        for (String command : Preload.DATABASE_COMMANDS) {
            Optional<Thread> t = Preload.start(command, "-c", "push.yaml", "orders");
            assertThat(t).as(command).isPresent();
            assertThat(t.get().isDaemon()).isTrue();
            assertThat(t.get().getName()).isEqualTo("viewpush-preload");
            t.get().join(60_000);
            assertThat(t.get().isAlive()).as(command).isFalse();
        }
    }

    @Test
    void theLoggingIsSetUpBeforeTheThreadStarts() throws InterruptedException {
        // SLF4J initialised by two threads at once gives a logger asked for meanwhile a no-op delegate
        Thread t = Preload.start("run", "-c", "push.yaml").orElseThrow();
        assertThat(org.slf4j.LoggerFactory.getILoggerFactory()).isInstanceOf(ch.qos.logback.classic.LoggerContext.class);
        t.join(60_000);
    }

    @Test
    void helpVersionCompletionAndUnknownCommandsPreloadNothing() {
        assertThat(Preload.start()).isEmpty();
        assertThat(Preload.start("--version")).isEmpty();
        assertThat(Preload.start("--help")).isEmpty();
        assertThat(Preload.start("push", "--help")).isEmpty();
        assertThat(Preload.start("run", "-h")).isEmpty();
        assertThat(Preload.start("check", "-V")).isEmpty();
        assertThat(Preload.start("completion")).isEmpty();
        assertThat(Preload.start("pussh", "-c", "push.yaml")).isEmpty();
    }

    @Test
    void everyClassItNamesExists() throws ClassNotFoundException {
        for (String name : Preload.CLASSES) {
            assertThat(Class.forName(name, false, Preload.class.getClassLoader())).isNotNull();
        }
    }
}
