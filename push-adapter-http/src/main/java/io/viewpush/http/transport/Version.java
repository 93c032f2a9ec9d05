package io.viewpush.http.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The ViewPush version, from a resource Maven filters at build time, else the jar manifest. */
final class Version {
    static final String VIEWPUSH = load();

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("viewpush-version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "").trim();
                if (!v.isEmpty() && !v.contains("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ViewPush version resource", e);
        }
        String manifest = Version.class.getPackage().getImplementationVersion();
        return manifest != null && !manifest.isBlank() ? manifest.trim() : "unknown";
    }
}
