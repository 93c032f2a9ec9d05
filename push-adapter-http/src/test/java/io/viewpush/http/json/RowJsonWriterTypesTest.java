package io.viewpush.http.json;

import io.viewpush.expression.ValueType;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The row JSON of the column types beyond the first six: exactly as the README's table says. */
class RowJsonWriterTypesTest {
    private final RowJsonWriter writer = RowJsonWriter.create();

    private static View view() {
        Map<String, ValueType> types = new LinkedHashMap<>();
        types.put("id", ValueType.UUID);
        types.put("rating", ValueType.ENUM);
        types.put("doc", ValueType.JSON);
        types.put("tags", ValueType.ARRAY);
        types.put("cover", ValueType.BYTES);
        types.put("score", ValueType.FLOAT);
        types.put("starts", ValueType.TIME);
        types.put("starts tz", ValueType.TIME_TZ);
        types.put("length", ValueType.INTERVAL);
        types.put("ip", ValueType.OTHER);
        ViewDefinition.Builder b = ViewDefinition.builder("films", "films").key("id");
        types.keySet().forEach(f -> b.field(f, f.replace(' ', '_')));
        return b.build().bind(types);
    }

    private String json(View v, Object... values) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.writeArray(v, List.of(Row.of(v.columns(), values)).iterator(), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesEachTypeInItsJsonForm() throws IOException {
        View v = view();
        assertThat(json(v, UUID.fromString("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"), "PG-13",
                "{\"a\": [1, 2.50, null], \"b\": {\"c\": \"é\"}}", "[[\"x\",null],[\"y\",\"z\"]]", new byte[]{1, 2, (byte) 0xff},
                0.1d, LocalTime.of(10, 15), OffsetTime.of(10, 15, 30, 250_000_000, ZoneOffset.ofHours(2)),
                "P1Y2M3DT4H5M6.5S", "10.0.0.1"))
                .isEqualTo("[{\"id\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\",\"rating\":\"PG-13\","
                        + "\"doc\":{\"a\": [1, 2.50, null], \"b\": {\"c\": \"é\"}},\"tags\":[[\"x\",null],[\"y\",\"z\"]],"
                        + "\"cover\":\"AQL/\",\"score\":0.1,\"starts\":\"10:15:00\",\"starts tz\":\"10:15:30.25+02:00\","
                        + "\"length\":\"P1Y2M3DT4H5M6.5S\",\"ip\":\"10.0.0.1\"}]");
    }

    @Test
    void writesNanAndInfinitiesAsStringsAndEmptyAsNull() throws IOException {
        View v = view();
        UUID id = UUID.randomUUID();
        assertThat(json(v, id, null, null, null, null, Double.NaN, null, null, null, null))
                .contains("\"score\":\"NaN\"").contains("\"doc\":null").contains("\"tags\":null").contains("\"cover\":null");
        assertThat(json(v, id, null, null, null, null, Double.POSITIVE_INFINITY, null, null, null, null))
                .contains("\"score\":\"Infinity\"");
        assertThat(json(v, id, null, null, null, null, Double.NEGATIVE_INFINITY, null, null, null, null))
                .contains("\"score\":\"-Infinity\"");
    }

    @Test
    void aJsonValueIsTheValueItselfAtAnyDepth() throws IOException {
        View v = view();
        for (String doc : List.of("1", "\"text\"", "true", "null", "[]", "{}", "{\"deep\":[[[{\"x\":[1]}]]]}")) {
            assertThat(json(v, UUID.randomUUID(), null, doc, null, null, null, null, null, null, null))
                    .contains("\"doc\":" + doc + ",");
        }
    }

    @Test
    void writesALargeBinaryValueAsBase64() throws IOException {
        View v = view();
        byte[] big = new byte[3 * 1024 * 1024];
        Arrays.fill(big, (byte) 7);
        String out = json(v, UUID.randomUUID(), null, null, null, big, null, null, null, null, null);
        assertThat(out).contains("\"cover\":\"" + java.util.Base64.getEncoder().encodeToString(big) + "\"");
    }

    @Test
    void refusesALoneSurrogateInJsonText() {
        View v = view();
        assertThatThrownBy(() -> json(v, UUID.randomUUID(), null, "\"\uD800\"", null, null, null, null, null, null, null))
                .isInstanceOf(RowEncodingException.class).hasMessageContaining("doc");
    }
}
