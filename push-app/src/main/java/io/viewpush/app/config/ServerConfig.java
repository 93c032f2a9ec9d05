package io.viewpush.app.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code server} section: where the HTTP API listens.
 *
 * @param host the address to bind; default {@link #DEFAULT_HOST} (this machine only: keys travel in
 *             clear text over plain HTTP, so put a TLS reverse proxy in front, or bind
 *             {@code 0.0.0.0} to serve other machines directly)
 * @param port the port; 0 picks a free one (the port in use is logged); default {@link #DEFAULT_PORT}
 * @param metricsKey a key that {@code GET /metrics} then requires (it, or any admin key, in the
 *             {@code Authorization} header); empty (the default): {@code /metrics} is public, so a
 *             Prometheus without credentials can scrape it
 */
public record ServerConfig(String host, int port, Optional<String> metricsKey) {
    /** Default {@link #port()}: 8080. */
    public static final int DEFAULT_PORT = 8080;
    /** Default {@link #host()}: {@code 127.0.0.1}, this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The defaults. */
    public static final ServerConfig DEFAULT = new ServerConfig(DEFAULT_HOST, DEFAULT_PORT);

    /** A server section without a metrics key. */
    public ServerConfig(String host, int port) {
        this(host, port, Optional.empty());
    }

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(metricsKey, "metricsKey");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", metricsKey=" + (metricsKey.isPresent() ? "***" : "-")
                + "]";
    }
}
