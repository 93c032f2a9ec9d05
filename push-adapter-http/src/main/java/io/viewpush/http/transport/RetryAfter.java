package io.viewpush.http.transport;

import org.apache.hc.client5.http.utils.DateUtils;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Parses {@code Retry-After}: delta-seconds or an HTTP-date (RFC 9110 section 10.2.3). */
final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * @param value the header's value, or null
     * @param now   the current time, for an HTTP-date
     * @return how long to wait (zero for a date in the past), or empty when absent or unreadable
     */
    static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (v.length() > 12) {
                return Optional.of(Duration.ofSeconds(999_999_999_999L));
            }
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        Instant date = DateUtils.parseStandardDate(v);
        if (date == null) {
            return Optional.empty();
        }
        Duration d = Duration.between(now, date);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
    }
}
