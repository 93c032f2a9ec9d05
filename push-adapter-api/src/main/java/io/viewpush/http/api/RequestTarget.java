package io.viewpush.http.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request target split the safe way: the raw path is cut at {@code /} <em>before</em> anything is
 * decoded, and each segment is percent-decoded exactly once, as strict UTF-8. So {@code %2F} in a
 * view name is a slash inside that name (never a path separator), {@code %252F} is the text
 * {@code %2F}, and {@code ..} is just a name: no segment can climb into another route or view.
 * Route words ({@code api}, {@code views}, {@code rows}, ...) are compared with the raw segment,
 * so an encoded spelling of them matches nothing.
 */
final class RequestTarget {
    private final String rawPath;
    private final List<String> rawSegments;
    private final String rawQuery;

    private RequestTarget(String rawPath, List<String> rawSegments, String rawQuery) {
        this.rawPath = rawPath;
        this.rawSegments = rawSegments;
        this.rawQuery = rawQuery;
    }

    /**
     * @param rawPath  the path as received, still percent-encoded
     * @param rawQuery the query as received, or null
     * @throws ApiError 400 when it is not a path
     */
    static RequestTarget of(String rawPath, String rawQuery) {
        return parse(rawQuery == null ? rawPath : rawPath + "?" + rawQuery);
    }

    /**
     * @param target the request target as received ({@code /api/views/a%20b?limit=5})
     * @throws ApiError 400 when it is not a path
     */
    static RequestTarget parse(String target) {
        if (target == null || !target.startsWith("/")) {
            throw ApiError.badRequest("bad_request", "the request target must be a path starting with '/'");
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (true) {
            int slash = path.indexOf('/', start);
            if (slash < 0) {
                segments.add(path.substring(start));
                break;
            }
            segments.add(path.substring(start, slash));
            start = slash + 1;
        }
        return new RequestTarget(path, List.copyOf(segments), query);
    }

    /** @return the path as received, without the query (what may be logged) */
    String rawPath() {
        return rawPath;
    }

    /** @return the raw segments after the leading slash ({@code "/"} gives one empty segment) */
    List<String> rawSegments() {
        return rawSegments;
    }

    /**
     * Decodes segment {@code i} once.
     *
     * @param what what the segment is, for the error ("the view name")
     * @throws ApiError 400 when it is not valid percent-encoded UTF-8
     */
    String segment(int i, String what) {
        return decode(rawSegments.get(i), false)
                .orElseThrow(() -> ApiError.badRequest("bad_request", what + " in the path is not valid"
                        + " percent-encoded UTF-8"));
    }

    /**
     * Parses the query: names and values percent-decoded once, {@code +} as a space.
     *
     * @return every parameter's values, in order of appearance
     * @throws ApiError 400 naming the parameter whose encoding is bad
     */
    Map<String, List<String>> query() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String name = decode(rawName, true).orElseThrow(() -> ApiError.badRequest("bad_parameter",
                    "a query parameter name is not valid percent-encoded UTF-8"));
            String value = decode(rawValue, true).orElseThrow(() -> ApiError.badRequest("bad_parameter",
                    "parameter '" + name + "' is not valid percent-encoded UTF-8"));
            out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /**
     * Percent-decodes once as strict UTF-8.
     *
     * @param plusIsSpace true in a query (form encoding), false in a path
     * @return the text, or empty when an escape is malformed or the bytes are not UTF-8
     */
    static Optional<String> decode(String raw, boolean plusIsSpace) {
        if (raw.chars().allMatch(c -> c < 0x80 && c != '%' && !(plusIsSpace && c == '+'))) {
            return Optional.of(raw);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= raw.length() || !Character.isLowSurrogate(raw.charAt(i + 1))) {
                    return Optional.empty();
                }
                bytes.writeBytes(raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else {
                // the server decoded a raw UTF-8 request line into characters: these are the bytes sent
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
