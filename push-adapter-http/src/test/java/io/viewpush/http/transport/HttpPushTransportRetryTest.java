package io.viewpush.http.transport;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.retry.event.RetryEvent;
import io.github.resilience4j.retry.event.RetryOnRetryEvent;
import io.viewpush.http.transport.AttemptResult.Answered;
import io.viewpush.http.transport.AttemptResult.Interrupted;
import io.viewpush.http.transport.AttemptResult.NoAnswer;
import io.viewpush.PushException;
import io.viewpush.push.Delivery;
import io.viewpush.testing.SettableClock;
import io.viewpush.view.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retries are resilience4j's, used as it is meant to be: one {@code Retry} per view in the
 * transport's registry, reused across sends, whose waits are the ones waited and whose events and
 * metrics say what happened.
 */
class HttpPushTransportRetryTest {
    @TempDir
    Path spool;
    private Receiver receiver;
    private final SettableClock clock = new SettableClock(Instant.parse("2024-05-06T07:08:09Z"));
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final List<RetryEvent> events = Collections.synchronizedList(new ArrayList<>());
    private RetryRegistry registry;
    private HttpPushTransport transport;

    @BeforeEach
    void start() throws IOException {
        receiver = new Receiver();
        registry = RetryRegistry.ofDefaults();
        registry.getEventPublisher()
                .onEntryAdded(e -> e.getAddedEntry().getEventPublisher().onEvent(events::add))
                .onEntryReplaced(e -> e.getNewEntry().getEventPublisher().onEvent(events::add));
        transport = HttpPushTransport.builder().clock(clock).spoolDirectory(spool).retryRegistry(registry)
                .retrySleeper(d -> {
                    sleeps.add(d);
                    clock.advance(d);
                }).build();
    }

    @AfterEach
    void stop() throws IOException {
        transport.close();
        receiver.close();
    }

    private Delivery send(View view) {
        return transport.send(view, TestViews.target(view), TestViews.simpleRows(view, 1, 2).iterator());
    }

    private View view(String name, RetrySettings retry) {
        return TestViews.view(name, receiver.uri("/hook"), p -> p.retry(retry));
    }

    @Test
    void keepsOneRetryPerViewNamedAfterItAndReusesItAcrossSends() {
        View orders = view("orders", TestViews.FAST);
        View refunds = view("refunds", TestViews.FAST);

        send(orders);
        Retry first = registry.find("orders").orElseThrow();
        send(orders);
        send(refunds);

        assertThat(transport.retryRegistry()).isSameAs(registry);
        assertThat(registry.find("orders")).containsSame(first);
        assertThat(registry.getAllRetries()).extracting(Retry::getName).containsExactlyInAnyOrder("orders", "refunds");
        assertThat(first.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(2);
        assertThat(first.getRetryConfig().getMaxAttempts()).isEqualTo(TestViews.FAST.maxAttempts());
    }

    @Test
    void buildsTheViewsRetryAnewWhenItComesWithOtherSettings() {
        send(view("orders", TestViews.FAST));
        Retry before = registry.find("orders").orElseThrow();
        List<Retry> replaced = new ArrayList<>();
        registry.getEventPublisher().onEntryReplaced(e -> replaced.add(e.getNewEntry()));

        receiver.always(Receiver.Answer.of(503));
        RetrySettings five = new RetrySettings(5, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(5));
        Delivery d = send(view("orders", five));

        Retry after = registry.find("orders").orElseThrow();
        assertThat(after).isNotSameAs(before);
        assertThat(replaced).containsExactly(after);
        assertThat(after.getRetryConfig().getMaxAttempts()).isEqualTo(5);
        assertThat(d.attempts()).isEqualTo(5);
    }

    @Test
    void waitsWhatTheRetryAsksForAndItsEventSaysWhatFailedAndHowLongItWaits() {
        receiver.then(Receiver.Answer.of(429, "slow down").header("Retry-After", "4"));
        receiver.then(Receiver.Answer.of(503, "busy"));
        Delivery d = send(view("orders", TestViews.FAST));

        assertThat(d.delivered()).isTrue();
        assertThat(d.attempts()).isEqualTo(3);
        List<RetryOnRetryEvent> retries = events.stream().filter(e -> e instanceof RetryOnRetryEvent)
                .map(e -> (RetryOnRetryEvent) e).toList();
        assertThat(retries).hasSize(2);
        assertThat(retries).extracting(RetryOnRetryEvent::getWaitInterval).containsExactlyElementsOf(sleeps);
        assertThat(retries.get(0).getWaitInterval()).isEqualTo(Duration.ofSeconds(4));
        assertThat(retries.get(0).getName()).isEqualTo("orders");
        assertThat(retries.get(0).getNumberOfRetryAttempts()).isEqualTo(1);
        FailedAttemptException first = (FailedAttemptException) retries.get(0).getLastThrowable();
        assertThat(first.status()).hasValue(429);
        assertThat(first.retryAfter()).hasValue(Duration.ofSeconds(4));
        assertThat(first.getMessage()).isEqualTo("429 Too Many Requests");
        assertThat(first.receiver()).isEqualTo("http://127.0.0.1:" + receiver.port() + "/\u2026");
        assertThat(first.getStackTrace()).isEmpty();
        FailedAttemptException second = (FailedAttemptException) retries.get(1).getLastThrowable();
        assertThat(second.status()).hasValue(503);
        assertThat(second.retryAfter()).isEmpty();
        assertThat(retries.get(1).getNumberOfRetryAttempts()).isEqualTo(2);
        assertThat(events).last().extracting(RetryEvent::getEventType).isEqualTo(RetryEvent.Type.SUCCESS);
    }

    @Test
    void theRetrysMetricsTellDeliveredFromFailedWithAndWithoutRetries() {
        RetrySettings fast = TestViews.FAST;
        View orders = view("orders", fast);
        send(orders);                                         // delivered at once
        receiver.then(Receiver.Answer.of(500));
        send(orders);                                         // delivered after a retry
        receiver.then(Receiver.Answer.of(400, "bad"));
        send(orders);                                         // failed, not retried
        receiver.then(Receiver.Answer.of(500)).then(Receiver.Answer.of(500)).then(Receiver.Answer.of(500));
        send(orders);                                         // failed after every attempt

        Retry.Metrics m = registry.find("orders").orElseThrow().getMetrics();
        assertThat(m.getNumberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
        assertThat(m.getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
        assertThat(m.getNumberOfFailedCallsWithoutRetryAttempt()).isEqualTo(1);
        assertThat(m.getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    void logsEachRetryAtInfoWithTheFailureAndTheWait() {
        receiver.then(Receiver.Answer.of(503).header("Retry-After", "2"));
        String logs;
        try (LogCapture capture = new LogCapture()) {
            send(view("orders", TestViews.FAST));
            logs = capture.text();
        }
        assertThat(logs).contains("INFO").contains("view 'orders': attempt 1 to http://127.0.0.1:" + receiver.port()
                + "/\u2026 failed (503 Service Unavailable); retrying in 2 s");
    }

    @Test
    void replacesARetryOfTheSameNameTheHostsRegistryAlreadyHad() {
        Retry hosts = registry.retry("orders", RetryConfig.custom().maxAttempts(7).build());
        receiver.always(Receiver.Answer.of(503));
        Delivery d = send(view("orders", TestViews.FAST));

        assertThat(d.attempts()).isEqualTo(TestViews.FAST.maxAttempts());
        assertThat(registry.find("orders").orElseThrow()).isNotSameAs(hosts);
    }

    @Test
    void aRetryRegistryMustBeGiven() {
        assertThatThrownBy(() -> HttpPushTransport.builder().retryRegistry(null))
                .isInstanceOf(NullPointerException.class).hasMessage("retryRegistry");
    }

    // ViewRetries on its own, with attempts that need no receiver

    private static final Answered OK = new Answered(200, "200 OK", "", Optional.empty(), Optional.empty());
    private static final Answered BUSY = new Answered(503, "503 Service Unavailable", "", Optional.empty(), Optional.empty());

    @Test
    void anAttemptThatThrowsEndsTheSendWithThatExceptionAsItIs() {
        ViewRetries retries = new ViewRetries(RetryRegistry.ofDefaults(), sleeps::add);
        PushException boom = new PushException("cannot read the spooled body");
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retries.send("orders", TestViews.FAST, () -> {
            if (attempts.incrementAndGet() == 1) {
                return BUSY;
            }
            throw boom;
        }, r -> r == OK, "http://x/")).isSameAs(boom);
        assertThat(attempts).hasValue(2);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void anErrorInALaterAttemptReachesTheCallerAsItIs() {
        ViewRetries retries = new ViewRetries(RetryRegistry.ofDefaults(), sleeps::add);
        StackOverflowError error = new StackOverflowError("deep");
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retries.send("orders", TestViews.FAST, () -> {
            if (attempts.incrementAndGet() < 3) {
                return BUSY;
            }
            throw error;
        }, r -> r == OK, "http://x/")).isSameAs(error);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void anInterruptedWaitEndsTheSendWithTheLastResultAndTheFlagSet() {
        ViewRetries retries = new ViewRetries(RetryRegistry.ofDefaults(), d -> {
            throw new InterruptedException();
        });
        AtomicInteger attempts = new AtomicInteger();
        AttemptResult r = retries.send("orders", TestViews.FAST, () -> {
            attempts.incrementAndGet();
            return new NoAnswer("connection refused", true);
        }, x -> x == OK, "http://x/");
        assertThat(Thread.interrupted()).isTrue();
        assertThat(r).isEqualTo(new Interrupted(new NoAnswer("connection refused", true)));
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aZeroBackoffRetriesWithoutWaiting() {
        ViewRetries retries = new ViewRetries(RetryRegistry.ofDefaults(), sleeps::add);
        RetrySettings noWait = new RetrySettings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        AtomicInteger attempts = new AtomicInteger();
        AttemptResult r = retries.send("orders", noWait, () -> attempts.incrementAndGet() < 3 ? BUSY : OK,
                x -> x == OK, "http://x/");
        assertThat(r).isSameAs(OK);
        assertThat(sleeps).containsExactly(Duration.ZERO, Duration.ZERO);
    }

    @Test
    void theFailedAttemptsMessageIsTheReasonOfAnAnswerlessOne() {
        FailedAttemptException e = new FailedAttemptException(new NoAnswer("cannot resolve host x.invalid", true),
                "http://x.invalid/");
        assertThat(e.getMessage()).isEqualTo("cannot resolve host x.invalid");
        assertThat(e.status()).isEmpty();
        assertThat(e.retryAfter()).isEmpty();
        assertThat(URI.create(e.receiver()).getHost()).isEqualTo("x.invalid");
    }
}
