package io.viewpush.push;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * When and how a view is pushed: where to, which field records the push, how often at most, what
 * counts as success, and how to retry. Immutable; build with {@link #builder(URI, String)}; change
 * with the {@code with…} copies.
 *
 * <p>{@link #toString()} never shows secrets or the credentials of the URL.
 */
public final class PushPolicy {
    /** Default {@link #minInterval()}: one minute between two push starts of a view. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(1);
    /** Default {@link #timeout()}: the overall deadline of one request, 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link #maxRows()}: 0, the whole view in one request. */
    public static final int DEFAULT_MAX_ROWS = 0;
    /** Default {@link #backoffInitial()}: the extra wait after the first failed push, 10 seconds. */
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(10);
    /** Default {@link #backoffMax()}: the longest wait after repeated failed pushes, 15 minutes. */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMinutes(15);

    private final URI url;
    private final String stampField;
    private final Optional<String> modifiedField;
    private final Duration minInterval;
    private final SuccessRule success;
    private final Duration timeout;
    private final BodyFormat format;
    private final int maxRows;
    private final List<String> secrets;
    private final RetrySettings retry;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Optional<Duration> pauseAfter;
    private final ResponseMode response;

    private PushPolicy(Builder b) {
        this.url = b.url;
        this.stampField = b.stampField;
        this.modifiedField = Optional.ofNullable(b.modifiedField);
        this.minInterval = b.minInterval;
        this.success = b.success;
        this.timeout = b.timeout;
        this.format = b.format;
        this.maxRows = b.maxRows;
        this.secrets = List.copyOf(b.secrets);
        this.retry = b.retry;
        this.backoffInitial = b.backoffInitial;
        this.backoffMax = b.backoffMax;
        this.pauseAfter = Optional.ofNullable(b.pauseAfter);
        this.response = b.response;
    }

    /**
     * @param url        where the rows are POSTed (http or https)
     * @param stampField the date/time field set on the rows a receiver accepted
     * @return a builder with every other option at its default
     */
    public static Builder builder(URI url, String stampField) {
        return new Builder(url, stampField);
    }

    /** @return a builder holding this policy's options */
    public Builder toBuilder() {
        Builder b = new Builder(url, stampField);
        b.modifiedField = modifiedField.orElse(null);
        b.minInterval = minInterval;
        b.success = success;
        b.timeout = timeout;
        b.format = format;
        b.maxRows = maxRows;
        b.secrets = new ArrayList<>(secrets);
        b.retry = retry;
        b.backoffInitial = backoffInitial;
        b.backoffMax = backoffMax;
        b.pauseAfter = pauseAfter.orElse(null);
        b.response = response;
        return b;
    }

    /** @return where the rows are POSTed */
    public URI url() {
        return url;
    }

    /** @return the date/time field set on the rows a receiver accepted */
    public String stampField() {
        return stampField;
    }

    /**
     * @return a field that changes whenever the row does; when present a row is stamped only if it
     *         still has the value that was sent. Default: none.
     */
    public Optional<String> modifiedField() {
        return modifiedField;
    }

    /**
     * @return the least time between the first requests of two pushes of the view as the receiver
     *         sees them: the next push starts no sooner than this after the last push's first
     *         request was answered ({@link PushHistory#lastStart()}); default {@link #DEFAULT_MIN_INTERVAL}
     */
    public Duration minInterval() {
        return minInterval;
    }

    /** @return which answers count as success; default {@link SuccessRule#ANY_2XX} */
    public SuccessRule success() {
        return success;
    }

    /** @return the overall deadline of one request; default {@link #DEFAULT_TIMEOUT} */
    public Duration timeout() {
        return timeout;
    }

    /** @return the body format; default {@link BodyFormat#FORM} */
    public BodyFormat format() {
        return format;
    }

    /** @return rows per request, 0 for the whole view in one request; default 0 */
    public int maxRows() {
        return maxRows;
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

    /** @return the extra wait after the first failed push; default {@link #DEFAULT_BACKOFF_INITIAL} */
    public Duration backoffInitial() {
        return backoffInitial;
    }

    /** @return the longest wait after consecutive failed pushes; default {@link #DEFAULT_BACKOFF_MAX} */
    public Duration backoffMax() {
        return backoffMax;
    }

    /**
     * @return how long a view's pushes may all fail before the engine pauses the view (its receiver
     *         answered nothing but failures that long: the first failure since the last success is
     *         {@link PushHistory#failingSince()}); empty (the default) never pauses for failures
     */
    public Optional<Duration> pauseAfter() {
        return pauseAfter;
    }

    /** @return a copy with another minimum interval */
    public PushPolicy withMinInterval(Duration value) {
        return toBuilder().minInterval(value).build();
    }

    /** @return a copy with another URL */
    public PushPolicy withUrl(URI value) {
        return toBuilder().url(value).build();
    }

    /** @return a copy with another maxRows */
    public PushPolicy withMaxRows(int value) {
        return toBuilder().maxRows(value).build();
    }

    /**
     * Decides whether the view may push now. The minimum interval is measured between push starts;
     * after {@code n} consecutive failures the wait is at least
     * {@code min(backoffInitial * 2^(n-1), backoffMax)}; a success resets it.
     *
     * @param history what happened to the view so far
     * @param now     the current time
     * @return push now, or wait until a time, with the reason
     */
    public PushDecision decide(PushHistory history, Instant now) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(now, "now");
        if (history.lastStart().isEmpty()) {
            return new PushDecision.PushNow("the view has not been pushed yet");
        }
        Instant lastStart = history.lastStart().get();
        Duration wait = minInterval;
        String because = "the minimum interval of " + minInterval + " since the last push's first request at " + lastStart;
        int failures = history.consecutiveFailures();
        if (failures > 0) {
            Duration backoff = backoffAfter(failures);
            if (backoff.compareTo(wait) > 0) {
                wait = backoff;
                because = "backing off " + backoff + " after " + failures + " consecutive failed push"
                        + (failures == 1 ? "" : "es") + " (last start " + lastStart + ")";
            }
        }
        Instant due = lastStart.plus(wait);
        if (!now.isBefore(due)) {
            return new PushDecision.PushNow(failures > 0 ? "the backoff after failures has passed" : "the minimum interval has passed");
        }
        return new PushDecision.WaitUntil(due, because);
    }

    /** @return the backoff after {@code failures} consecutive failures (0 for none) */
    public Duration backoffAfter(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        Duration d = backoffInitial;
        for (int i = 1; i < failures; i++) {
            d = d.multipliedBy(2);
            if (d.compareTo(backoffMax) >= 0) {
                return backoffMax;
            }
        }
        return d.compareTo(backoffMax) > 0 ? backoffMax : d;
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
        if (!(o instanceof PushPolicy)) {
            return false;
        }
        PushPolicy p = (PushPolicy) o;
        return maxRows == p.maxRows && url.equals(p.url) && stampField.equals(p.stampField)
                && modifiedField.equals(p.modifiedField) && minInterval.equals(p.minInterval)
                && success == p.success && timeout.equals(p.timeout) && format == p.format
                && secrets.equals(p.secrets) && retry.equals(p.retry)
                && backoffInitial.equals(p.backoffInitial) && backoffMax.equals(p.backoffMax)
                && pauseAfter.equals(p.pauseAfter) && response == p.response;
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, stampField, modifiedField, minInterval, success, timeout, format, maxRows,
                secrets, retry, backoffInitial, backoffMax, pauseAfter, response);
    }

    @Override
    public String toString() {
        return "PushPolicy[url=" + redactedUrl() + ", stamp=" + stampField + ", modified=" + modifiedField.orElse("-")
                + ", minInterval=" + minInterval + ", success=" + success + ", timeout=" + timeout
                + ", format=" + format + ", maxRows=" + maxRows + ", secrets=" + secrets.size()
                + ", retry=" + retry + ", backoff=" + backoffInitial + ".." + backoffMax
                + pauseAfter.map(d -> ", pauseAfter=" + d).orElse("") + ", response=" + response + "]";
    }

    /**
     * @return whether the receiver's 2xx answers for the whole batch ({@link ResponseMode#STATUS}, the
     *         default) or may list the rows it accepted and rejected ({@link ResponseMode#ROWS})
     */
    public ResponseMode response() {
        return response;
    }

    /** How a receiver's success answer is read. */
    public enum ResponseMode {
        /** A success status accepts the whole batch (the default). */
        STATUS,
        /**
         * A success status whose JSON body is {@code {"accepted": [keys], "rejected": [{"key": k,
         * "reason": "..."}]}} accepts only the rows listed as accepted; the others are not stamped. A
         * success without such a body accepts the whole batch; a malformed one fails it. The batch's
         * rows wait in memory for the answer, so {@link #maxRows()} must be 1 to
         * {@link #MAX_ROWS_ANSWERED_BY_ROW}.
         */
        ROWS;

        /** @return the config name: {@code status} or {@code rows} */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The most rows in a batch of a view answered row by row ({@link ResponseMode#ROWS}): they wait in memory. */
    public static final int MAX_ROWS_ANSWERED_BY_ROW = 100_000;

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

    /** Builds a {@link PushPolicy}; {@link #build()} names the first bad option. */
    public static final class Builder {
        private URI url;
        private String stampField;
        private String modifiedField;
        private Duration minInterval = DEFAULT_MIN_INTERVAL;
        private SuccessRule success = SuccessRule.ANY_2XX;
        private Duration timeout = DEFAULT_TIMEOUT;
        private BodyFormat format = BodyFormat.FORM;
        private int maxRows = DEFAULT_MAX_ROWS;
        private List<String> secrets = new ArrayList<>();
        private RetrySettings retry = RetrySettings.DEFAULT;
        private Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private Duration pauseAfter;
        private ResponseMode response = ResponseMode.STATUS;

        private Builder(URI url, String stampField) {
            this.url = url;
            this.stampField = stampField;
        }

        /** @param value how a success answer is read; default {@link ResponseMode#STATUS} */
        public Builder response(ResponseMode value) {
            this.response = value;
            return this;
        }

        /** @param value where the rows are POSTed (http or https) */
        public Builder url(URI value) {
            this.url = value;
            return this;
        }

        /** @param value the date/time field set on accepted rows */
        public Builder stampField(String value) {
            this.stampField = value;
            return this;
        }

        /** @param value a field that changes whenever the row does, or null for none (default) */
        public Builder modifiedField(String value) {
            this.modifiedField = value;
            return this;
        }

        /** @param value least time between push starts; default {@link #DEFAULT_MIN_INTERVAL} */
        public Builder minInterval(Duration value) {
            this.minInterval = value;
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

        /** @param value the body format; default {@link BodyFormat#FORM} */
        public Builder format(BodyFormat value) {
            this.format = value;
            return this;
        }

        /** @param value rows per request, 0 for all in one; default 0 */
        public Builder maxRows(int value) {
            this.maxRows = value;
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

        /** @param value wait after the first failed push; default {@link #DEFAULT_BACKOFF_INITIAL} */
        public Builder backoffInitial(Duration value) {
            this.backoffInitial = value;
            return this;
        }

        /** @param value longest wait after failed pushes; default {@link #DEFAULT_BACKOFF_MAX} */
        public Builder backoffMax(Duration value) {
            this.backoffMax = value;
            return this;
        }

        /**
         * @param value pause the view once its pushes have all failed this long ({@link PushPolicy#pauseAfter()});
         *              null (the default) never pauses for failures
         */
        public Builder pauseAfter(Duration value) {
            this.pauseAfter = value;
            return this;
        }

        /**
         * @return the policy
         * @throws InvalidOptionException naming the first bad option as data
         */
        public PushPolicy build() {
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
            if (stampField == null || stampField.isBlank()) {
                throw new InvalidOptionException("stampField", "is required: the date/time field set on pushed rows");
            }
            if (modifiedField != null && modifiedField.isBlank()) {
                throw new InvalidOptionException("modifiedField", "must name a field, or be left out");
            }
            requireNonNegative("minInterval", minInterval);
            requirePositive("timeout", timeout);
            requirePositive("backoffInitial", backoffInitial);
            requirePositive("backoffMax", backoffMax);
            if (backoffMax.compareTo(backoffInitial) < 0) {
                throw new InvalidOptionException("backoffMax", "(" + backoffMax + ") must not be less than backoffInitial (" + backoffInitial + ")");
            }
            if (pauseAfter != null) {
                requirePositive("pauseAfter", pauseAfter);
            }
            Objects.requireNonNull(success, "push.success");
            Objects.requireNonNull(format, "push.format");
            Objects.requireNonNull(retry, "push.retry");
            if (maxRows < 0) {
                throw new InvalidOptionException("maxRows", "must be 0 (all rows in one request) or more, not " + maxRows);
            }
            Objects.requireNonNull(response, "push.response");
            if (response == ResponseMode.ROWS && (maxRows < 1 || maxRows > MAX_ROWS_ANSWERED_BY_ROW)) {
                throw new InvalidOptionException("maxRows", "must be 1 to " + MAX_ROWS_ANSWERED_BY_ROW
                        + " when the receiver answers row by row (response: rows): a batch's rows wait in memory for"
                        + " its answer; not " + (maxRows == 0 ? "0 (all rows in one request)" : maxRows));
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
            return new PushPolicy(this);
        }

        private static void requireNonNegative(String key, Duration d) {
            if (d == null || d.isNegative()) {
                throw new InvalidOptionException(key, "must be zero or more, not " + d);
            }
        }

        private static void requirePositive(String key, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidOptionException(key, "must be more than zero, not " + d);
            }
        }
    }
}
