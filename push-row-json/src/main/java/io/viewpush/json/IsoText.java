package io.viewpush.json;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * The text {@link RowJsonWriter#TIMESTAMP_FORMAT}, {@link RowJsonWriter#TIMESTAMP_TZ_FORMAT} and
 * {@link RowJsonWriter#DATE_FORMAT} give, written straight into a char array without the
 * formatters' per-value objects, for the values that occur in practice: years 0 to 9999 and
 * offsets of whole minutes. Every method answers -1 (and the caller uses the formatter) for
 * anything else, so the output is always the formatter's.
 */
final class IsoText {
    private IsoText() {
    }

    /** @return the length written into {@code out} (at least 35 chars), or -1 when the formatter must do it */
    static int offsetDateTime(OffsetDateTime t, char[] out) {
        int offset = t.getOffset().getTotalSeconds();
        if (offset % 60 != 0) {
            return -1;
        }
        int n = dateTime(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(),
                t.getNano(), out);
        if (n < 0) {
            return -1;
        }
        if (offset == 0) {
            out[n++] = 'Z';
            return n;
        }
        int abs = Math.abs(offset);
        out[n++] = offset < 0 ? '-' : '+';
        n = two(abs / 3600, out, n);
        out[n++] = ':';
        return two(abs / 60 % 60, out, n);
    }

    /** @return the length written into {@code out} (at least 29 chars), or -1 when the formatter must do it */
    static int localDateTime(LocalDateTime t, char[] out) {
        return dateTime(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(),
                t.getNano(), out);
    }

    /** @return the length written into {@code out} (at least 10 chars), or -1 when the formatter must do it */
    static int localDate(LocalDate d, char[] out) {
        return date(d.getYear(), d.getMonthValue(), d.getDayOfMonth(), out);
    }

    private static int date(int year, int month, int day, char[] out) {
        if (year < 0 || year > 9999) {
            return -1;
        }
        int n = two(year / 100, out, 0);
        n = two(year % 100, out, n);
        out[n++] = '-';
        n = two(month, out, n);
        out[n++] = '-';
        return two(day, out, n);
    }

    /** ISO_LOCAL_DATE_TIME: seconds always, a fraction only when not zero, without trailing zeros. */
    private static int dateTime(int year, int month, int day, int hour, int minute, int second, int nano, char[] out) {
        int n = date(year, month, day, out);
        if (n < 0) {
            return -1;
        }
        out[n++] = 'T';
        n = two(hour, out, n);
        out[n++] = ':';
        n = two(minute, out, n);
        out[n++] = ':';
        n = two(second, out, n);
        if (nano != 0) {
            out[n++] = '.';
            int digits = 9;
            int v = nano;
            while (v % 10 == 0) {
                v /= 10;
                digits--;
            }
            for (int i = digits - 1; i >= 0; i--) {
                out[n + i] = (char) ('0' + v % 10);
                v /= 10;
            }
            n += digits;
        }
        return n;
    }

    /**
     * {@link BigDecimal#toPlainString()} of a decimal of at most 18 digits and a scale of 0 to 40,
     * the numbers rows hold in practice, without the string.
     *
     * @return the length written into {@code out} (64 chars suffice), or -1 when {@code toPlainString} must do it
     */
    static int plainDecimal(BigDecimal d, char[] out) {
        int scale = d.scale();
        if (scale < 0 || scale > 40 || d.precision() > 18) {
            return -1;
        }
        long unscaled = scale == 0 ? d.longValue() : d.unscaledValue().longValue();
        int n = 0;
        if (unscaled < 0) {
            out[n++] = '-';
            unscaled = -unscaled;
        }
        int digits = 1;
        for (long v = unscaled / 10; v != 0; v /= 10) {
            digits++;
        }
        int intDigits = digits - scale;
        if (intDigits <= 0) {
            out[n++] = '0';
            out[n++] = '.';
            for (int i = intDigits; i < 0; i++) {
                out[n++] = '0';
            }
            n += digits;
            for (int i = n - 1; i >= n - digits; i--) {
                out[i] = (char) ('0' + unscaled % 10);
                unscaled /= 10;
            }
            return n;
        }
        int total = digits + (scale > 0 ? 1 : 0);
        int end = n + total;
        int i = end - 1;
        for (int k = 0; k < scale; k++) {
            out[i--] = (char) ('0' + unscaled % 10);
            unscaled /= 10;
        }
        if (scale > 0) {
            out[i--] = '.';
        }
        for (int k = 0; k < intDigits; k++) {
            out[i--] = (char) ('0' + unscaled % 10);
            unscaled /= 10;
        }
        return end;
    }

    private static int two(int v, char[] out, int n) {
        out[n] = (char) ('0' + v / 10);
        out[n + 1] = (char) ('0' + v % 10);
        return n + 2;
    }
}
