package io.viewpush.jdbc;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An embedder's log gets nothing it did not ask for: building the store and using it does not print
 * jOOQ's banner or its "tip of the day". jOOQ prints them once per JVM, so each case runs in a JVM of
 * its own; the second shows the check would see them.
 */
class QuietLogsTest {

    @Test
    void buildingAndUsingTheStorePrintsNoJooqBannerOrTip() throws Exception {
        String log = runStore();
        assertThat(log).contains("store used").doesNotContain("Thank you for using jOOQ").doesNotContain("tip of the day");
    }

    @Test
    void aHostThatAsksForTheBannerStillGetsIt() throws Exception {
        String log = runStore("-Dorg.jooq.no-logo=false", "-Dorg.jooq.no-tips=false");
        assertThat(log).contains("store used").contains("Thank you for using jOOQ").contains("tip of the day");
    }

    private static String runStore(String... jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmOptions));
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(UseTheStore.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(log).isZero();
        return log;
    }

    /** Builds a store on an in-memory H2 database and reads its journal (jOOQ renders SQL). */
    static final class UseTheStore {
        public static void main(String[] args) throws Exception {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:quiet;DB_CLOSE_DELAY=-1");
            ds.setUser("sa");
            try (JdbcPushStore store = JdbcPushStore.builder(ds).build()) {
                store.recent("a view", 1);
                store.history("a view");
            }
            System.out.println("store used");
        }
    }
}
