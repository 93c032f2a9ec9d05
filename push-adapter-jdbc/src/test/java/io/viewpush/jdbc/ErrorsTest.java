package io.viewpush.jdbc;

import io.viewpush.port.StorageException;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failures: storage errors without credentials, reachability, unsupported databases, bad options. */
class ErrorsTest {
    private static final String SECRET = "hunter2-Secret";

    /** A data source that can be switched off; while off it fails like a driver that quotes its URL. */
    private static final class Switchable implements DataSource {
        final DataSource delegate;
        final AtomicBoolean down = new AtomicBoolean();

        Switchable(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down.get()) {
                throw new SQLException("Connection to jdbc:postgresql://shop:" + SECRET + "@db.internal:5432/shop?password="
                        + SECRET + " refused", "08001", new SQLException("auth failed for password=" + SECRET));
            }
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @Test
    void aStorageExceptionNamesWhatFailedButNeverTheCredentials() {
        Switchable ds = new Switchable(TestDatabase.h2().dataSource());
        DefaultJdbcPushStore store = (DefaultJdbcPushStore) JdbcPushStore.builder(ds).build();
        assertThat(store.isReachable()).isTrue();
        ds.down.set(true);

        assertThat(store.isReachable()).isFalse();
        assertThatThrownBy(() -> store.history("orders to push"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("'orders to push'")
                .hasMessageContaining("refused")
                .hasMessageContaining("08001")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(SECRET));
        assertThatThrownBy(() -> store.tryAcquire("v", "engine", Duration.ofMinutes(1)))
                .isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(SECRET));
    }

    @Test
    void buildingOnAnUnreachableDatabaseIsAStorageException() {
        Switchable ds = new Switchable(TestDatabase.h2().dataSource());
        ds.down.set(true);

        assertThatThrownBy(() -> JdbcPushStore.builder(ds).build())
                .isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(SECRET));
    }

    @Test
    void anUnsupportedDatabaseIsNamed() {
        DataSource h2 = TestDatabase.h2().dataSource();
        DataSource oracle = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, a) -> {
                    if (m.getName().equals("getConnection")) {
                        Connection real = h2.getConnection();
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                                forward(real, "getMetaData", () -> metaData(real.getMetaData())));
                    }
                    return m.invoke(h2, a);
                });

        assertThatThrownBy(() -> JdbcPushStore.builder(oracle).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Oracle").hasMessageContaining("PostgreSQL, H2");
    }

    private static DatabaseMetaData metaData(DatabaseMetaData real) {
        return (DatabaseMetaData) Proxy.newProxyInstance(ErrorsTest.class.getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
                forward(real, "getDatabaseProductName", () -> "Oracle"));
    }

    private interface Answer {
        Object get() throws Exception;
    }

    private static InvocationHandler forward(Object real, String method, Answer answer) {
        return (p, m, a) -> {
            if (m.getName().equals(method)) {
                return answer.get();
            }
            try {
                return m.invoke(real, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }

    @Test
    void badOptionsAreNamed() {
        DataSource ds = TestDatabase.h2().dataSource();
        assertThatThrownBy(() -> JdbcPushStore.builder(null).build()).hasMessageContaining("dataSource");
        assertThatThrownBy(() -> JdbcPushStore.builder(ds).fetchSize(0).build()).hasMessageContaining("fetchSize");
        assertThatThrownBy(() -> JdbcPushStore.builder(ds).stampBatchSize(200_000).build()).hasMessageContaining("stampBatchSize");
        assertThatThrownBy(() -> JdbcPushStore.builder(ds).journalRetention(Duration.ZERO).build())
                .hasMessageContaining("journalRetention");
        assertThatThrownBy(() -> JdbcPushStore.builder(ds).journalMaxAttemptsPerView(0).build())
                .hasMessageContaining("journalMaxAttemptsPerView");
        assertThatThrownBy(() -> JdbcPushStore.builder(ds).journalPruneInterval(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("journalPruneInterval");
        assertThatThrownBy(() -> JdbcPushStore.builder(ds).clock(null).build()).hasMessageContaining("clock");
    }

    @Test
    void theSanitizerHidesPasswordsTokensAndUrlUserInfo() {
        assertThat(Errors.sanitize("FATAL: password=abc; user=shop token: xyz https://u:p@h/x sslpassword='q r'"))
                .isEqualTo("FATAL: password=***; user=shop token: *** https://***@h/x sslpassword=***");
    }
}
