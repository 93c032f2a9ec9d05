package io.viewpush.http.transport;

import io.github.resilience4j.retry.RetryRegistry;
import io.viewpush.PushException;
import io.viewpush.http.transport.AttemptResult.Answered;
import io.viewpush.http.transport.AttemptResult.Interrupted;
import io.viewpush.http.transport.AttemptResult.NoAnswer;
import io.viewpush.push.Delivery;
import io.viewpush.push.PushPolicy;
import io.viewpush.http.transport.HttpPushTarget.BodyFormat;
import io.viewpush.json.RowJsonWriter;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.FileEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/** The {@link HttpPushTransport}: see its Javadoc for the behaviour. */
final class DefaultHttpPushTransport implements HttpPushTransport {
    private static final Logger log = LoggerFactory.getLogger(HttpPushTransport.class);
    private static final ContentType FORM = ContentType.create("application/x-www-form-urlencoded", StandardCharsets.UTF_8);
    private static final ContentType JSON = ContentType.create("application/json");

    /** Made on the first send ({@link #client()}): a push with nothing to send never needs it. */
    private CloseableHttpClient client;
    private final int maxConnections;
    private final String userAgent;
    private final ScheduledThreadPoolExecutor timer;
    private final DnsResolver resolver;
    private final EgressPolicy egress;
    private final Clock clock;
    private final ViewRetries retries;
    private final Path spoolDirectory;
    private final int maxResponseBody;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final RowJsonWriter json = RowJsonWriter.create();
    private final Map<String, HttpPushTarget> targets;
    private final AtomicBoolean closed = new AtomicBoolean();

    DefaultHttpPushTransport(HttpPushTransport.Builder b, Path spoolDirectory) {
        this.egress = b.egressPolicy;
        this.clock = b.clock;
        this.retries = new ViewRetries(b.retryRegistry != null ? b.retryRegistry : RetryRegistry.ofDefaults(), b.sleeper);
        this.spoolDirectory = spoolDirectory;
        this.maxResponseBody = b.maxResponseBody;
        this.connectTimeout = b.connectTimeout;
        this.responseTimeout = b.responseTimeout;
        this.targets = Map.copyOf(b.targets);
        this.resolver = new GuardedDnsResolver(b.dnsResolver, b.egressPolicy);
        this.maxConnections = b.maxConnections;
        this.userAgent = b.userAgent;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("viewpush-http-deadline");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * The HTTP client, made on first use: building it (its connection manager sets up the JDK's TLS
     * context and HttpClient 5's classes) was the largest single cost of a short command's start-up
     * (docs/BENCHMARKS.md, session 6), and a push with nothing to send, {@code check} and a one-shot
     * command that sends nothing never need it.
     *
     * @throws IllegalStateException once the transport is closed (no client is made after that)
     */
    private synchronized CloseableHttpClient client() {
        if (closed.get()) {
            throw new IllegalStateException("the HTTP push transport is closed");
        }
        if (client == null) {
            client = newClient();
        }
        return client;
    }

    /** @return whether the HTTP client has been made (by a send) */
    synchronized boolean clientMade() {
        return client != null;
    }

    private CloseableHttpClient newClient() {
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(Timeout.of(responseTimeout)).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(responseTimeout))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .setExpectContinueEnabled(false)
                        .setResponseTimeout(Timeout.of(responseTimeout))
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .setUserAgent(userAgent)
                .build();
    }

    @Override
    public EgressPolicy egressPolicy() {
        return egress;
    }

    @Override
    public RetryRegistry retryRegistry() {
        return retries.registry();
    }

    @Override
    public void check(String viewName, HttpPushTarget target) {
        target(viewName, target);
    }

    @Override
    public void check(View view) {
        check(view.name(), targetOf(view));
    }

    @Override
    public Optional<HttpPushTarget> target(String viewName) {
        return Optional.ofNullable(targets.get(viewName));
    }

    private HttpPushTarget targetOf(View view) {
        HttpPushTarget t = targets.get(view.name());
        if (t == null) {
            throw new InvalidPolicyException("view '" + view.name() + "' has no HTTP target (URL) in this transport,"
                    + " so it cannot be pushed; give one with HttpPushTransport.builder().target(\"" + view.name()
                    + "\", …)");
        }
        return t;
    }

    @Override
    public Delivery send(View view, Iterator<Row> rows) {
        Objects.requireNonNull(view, "view");
        return send(view, targetOf(view), rows);
    }

    @Override
    public Delivery send(View view, HttpPushTarget policy, Iterator<Row> rows) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(policy, "target");
        Objects.requireNonNull(rows, "rows");
        if (closed.get()) {
            throw new PushException("the HTTP push transport is closed; view '" + view.name() + "' was not sent");
        }
        Target target = target(view.name(), policy);
        // answered row by row: the batch's keys, by their text in the row JSON, to read the answer by
        RowAnswerReader.SentKeys sent = view.push().map(PushPolicy::response).orElse(PushPolicy.ResponseMode.STATUS)
                == PushPolicy.ResponseMode.ROWS
                ? new RowAnswerReader.SentKeys(rows) : null;
        try (Spool spool = Spool.write(spoolDirectory, view, policy.format(), sent != null ? sent : rows, json)) {
            return deliver(view, policy, target, spool, sent);
        }
    }

    /** The most bytes of an answer row by row that are read ({@code response: rows}); a longer one is malformed. */
    static final int MAX_ROW_ANSWER_BODY = 16 * 1024 * 1024;

    /** A delivered batch of a view answered row by row: which rows the answer accepted, or why it is malformed. */
    private static Delivery byRow(Delivery d, byte[] body, RowAnswerReader.SentKeys sent) {
        try {
            if (body == null) {
                throw new RowAnswerReader.MalformedAnswer("the answer is longer than " + (MAX_ROW_ANSWER_BODY / 1024 / 1024)
                        + " MiB, or could not be read whole");
            }
            return RowAnswerReader.read(body, sent.keys()).map(d::withRowAnswers).orElse(d);
        } catch (RowAnswerReader.MalformedAnswer e) {
            return Delivery.failed(d.status(), d.reason() + ", but its answer row by row is malformed: " + e.getMessage(),
                    d.rows(), d.bytes(), d.webhookId(), d.attempts(), Optional.empty(), d.responseExcerpt());
        }
    }

    /** Where and how to send, derived from the policy and checked once per send. */
    private record Target(URI uri, String host, Optional<String> authorization, Optional<Signer> signer,
                          ContentType contentType, String safeUrl) {
    }

    private Target target(String viewName, HttpPushTarget policy) {
        URI url = policy.url();
        try {
            egress.checkScheme(url);
        } catch (EgressDeniedException e) {
            throw new InvalidPolicyException("view '" + viewName + "': push.url: " + e.getMessage());
        }
        Optional<String> authorization = Optional.empty();
        if (url.getRawUserInfo() != null) {
            String userInfo;
            try {
                userInfo = URLDecoder.decode(url.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InvalidPolicyException("view '" + viewName + "': push.url has credentials that are not"
                        + " properly percent-encoded");
            }
            if (userInfo.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new InvalidPolicyException("view '" + viewName + "': push.url has credentials with a control character");
            }
            authorization = Optional.of("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        StringBuilder u = new StringBuilder(url.getScheme().toLowerCase(Locale.ROOT)).append("://").append(url.getHost());
        if (url.getPort() >= 0) {
            u.append(':').append(url.getPort());
        }
        String path = url.getRawPath();
        u.append(path == null || path.isEmpty() ? "/" : path);
        if (url.getRawQuery() != null) {
            u.append('?').append(url.getRawQuery());
        }
        URI uri;
        try {
            uri = new URI(u.toString());
        } catch (URISyntaxException e) {
            throw new InvalidPolicyException("view '" + viewName + "': push.url cannot be used: " + HttpPushTarget.redact(url));
        }
        Optional<Signer> signer = Signer.of(viewName, policy.secrets());
        ContentType type = policy.format() == BodyFormat.JSON ? JSON : FORM;
        return new Target(uri, url.getHost(), authorization, signer, type, HttpPushTarget.redact(url));
    }

    /** Per-send state shared by the attempts. */
    private static final class State {
        int attempts;
        /** The view is answered row by row: a success's body is read whole. */
        boolean byRow;
    }

    private Delivery deliver(View view, HttpPushTarget policy, Target target, Spool spool,
                             RowAnswerReader.SentKeys sent) {
        State state = new State();
        state.byRow = sent != null;
        AttemptResult last = retries.send(view.name(), policy.retry(), () -> attempt(view, policy, target, spool, state),
                r -> r instanceof Answered && policy.success().isSuccess(((Answered) r).status()), target.safeUrl());
        Delivery delivery = toDelivery(last, state.attempts, policy, spool);
        if (sent != null && delivery.delivered()) {
            delivery = byRow(delivery, ((Answered) last).body(), sent);
        }
        if (delivery.delivered()) {
            log.debug("view '{}': delivered {} rows ({} bytes, {}) to {} in {} attempt(s): {}", view.name(),
                    spool.rows(), spool.bytes(), spool.webhookId(), target.safeUrl(), state.attempts, delivery.reason());
        } else {
            log.debug("view '{}': push of {} rows ({}) to {} failed: {}", view.name(), spool.rows(),
                    spool.webhookId(), target.safeUrl(), delivery.reason());
        }
        return delivery;
    }

    /** HTTP 410 Gone: the endpoint is gone for good ({@link Delivery#gone()}); the engine pauses the view. */
    static final int GONE = 410;

    private AttemptResult attempt(View view, HttpPushTarget policy, Target target, Spool spool, State state) {
        state.attempts++;
        AttemptResult result = request(policy, target, spool, state.byRow);
        log.debug("view '{}': attempt {} of {} to {} ({}): {}", view.name(), state.attempts,
                policy.retry().maxAttempts(), target.safeUrl(), spool.webhookId(), describe(result));
        return result;
    }

    private AttemptResult request(HttpPushTarget policy, Target target, Spool spool, boolean byRow) {
        if (closed.get()) {
            return new NoAnswer("the transport was closed before the request", false);
        }
        if (egress.blocksPrivateAddresses()) {
            try {
                resolver.resolve(target.host());
            } catch (GuardedDnsResolver.Refused e) {
                return new NoAnswer(e.getMessage(), false);
            } catch (UnknownHostException e) {
                return new NoAnswer("cannot resolve host " + target.host(), true);
            }
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpPost post = new HttpPost(target.uri());
        post.setEntity(spool.entity(target.contentType()));
        post.setHeader(Headers.WEBHOOK_ID, spool.webhookId());
        post.setHeader(Headers.WEBHOOK_TIMESTAMP, Long.toString(timestamp));
        if (target.signer().isPresent()) {
            try {
                String signature;
                try (InputStream body = spool.open()) {
                    signature = target.signer().get().sign(spool.webhookId(), timestamp, body);
                }
                post.setHeader(Headers.WEBHOOK_SIGNATURE, signature);
            } catch (IOException e) {
                throw new PushException("cannot read the spooled body (" + spool.where() + ") to sign it: " + e.getMessage(), e);
            }
        }
        target.authorization().ifPresent(a -> post.setHeader("Authorization", a));

        AtomicBoolean expired = new AtomicBoolean();
        Duration timeout = policy.timeout();
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            expired.set(true);
            post.cancel();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            ClassicHttpResponse response;
            try {
                response = client().executeOpen(null, post, HttpClientContext.create());
            } catch (IOException e) {
                return classify(e, expired.get(), target, timeout);
            } catch (IllegalStateException e) {
                if (closed.get()) {
                    return new NoAnswer("the transport was closed during the request", false);
                }
                throw e;
            }
            try {
                return answered(response, post, target, policy, byRow);
            } finally {
                try {
                    response.close();
                } catch (IOException e) {
                    log.debug("closing the response from {} failed: {}", target.safeUrl(), e.toString());
                }
            }
        } finally {
            deadline.cancel(false);
        }
    }

    private Answered answered(ClassicHttpResponse response, HttpPost post, Target target, HttpPushTarget policy,
                             boolean byRow) {
        int status = response.getCode();
        String phrase = response.getReasonPhrase();
        if (phrase == null || phrase.isBlank()) {
            phrase = EnglishReasonPhraseCatalog.INSTANCE.getReason(status, Locale.ENGLISH);
        }
        String statusText = status + (phrase == null ? "" : " " + printable(phrase, 100));
        if (byRow && policy.success().isSuccess(status)) {
            byte[] body = readWhole(response.getEntity(), post);
            String excerpt = body == null ? "" : new String(body, 0, Math.min(body.length, maxResponseBody), StandardCharsets.UTF_8);
            return new Answered(status, statusText, excerpt, Optional.empty(), Optional.empty(), body);
        }
        String excerpt = readExcerpt(response.getEntity(), post);
        Optional<Duration> retryAfter = Optional.empty();
        Header ra = response.getFirstHeader("Retry-After");
        if (ra != null) {
            retryAfter = RetryAfter.parse(ra.getValue(), clock.instant());
        }
        Optional<String> redirectHost = Optional.empty();
        if (status >= 300 && status < 400) {
            Header location = response.getFirstHeader("Location");
            if (location != null) {
                try {
                    String host = target.uri().resolve(location.getValue().trim()).getHost();
                    redirectHost = Optional.ofNullable(host).map(h -> printable(h, 200));
                } catch (IllegalArgumentException e) {
                    redirectHost = Optional.of("an unreadable location");
                }
            }
        }
        return new Answered(status, statusText, excerpt, retryAfter, redirectHost);
    }

    /**
     * Reads a success answered row by row whole, up to {@link #MAX_ROW_ANSWER_BODY} bytes.
     *
     * @return the body, or null when it was longer or could not be read (the request is then cancelled)
     */
    private static byte[] readWhole(HttpEntity entity, HttpPost post) {
        if (entity == null) {
            return new byte[0];
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream(8192);
        boolean complete = false;
        try {
            InputStream in = entity.getContent();
            if (in == null) {
                return new byte[0];
            }
            byte[] buffer = new byte[8192];
            int room = MAX_ROW_ANSWER_BODY;
            while (room >= 0) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    complete = true;
                    break;
                }
                kept.write(buffer, 0, n);
                room -= n;
            }
        } catch (IOException e) {
            return null;
        } finally {
            if (!complete) {
                post.cancel();
            }
        }
        return complete ? kept.toByteArray() : null;
    }

    /**
     * Reads up to {@code maxResponseBody} bytes. When there is more, or reading fails (the deadline
     * may abort it), the request is cancelled so that closing the response does not read the rest.
     */
    private String readExcerpt(HttpEntity entity, HttpPost post) {
        if (entity == null) {
            return "";
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream(Math.min(maxResponseBody, 8192));
        boolean complete = false;
        try {
            InputStream in = entity.getContent();
            if (in == null) {
                return "";
            }
            byte[] buffer = new byte[8192];
            int room = maxResponseBody;
            while (room > 0) {
                int n = in.read(buffer, 0, Math.min(buffer.length, room));
                if (n < 0) {
                    complete = true;
                    break;
                }
                kept.write(buffer, 0, n);
                room -= n;
            }
            if (!complete) {
                complete = in.read() < 0;
            }
        } catch (IOException e) {
            log.debug("reading the answer's body stopped: {}", e.toString());
        } finally {
            if (!complete) {
                post.cancel();
            }
        }
        Charset charset = StandardCharsets.UTF_8;
        try {
            ContentType type = ContentType.parse(entity.getContentType());
            if (type != null && type.getCharset() != null) {
                charset = type.getCharset();
            }
        } catch (RuntimeException e) {
            // an unknown or malformed charset: keep UTF-8
        }
        return new String(kept.toByteArray(), charset);
    }

    private NoAnswer classify(IOException e, boolean expired, Target target, Duration timeout) {
        String where = target.host() + (target.uri().getPort() >= 0 ? ":" + target.uri().getPort() : "");
        if (expired) {
            return new NoAnswer("no answer from " + where + " within " + human(timeout) + " (the push timeout)", true);
        }
        GuardedDnsResolver.Refused refused = find(e, GuardedDnsResolver.Refused.class);
        if (refused != null) {
            return new NoAnswer(refused.getMessage(), false);
        }
        if (closed.get()) {
            return new NoAnswer("the transport was closed during the request", false);
        }
        if (find(e, UnknownHostException.class) != null) {
            return new NoAnswer("cannot resolve host " + target.host(), true);
        }
        if (find(e, ConnectTimeoutException.class) != null) {
            return new NoAnswer("cannot connect to " + where + " within " + human(connectTimeout) + " (connect timeout)", true);
        }
        if (find(e, NoRouteToHostException.class) != null) {
            return new NoAnswer("cannot connect to " + where + ": no route to host", true);
        }
        ConnectException connect = find(e, ConnectException.class);
        if (connect != null) {
            String m = String.valueOf(connect.getMessage()).toLowerCase(Locale.ROOT);
            return new NoAnswer("cannot connect to " + where + ": "
                    + (m.contains("refused") ? "connection refused" : printable(sanitize(connect.getMessage(), target), 200)), true);
        }
        if (find(e, SSLHandshakeException.class) != null || find(e, SSLPeerUnverifiedException.class) != null) {
            SSLException ssl = find(e, SSLException.class);
            return new NoAnswer("TLS handshake with " + where + " failed: " + printable(sanitize(ssl.getMessage(), target), 300), false);
        }
        SSLException ssl = find(e, SSLException.class);
        if (ssl != null) {
            return new NoAnswer("TLS error with " + where + ": " + printable(sanitize(ssl.getMessage(), target), 300), true);
        }
        if (find(e, SocketTimeoutException.class) != null) {
            return new NoAnswer("no data from " + where + " for " + human(responseTimeout) + " (response timeout)", true);
        }
        if (find(e, NoHttpResponseException.class) != null) {
            return new NoAnswer(where + " closed the connection without answering", true);
        }
        if (find(e, ConnectionClosedException.class) != null) {
            return new NoAnswer("the connection to " + where + " closed before the answer was complete", true);
        }
        SocketException socket = find(e, SocketException.class);
        if (socket != null) {
            return new NoAnswer("the connection to " + where + " broke: " + printable(sanitize(socket.getMessage(), target), 200), true);
        }
        if (e instanceof org.apache.hc.client5.http.ClientProtocolException) {
            return new NoAnswer("HTTP protocol error with " + where + ": "
                    + printable(sanitize(String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), target), 300), false);
        }
        return new NoAnswer("I/O error with " + where + ": " + e.getClass().getSimpleName() + ": "
                + printable(sanitize(e.getMessage(), target), 300), true);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Removes the URL's path and query and any credentials from a library message. */
    private static String sanitize(String message, Target target) {
        if (message == null) {
            return "";
        }
        String m = message;
        URI uri = target.uri();
        if (uri.getRawQuery() != null) {
            m = m.replace(uri.getRawQuery(), "…");
        }
        if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
            m = m.replace(uri.getRawPath(), "/…");
        }
        return m;
    }

    private static String printable(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (s.length() > max) {
            sb.append('…');
        }
        return sb.toString().trim();
    }

    private Delivery toDelivery(AttemptResult last, int attempts, HttpPushTarget policy, Spool spool) {
        String interrupted = "";
        if (last instanceof Interrupted) {
            interrupted = "; not retried: interrupted while waiting to retry";
            last = ((Interrupted) last).previous();
        }
        String after = attempts > 1 ? " (after " + attempts + " attempts)" : "";
        if (last instanceof Answered) {
            Answered a = (Answered) last;
            if (policy.success().isSuccess(a.status())) {
                return Delivery.delivered(a.status(), a.statusText(), spool.rows(), spool.bytes(), spool.webhookId(),
                        attempts, a.excerpt());
            }
            if (a.status() == GONE) {
                // the receiver says this endpoint is gone for good: no retry will change that
                return Delivery.gone(OptionalInt.of(a.status()), a.statusText() + after + interrupted, spool.rows(),
                        spool.bytes(), spool.webhookId(), attempts, a.excerpt());
            }
            return Delivery.failed(OptionalInt.of(a.status()), failureReason(a, policy) + after + interrupted,
                    spool.rows(), spool.bytes(), spool.webhookId(), attempts, a.retryAfter(), a.excerpt());
        }
        NoAnswer n = (NoAnswer) last;
        return Delivery.failed(OptionalInt.empty(), n.reason() + after + interrupted, spool.rows(), spool.bytes(),
                spool.webhookId(), Math.max(1, attempts), Optional.empty(), "");
    }

    private static String failureReason(Answered a, HttpPushTarget policy) {
        int s = a.status();
        if (s >= 300 && s < 400) {
            return a.redirectHost().map(h -> "redirect to " + h + " not followed (" + a.statusText() + ")")
                    .orElse("redirect without a location not followed (" + a.statusText() + ")");
        }
        if (s >= 200 && s < 300) {
            return a.statusText() + " is not a success: this view accepts only 200";
        }
        if (ViewRetries.isRetryableStatus(s) && a.retryAfter().isPresent()
                && a.retryAfter().get().compareTo(policy.retry().maxRetryAfter()) > 0) {
            return a.statusText() + "; the receiver asked to retry after " + human(a.retryAfter().get())
                    + ", longer than the " + human(policy.retry().maxRetryAfter()) + " waited for, so not retried";
        }
        return a.statusText();
    }

    private static String describe(AttemptResult r) {
        return FailedAttemptException.describe(r);
    }

    static String human(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (this) {
                if (client != null) {
                    client.close(CloseMode.GRACEFUL);
                }
            }
            timer.shutdownNow();
        }
    }

    /**
     * The spool file as the request's body, copied to the connection 64 KiB at a time (the
     * entity's own copy reads and writes 4 KiB at a time: 70,000 reads for a 287 MB body).
     */
    static final class SpoolEntity extends FileEntity {
        static final int COPY_BUFFER = 64 * 1024;

        SpoolEntity(java.io.File file, org.apache.hc.core5.http.ContentType type) {
            super(file, type);
        }

        @Override
        public void writeTo(java.io.OutputStream out) throws IOException {
            java.util.Objects.requireNonNull(out, "out");
            try (java.io.InputStream in = getContent()) {
                byte[] buffer = new byte[COPY_BUFFER];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    out.write(buffer, 0, n);
                }
            }
        }
    }
}
