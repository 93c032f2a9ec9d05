package io.viewpush.app.metrics;

import io.viewpush.port.LeaseToken;
import io.viewpush.port.PushListener;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.Replay;
import io.viewpush.push.PushDecision;
import io.viewpush.push.PushHistory;
import io.viewpush.push.PushPolicy;
import io.viewpush.app.config.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Logs one line per push: the view, the outcome, rows, batches, bytes, duration, the receiver's
 * answer and when the view is next due by its policy. Pushes that found nothing to send, and
 * pushes skipped because another instance holds the view, are logged at DEBUG when the scheduler
 * started them (they happen every poll), at INFO when an operator did. A lost lease and an error
 * the engine met out of any push's sight are logged at WARN.
 * A push that held rows back (a value the row JSON cannot carry) adds a WARN line naming the
 * first of them by key and field.
 */
public final class PushLog implements PushListener {
    private static final Logger LOG = LoggerFactory.getLogger("push");

    private final Function<String, Optional<PushPolicy>> policies;
    private final Map<String, PushHistory> histories = new ConcurrentHashMap<>();

    private PushLog(Function<String, Optional<PushPolicy>> policies) {
        this.policies = policies;
    }

    /** @param policies the push policy of each view by name (for the next due time) */
    public static PushLog create(Function<String, Optional<PushPolicy>> policies) {
        return new PushLog(policies);
    }

    @Override
    public void pushFinished(PushAttempt a) {
        PushHistory h = histories.compute(a.view(), (v, old) -> (old == null ? PushHistory.none(v) : old).after(a));
        boolean quiet = a.status() != PushAttempt.Status.SUCCESS && a.status() != PushAttempt.Status.FAILED
                && a.status() != PushAttempt.Status.PARTIAL && a.trigger() != PushAttempt.Trigger.MANUAL;
        if (quiet && !LOG.isDebugEnabled()) {
            return; // a scheduled check that found nothing, a thousand times a second with many views: no line to build
        }
        String line = describe(a) + nextDue(a, h);
        switch (a.status()) {
            case SUCCESS:
                LOG.info(line);
                break;
            case FAILED:
            case PARTIAL:
                LOG.warn(line);
                break;
            default:
                if (a.trigger() == PushAttempt.Trigger.MANUAL) {
                    LOG.info(line);
                } else {
                    LOG.debug(line);
                }
        }
        if (!a.heldBack().isEmpty()) {
            LOG.warn("view '{}': {}; each is sent by the first push after its value is repaired in the table",
                    a.view(), a.heldBack().summary());
        }
    }

    @Override
    public void viewPaused(Pause pause) {
        LOG.warn("view '{}': {}; nothing of it is pushed until it is resumed (resume command, or POST "
                + "/api/views/{view}/resume)", pause.view(), pause.describe());
    }

    @Override
    public void viewResumed(Pause ended, String by) {
        LOG.info("view '{}': resumed by {} (it was {}); its next push runs at once", ended.view(), by, ended.describe());
    }

    @Override
    public void viewReplayed(Replay replay) {
        LOG.info("view '{}': {} cleared the stamp of {} row{} ({}); the next push sends them again", replay.view(),
                replay.by(), replay.rows(), replay.rows() == 1 ? "" : "s", replay.selection());
    }

    @Override
    public void leaseLost(String view, LeaseToken lease) {
        LOG.warn("view '{}': lost its lease (fence {}) to another instance; the push in flight stamps nothing more",
                view, lease.fence());
    }

    @Override
    public void unexpectedError(String view, Activity activity, Throwable error) {
        LOG.warn("view '{}': {} failed: {}", view, activity.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                error.toString(), error);
    }

    /** @return the attempt in one line: view, outcome, rows, batches, bytes, duration, answer */
    public static String describe(PushAttempt a) {
        StringBuilder sb = new StringBuilder("view '").append(a.view()).append("' ")
                .append(a.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        if (a.batches() > 0) {
            sb.append(": ").append(a.rowsSent()).append(a.rowsSent() == 1 ? " row" : " rows")
                    .append(" in ").append(a.batches()).append(a.batches() == 1 ? " batch" : " batches")
                    .append(", ").append(bytes(a.bytes()))
                    .append(", ").append(a.rowsStamped()).append(" stamped");
            if (a.rowsSkipped() > 0) {
                sb.append(", ").append(a.rowsSkipped()).append(" changed meanwhile (not stamped, sent again next time)");
            }
        }
        sb.append(", ").append(a.duration().toMillis()).append(" ms");
        if (a.status() == PushAttempt.Status.SUCCESS) {
            a.httpStatus().ifPresent(s -> sb.append(" (HTTP ").append(s).append(')'));
        } else if (a.status() != PushAttempt.Status.NOTHING_TO_SEND) {
            sb.append(" (").append(a.reason()).append(')');
        }
        return sb.toString();
    }

    private String nextDue(PushAttempt a, PushHistory h) {
        if (a.status() == PushAttempt.Status.NOTHING_TO_SEND || a.status() == PushAttempt.Status.SKIPPED) {
            return "";
        }
        return policies.apply(a.view()).map(p -> {
            PushDecision d = p.decide(h, a.finishedAt());
            Instant at = d instanceof PushDecision.WaitUntil ? ((PushDecision.WaitUntil) d).at() : a.finishedAt();
            return "; next push at " + at.truncatedTo(ChronoUnit.SECONDS) + " at the earliest"
                    + (h.consecutiveFailures() > 0 ? " (" + h.consecutiveFailures() + " failed in a row, backing off; "
                    + "minInterval " + Durations.format(p.minInterval()) + ")" : "");
        }).orElse("");
    }

    /** @return a byte count for people: {@code 512 B}, {@code 1.5 KiB}, {@code 3.2 MiB} */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        // one decimal, rounded half up as "%.1f" rounds, without a Formatter (it was about a tenth of
        // the pushing thread's CPU for a small push: every successful push logs this)
        boolean kib = n < 1024 * 1024;
        long tenths = Math.round(n * 10 / (kib ? 1024.0 : 1024.0 * 1024));
        return (tenths / 10) + "." + (tenths % 10) + (kib ? " KiB" : " MiB");
    }
}
