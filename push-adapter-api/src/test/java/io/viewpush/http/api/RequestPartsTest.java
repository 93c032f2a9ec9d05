package io.viewpush.http.api;

import io.viewpush.expression.ValueType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The small parts of a request: its target, its key, its values. */
class RequestPartsTest {

    @Test
    void theTargetIsSplitBeforeEachSegmentIsDecodedOnce() {
        RequestTarget t = RequestTarget.parse("/api/views/a%2Fb%2520c/rows/x%20y?limit=5&after=a+b%26c&flag");
        assertThat(t.rawPath()).isEqualTo("/api/views/a%2Fb%2520c/rows/x%20y");
        assertThat(t.rawSegments()).containsExactly("api", "views", "a%2Fb%2520c", "rows", "x%20y");
        assertThat(t.segment(2, "the view name")).isEqualTo("a/b%20c");
        assertThat(t.segment(4, "the key")).isEqualTo("x y");
        assertThat(t.query()).isEqualTo(Map.of("limit", List.of("5"), "after", List.of("a b&c"), "flag", List.of("")));
        assertThat(RequestTarget.parse("/").rawSegments()).containsExactly("");
        assertThat(RequestTarget.parse("/a+b").segment(0, "x")).isEqualTo("a+b");
    }

    @Test
    void badEncodingIsRefusedNotGuessed() {
        for (String raw : List.of("%", "%4", "%zz", "%C3", "%C3%28", "%ED%A0%80", "%F8%88%80%80%80")) {
            assertThat(RequestTarget.decode(raw, false)).as(raw).isEmpty();
        }
        assertThat(RequestTarget.decode("%C3%A9", false)).hasValue("é");
        assertThat(RequestTarget.decode("caf\u00e9", false)).as("a raw UTF-8 request line, decoded by the server").hasValue("café");
        assertThatThrownBy(() -> RequestTarget.parse("*")).isInstanceOf(ApiError.class);
        assertThatThrownBy(() -> RequestTarget.parse("/x?a=%zz").query()).hasMessageContaining("parameter 'a'");
    }

    @Test
    void theKeyIsTakenAsBearerOrBare() {
        assertThat(KeyRing.presentedKey("Bearer abc")).isEqualTo("abc");
        assertThat(KeyRing.presentedKey("bEaReR \t abc ")).isEqualTo("abc");
        assertThat(KeyRing.presentedKey("abc")).isEqualTo("abc");
        assertThat(KeyRing.presentedKey("Bearerabc")).isEqualTo("Bearerabc");
        assertThat(KeyRing.presentedKey("Bearer")).isEqualTo("Bearer");
        assertThat(KeyRing.presentedKey("  ")).isEmpty();
    }

    @Test
    void aKeyRingKnowsOnlyItsKeysAndTheirRights() {
        KeyRing ring = new KeyRing(List.of(
                new KeyRing.Entry("a", KeyRing.sha256("key-a-0123456789"), false, java.util.Set.of("v1"), false),
                new KeyRing.Entry("b", KeyRing.sha256("key-b-0123456789"), true, java.util.Set.of(), true)));
        KeyRing.Caller a = ring.authenticate("Bearer key-a-0123456789").orElseThrow();
        assertThat(a.name()).isEqualTo("a");
        assertThat(a.maySee("v1")).isTrue();
        assertThat(a.maySee("v2")).isFalse();
        assertThat(a.admin()).isFalse();
        KeyRing.Caller b = ring.authenticate("key-b-0123456789").orElseThrow();
        assertThat(b.maySee("anything")).isTrue();
        assertThat(b.admin()).isTrue();
        assertThat(ring.authenticate("key-a-012345678")).isEmpty();
        assertThat(ring.authenticate("Bearer key-a-0123456789x")).isEmpty();
        assertThat(ring.authenticate("")).isEmpty();
    }

    @Test
    void textBecomesAValueOfTheFieldsTypeOrNothing() {
        assertThat(Values.fromText(ValueType.NUMBER, "-12.50")).hasValue(new BigDecimal("-12.50"));
        assertThat(Values.fromText(ValueType.NUMBER, "1e3")).hasValue(new BigDecimal("1e3"));
        for (String bad : List.of("", "abc", "1,5", "NaN", "Infinity", "0x10", "1e99999", " 1", "1.2.3")) {
            assertThat(Values.fromText(ValueType.NUMBER, bad)).as(bad).isEmpty();
        }
        assertThat(Values.fromText(ValueType.TEXT, " x ")).hasValue(" x ");
        assertThat(Values.fromText(ValueType.BOOLEAN, "true")).hasValue(true);
        assertThat(Values.fromText(ValueType.BOOLEAN, "TRUE")).isEmpty();
        assertThat(Values.fromText(ValueType.DATE, "2024-02-29")).hasValue(LocalDate.of(2024, 2, 29));
        assertThat(Values.fromText(ValueType.DATE, "2023-02-29")).isEmpty();
        assertThat(Values.fromText(ValueType.TIMESTAMP, "2024-01-31T10:15")).hasValue(LocalDateTime.of(2024, 1, 31, 10, 15));
        assertThat(Values.fromText(ValueType.TIMESTAMP, "2024-01-31T10:15:00+01:00")).isEmpty();
        assertThat(Values.fromText(ValueType.TIMESTAMP_TZ, "2024-01-31T10:15:00+01:00"))
                .hasValue(OffsetDateTime.of(2024, 1, 31, 10, 15, 0, 0, ZoneOffset.ofHours(1)));
        assertThat(Values.fromText(ValueType.TIMESTAMP_TZ, "2024-01-31T10:15:00Z")).isPresent();
        assertThat(Values.fromText(ValueType.TIMESTAMP_TZ, "2024-01-31T10:15:00")).isEqualTo(Optional.empty());
    }

    @Test
    void onlyJsonBodiesInUtf8AreTaken() {
        assertThat(ApiHandler.jsonProblem("application/json")).isNull();
        assertThat(ApiHandler.jsonProblem("application/json;charset=utf-8")).isNull();
        assertThat(ApiHandler.jsonProblem("application/merge-patch+json")).isNull();
        assertThat(ApiHandler.jsonProblem("application/json; charset=utf-16")).contains("utf-16");
        assertThat(ApiHandler.jsonProblem("text/json")).contains("text/json");
        assertThat(ApiHandler.jsonProblem("application/jsonx")).isNotNull();
    }

    @Test
    void requestTextIsLoggedWithControlCharactersEscapedAndBounded() {
        assertThat(LogText.escape("/api/views/a\u001B[31mred\r\nFAKE LINE\u0085\u2028\\x"))
                .isEqualTo("/api/views/a\\u001B[31mred\\u000D\\u000AFAKE LINE\\u0085\\u2028\\\\x");
        assertThat(LogText.escape("x".repeat(5000))).hasSize(LogText.MAX_LENGTH + 1).endsWith("\u2026");
        assertThat(LogText.escape("caf\u00e9 /orders%20to%20push")).isEqualTo("caf\u00e9 /orders%20to%20push");
    }
}
