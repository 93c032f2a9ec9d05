package io.viewpush.http.transport;

import io.viewpush.push.InvalidOptionException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The HTTP transport's configuration of one view: where its batches are POSTed and how (body
 * format, what counts as success, the deadline of a request, signing secrets, retries within a
 * push). What every transport shares (the stamped field, rows per batch, the minimum interval,
 * backoff after failed pushes) is the view's {@link io.viewpush.push.PushPolicy}. Immutable; build
 * with {@link #builder(URI)} and give it to {@link HttpPushTransport.Builder#target(String, HttpPushTarget)}.
 *
 * <p>{@link #toString()} never shows secrets, nor the URL's credentials, path or query.
 */
public final class HttpPushTarget {
    /** Default {@link #timeout()}: the overall deadline of one request, 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final URI url;
    private final BodyFormat format;
    private final SuccessRule success;
    private final Duration timeout;
    private final List<String> secrets;
    private final RetrySettings retry;

    private HttpPushTarget(Builder b) {
        this.url = b.url;
        this.format = b.format;
        this.success = b.success;
        this.timeout = b.timeout;
        this.secrets = List.copyOf(b.secrets);
        this.retry = b.retry;
    }

    /**
     * @param url where the rows are POSTed (http or https)
     * @return a builder with every other option at its default
     */
    public static Builder builder(URI url) {
        return new Builder(url);
    }

    /** @return a target at {@code url} with every other option at its default */
    public static HttpPushTarget of(URI url) {
        return builder(url).build();
    }

    /** @return a builder holding this target's options */
    public Builder toBuilder() {
        Builder b = new Builder(url);
        b.format = format;
        b.success = success;
        b.timeout = timeout;
        b.secrets = new ArrayList<>(secrets);
        b.retry = retry;
        return b;
    }

    /** @return where the rows are POSTed */
    public URI url() {
        return url;
    }

    /** @return the body format; default {@link BodyFormat#FORM} */
    public BodyFormat format() {
        return format;
    }

    /** @return which answers count as success; default {@link SuccessRule#ANY_2XX} */
    public SuccessRule success() {
        return success;
    }

    /** @return the overall deadline of one request; default {@link #DEFAULT_TIMEOUT} */
    public Duration timeout() {
        return timeout;
    }

    /**
     * @return the signing secrets, several during a rotation (one signature each); empty for
     *         unsigned requests (the default). A {@code whsec_} prefix means base64 key bytes.
     */
    public List<String> secrets() {
        return secrets;
    }

    /** @return how one request is retried within a push; default {@link RetrySettings#DEFAULT} */
    public RetrySettings retry() {
        return retry;
    }

    /**
     * @return what of the URL may be shown in logs and command output: scheme, host and port, and
     *         the path's shape only ({@code https://hooks.example/…}). Webhook URLs of chat services
     *         keep their credential in the path, others in user info or the query: none is shown.
     */
    public String redactedUrl() {
        return redact(url);
    }

    /** @return the shape of {@code u} as {@link #redactedUrl()} describes it */
    public static String redact(URI u) {
        StringBuilder sb = new StringBuilder();
        if (u.getScheme() != null) {
            sb.append(u.getScheme()).append("://");
        }
        if (u.getHost() != null) {
            sb.append(u.getHost());
        }
        if (u.getPort() >= 0) {
            sb.append(':').append(u.getPort());
        }
        String path = u.getRawPath();
        sb.append(path == null || path.isEmpty() || path.equals("/") ? "/" : "/\u2026");
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HttpPushTarget)) {
            return false;
        }
        HttpPushTarget t = (HttpPushTarget) o;
        return url.equals(t.url) && format == t.format && success == t.success && timeout.equals(t.timeout)
                && secrets.equals(t.secrets) && retry.equals(t.retry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, format, success, timeout, secrets, retry);
    }

    @Override
    public String toString() {
        return "HttpPushTarget[url=" + redactedUrl() + ", format=" + format + ", success=" + success
                + ", timeout=" + timeout + ", secrets=" + secrets.size() + ", retry=" + retry + "]";
    }

    /** Which answers of the receiver count as success. */
    public enum SuccessRule {
        /** Any 2xx status (the default). */
        ANY_2XX,
        /** Exactly 200. */
        EXACTLY_200;

        /** @return whether {@code status} is a success under this rule */
        public boolean isSuccess(int status) {
            return this == EXACTLY_200 ? status == 200 : status >= 200 && status < 300;
        }
    }

    /** The body of the push request. */
    public enum BodyFormat {
        /** {@code application/x-www-form-urlencoded}, one parameter {@code json} (the default). */
        FORM,
        /** {@code application/json}, the array as the body. */
        JSON;

        /** @return the config name: {@code form} or {@code json} */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Builds an {@link HttpPushTarget}; {@link #build()} names the first bad option. */
    public static final class Builder {
        private URI url;
        private BodyFormat format = BodyFormat.FORM;
        private SuccessRule success = SuccessRule.ANY_2XX;
        private Duration timeout = DEFAULT_TIMEOUT;
        private List<String> secrets = new ArrayList<>();
        private RetrySettings retry = RetrySettings.DEFAULT;

        private Builder(URI url) {
            this.url = url;
        }

        /** @param value where the rows are POSTed (http or https) */
        public Builder url(URI value) {
            this.url = value;
            return this;
        }

        /** @param value the body format; default {@link BodyFormat#FORM} */
        public Builder format(BodyFormat value) {
            this.format = value;
            return this;
        }

        /** @param value which answers count as success; default {@link SuccessRule#ANY_2XX} */
        public Builder success(SuccessRule value) {
            this.success = value;
            return this;
        }

        /** @param value overall deadline of one request; default {@link #DEFAULT_TIMEOUT} */
        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        /** @param value signing secrets (several during a rotation); default none */
        public Builder secrets(List<String> value) {
            this.secrets = new ArrayList<>(value);
            return this;
        }

        /** @param value one signing secret; replaces any others */
        public Builder secret(String value) {
            this.secrets = new ArrayList<>(List.of(value));
            return this;
        }

        /** @param value retries within one push; default {@link RetrySettings#DEFAULT} */
        public Builder retry(RetrySettings value) {
            this.retry = value;
            return this;
        }

        /**
         * @return the target
         * @throws InvalidOptionException naming the first bad option as data ({@code url},
         *                                {@code timeout}, {@code secrets}, …)
         */
        public HttpPushTarget build() {
            if (url == null) {
                throw new InvalidOptionException("url", "is required");
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new InvalidOptionException("url", "must be an http or https URL, not '" + redact(url) + "'");
            }
            if (url.getHost() == null || url.getHost().isEmpty()) {
                throw new InvalidOptionException("url", "has no host: '" + redact(url) + "'");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new InvalidOptionException("timeout", "must be more than zero, not " + timeout);
            }
            if (format == null) {
                throw new InvalidOptionException("format", "is required");
            }
            if (success == null) {
                throw new InvalidOptionException("success", "is required");
            }
            if (retry == null) {
                throw new InvalidOptionException("retry", "is required");
            }
            for (int i = 0; i < secrets.size(); i++) {
                String s = secrets.get(i);
                if (s == null || s.isEmpty()) {
                    throw new InvalidOptionException("secrets", "#" + (i + 1) + " is empty");
                }
                if (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
                    throw new InvalidOptionException("secrets", "#" + (i + 1) + " contains a line break");
                }
            }
            return new HttpPushTarget(this);
        }
    }
}
