package io.viewpush.push;

import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.PushAttempt.Trigger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PushPolicyTest {
    private static final Instant T = Instant.parse("2024-03-01T12:00:00Z");

    private static PushPolicy policy() {
        return PushPolicy.builder("last pushed").minInterval(Duration.ofSeconds(30))
                .backoffInitial(Duration.ofSeconds(10)).backoffMax(Duration.ofMinutes(2)).build();
    }

    private static PushAttempt attempt(Instant start, Status status) {
        return new PushAttempt("v", Trigger.SCHEDULE, start, start.plusSeconds(1), status, 1, 0, 0, 1, 10,
                OptionalInt.empty(), status == Status.SUCCESS ? "ok" : "500 from receiver", List.of("msg_1"));
    }

    @Test
    void aViewNeverPushedMayPushNow() {
        PushDecision d = policy().decide(PushHistory.none("v"), T);
        assertThat(d).isInstanceOf(PushDecision.PushNow.class);
        assertThat(d.because()).contains("not been pushed");
    }

    @Test
    void waitsForTheMinimumIntervalMeasuredFromTheLastPushStart() {
        PushHistory h = PushHistory.none("v").after(attempt(T, Status.SUCCESS));
        PushDecision early = policy().decide(h, T.plusSeconds(29));
        assertThat(early).isEqualTo(new PushDecision.WaitUntil(T.plusSeconds(30), early.because()));
        assertThat(early.because()).contains("minimum interval");
        assertThat(policy().decide(h, T.plusSeconds(30))).isInstanceOf(PushDecision.PushNow.class);
    }

    @Test
    void backsOffExponentiallyAfterConsecutiveFailuresUpToTheCap() {
        PushPolicy p = policy();
        assertThat(p.backoffAfter(0)).isEqualTo(Duration.ZERO);
        assertThat(p.backoffAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.backoffAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.backoffAfter(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(p.backoffAfter(4)).isEqualTo(Duration.ofSeconds(80));
        assertThat(p.backoffAfter(5)).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.backoffAfter(500)).isEqualTo(Duration.ofMinutes(2));

        PushHistory h = PushHistory.none("v");
        for (int i = 0; i < 3; i++) {
            h = h.after(attempt(T, Status.FAILED));
        }
        PushDecision d = p.decide(h, T.plusSeconds(30));
        assertThat(d).isInstanceOf(PushDecision.WaitUntil.class);
        assertThat(((PushDecision.WaitUntil) d).at()).isEqualTo(T.plusSeconds(40));
        assertThat(d.because()).contains("backing off").contains("3 consecutive failed pushes");
    }

    @Test
    void theMinimumIntervalWinsWhenItIsLongerThanTheBackoff() {
        PushHistory h = PushHistory.none("v").after(attempt(T, Status.FAILED));
        PushDecision d = policy().decide(h, T.plusSeconds(15));
        assertThat(((PushDecision.WaitUntil) d).at()).isEqualTo(T.plusSeconds(30));
    }

    @Test
    void aSuccessResetsTheBackoff() {
        PushHistory h = PushHistory.none("v");
        for (int i = 0; i < 6; i++) {
            h = h.after(attempt(T, Status.FAILED));
        }
        assertThat(h.consecutiveFailures()).isEqualTo(6);
        h = h.after(attempt(T.plusSeconds(200), Status.SUCCESS));
        assertThat(h.consecutiveFailures()).isZero();
        assertThat(h.lastFailureReason()).contains("500 from receiver");
        assertThat(policy().decide(h, T.plusSeconds(230))).isInstanceOf(PushDecision.PushNow.class);
    }

    @Test
    void nothingToSendAndSkippedAttemptsLeaveTheHistoryAlone() {
        PushHistory h = PushHistory.none("v").after(attempt(T, Status.FAILED));
        assertThat(h.after(attempt(T.plusSeconds(5), Status.NOTHING_TO_SEND))).isEqualTo(h);
        assertThat(h.after(attempt(T.plusSeconds(5), Status.SKIPPED))).isEqualTo(h);
    }

    @Test
    void aZeroIntervalAlwaysAllowsAPush() {
        PushPolicy p = policy().withMinInterval(Duration.ZERO);
        PushHistory h = PushHistory.none("v").after(attempt(T, Status.SUCCESS));
        assertThat(p.decide(h, T)).isInstanceOf(PushDecision.PushNow.class);
    }

    @Test
    void defaultsAreTheDocumentedConstants() {
        PushPolicy p = PushPolicy.builder("s").build();
        assertThat(p.minInterval()).isEqualTo(PushPolicy.DEFAULT_MIN_INTERVAL);
        assertThat(p.maxRows()).isZero();
        assertThat(p.modifiedField()).isEmpty();
        assertThat(p.backoffInitial()).isEqualTo(PushPolicy.DEFAULT_BACKOFF_INITIAL);
        assertThat(p.backoffMax()).isEqualTo(PushPolicy.DEFAULT_BACKOFF_MAX);
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> PushPolicy.builder(" ").build()).isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("stampField"))
                .hasMessageContaining("stampField is required");
        assertThatThrownBy(() -> PushPolicy.builder("s").maxRows(-1).build()).hasMessageStartingWith("maxRows");
        assertThatThrownBy(() -> PushPolicy.builder("s").minInterval(Duration.ofSeconds(-1)).build())
                .hasMessageStartingWith("minInterval");
        assertThatThrownBy(() -> PushPolicy.builder("s").backoffInitial(Duration.ZERO).build())
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("backoffInitial"));
        assertThatThrownBy(() -> PushPolicy.builder("s").modifiedField(" ").build())
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("modifiedField"));
    }

    @Test
    void holdsOnlyWhatEveryTransportNeeds() {
        PushPolicy p = PushPolicy.builder("s").modifiedField("m").maxRows(10).build();
        assertThat(p.toString()).isEqualTo("PushPolicy[stamp=s, modified=m, minInterval=PT1M, maxRows=10, backoff=PT10S..PT15M,"
                + " response=STATUS]");
        assertThat(p).isEqualTo(p.toBuilder().build()).hasSameHashCodeAs(p.toBuilder().build());
        assertThat(p).isNotEqualTo(p.withMaxRows(11));
        PushPolicy paused = p.toBuilder().pauseAfter(java.time.Duration.ofHours(24))
                .response(PushPolicy.ResponseMode.ROWS).build();
        assertThat(paused.toString()).endsWith(", pauseAfter=PT24H, response=ROWS]");
        assertThat(paused).isNotEqualTo(p).isEqualTo(paused.toBuilder().build());
    }
}
