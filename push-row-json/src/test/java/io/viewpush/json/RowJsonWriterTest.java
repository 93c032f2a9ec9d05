package io.viewpush.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.viewpush.expression.ValueType;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowJsonWriterTest {
    private final RowJsonWriter writer = RowJsonWriter.create();

    private static View view() {
        Map<String, ValueType> types = new LinkedHashMap<>();
        types.put("id", ValueType.NUMBER);
        types.put("customer name", ValueType.TEXT);
        types.put("amount", ValueType.NUMBER);
        types.put("paid", ValueType.BOOLEAN);
        types.put("last modified [auto]", ValueType.TIMESTAMP);
        types.put("placed at", ValueType.TIMESTAMP_TZ);
        types.put("due", ValueType.DATE);
        types.put("big", ValueType.BOOLEAN);
        ViewDefinition.Builder b = ViewDefinition.builder("orders", "orders").key("id");
        types.keySet().forEach(f -> b.field(f, f.replace(' ', '_')));
        return b.build().bind(types);
    }

    private static Row row(View v, Object... values) {
        return Row.of(v.columns(), values);
    }

    private String json(View v, List<Row> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = writer.writeArray(v, rows.iterator(), out);
        assertThat(n).isEqualTo(rows.size());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesEveryTypeExactlyInTheViewsOrder() throws IOException {
        View v = view();
        Row r = row(v, new BigDecimal("1"), "Ann", new BigDecimal("1.10"), true,
                LocalDateTime.of(2024, 1, 31, 10, 0), OffsetDateTime.of(2024, 1, 31, 10, 0, 0, 0, ZoneOffset.ofHours(1)),
                LocalDate.of(2024, 1, 31), false);
        assertThat(json(v, List.of(r))).isEqualTo("[{\"id\":1,\"customer name\":\"Ann\",\"amount\":1.10,\"paid\":true,"
                + "\"last modified [auto]\":\"2024-01-31T10:00:00\",\"placed at\":\"2024-01-31T10:00:00+01:00\","
                + "\"due\":\"2024-01-31\",\"big\":false}]");
    }

    @Test
    void writesEmptyAsNullAndAnEmptyBatchAsAnEmptyArray() throws IOException {
        View v = view();
        assertThat(json(v, List.of(row(v, BigDecimal.ONE, null, null, null, null, null, null, null))))
                .isEqualTo("[{\"id\":1,\"customer name\":null,\"amount\":null,\"paid\":null,\"last modified [auto]\":null,"
                        + "\"placed at\":null,\"due\":null,\"big\":null}]");
        assertThat(json(v, List.of())).isEqualTo("[]");
    }

    @Test
    void writesDecimalsExactlyAndPlainNeverThroughAFloat() throws IOException {
        View v = view();
        String[] in = {"1.10", "12345678901234567890.123456789", "-0.000001", "1E+3", "0.1", "1E-12", "0", "-5"};
        String[] out = {"1.10", "12345678901234567890.123456789", "-0.000001", "1000", "0.1", "0.000000000001", "0", "-5"};
        for (int i = 0; i < in.length; i++) {
            String j = json(v, List.of(row(v, new BigDecimal(in[i]), null, null, null, null, null, null, null)));
            assertThat(j).as(in[i]).startsWith("[{\"id\":" + out[i] + ",");
            assertThat(new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(j).get(0).get("id").decimalValue()).isEqualByComparingTo(in[i]);
        }
    }

    @Test
    void writesSecondsAlwaysAndFractionsOnlyWhenPresentWithoutTrailingZeros() throws IOException {
        View v = view();
        LocalDateTime[] ts = {LocalDateTime.of(2024, 1, 31, 10, 0), LocalDateTime.of(2024, 1, 31, 10, 0, 5, 500_000_000),
                LocalDateTime.of(2024, 1, 31, 10, 0, 5, 123_456_000), LocalDateTime.of(2024, 1, 31, 10, 0, 5, 1)};
        String[] expected = {"2024-01-31T10:00:00", "2024-01-31T10:00:05.5", "2024-01-31T10:00:05.123456",
                "2024-01-31T10:00:05.000000001"};
        for (int i = 0; i < ts.length; i++) {
            String j = json(v, List.of(row(v, BigDecimal.ONE, null, null, null, ts[i],
                    OffsetDateTime.of(ts[i], ZoneOffset.UTC), null, null)));
            assertThat(j).contains("\"last modified [auto]\":\"" + expected[i] + "\"")
                    .contains("\"placed at\":\"" + expected[i] + "Z\"");
        }
    }

    @Test
    void escapesOnlyWhatJsonRequiresAndWritesUnicodeAsUtf8() throws IOException {
        View v = view();
        String text = "q\"b\\s/n\nt\tc\u0001 é 漢字 😀 & = + % #";
        String j = json(v, List.of(row(v, BigDecimal.ONE, text, null, null, null, null, null, null)));
        assertThat(j).contains("\"customer name\":\"q\\\"b\\\\s/n\\nt\\tc\\u0001 é 漢字 😀 & = + % #\"");
        assertThat(new ObjectMapper().readTree(j).get(0).get("customer name").asText()).isEqualTo(text);
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        assertThat(emoji).hasSize(4);
        assertThat(indexOf(j.getBytes(StandardCharsets.UTF_8), emoji)).isPositive();
    }

    @Test
    void refusesALoneSurrogateNamingTheViewTheFieldAndTheRowKey() {
        View v = view();
        List<Row> rows = List.of(row(v, new BigDecimal("41"), "fine", null, null, null, null, null, null),
                row(v, new BigDecimal("42"), "bad \uD83D here", null, null, null, null, null, null));
        assertThatThrownBy(() -> json(v, rows))
                .isInstanceOf(RowEncodingException.class)
                .hasMessage("view 'orders', field 'customer name', row with key 42: its value is text that is not"
                        + " valid Unicode: a lone surrogate U+D83D at character 5, which JSON cannot carry")
                .satisfies(e -> {
                    RowEncodingException r = (RowEncodingException) e;
                    assertThat(r.view()).isEqualTo("orders");
                    assertThat(r.field()).isEqualTo("customer name");
                    assertThat(r.rowKey()).isEqualTo("42");
                });
        assertThatThrownBy(() -> json(v, List.of(row(v, BigDecimal.ONE, "\uDE00 trailing low", null, null, null, null, null, null))))
                .hasMessageContaining("lone surrogate U+DE00 at character 1");
        assertThatThrownBy(() -> json(v, List.of(row(v, BigDecimal.ONE, "ends high \uD83D", null, null, null, null, null, null))))
                .hasMessageContaining("lone surrogate U+D83D at character 11");
    }

    @Test
    void markingWritesAValueTheJsonCannotCarryAsNullAndNamesItsFieldsInALastMember() throws IOException {
        View v = view();
        List<Row> rows = List.of(row(v, new BigDecimal("41"), "fine", BigDecimal.ONE, null, null, null, null, null),
                row(v, new BigDecimal("42"), "bad \uD83D here", new BigDecimal("1e-10000"), true, null, null, null, null),
                row(v, new BigDecimal("43"), "also fine", null, null, null, null, null, null));
        List<String> marked = new java.util.ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long n = writer.writeArrayMarking(v, rows.iterator(), out, (r, fields) -> marked.add(r.key() + " " + fields));

        assertThat(n).isEqualTo(3);
        String j = out.toString(StandardCharsets.UTF_8);
        var tree = new ObjectMapper().readTree(j);
        assertThat(tree).hasSize(3);
        assertThat(tree.get(0).toString()).isEqualTo(json(v, rows.subList(0, 1)).replaceAll("^\\[|\\]$", ""));
        assertThat(tree.get(1).toString()).isEqualTo("{\"id\":42,\"customer name\":null,\"amount\":null,\"paid\":true,"
                + "\"last modified [auto]\":null,\"placed at\":null,\"due\":null,\"big\":null,"
                + "\"" + RowJsonWriter.UNENCODABLE_MEMBER + "\":[\"customer name\",\"amount\"]}");
        assertThat(tree.get(2).get("customer name").asText()).isEqualTo("also fine");
        assertThat(marked).containsExactly("42 [customer name, amount]");
        assertThatThrownBy(() -> json(v, rows)).as("without marking the writer still refuses")
                .isInstanceOf(RowEncodingException.class);
    }

    @Test
    void aNumberTheDatabaseHoldsButNoDecimalIsIsRefusedOrMarked() throws IOException {
        View v = view();
        Row nan = row(v, new BigDecimal("7"), "x", io.viewpush.view.Uncarriable.specialNumber("Infinity"), null, null,
                null, null, null);
        assertThatThrownBy(() -> json(v, List.of(nan))).isInstanceOf(RowEncodingException.class)
                .hasMessage("view 'orders', field 'amount', row with key 7: its value is Infinity, which is not an exact"
                        + " decimal number and has no JSON number form");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(writer.writeObjectMarking(v, nan, out)).containsExactly("amount");
        assertThat(new ObjectMapper().readTree(out.toByteArray()).get("amount").isNull()).isTrue();
    }

    @Test
    void markingOneObjectAnswersTheFieldsItWroteAsNull() throws IOException {
        View v = view();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(writer.writeObjectMarking(v, row(v, BigDecimal.ONE, "\uDC00", null, null, null, null, null, null), out))
                .containsExactly("customer name");
        assertThat(new ObjectMapper().readTree(out.toByteArray()).get(RowJsonWriter.UNENCODABLE_MEMBER).get(0).asText())
                .isEqualTo("customer name");
        assertThat(writer.writeObjectMarking(v, row(v, BigDecimal.ONE, "ok", null, null, null, null, null, null),
                new ByteArrayOutputStream())).isEmpty();
    }

    @Test
    void neverClosesTheStreamItWritesTo() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        OutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        View v = view();
        writer.writeArray(v, List.of(row(v, BigDecimal.ONE, "a", null, null, null, null, null, null)).iterator(), out);
        writer.writeObject(v, row(v, BigDecimal.ONE, "a", null, null, null, null, null, null), out);
        assertThat(closed).isFalse();
        assertThat(out.toString()).isEqualTo("[{\"id\":1,\"customer name\":\"a\",\"amount\":null,\"paid\":null,"
                + "\"last modified [auto]\":null,\"placed at\":null,\"due\":null,\"big\":null}]"
                + "{\"id\":1,\"customer name\":\"a\",\"amount\":null,\"paid\":null,"
                + "\"last modified [auto]\":null,\"placed at\":null,\"due\":null,\"big\":null}");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
