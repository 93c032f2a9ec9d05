package io.viewpush.push;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * When a view is pushed and how its deliveries are recorded, whatever the transport: which field
 * records the push, which field tells that a row changed, how often at most, how many rows per
 * batch, and how long to back off after failed pushes. Immutable; build with
 * {@link #builder(String)}; change with the {@code with…} copies.
 *
 * <p>Where and how a batch travels (for HTTP: the URL, body format, success rule, timeout,
 * signing secrets and retries) is the transport's configuration of the view, not the policy's: see
 * the transport's own builder.
 */
public final class PushPolicy {
    /** Default {@link #minInterval()}: one minute between two push starts of a view. */
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(1);
    /** Default {@link #maxRows()}: 0, the whole view in one batch. */
    public static final int DEFAULT_MAX_ROWS = 0;
    /** Default {@link #backoffInitial()}: the extra wait after the first failed push, 10 seconds. */
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofSeconds(10);
    /** Default {@link #backoffMax()}: the longest wait after repeated failed pushes, 15 minutes. */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMinutes(15);

    private final String stampField;
    private final Optional<String> modifiedField;
    private final Duration minInterval;
    private final int maxRows;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Optional<Duration> pauseAfter;
    private final ResponseMode response;

    private PushPolicy(Builder b) {
        this.stampField = b.stampField;
        this.modifiedField = Optional.ofNullable(b.modifiedField);
        this.minInterval = b.minInterval;
        this.maxRows = b.maxRows;
        this.backoffInitial = b.backoffInitial;
        this.backoffMax = b.backoffMax;
        this.pauseAfter = Optional.ofNullable(b.pauseAfter);
        this.response = b.response;
    }

    /**
     * @param stampField the date/time field set on the rows a receiver accepted
     * @return a builder with every other option at its default
     */
    public static Builder builder(String stampField) {
        return new Builder(stampField);
    }

    /** @return a builder holding this policy's options */
    public Builder toBuilder() {
        Builder b = new Builder(stampField);
        b.modifiedField = modifiedField.orElse(null);
        b.minInterval = minInterval;
        b.maxRows = maxRows;
        b.backoffInitial = backoffInitial;
        b.backoffMax = backoffMax;
        b.pauseAfter = pauseAfter.orElse(null);
        b.response = response;
        return b;
    }

    /** @return the date/time field set on the rows a receiver accepted */
    public String stampField() {
        return stampField;
    }

    /**
     * @return a field that changes whenever the row does; when present a row is stamped only if it
     *         still has the value that was sent. It may name a calculation of the view: a timestamp
     *         computed from the row and its lookups and summaries (the later of the order's and its
     *         customer's last update), so that a change of a related row makes the row need pushing
     *         again; the store then computes it again when it stamps. Default: none.
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

    /** @return rows per batch, 0 for the whole view in one batch; default 0 */
    public int maxRows() {
        return maxRows;
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

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PushPolicy)) {
            return false;
        }
        PushPolicy p = (PushPolicy) o;
        return maxRows == p.maxRows && stampField.equals(p.stampField)
                && modifiedField.equals(p.modifiedField) && minInterval.equals(p.minInterval)
                && backoffInitial.equals(p.backoffInitial) && backoffMax.equals(p.backoffMax)
                && pauseAfter.equals(p.pauseAfter) && response == p.response;
    }

    @Override
    public int hashCode() {
        return Objects.hash(stampField, modifiedField, minInterval, maxRows, backoffInitial, backoffMax, pauseAfter,
                response);
    }

    @Override
    public String toString() {
        return "PushPolicy[stamp=" + stampField + ", modified=" + modifiedField.orElse("-")
                + ", minInterval=" + minInterval + ", maxRows=" + maxRows
                + ", backoff=" + backoffInitial + ".." + backoffMax
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

    /** Builds a {@link PushPolicy}; {@link #build()} names the first bad option. */
    public static final class Builder {
        private String stampField;
        private String modifiedField;
        private Duration minInterval = DEFAULT_MIN_INTERVAL;
        private int maxRows = DEFAULT_MAX_ROWS;
        private Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private Duration pauseAfter;
        private ResponseMode response = ResponseMode.STATUS;

        private Builder(String stampField) {
            this.stampField = stampField;
        }

        /** @param value how a success answer is read; default {@link ResponseMode#STATUS} */
        public Builder response(ResponseMode value) {
            this.response = value;
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

        /** @param value rows per batch, 0 for all in one; default 0 */
        public Builder maxRows(int value) {
            this.maxRows = value;
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
            if (stampField == null || stampField.isBlank()) {
                throw new InvalidOptionException("stampField", "is required: the date/time field set on pushed rows");
            }
            if (modifiedField != null && modifiedField.isBlank()) {
                throw new InvalidOptionException("modifiedField", "must name a field, or be left out");
            }
            requireNonNegative("minInterval", minInterval);
            requirePositive("backoffInitial", backoffInitial);
            requirePositive("backoffMax", backoffMax);
            if (backoffMax.compareTo(backoffInitial) < 0) {
                throw new InvalidOptionException("backoffMax", "(" + backoffMax + ") must not be less than backoffInitial (" + backoffInitial + ")");
            }
            if (pauseAfter != null) {
                requirePositive("pauseAfter", pauseAfter);
            }
            if (maxRows < 0) {
                throw new InvalidOptionException("maxRows", "must be 0 (all rows in one batch) or more, not " + maxRows);
            }
            Objects.requireNonNull(response, "push.response");
            if (response == ResponseMode.ROWS && (maxRows < 1 || maxRows > MAX_ROWS_ANSWERED_BY_ROW)) {
                throw new InvalidOptionException("maxRows", "must be 1 to " + MAX_ROWS_ANSWERED_BY_ROW
                        + " when the receiver answers row by row (response: rows): a batch's rows wait in memory for"
                        + " its answer; not " + (maxRows == 0 ? "0 (all rows in one request)" : maxRows));
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
