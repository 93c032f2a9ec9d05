package io.viewpush.http.api;

import io.viewpush.engine.ViewPush;
import io.viewpush.expression.Snapshot;
import io.viewpush.expression.ValueType;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.RowSource;
import io.viewpush.port.ViewSchema;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A view of {@code n} rows that exist nowhere: each is made when the cursor reaches it (key
 * {@code 1..n}), so a pull of a million rows needs no memory for them. Honours {@link Page}.
 */
final class GeneratedRows implements RowSource, ViewSchema {
    static final String VIEW = "generated rows";
    private static final LocalDateTime BASE = LocalDateTime.of(2024, 1, 1, 0, 0);

    private final long n;

    GeneratedRows(long n) {
        this.n = n;
    }

    static ViewDefinition definition() {
        return ViewDefinition.builder(VIEW, "generated")
                .key("id")
                .field("id", "id")
                .field("customer", "customer")
                .field("amount", "amount")
                .field("created", "created")
                .build();
    }

    ViewPush engine() {
        return ViewPush.builder().schema(this).rowSource(this).view(definition()).build();
    }

    @Override
    public Map<String, ValueType> fieldTypes(ViewDefinition definition) {
        return Map.of("id", ValueType.NUMBER, "customer", ValueType.TEXT, "amount", ValueType.NUMBER,
                "created", ValueType.TIMESTAMP);
    }

    @Override
    public RowCursor open(View view, Snapshot snapshot, Page page) {
        long first = page.after().map(a -> ((BigDecimal) a.single()).setScale(0, java.math.RoundingMode.FLOOR).longValue() + 1)
                .orElse(1L);
        long last = page.limit() == 0 ? n : Math.min(n, first + page.limit() - 1);
        return new RowCursor() {
            private long next = Math.max(1, first);

            @Override
            public boolean hasNext() {
                return next <= last;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                long id = next++;
                return Row.of(view.columns(), BigDecimal.valueOf(id), "customer " + id,
                        BigDecimal.valueOf(id * 101, 2), BASE.plusSeconds(id));
            }

            @Override
            public void close() {
                next = Long.MAX_VALUE;
            }
        };
    }
}
