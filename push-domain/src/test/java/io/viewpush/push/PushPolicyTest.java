package io.viewpush.push;

import io.viewpush.push.PushAttempt.Status;
import io.viewpush.push.PushAttempt.Trigger;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PushPolicyTest {
    private static final Instant T = Instant.parse("2024-03-01T12:00:00Z");
    private static final URI URL = URI.create("https://partner.example/hook");

    private static PushPolicy policy() {
        return PushPolicy.builder(URL, "last pushed").minInterval(Duration.ofSeconds(30))
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
        PushPolicy p = PushPolicy.builder(URL, "s").build();
        assertThat(p.minInterval()).isEqualTo(PushPolicy.DEFAULT_MIN_INTERVAL);
        assertThat(p.timeout()).isEqualTo(PushPolicy.DEFAULT_TIMEOUT);
        assertThat(p.maxRows()).isZero();
        assertThat(p.format()).isEqualTo(PushPolicy.BodyFormat.FORM);
        assertThat(p.success()).isEqualTo(PushPolicy.SuccessRule.ANY_2XX);
        assertThat(p.secrets()).isEmpty();
        assertThat(p.modifiedField()).isEmpty();
        assertThat(p.retry()).isEqualTo(RetrySettings.DEFAULT);
    }

    @Test
    void theUrlShownInLogsAndOutputKeepsNoPathSegmentUserInfoOrQuery() {
        PushPolicy slack = PushPolicy.builder(URI.create("https://user:pw@hooks.example:8443/services/T000/B000/SECRET?token=x#f"),
                "s").build();
        assertThat(slack.redactedUrl()).isEqualTo("https://hooks.example:8443/\u2026");
        assertThat(slack.toString()).doesNotContain("SECRET").doesNotContain("pw").doesNotContain("token");
        assertThat(PushPolicy.builder(URI.create("http://127.0.0.1/"), "s").build().redactedUrl())
                .isEqualTo("http://127.0.0.1/");
    }

    @Test
    void successRules() {
        assertThat(PushPolicy.SuccessRule.ANY_2XX.isSuccess(204)).isTrue();
        assertThat(PushPolicy.SuccessRule.ANY_2XX.isSuccess(299)).isTrue();
        assertThat(PushPolicy.SuccessRule.ANY_2XX.isSuccess(300)).isFalse();
        assertThat(PushPolicy.SuccessRule.ANY_2XX.isSuccess(199)).isFalse();
        assertThat(PushPolicy.SuccessRule.EXACTLY_200.isSuccess(200)).isTrue();
        assertThat(PushPolicy.SuccessRule.EXACTLY_200.isSuccess(204)).isFalse();
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> PushPolicy.builder(URI.create("ftp://x/y"), "s").build())
                .hasMessageStartingWith("url must be").hasMessageContaining("http or https");
        assertThatThrownBy(() -> PushPolicy.builder(URI.create("http:///nohost"), "s").build())
                .hasMessageContaining("url has no host")
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("url"));
        assertThatThrownBy(() -> PushPolicy.builder(URL, " ").build()).isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("stampField"))
                .hasMessageContaining("stampField is required");
        assertThatThrownBy(() -> PushPolicy.builder(URL, "s").maxRows(-1).build()).hasMessageStartingWith("maxRows");
        assertThatThrownBy(() -> PushPolicy.builder(URL, "s").minInterval(Duration.ofSeconds(-1)).build())
                .hasMessageStartingWith("minInterval");
        assertThatThrownBy(() -> PushPolicy.builder(URL, "s").timeout(Duration.ZERO).build())
                .hasMessageStartingWith("timeout");
        assertThatThrownBy(() -> PushPolicy.builder(URL, "s").secret("a\r\nb").build())
                .hasMessageStartingWith("secrets #1").hasMessageContaining("line break");
        assertThatThrownBy(() -> new RetrySettings(0, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("push.retry.attempts");
    }

    @Test
    void toStringShowsNeitherSecretsNorUrlCredentialsNorPath() {
        PushPolicy p = PushPolicy.builder(URI.create("https://user:pa55word@partner.example/hook?token=t0ken"), "s")
                .secret("whsec_c2VjcmV0").build();
        assertThat(p.toString()).doesNotContain("pa55word").doesNotContain("t0ken").doesNotContain("whsec_c2VjcmV0")
                .doesNotContain("hook").contains("https://partner.example/\u2026").contains("secrets=1");
    }
}
