package io.viewpush.app.assembly;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigLoader;
import io.viewpush.port.PushListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code check} warns about in the file itself, a service says once when it starts, without the secret. */
class ConfigWarningsAtStartTest {
    private static final String PLAIN = "plain-Start-Secret-6d4e";

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger log = (Logger) LoggerFactory.getLogger(Assembly.class);

    @AfterEach
    void detach() {
        log.detachAppender(logged);
    }

    @Test
    void aSecretWithoutTheWhsecPrefixIsWarnedAboutOnceWhenTheAssemblyOpens() throws IOException {
        Files.writeString(dir.resolve("schema.sql"), "CREATE TABLE IF NOT EXISTS orders (id integer PRIMARY KEY, "
                + "last_pushed TIMESTAMP)");
        String yaml = "database:\n  url: jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE\n"
                + "  init: schema.sql\n"
                + "views:\n  - name: orders\n    table: orders\n    key: id\n"
                + "    fields: {id: id, pushed: last_pushed}\n"
                + "    push: {url: 'http://127.0.0.1:1/x', stamp: pushed, secret: " + PLAIN + "}\n";
        AppConfig config = ConfigLoader.parse(yaml, "push.yaml", dir, Map.of());
        logged.start();
        log.addAppender(logged);

        Assembly.open(config, PushListener.NONE).close();

        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(config.warnings().get(0).line())
                .allSatisfy(m -> assertThat(m).startsWith("push.yaml:9:64: warning: view 'orders', push.secret: the "
                        + "secret does not start with whsec_").doesNotContain(PLAIN).doesNotContain("6d4e"));
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(PLAIN));
    }
}
