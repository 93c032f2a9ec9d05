package io.viewpush.http.transport;

import io.viewpush.expression.ValueType;
import io.viewpush.push.PushPolicy;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Views and rows for the transport tests: one field of every value type. */
final class TestViews {
    static final String VIEW = "orders to push";

    private TestViews() {
    }

    /** Fast retries: 3 attempts, 5..50 ms backoff, Retry-After honoured up to 5 s. */
    static final RetrySettings FAST = new RetrySettings(3, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(5));

    /** The HTTP target each test view was made with (a view carries only the transport-neutral policy). */
    private static final Map<View, HttpPushTarget> TARGETS = Collections.synchronizedMap(new IdentityHashMap<>());

    static View view(URI url, UnaryOperator<HttpPushTarget.Builder> target) {
        return view(VIEW, url, target);
    }

    /** @return the HTTP target {@code view} was made with */
    static HttpPushTarget target(View view) {
        return TARGETS.get(view);
    }

    static View view(String name, URI url, UnaryOperator<HttpPushTarget.Builder> target) {
        return view(name, url, target, p -> p);
    }

    /** A view with options of its push policy too (rows per batch, answers row by row). */
    static View view(URI url, UnaryOperator<HttpPushTarget.Builder> target, UnaryOperator<PushPolicy.Builder> policy) {
        return view(VIEW, url, target, policy);
    }

    static View view(String name, URI url, UnaryOperator<HttpPushTarget.Builder> target,
                     UnaryOperator<PushPolicy.Builder> policy) {
        HttpPushTarget t = target.apply(HttpPushTarget.builder(url).retry(FAST).timeout(Duration.ofSeconds(5))).build();
        PushPolicy p = policy.apply(PushPolicy.builder("last pushed")).build();
        ViewDefinition def = ViewDefinition.builder(name, "orders").key("id")
                .field("id", "id")
                .field("customer", "customer")
                .field("amount", "amount")
                .field("paid", "paid")
                .field("last pushed", "last_pushed")
                .field("placed at", "placed_at")
                .field("due", "due")
                .push(p)
                .build();
        Map<String, ValueType> types = new LinkedHashMap<>();
        types.put("id", ValueType.NUMBER);
        types.put("customer", ValueType.TEXT);
        types.put("amount", ValueType.NUMBER);
        types.put("paid", ValueType.BOOLEAN);
        types.put("last pushed", ValueType.TIMESTAMP);
        types.put("placed at", ValueType.TIMESTAMP_TZ);
        types.put("due", ValueType.DATE);
        View view = def.bind(types);
        TARGETS.put(view, t);
        return view;
    }

    static Row row(View view, long id, String customer, String amount, Boolean paid, LocalDateTime lastPushed,
                   OffsetDateTime placedAt, LocalDate due) {
        return Row.of(view.columns(), BigDecimal.valueOf(id), customer, amount == null ? null : new BigDecimal(amount),
                paid, lastPushed, placedAt, due);
    }

    /** Rows exercising every type, nulls, exact decimals and awkward text. */
    static List<Row> awkwardRows(View view) {
        List<Row> rows = new ArrayList<>();
        rows.add(row(view, 1, "Ann & Bob = \"best\" + 100% #1", "1.10", true,
                LocalDateTime.of(2024, 1, 31, 10, 0), OffsetDateTime.of(2024, 1, 31, 10, 0, 0, 0, ZoneOffset.ofHours(1)),
                LocalDate.of(2024, 1, 31)));
        rows.add(row(view, 2, "back\\slash\nnew line\ttab, é, 漢字, emoji 😀", "12345678901234567890.123456789", false,
                LocalDateTime.of(2024, 2, 29, 23, 59, 58, 500_000_000), OffsetDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000, ZoneOffset.UTC),
                LocalDate.of(1999, 12, 31)));
        rows.add(row(view, 3, null, null, null, null, null, null));
        rows.add(row(view, 4, "x".repeat(100_000) + "→end", "-0.000001", true,
                LocalDateTime.of(2024, 3, 1, 0, 0, 1, 123_456_789), OffsetDateTime.of(2024, 3, 1, 0, 0, 0, 0, ZoneOffset.ofHoursMinutes(-5, -30)),
                LocalDate.of(2024, 3, 1)));
        rows.add(row(view, 5, "", "1E+3", false, null, null, null));
        return rows;
    }

    static List<Row> simpleRows(View view, int from, int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            rows.add(row(view, i, "customer " + i, i + ".50", i % 2 == 0, null, null, LocalDate.of(2024, 1, 1)));
        }
        return rows;
    }
}
