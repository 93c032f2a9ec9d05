package io.viewpush.http.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.viewpush.http.api.KeyRing.Caller;
import io.viewpush.push.PushPolicy;
import io.viewpush.view.Calculation;
import io.viewpush.view.Field;
import io.viewpush.view.View;
import io.viewpush.view.ViewDefinition;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The JSON documents the web console needs besides the API's own: who the key is
 * ({@code GET /api/me}), a view's definition ({@code GET /api/views/{view}/definition}) and the rows
 * waiting in it ({@code GET /api/views/{view}/waiting}). Durations are ISO-8601 ({@code PT30S}).
 */
final class ConsoleJson {
    private ConsoleJson() {
    }

    static byte[] me(Caller caller, List<String> views) {
        return ApiJson.write(g -> {
            g.writeStartObject();
            g.writeStringField("name", caller.name());
            g.writeBooleanField("admin", caller.admin());
            g.writeArrayFieldStart("views");
            for (String v : views) {
                g.writeString(v);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * The view's definition as configured: fields with their columns, calculations and filters as
     * written, the push policy's settings. The push URL only for admin keys, and then redacted
     * (scheme, host and port: the path or query may hold a credential); signing secrets never.
     */
    static byte[] definition(View view, boolean admin) {
        ViewDefinition d = view.definition();
        return ApiJson.write(g -> {
            g.writeStartObject();
            g.writeStringField("name", d.name());
            g.writeStringField("table", d.table());
            g.writeStringField("key", d.keyField());
            g.writeArrayFieldStart("fields");
            for (Field f : d.fields()) {
                g.writeStartObject();
                g.writeStringField("name", f.name());
                g.writeStringField("column", f.column());
                g.writeStringField("type", view.typeOf(f.name()).label());
                g.writeBooleanField("writable", d.writable().contains(f.name()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("calculations");
            for (Calculation c : d.calculations()) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("expression", c.expression());
                g.writeStringField("type", view.typeOf(c.name()).label());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("filters");
            for (String f : d.filters()) {
                g.writeString(f);
            }
            g.writeEndArray();
            g.writeFieldName("push");
            if (d.push().isPresent()) {
                push(g, d.push().get(), admin);
            } else {
                g.writeNull();
            }
            g.writeEndObject();
        });
    }

    private static void push(JsonGenerator g, PushPolicy p, boolean admin) throws IOException {
        g.writeStartObject();
        if (admin) {
            g.writeStringField("url", p.redactedUrl());
        }
        g.writeStringField("stamp", p.stampField());
        g.writeFieldName("modified");
        if (p.modifiedField().isPresent()) {
            g.writeString(p.modifiedField().get());
        } else {
            g.writeNull();
        }
        g.writeStringField("minInterval", p.minInterval().toString());
        g.writeNumberField("maxRows", p.maxRows());
        g.writeStringField("format", p.format().configName());
        g.writeStringField("success", p.success() == PushPolicy.SuccessRule.EXACTLY_200 ? "200" : "2xx");
        g.writeStringField("timeout", p.timeout().toString());
        g.writeBooleanField("signed", !p.secrets().isEmpty());
        g.writeEndObject();
    }

    static byte[] waiting(String view, RowsWaiting.Count count) {
        return ApiJson.write(g -> {
            g.writeStartObject();
            g.writeStringField("view", view);
            g.writeNumberField("rows", count.rows());
            g.writeBooleanField("more", count.more());
            g.writeNumberField("limit", count.limit());
            g.writeStringField("countedAt", Instant.ofEpochMilli(count.countedAtMillis()).toString());
            g.writeEndObject();
        });
    }
}
