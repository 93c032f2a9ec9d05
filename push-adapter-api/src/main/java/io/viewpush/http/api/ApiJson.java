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
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.push.PushHistory;
import io.viewpush.push.Replay;
import io.viewpush.view.ReplaySelection;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
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

    /** Writes one item of a JSON array. */
    private interface Item<T> {
        void write(JsonGenerator g, T item) throws IOException;
    }

    /** @return the items as a JSON array, each written by {@code item} */
    private static <T> byte[] array(List<T> items, Item<T> item) {
        return write(g -> {
            g.writeStartArray();
            for (T t : items) {
                item.write(g, t);
            }
            g.writeEndArray();
        });
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
                if (v.keyFields().size() == 1) {
                    g.writeStringField("key", v.keyField());
                } else {
                    // a composite key: its fields in key order
                    g.writeArrayFieldStart("key");
                    for (String k : v.keyFields()) {
                        g.writeString(k);
                    }
                    g.writeEndArray();
                }
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
                g.writeBooleanField("paused", s.paused().isPresent());
                g.writeFieldName("pause");
                pause(g, s.paused());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** A pause as an object ({@code reason}, {@code detail}, {@code since}, {@code by}), or null. */
    private static void pause(JsonGenerator g, Optional<Pause> pause) throws IOException {
        if (pause.isEmpty()) {
            g.writeNull();
            return;
        }
        Pause p = pause.get();
        g.writeStartObject();
        g.writeStringField("reason", p.reason().code());
        g.writeStringField("detail", p.detail());
        g.writeStringField("since", DateTimeFormatter.ISO_INSTANT.format(p.since()));
        g.writeStringField("by", p.by());
        g.writeEndObject();
    }

    /** The answer to a pause: {@code {"view", "paused": true, "changed", "pause": {…}}}. */
    static byte[] paused(String view, Pause pause, boolean changed) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("view", view);
            g.writeBooleanField("paused", true);
            g.writeBooleanField("changed", changed);
            g.writeFieldName("pause");
            pause(g, Optional.of(pause));
            g.writeEndObject();
        });
    }

    /** The answer to a resume: {@code {"view", "paused": false, "changed", "ended": {…} or null}}. */
    static byte[] resumed(String view, Optional<Pause> ended) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("view", view);
            g.writeBooleanField("paused", false);
            g.writeBooleanField("changed", ended.isPresent());
            g.writeFieldName("ended");
            pause(g, ended);
            g.writeEndObject();
        });
    }

    static byte[] replay(Replay r) {
        return write(g -> replay(g, r));
    }

    static byte[] replays(List<Replay> replays) {
        return array(replays, ApiJson::replay);
    }

    private static void replay(JsonGenerator g, Replay r) throws IOException {
        g.writeStartObject();
        g.writeStringField("view", r.view());
        g.writeStringField("selection", r.selection());
        g.writeNumberField("rows", r.rows());
        g.writeBooleanField("dryRun", r.dryRun());
        g.writeStringField("by", r.by());
        g.writeStringField("at", DateTimeFormatter.ISO_INSTANT.format(r.at()));
        g.writeEndObject();
    }

    /**
     * A replay request's body: exactly one of {@code "all": true}, {@code "keys": [k, …]} (each a
     * key's text form, or a number) and {@code "since": "ISO-8601 time"}, and optionally
     * {@code "dryRun": true}.
     *
     * @param keyOf reads a key's text form as the view's key
     * @param zone  the zone of a {@code since} without offset
     * @throws ApiError 400 naming what is wrong
     */
    static ReplayRequest parseReplay(byte[] body, java.util.function.Function<String, Optional<RowKey>> keyOf,
                                     java.time.ZoneId zone) {
        String shape = "send one of {\"all\": true}, {\"keys\": [\"k1\", \"k2\"]} or {\"since\": \"2024-05-01T10:00:00Z\"},"
                + " with \"dryRun\": true to count only";
        try (JsonParser p = READ.createParser(body == null ? new byte[0] : body)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw ApiError.badRequest("malformed_json", "the body must be a JSON object: " + shape);
            }
            List<ReplaySelection> chosen = new ArrayList<>();
            boolean dryRun = false;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = p.nextToken();
                switch (name) {
                    case "all":
                        if (t != JsonToken.VALUE_TRUE) {
                            throw ApiError.badRequest("bad_replay", "\"all\" must be true; " + shape);
                        }
                        chosen.add(ReplaySelection.all());
                        break;
                    case "keys":
                        if (t != JsonToken.START_ARRAY) {
                            throw ApiError.badRequest("bad_replay", "\"keys\" must be an array of keys; " + shape);
                        }
                        List<RowKey> keys = new ArrayList<>();
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT
                                    && t != JsonToken.VALUE_NUMBER_FLOAT) {
                                throw ApiError.badRequest("bad_replay", "each of \"keys\" must be a key as text or a"
                                        + " number, not " + t.asString());
                            }
                            String text = p.getText();
                            keys.add(keyOf.apply(text).orElseThrow(() -> ApiError.badRequest("bad_key", "'"
                                    + Values.cut(text) + "' is not a key of this view")));
                        }
                        if (keys.isEmpty()) {
                            throw ApiError.badRequest("bad_replay", "\"keys\" is empty: name at least one key");
                        }
                        chosen.add(ReplaySelection.keys(keys));
                        break;
                    case "since":
                        if (t != JsonToken.VALUE_STRING) {
                            throw ApiError.badRequest("bad_replay", "\"since\" must be a time as a string; " + shape);
                        }
                        try {
                            chosen.add(ReplaySelection.since(ReplaySelection.parseTime(p.getText(), zone)));
                        } catch (IllegalArgumentException e) {
                            throw ApiError.badRequest("bad_replay", "\"since\": " + e.getMessage());
                        }
                        break;
                    case "dryRun":
                        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                            throw ApiError.badRequest("bad_replay", "\"dryRun\" must be true or false");
                        }
                        dryRun = t == JsonToken.VALUE_TRUE;
                        break;
                    default:
                        throw ApiError.badRequest("bad_replay", "unknown member \"" + Values.cut(name) + "\"; " + shape);
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw ApiError.badRequest("malformed_json", "the body is not one complete JSON object");
            }
            if (chosen.size() != 1) {
                throw ApiError.badRequest("bad_replay", (chosen.isEmpty() ? "no rows chosen" : "choose rows one way only")
                        + ": " + shape);
            }
            return new ReplayRequest(chosen.get(0), dryRun);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw ApiError.badRequest("malformed_json", "the body is not valid JSON" + where + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory failed", e);
        }
    }

    /** A replay request: which rows, and whether only to count them. */
    record ReplayRequest(ReplaySelection which, boolean dryRun) {
    }

    /**
     * An optional pause body: {@code {"detail": "why"}}; empty without a body.
     *
     * @throws ApiError 400 for anything else
     */
    static Optional<String> parsePauseDetail(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try (JsonParser p = READ.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.badRequest("malformed_json", "the body must be a JSON object such as {\"detail\": \"why\"}");
            }
            Optional<String> detail = Optional.empty();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = p.nextToken();
                if (!name.equals("detail") || t != JsonToken.VALUE_STRING) {
                    throw ApiError.badRequest("bad_request", "a pause takes only {\"detail\": \"why\"}");
                }
                detail = Optional.of(p.getText());
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw ApiError.badRequest("malformed_json", "the body is not one complete JSON object");
            }
            return detail;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("malformed_json", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory failed", e);
        }
    }

    static byte[] attempt(PushAttempt a) {
        return write(g -> attempt(g, a));
    }

    static byte[] attempts(List<PushAttempt> attempts) {
        return array(attempts, ApiJson::attempt);
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
                    throw ApiError.badRequest("not_writable", "field '" + field + "' of view '" + view.name() + "' is "
                            + view.definition().field(field).flatMap(io.viewpush.view.Field::derivedDescription)
                            .map(d -> d + ", which is read-only").orElse("not writable")
                            + "; writable fields: " + writableInOrder(view));
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
