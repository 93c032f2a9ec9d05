package io.viewpush.http.transport;

import io.github.resilience4j.retry.RetryRegistry;
import io.viewpush.port.PushTransport;
import io.viewpush.push.PushPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The push transport over HTTP (Apache HttpClient 5, retries by resilience4j): POSTs a view's rows
 * to the receiver exactly as the README's "The push request" says.
 *
 * <ul>
 *   <li><b>Body</b>: {@code form} (default) is {@code application/x-www-form-urlencoded; charset=UTF-8}
 *       with one parameter {@code json=<URL-encoded JSON array>}; {@code json} is
 *       {@code application/json} with the array as the body. The JSON comes from
 *       {@link io.viewpush.http.json.RowJsonWriter}.</li>
 *   <li><b>Spooling</b>: the batch is encoded once, streaming, into a temporary file in the
 *       {@linkplain Builder#spoolDirectory(Path) spool directory} while it is hashed; every attempt
 *       sends that file (with a {@code Content-Length}), and the file is deleted when
 *       {@link #send} returns or throws. Memory use does not grow with the batch.</li>
 *   <li><b>Idempotency key</b>: {@code webhook-id} is {@code msg_} followed by the lowercase hex
 *       SHA-256 of the view's name (its UTF-8 length as 4 big-endian bytes, then its UTF-8 bytes)
 *       followed by the exact body bytes. The same batch of the same view always gets the same id,
 *       across retries and restarts; different batches never share one.</li>
 *   <li><b>Signature</b> (when the policy has secrets): Standard Webhooks
 *       {@code webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">}, one
 *       {@code v1,…} per secret, space-separated; a {@code whsec_} prefix means the rest of the secret
 *       is base64 key bytes, otherwise the secret's UTF-8 bytes are the key. {@code webhook-timestamp}
 *       is the Unix time in seconds of each attempt, so every attempt is signed afresh.</li>
 *   <li><b>Outcome</b>: success is a 2xx (or exactly 200 under
 *       {@link PushPolicy.SuccessRule#EXACTLY_200}); redirects are never followed; every other
 *       answer, a timeout or a connection error is a failed {@link io.viewpush.push.Delivery} with a
 *       readable reason (never an exception, never a stack trace, never a secret or the URL's
 *       credentials or query). The answer's status decides; its body is read, up to
 *       {@link Builder#maxResponseBody(int)} bytes, only for the delivery's excerpt. For a view
 *       answered row by row ({@link PushPolicy.ResponseMode#ROWS}) a success's body is read whole
 *       (up to 16 MiB) and may name the rows accepted and rejected
 *       ({@link io.viewpush.push.Delivery#rowAnswers()}); a malformed one fails the batch.</li>
 *   <li><b>Timeouts</b>: a connect timeout and a response (socket inactivity) timeout from this
 *       builder, and one overall deadline per request, {@link PushPolicy#timeout()}, enforced by a
 *       timer that aborts the request: a receiver that trickles its answer cannot extend it. If the
 *       status arrived in time but its body did not, the status still decides.</li>
 *   <li><b>Retries</b> within one {@link #send}, per {@link PushPolicy#retry()}: on connection
 *       errors, timeouts, 5xx and 429, with exponential backoff and jitter; a {@code Retry-After}
 *       (seconds or HTTP-date) is waited for when it is no longer than
 *       {@link io.viewpush.push.RetrySettings#maxRetryAfter()}, and ends the retries when it is
 *       longer (the delivery carries it). Other 4xx, 3xx, TLS handshake errors and refused
 *       destinations are not retried. HttpClient's own retries and redirects are disabled.</li>
 *   <li><b>Egress</b>: only http and https; with {@link EgressPolicy#PUBLIC_ONLY} no connection is
 *       made to a private, loopback, link-local, unique-local, CGNAT or cloud-metadata address (see
 *       {@link EgressPolicy}). Off by default, because the standalone app's URLs come from the
 *       operator's own config; turn it on for URLs that arrive over an API.</li>
 * </ul>
 *
 * <p>One pooled HttpClient serves every push of a transport (connections are reused across
 * pushes); {@link #close()} releases it. Thread-safe: several views may push at once.
 *
 * <pre>{@code
 * try (HttpPushTransport transport = HttpPushTransport.builder().build()) {
 *     Delivery d = transport.send(view, rows);
 * }
 * }</pre>
 */
public interface HttpPushTransport extends PushTransport {
    /** Default {@link Builder#connectTimeout(Duration)}: 10 seconds to open a connection. */
    Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link Builder#responseTimeout(Duration)}: 30 seconds of silence from the receiver. */
    Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link Builder#maxResponseBody(int)}: 64 KiB of the receiver's answer are kept. */
    int DEFAULT_MAX_RESPONSE_BODY = 64 * 1024;
    /** Default {@link Builder#maxConnections(int)}: 20 pooled connections (in all, and per receiver). */
    int DEFAULT_MAX_CONNECTIONS = 20;
    /** The ViewPush version this transport names in its {@code User-Agent}. */
    String VERSION = Version.VIEWPUSH;
    /** Default {@link Builder#userAgent(String)}: {@code ViewPush/<version>}. */
    String DEFAULT_USER_AGENT = "ViewPush/" + VERSION;

    /** @return a builder with every option at its default */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Checks that the transport can use a push policy: an http(s) URL with a host, credentials in
     * the URL that can be sent, {@code whsec_} secrets that are valid base64. {@link #send} does the
     * same before it reads any row; call this to report a bad policy early (e.g. at startup).
     *
     * @param viewName the view the policy belongs to, named in the message
     * @throws InvalidPolicyException naming the view and the bad option (never the secret)
     */
    void check(String viewName, PushPolicy policy);

    /** @return the egress policy the transport enforces */
    EgressPolicy egressPolicy();

    /**
     * The resilience4j registry holding one {@link io.github.resilience4j.retry.Retry} per view
     * this transport has sent, named after the view. Subscribe to its events (a view's
     * {@code Retry} is added when the view is first sent, and replaced when it comes with other
     * retry settings) or bind its metrics (resilience4j-micrometer's {@code TaggedRetryMetrics}).
     *
     * @return the registry given to {@link Builder#retryRegistry(RetryRegistry)}, or the transport's own
     */
    RetryRegistry retryRegistry();

    /** Waits between two attempts; the default is {@link Thread#sleep(long)}. */
    @FunctionalInterface
    interface RetrySleeper {
        /**
         * Waits for {@code duration}.
         *
         * @throws InterruptedException when the thread is interrupted; the send then ends as a failure
         */
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Builds an {@link HttpPushTransport}; {@link #build()} names the first bad option. */
    final class Builder {
        Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        int maxResponseBody = DEFAULT_MAX_RESPONSE_BODY;
        int maxConnections = DEFAULT_MAX_CONNECTIONS;
        Path spoolDirectory;
        EgressPolicy egressPolicy = EgressPolicy.OPEN;
        Clock clock = Clock.systemUTC();
        RetrySleeper sleeper = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        String userAgent = DEFAULT_USER_AGENT;
        DnsResolver dnsResolver = SystemDefaultDnsResolver.INSTANCE;
        RetryRegistry retryRegistry;

        Builder() {
        }

        /** @param value how long opening a connection may take; default {@link #DEFAULT_CONNECT_TIMEOUT} */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        /**
         * @param value the longest silence while waiting for or reading the answer; default
         *              {@link #DEFAULT_RESPONSE_TIMEOUT}. The policy's {@link PushPolicy#timeout()}
         *              bounds the whole request in any case.
         */
        public Builder responseTimeout(Duration value) {
            this.responseTimeout = value;
            return this;
        }

        /**
         * @param bytes how much of the receiver's answer body is read and kept in
         *              {@link io.viewpush.push.Delivery#responseExcerpt()}; the rest is not read (the
         *              connection is closed instead). 0 keeps nothing. Default {@link #DEFAULT_MAX_RESPONSE_BODY}.
         */
        public Builder maxResponseBody(int bytes) {
            this.maxResponseBody = bytes;
            return this;
        }

        /** @param value pooled connections, in all and per receiver; default {@link #DEFAULT_MAX_CONNECTIONS} */
        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        /**
         * @param directory an existing, writable directory where each batch is spooled while it is
         *                  sent (files are private to the user, and deleted afterwards); default the
         *                  {@code java.io.tmpdir} system property at {@link #build()} time
         */
        public Builder spoolDirectory(Path directory) {
            this.spoolDirectory = directory;
            return this;
        }

        /**
         * @param value which destinations may be connected to; default {@link EgressPolicy#OPEN}
         *              (http/https anywhere). Use {@link EgressPolicy#PUBLIC_ONLY} for URLs that do
         *              not come from the operator's own configuration.
         */
        public Builder egressPolicy(EgressPolicy value) {
            this.egressPolicy = value;
            return this;
        }

        /**
         * Shortcut: {@code true} is {@link EgressPolicy#PUBLIC_ONLY}, {@code false} is
         * {@link EgressPolicy#OPEN} (the default).
         */
        public Builder blockPrivateAddresses(boolean block) {
            this.egressPolicy = block ? EgressPolicy.PUBLIC_ONLY : EgressPolicy.OPEN;
            return this;
        }

        /** @param value the time of {@code webhook-timestamp} and of {@code Retry-After} dates; default UTC system clock */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /**
         * @param value how the transport waits the time a view's resilience4j {@code Retry} asks for
         *              between attempts, on the sending thread; default {@link Thread#sleep(long)}
         *              (tests may record instead)
         */
        public Builder retrySleeper(RetrySleeper value) {
            this.sleeper = value;
            return this;
        }

        /**
         * @param value the {@code User-Agent} header; default {@link #DEFAULT_USER_AGENT}. A host
         *              may add its own product, e.g. {@code "ViewPush/1.0 shop/2.3"}.
         */
        public Builder userAgent(String value) {
            this.userAgent = value;
            return this;
        }

        /**
         * @param registry where the transport keeps one resilience4j {@code Retry} per view (named
         *                 after the view; a {@code Retry} of that name already there is replaced);
         *                 default a new registry of the transport's own. Pass the host's registry
         *                 to see every view's retries with its other ones.
         */
        public Builder retryRegistry(RetryRegistry registry) {
            this.retryRegistry = Objects.requireNonNull(registry, "retryRegistry");
            return this;
        }

        /** Test hook: the name resolver under the egress check (default: the system's). */
        Builder dnsResolver(DnsResolver value) {
            this.dnsResolver = value;
            return this;
        }

        /**
         * @return the transport, with its connection pool and deadline timer started
         * @throws IllegalArgumentException naming the first bad option
         */
        public HttpPushTransport build() {
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("responseTimeout", responseTimeout);
            if (maxResponseBody < 0) {
                throw new IllegalArgumentException("maxResponseBody must be 0 or more bytes, not " + maxResponseBody);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
            }
            Path spool = spoolDirectory != null ? spoolDirectory : Path.of(System.getProperty("java.io.tmpdir"));
            if (!Files.isDirectory(spool)) {
                throw new IllegalArgumentException("spoolDirectory " + spool + " is not an existing directory");
            }
            if (!Files.isWritable(spool)) {
                throw new IllegalArgumentException("spoolDirectory " + spool + " is not writable");
            }
            Objects.requireNonNull(egressPolicy, "egressPolicy");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(sleeper, "retrySleeper");
            Objects.requireNonNull(dnsResolver, "dnsResolver");
            Headers.requireValidValue("userAgent", userAgent);
            return new DefaultHttpPushTransport(this, spool);
        }

        private static void requirePositive(String option, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + " must be more than zero, not " + d);
            }
        }
    }
}
