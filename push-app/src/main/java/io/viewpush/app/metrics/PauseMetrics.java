package io.viewpush.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.viewpush.PushException;
import io.viewpush.port.PushListener;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@code viewpush_view_paused{view}}: 1 while the view is paused (its receiver is gone, its pushes
 * failed for {@code push.pauseAfter}, or an operator paused it), else 0. It starts from the store
 * (so a restart, or a pause made by another instance before this one started, shows), and follows
 * this instance's events: its own pauses and resumes, and its pushes that found the view paused, or
 * delivered or found nothing to send (so it is not paused). No database query per scrape.
 */
public final class PauseMetrics implements PushListener {
    private static final Logger LOG = LoggerFactory.getLogger(PauseMetrics.class);

    private final MeterRegistry registry;
    private final Function<String, Optional<Pause>> store;
    private final Map<String, State> views = new ConcurrentHashMap<>();

    private PauseMetrics(MeterRegistry registry, Function<String, Optional<Pause>> store) {
        this.registry = registry;
        this.store = store;
    }

    /**
     * @param registry where the gauges go
     * @param store    a view's pause as the store has it, asked once per view when its gauge is first read
     * @return gauges registered as views are {@linkplain #watch watched} or their first event comes
     */
    public static PauseMetrics create(MeterRegistry registry, Function<String, Optional<Pause>> store) {
        return new PauseMetrics(Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(store, "store"));
    }

    /** Registers the view's gauge; @return this */
    public PauseMetrics watch(String view) {
        state(Objects.requireNonNull(view, "view"));
        return this;
    }

    @Override
    public void viewPaused(Pause pause) {
        set(pause.view(), true);
    }

    @Override
    public void viewResumed(Pause ended, String by) {
        set(ended.view(), false);
    }

    @Override
    public void pushFinished(PushAttempt attempt) {
        if (attempt.outcome() == PushAttempt.Outcome.PAUSED) {
            set(attempt.view(), true);
        } else if (attempt.outcome() == PushAttempt.Outcome.DELIVERED
                || attempt.outcome() == PushAttempt.Outcome.NOTHING_TO_SEND) {
            set(attempt.view(), false);
        }
    }

    private void set(String view, boolean paused) {
        State s = state(view);
        synchronized (s) {
            s.seeded = true;
            s.paused = paused;
        }
    }

    private State state(String view) {
        return views.computeIfAbsent(view, v -> {
            State s = new State(v);
            Gauge.builder("viewpush.view.paused", s, st -> seeded(st).paused ? 1 : 0)
                    .description("1 while the view is paused (nothing of it is pushed until it is resumed), else 0")
                    .tag("view", v).register(registry);
            return s;
        });
    }

    private State seeded(State s) {
        synchronized (s) {
            if (!s.seeded) {
                try {
                    s.paused = store.apply(s.view).isPresent();
                    s.seeded = true;
                } catch (PushException e) {
                    LOG.debug("could not read whether view '{}' is paused for its metric: {}", s.view, e.getMessage());
                }
            }
            return s;
        }
    }

    /** One view's figure, under its own lock. */
    private static final class State {
        final String view;
        boolean seeded;
        boolean paused;

        State(String view) {
            this.view = view;
        }
    }
}
