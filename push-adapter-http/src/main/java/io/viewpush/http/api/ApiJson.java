package io.viewpush.http.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.viewpush.engine.ViewStatus;
import io.viewpush.json.RowJsonWriter;
import io.viewpush.push.HeldBackRow;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import io.viewpush.view.Row;
import io.viewpush.view.View;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The API's JSON documents other than the rows themselves (which {@link RowJsonWriter} writes, so a
 * pulled row is byte for byte the row a receiver gets), and the parsing of a row update's body.
 * Instants are ISO-8601 in UTC ({@code 2024-01-31T10:15:30Z}); enum values are lower case.
 */
final class ApiJson {
    private static final JsonFactory WRITE = RowJsonWriter.create().jsonFactory();
    private static final JsonFactory READ = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    private ApiJson() {
    }

    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = WRITE.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    static byte[] error(String code, String detail) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", code);
            g.writeStringField("detail", detail);
            g.writeEndObject();
        });
    }

    static byte[] healthy() {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("status", "ok");
            g.writeEndObject();
        });
    }

    static byte[] unhealthy(String detail) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("status", "unavailable");
            g.writeStringField("error", "unavailable");
            g.writeStringField("detail", detail);
            g.writeEndObject();
        });
    }

    static byte[] row(View view, Row row) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            // marking, like a pull: the update may have left another field holding a value the
            // row JSON cannot carry (written by another application), and the update is committed
            RowJsonWriter.create().writeObjectMarking(view, row, out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    static byte[] views(List<View> views, List<ViewStatus> statuses) {
        return write(g -> {
            g.writeStartArray();
            for (int i = 0; i < views.size(); i++) {
                View v = views.get(i);
                ViewStatus s = statuses.get(i);
                PushHistory h = s.history();
                g.writeStartObject();
                g.writeStringField("name", v.name());
                g.writeStringField("table", v.table());
                g.writeStringField("key", v.keyField());
                g.writeArrayFieldStart("fields");
                for (int c = 0; c < v.columns().size(); c++) {
                    g.writeStartObject();
                    g.writeStringField("name", v.columns().name(c));
                    g.writeStringField("type", v.columns().type(c).label());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("writable");
                for (String w : writableInOrder(v)) {
                    g.writeString(w);
                }
                g.writeEndArray();
                g.writeBooleanField("pushable", s.pushable());
                instant(g, "lastStart", h.lastStart());
                instant(g, "lastSuccess", h.lastSuccess());
                instant(g, "lastFailure", h.lastFailure());
                g.writeFieldName("lastFailureReason");
                if (h.lastFailureReason().isPresent()) {
                    g.writeString(h.lastFailureReason().get());
                } else {
                    g.writeNull();
                }
                g.writeNumberField("consecutiveFailures", h.consecutiveFailures());
                instant(g, "nextDue", s.nextDue());
                g.writeBooleanField("pushing", s.pushing());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    static byte[] attempt(PushAttempt a) {
        return write(g -> attempt(g, a));
    }

    static byte[] attempts(List<PushAttempt> attempts) {
        return write(g -> {
            g.writeStartArray();
            for (PushAttempt a : attempts) {
                attempt(g, a);
            }
            g.writeEndArray();
        });
    }

    private static void attempt(JsonGenerator g, PushAttempt a) throws IOException {
        g.writeStartObject();
        g.writeStringField("view", a.view());
        g.writeStringField("trigger", a.trigger().name().toLowerCase(Locale.ROOT));
        g.writeStringField("status", a.status().name().toLowerCase(Locale.ROOT));
        g.writeStringField("outcome", a.outcome().name().toLowerCase(Locale.ROOT));
        g.writeNumberField("rowsSent", a.rowsSent());
        g.writeNumberField("rowsStamped", a.rowsStamped());
        g.writeNumberField("rowsSkipped", a.rowsSkipped());
        g.writeNumberField("batches", a.batches());
        g.writeNumberField("bytes", a.bytes());
        g.writeFieldName("httpStatus");
        if (a.httpStatus().isPresent()) {
            g.writeNumber(a.httpStatus().getAsInt());
        } else {
            g.writeNull();
        }
        g.writeStringField("reason", a.reason());
        g.writeStringField("startedAt", DateTimeFormatter.ISO_INSTANT.format(a.startedAt()));
        g.writeStringField("finishedAt", DateTimeFormatter.ISO_INSTANT.format(a.finishedAt()));
        g.writeNumberField("durationMs", a.duration().toMillis());
        g.writeArrayFieldStart("webhookIds");
        for (String id : a.webhookIds()) {
            g.writeString(id);
        }
        g.writeEndArray();
        g.writeNumberField("rowsHeldBack", a.heldBack().count());
        g.writeArrayFieldStart("heldBack");
        for (HeldBackRow r : a.heldBack().first()) {
            g.writeStartObject();
            g.writeStringField("key", r.key());
            g.writeStringField("field", r.field());
            g.writeStringField("problem", r.problem());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void instant(JsonGenerator g, String name, Optional<Instant> value) throws IOException {
        g.writeFieldName(name);
        if (value.isPresent()) {
            g.writeString(DateTimeFormatter.ISO_INSTANT.format(value.get()));
        } else {
            g.writeNull();
        }
    }

    /** @return the view's writable fields in the view's order */
    static List<String> writableInOrder(View view) {
        List<String> out = new ArrayList<>();
        for (String name : view.columns().names()) {
            if (view.writable().contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * Parses a row update's body: one JSON object of writable field to value, each value checked
     * and converted against its field's type.
     *
     * @throws ApiError 400 naming what is wrong: malformed JSON, not an object, an unknown, not
     *                  writable or ill-typed field
     */
    static Map<String, Object> parseUpdate(byte[] body, View view) {
        try (JsonParser p = READ.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw ApiError.badRequest("malformed_json", "the body is empty: send a JSON object such as "
                        + example(view));
            }
            if (t != JsonToken.START_OBJECT) {
                throw ApiError.badRequest("malformed_json", "the body must be a JSON object such as " + example(view));
            }
            Map<String, Object> values = new LinkedHashMap<>();
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (view.columns().indexOf(field).isEmpty()) {
                    throw ApiError.badRequest("unknown_field", "view '" + view.name() + "' has no field '" + field
                            + "'; writable fields: " + writableInOrder(view));
                }
                if (!view.writable().contains(field)) {
                    throw ApiError.badRequest("not_writable", "field '" + field + "' of view '" + view.name()
                            + "' is not writable; writable fields: " + writableInOrder(view));
                }
                values.put(field, Values.fromJson(p, field, view.typeOf(field)));
            }
            if (t != JsonToken.END_OBJECT) {
                throw ApiError.badRequest("malformed_json", "the body is not a complete JSON object");
            }
            if (p.nextToken() != null) {
                throw ApiError.badRequest("malformed_json", "the body has more after its JSON object");
            }
            return values;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw ApiError.badRequest("malformed_json", "the body is not valid JSON" + where + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory failed", e);
        }
    }

    private static String example(View view) {
        List<String> w = writableInOrder(view);
        return w.isEmpty() ? "{\"field\": value} (but this view has no writable fields)"
                : "{\"" + w.get(0) + "\": value}";
    }
}
