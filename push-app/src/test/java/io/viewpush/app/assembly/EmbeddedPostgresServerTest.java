package io.viewpush.app.assembly;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded PostgreSQL: one server per directory, joined by a second opener, stopped by the last one out. */
class EmbeddedPostgresServerTest {
    @TempDir
    Path dir;

    @Test
    void startsCreatesTheDatabaseKeepsDataAndStopsWhenTheLastHandleCloses() throws Exception {
        long pid;
        try (EmbeddedPostgresServer s = EmbeddedPostgresServer.open(dir)) {
            assertThat(s.startedHere()).isTrue();
            pid = s.pid();
            assertThat(ProcessHandle.of(pid)).isPresent();
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE kept (v int)");
                st.execute("INSERT INTO kept VALUES (42)");
                assertThat(one(st, "SELECT current_database()")).isEqualTo(EmbeddedPostgresServer.DATABASE);
                assertThat(one(st, "SHOW fsync")).as("durable on power loss").isEqualTo("on");
                assertThat(one(st, "SHOW synchronous_commit")).as("a commit is on disk when it returns").isEqualTo("on");
                assertThat(one(st, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
                assertThat(one(st, "SHOW unix_socket_directories")).as("no socket for other users").isEmpty();
                assertThat(ZoneId.of(one(st, "SHOW timezone")).getRules())
                        .as("the database's zone is the creating JVM's").isEqualTo(ZoneId.systemDefault().getRules());
            }
        }
        assertThat(dir.resolve("postgres/postmaster.pid")).as("stopped by the last one out").doesNotExist();
        awaitGone(pid);

        try (EmbeddedPostgresServer s = EmbeddedPostgresServer.open(dir);
             Connection c = s.connect(); Statement st = c.createStatement()) {
            assertThat(s.startedHere()).isTrue();
            assertThat(one(st, "SELECT v FROM kept")).isEqualTo("42");
        }
    }

    @Test
    void aSecondOpenerJoinsTheRunningServerWhichStopsOnlyWhenBothHaveLeft() throws Exception {
        EmbeddedPostgresServer first = EmbeddedPostgresServer.open(dir);
        EmbeddedPostgresServer second = EmbeddedPostgresServer.open(dir);
        try {
            assertThat(first.startedHere()).isTrue();
            assertThat(second.startedHere()).as("joined through postmaster.pid").isFalse();
            assertThat(second.pid()).isEqualTo(first.pid());
            assertThat(second.port()).isEqualTo(first.port());
            first.close();
            assertThat(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false))
                    .as("the first one out leaves it running for the second").isTrue();
            try (Connection c = second.connect(); Statement st = c.createStatement()) {
                assertThat(one(st, "SELECT 1")).isEqualTo("1");
            }
        } finally {
            first.close();
            second.close();
        }
        assertThat(dir.resolve("postgres/postmaster.pid")).as("the joiner, last out, stops it").doesNotExist();
        awaitGone(first.pid());
    }

    @Test
    void onlyTheOwnerWithThePasswordGetsIn() throws Exception {
        try (EmbeddedPostgresServer s = EmbeddedPostgresServer.open(dir)) {
            Path password = dir.resolve("postgres").resolve(EmbeddedPostgresServer.PASSWORD_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            p.setProperty("password", "guessed");
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + s.port() + "/viewpush", p).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            Properties none = new Properties();
            none.setProperty("user", "postgres");
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + s.port() + "/viewpush", none).close())
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aServerKilledWithItsStalePidFileRecoversEverythingCommitted() throws Exception {
        long pid;
        try (EmbeddedPostgresServer s = EmbeddedPostgresServer.open(dir)) {
            pid = s.pid();
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE acks (v int)");
                for (int i = 1; i <= 100; i++) {
                    st.execute("INSERT INTO acks VALUES (" + i + ")");
                }
            }
            // the machine goes down: the postmaster and every backend die at once, nothing is shut down
            ProcessHandle pm = ProcessHandle.of(pid).orElseThrow();
            List<ProcessHandle> all = new java.util.ArrayList<>(pm.descendants().toList());
            all.add(pm);
            all.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : all) {
                h.onExit().get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(dir.resolve("postgres/postmaster.pid")).as("left behind by the kill").exists();
        try (EmbeddedPostgresServer s = EmbeddedPostgresServer.open(dir);
             Connection c = s.connect(); Statement st = c.createStatement()) {
            assertThat(s.startedHere()).isTrue();
            assertThat(s.pid()).isNotEqualTo(pid);
            assertThat(one(st, "SELECT count(*) FROM acks")).as("every acknowledged commit").isEqualTo("100");
            st.execute("INSERT INTO acks VALUES (101)");
        }
    }

    @Test
    void itListensOnTheLoopbackOnly() throws Exception {
        try (EmbeddedPostgresServer s = EmbeddedPostgresServer.open(dir)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", s.port()), 2000);
            }
            assertThat(s.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:" + s.port() + "/viewpush");
        }
    }

    /** The postmaster has removed its postmaster.pid; its process ends a moment later (reaped by PID 1). */
    private static void awaitGone(long pid) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
