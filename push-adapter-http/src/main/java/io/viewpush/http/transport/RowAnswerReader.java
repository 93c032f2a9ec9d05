package io.viewpush.http.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.viewpush.http.json.RowJsonWriter;
import io.viewpush.push.RowAnswers;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a receiver's answer row by row ({@code response: rows}): a 2xx whose body is the JSON object
 * {@code {"accepted": [k, ...], "rejected": [{"key": k, "reason": "..."}, ...]}}. A key is the row's
 * key as the row JSON shows it (a composite key: an array of its values in key order). A body that
 * is empty, not JSON, or a JSON object with neither member answers for the whole batch (all
 * accepted); a body that has either member must be exactly right, or the answer is malformed (the
 * batch failed, with the reason).
 */
final class RowAnswerReader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The keys of the rows of one batch as they streamed out, by their text in the row JSON. */
    static final class SentKeys implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final Map<String, RowKey> keys = new HashMap<>();

        SentKeys(Iterator<Row> rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = rows.next();
            RowKey key = row.rowKey();
            keys.put(canonical(key), key);
            return row;
        }

        Map<String, RowKey> keys() {
            return keys;
        }
    }

    /** The answer is not what {@code response: rows} asks for. */
    static final class MalformedAnswer extends Exception {
        MalformedAnswer(String message) {
            super(message, null, false, false);
        }
    }

    private RowAnswerReader() {
    }

    /**
     * @param body the answer's body (complete)
     * @param sent the batch's keys
     * @return the answers, or empty when the body answers for the whole batch
     * @throws MalformedAnswer naming what is wrong
     */
    static Optional<RowAnswers> read(byte[] body, Map<String, RowKey> sent) throws MalformedAnswer {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (!text.startsWith("{")) {
            return Optional.empty(); // "OK", "thanks", nothing: the whole batch
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            if (!text.contains("\"accepted\"") && !text.contains("\"rejected\"")) {
                return Optional.empty(); // not JSON, and no attempt at an answer row by row
            }
            throw new MalformedAnswer("the answer is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode accepted = root.get("accepted");
        JsonNode rejected = root.get("rejected");
        if (accepted == null && rejected == null) {
            return Optional.empty();
        }
        Set<List<Object>> ok = new HashSet<>();
        Map<List<Object>, String> refused = new LinkedHashMap<>();
        if (accepted != null && !accepted.isNull()) {
            if (!accepted.isArray()) {
                throw new MalformedAnswer("\"accepted\" must be an array of row keys, not " + kind(accepted));
            }
            for (int i = 0; i < accepted.size(); i++) {
                ok.add(key(accepted.get(i), sent, "accepted[" + i + "]").values());
            }
        }
        if (rejected != null && !rejected.isNull()) {
            if (!rejected.isArray()) {
                throw new MalformedAnswer("\"rejected\" must be an array of {\"key\": ..., \"reason\": ...}, not "
                        + kind(rejected));
            }
            for (int i = 0; i < rejected.size(); i++) {
                JsonNode r = rejected.get(i);
                String where = "rejected[" + i + "]";
                if (!r.isObject() || r.get("key") == null) {
                    throw new MalformedAnswer(where + " must be an object with a \"key\" (and a \"reason\"), not " + kind(r));
                }
                JsonNode reason = r.get("reason");
                if (reason != null && !reason.isNull() && !reason.isTextual()) {
                    throw new MalformedAnswer(where + ".reason must be text, not " + kind(reason));
                }
                List<Object> k = key(r.get("key"), sent, where + ".key").values();
                if (ok.contains(k)) {
                    throw new MalformedAnswer(where + ".key " + r.get("key") + " is also accepted");
                }
                refused.put(k, reason == null || reason.isNull() ? "no reason given" : printable(reason.asText()));
            }
        }
        return Optional.of(new RowAnswers(ok, refused));
    }

    private static RowKey key(JsonNode node, Map<String, RowKey> sent, String where) throws MalformedAnswer {
        String c = canonical(node);
        if (c == null) {
            throw new MalformedAnswer(where + " is not a row key (a number, text, true/false, or an array of them): "
                    + kind(node));
        }
        RowKey k = sent.get(c);
        if (k == null) {
            throw new MalformedAnswer(where + " " + cut(node.toString()) + " is not the key of a row of the batch");
        }
        return k;
    }

    /** @return the key as the row JSON shows it, in a form where equal keys are equal text */
    static String canonical(RowKey key) {
        if (key.size() == 1) {
            return value(key.single());
        }
        StringBuilder s = new StringBuilder("[");
        for (Object v : key.values()) {
            s.append(s.length() == 1 ? "" : "\u0001").append(value(v));
        }
        return s.append(']').toString();
    }

    private static String value(Object v) {
        if (v instanceof BigDecimal d) {
            return "n:" + number(d);
        }
        if (v instanceof Number n) {
            return "n:" + number(new BigDecimal(n.toString()));
        }
        if (v instanceof Boolean b) {
            return "b:" + b;
        }
        if (v instanceof LocalDateTime t) {
            return "s:" + RowJsonWriter.TIMESTAMP_FORMAT.format(t);
        }
        if (v instanceof OffsetDateTime t) {
            return "s:" + RowJsonWriter.TIMESTAMP_TZ_FORMAT.format(t);
        }
        if (v instanceof LocalDate d) {
            return "s:" + RowJsonWriter.DATE_FORMAT.format(d);
        }
        return "s:" + v;
    }

    private static String number(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private static String canonical(JsonNode n) {
        if (n.isArray()) {
            if (n.size() < 2) {
                return n.size() == 1 ? canonical(n.get(0)) : null;
            }
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < n.size(); i++) {
                String v = scalar(n.get(i));
                if (v == null) {
                    return null;
                }
                s.append(i == 0 ? "" : "\u0001").append(v);
            }
            return s.append(']').toString();
        }
        return scalar(n);
    }

    private static String scalar(JsonNode n) {
        if (n.isNumber()) {
            return "n:" + number(n.decimalValue());
        }
        if (n.isTextual()) {
            return "s:" + n.asText();
        }
        if (n.isBoolean()) {
            return "b:" + n.asBoolean();
        }
        return null;
    }

    private static String kind(JsonNode n) {
        return n.isObject() ? "an object" : n.isArray() ? "an array" : n.isTextual() ? "text" : n.isNumber() ? "a number"
                : n.isBoolean() ? "true/false" : "null";
    }

    private static String cut(String s) {
        return printable(s.length() > 80 ? s.substring(0, 80) + "…" : s);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 500; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString();
    }
}
