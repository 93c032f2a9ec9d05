package io.viewpush.http.architecture;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An embedder who uses only the outbound transport gets no server: this module's classpath (its compile,
 * runtime and test dependencies together) holds no Jetty and no other servlet or server library. The
 * inbound API and its Jetty live in push-adapter-api.
 */
class NoServerOnTheClasspathTest {
    @Test
    void noJettyClassLoads() {
        assertThatThrownBy(() -> Class.forName("org.eclipse.jetty.server.Server"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.eclipse.jetty.server.Handler"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.viewpush.http.api.ApiServer"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void noServerJarOnTheClasspath() {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        // the check would pass vacuously if the property did not list the dependencies
        assertThat(entries).anyMatch(e -> e.contains("httpclient5"));
        assertThat(entries).noneMatch(e -> e.contains("jetty") || e.contains("servlet")
                || e.contains("push-adapter-api") || e.contains("viewpush-api") || e.contains("undertow") || e.contains("netty"));
    }
}
