package io.viewpush.http.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web console's files, bundled in this jar (no CDN, no build step): one page, its script and its
 * style sheet, served under {@code /console/}. The page is static and holds no data: everything
 * comes from the API, with the key the user gives, in the {@code Authorization} header. The headers
 * forbid any script, style or connection not from this server (so even a value that slipped into the
 * page as markup could not run), framing by another site, and sending the address as a referrer.
 */
final class ConsoleAssets {
    /** The path of the console's page (a host that mounts the API prefixes its context). */
    static final String PAGE = "/console/";
    private static final String DIR = "console/";
    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
                    + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer");
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=UTF-8",
            "console.js", "text/javascript; charset=UTF-8",
            "console.css", "text/css; charset=UTF-8");

    /** One file: its media type and bytes. */
    record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> assets;

    ConsoleAssets() {
        Map<String, Asset> loaded = new java.util.HashMap<>();
        TYPES.forEach((name, type) -> loaded.put(name, new Asset(type, read(name))));
        this.assets = Map.copyOf(loaded);
    }

    /** @return the file for the path's last segment ({@code ""} is the page), or null when there is none */
    Asset get(String name) {
        return assets.get(name.isEmpty() ? "index.html" : name);
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the console's " + name + " failed", e);
        }
    }
}
