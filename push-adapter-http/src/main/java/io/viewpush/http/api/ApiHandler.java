package io.viewpush.http.api;

import io.viewpush.engine.InvalidUpdateException;
import io.viewpush.engine.UnknownViewException;
import io.viewpush.engine.ViewPush;
import io.viewpush.engine.ViewStatus;
import io.viewpush.expression.ValueType;
import io.viewpush.http.api.KeyRing.Caller;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StorageException;
import io.viewpush.push.PushAttempt;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.HttpRequestHandler;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Routes and answers every request (see {@link ApiServer} for the endpoints). Checks come in a fixed
 * order, so that nothing is revealed to whom may not know it: the route's shape, the key (every
 * {@code /api} path, known or not), the method, the view (a key that may not see it learns nothing
 * about whether it exists), admin rights, then the request's content.
 */
final class ApiHandler implements HttpRequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final ContentType JSON = ContentType.APPLICATION_JSON;
    /** Seconds a client is asked to wait after the database did not answer. */
    static final int DATABASE_RETRY_AFTER_SECONDS = 5;
    private static final List<String> QUERY_KEY_NAMES = List.of("key", "api_key", "apikey", "token", "access_token");

    private final ViewPush engine;
    private final KeyRing keys;
    private final int maxBodyBytes;
    private final Map<String, TextRoute> routes;
    private final BooleanSupplier draining;

    ApiHandler(ViewPush engine, KeyRing keys, int maxBodyBytes, Map<String, TextRoute> routes, BooleanSupplier draining) {
        this.engine = engine;
        this.keys = keys;
        this.maxBodyBytes = maxBodyBytes;
        this.routes = Map.copyOf(routes);
        this.draining = draining;
    }

    @Override
    public void handle(ClassicHttpRequest request, ClassicHttpResponse response, HttpContext context) {
        long started = System.nanoTime();
        Exchange x = new Exchange(request);
        Reply reply;
        try {
            Object protocolProblem = context == null ? null : context.getAttribute(ProtocolChecks.PROBLEM);
            if (protocolProblem != null) {
                throw new ApiError(400, "bad_request", "not a valid HTTP/1.1 request: " + protocolProblem);
            }
            x.target = RequestTarget.parse(request.getPath());
            reply = route(x);
        } catch (ApiError e) {
            reply = Reply.error(e);
        } catch (StorageException e) {
            reply = databaseUnavailable(x, e);
        } catch (RuntimeException e) {
            reply = internalError(x, e);
        }
        response.setCode(reply.status);
        reply.headers.forEach(response::setHeader);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setEntity(reply.entity);
        HttpEntity body = request.getEntity();
        if (body != null && !x.bodyRead && (body.getContentLength() < 0 || body.getContentLength() > maxBodyBytes)) {
            // HttpCore would read an unread body to its end to keep the connection: not an unbounded one
            request.setEntity(null);
            response.setHeader("Connection", "close");
            Connections.lingerOnCloseCurrent();
        }
        if (draining.getAsBoolean() || (context != null && context.getAttribute(ProtocolChecks.PROBLEM) != null)) {
            response.setHeader("Connection", "close");
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {} (key {}, {} ms)", request.getMethod(), x.logPath(), reply.status,
                    x.caller == null ? "-" : x.caller.name(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * The database failed or did not answer: the request may well succeed later, so 503 (like
     * {@code /health}) with a {@code Retry-After}, not a 500 that reads as a bug in the server.
     */
    private Reply databaseUnavailable(Exchange x, StorageException e) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.warn("{} {} failed: the database is unavailable (reference {}): {}", x.request.getMethod(), x.logPath(),
                reference, e.getMessage());
        LOG.debug("reference {}", reference, e);
        return Reply.error(new ApiError(503, "unavailable", "the database did not answer; try again later (the "
                + "server's log has the details under reference " + reference + ")",
                Map.of("Retry-After", String.valueOf(DATABASE_RETRY_AFTER_SECONDS))));
    }

    private Reply internalError(Exchange x, RuntimeException e) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("{} {} failed (reference {})", x.request.getMethod(), x.logPath(), reference, e);
        return Reply.json(500, ApiJson.error("internal_error", "the server could not answer this request;"
                + " its log has the details under reference " + reference));
    }

    private Reply route(Exchange x) {
        List<String> s = x.target.rawSegments();
        TextRoute extra = routes.get(x.target.rawPath());
        if (extra != null) {
            return text(x, extra);
        }
        if (s.size() == 1 && s.get(0).equals("health")) {
            allow(x, "GET");
            return health();
        }
        if (s.isEmpty() || !s.get(0).equals("api")) {
            throw noRoute(x);
        }
        x.caller = authenticate(x);
        if (s.size() < 2 || !s.get(1).equals("views")) {
            throw noRoute(x);
        }
        if (s.size() == 2) {
            allow(x, "GET");
            return list(x.caller);
        }
        if (s.get(2).isEmpty()) {
            throw noRoute(x);
        }
        if (s.size() == 3) {
            allow(x, "GET");
            return pull(x, visible(x, x.target.segment(2, "the view name")));
        }
        if (s.size() == 4 && s.get(3).equals("push")) {
            allow(x, "POST");
            return push(x, visible(x, x.target.segment(2, "the view name")));
        }
        if (s.size() == 4 && s.get(3).equals("pushes")) {
            allow(x, "GET");
            return pushes(x, visible(x, x.target.segment(2, "the view name")));
        }
        if (s.size() == 5 && s.get(3).equals("rows") && !s.get(4).isEmpty()) {
            allow(x, "PATCH");
            return update(x, visible(x, x.target.segment(2, "the view name")));
        }
        throw noRoute(x);
    }

    private static ApiError noRoute(Exchange x) {
        return ApiError.notFound("no such endpoint: " + x.request.getMethod() + " " + x.logPath());
    }

    private static void allow(Exchange x, String method) {
        if (!x.request.getMethod().equals(method)) {
            throw new ApiError(405, "method_not_allowed", x.logPath() + " answers " + method + " only, not "
                    + x.request.getMethod(), Map.of("Allow", method));
        }
    }

    private Caller authenticate(Exchange x) {
        Header[] headers = x.request.getHeaders("Authorization");
        if (headers.length == 1) {
            Optional<Caller> caller = keys.authenticate(headers[0].getValue());
            if (caller.isPresent()) {
                return caller.get();
            }
            throw unauthorized("unknown API key");
        }
        if (headers.length > 1) {
            throw unauthorized("send one Authorization header, not " + headers.length);
        }
        boolean inQuery = x.target.query().keySet().stream()
                .anyMatch(n -> QUERY_KEY_NAMES.contains(n.toLowerCase(Locale.ROOT)));
        throw unauthorized("an API key is required in the Authorization header, as 'Bearer <key>' or the bare key"
                + (inQuery ? "; keys in the query string are never accepted" : ""));
    }

    private static ApiError unauthorized(String detail) {
        return new ApiError(401, "unauthorized", detail, Map.of("WWW-Authenticate", "Bearer realm=\"ViewPush\""));
    }

    /** The view, if this caller may see it; the same 403 whether a hidden view exists or not. */
    private View visible(Exchange x, String name) {
        if (!x.caller.maySee(name)) {
            throw ApiError.forbidden("key '" + x.caller.name() + "' may not use view '" + name + "'");
        }
        return engine.view(name).orElseThrow(() -> ApiError.notFound("no view named '" + name + "'"));
    }

    private static void requireAdmin(Exchange x, String what) {
        if (!x.caller.admin()) {
            throw ApiError.forbidden("key '" + x.caller.name() + "' is not an admin key; " + what + " needs one");
        }
    }

    private Reply text(Exchange x, TextRoute route) {
        allow(x, "GET");
        if (route.access() != ApiServer.Access.PUBLIC) {
            x.caller = authenticate(x);
            if (route.access() == ApiServer.Access.ADMIN) {
                requireAdmin(x, "this page");
            }
        }
        String body = route.body().get();
        return new Reply(200, Map.of(), new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8),
                route.contentType()));
    }

    private Reply health() {
        boolean healthy;
        try {
            healthy = engine.isHealthy();
        } catch (RuntimeException e) {
            LOG.warn("the health check failed", e);
            healthy = false;
        }
        return healthy ? Reply.json(200, ApiJson.healthy())
                : Reply.json(503, ApiJson.unhealthy("the database does not answer"));
    }

    private Reply list(Caller caller) {
        List<View> views = new ArrayList<>();
        List<ViewStatus> statuses = new ArrayList<>();
        for (View v : engine.views()) {
            if (caller.maySee(v.name())) {
                views.add(v);
                statuses.add(engine.status(v.name()));
            }
        }
        return Reply.json(200, ApiJson.views(views, statuses));
    }

    private Reply pull(Exchange x, View view) {
        Map<String, List<String>> query = x.target.query();
        long limit = 0;
        Optional<String> limitText = single(query, "limit");
        if (limitText.isPresent()) {
            limit = wholeNumber(limitText.get(), "limit", 1, Long.MAX_VALUE);
        }
        Optional<RowKey> after = Optional.empty();
        Optional<String> afterText = single(query, "after");
        if (afterText.isPresent()) {
            ValueType keyType = view.typeOf(view.keyField());
            after = Optional.of(Values.fromText(keyType, afterText.get()).map(RowKey::of).orElseThrow(() -> ApiError.badRequest(
                    "bad_parameter", "parameter 'after' must be a key of view '" + view.name() + "': "
                            + Values.expected(keyType) + " (the type of key field '" + view.keyField() + "'), not '"
                            + Values.cut(afterText.get()) + "'")));
        }
        RowCursor cursor = engine.read(view.name(), new Page(after, limit));
        try {
            cursor.hasNext();
        } catch (RuntimeException e) {
            cursor.close();
            throw e;
        }
        return new Reply(200, Map.of(), new RowsEntity(view, cursor));
    }

    private Reply update(Exchange x, View view) {
        requireJson(x);
        String keyText = x.target.segment(4, "the row key");
        ValueType keyType = view.typeOf(view.keyField());
        Object key = Values.fromText(keyType, keyText).orElseThrow(() -> ApiError.notFound(noRow(view, keyText)
                + " (its key field '" + view.keyField() + "' holds " + Values.expected(keyType) + ")"));
        Map<String, Object> values = ApiJson.parseUpdate(x.readBody(maxBodyBytes), view);
        Optional<Row> row;
        try {
            row = engine.updateRow(view.name(), RowKey.of(key), values);
        } catch (InvalidUpdateException e) {
            throw ApiError.badRequest(e.field().isEmpty() ? "bad_request" : "invalid_value", e.getMessage());
        } catch (UnknownViewException e) {
            throw ApiError.notFound("no view named '" + view.name() + "'");
        }
        return row.map(r -> Reply.json(200, ApiJson.row(view, r)))
                .orElseThrow(() -> ApiError.notFound(noRow(view, keyText)));
    }

    private static String noRow(View view, String key) {
        return "no row with key '" + Values.cut(key) + "' is in view '" + view.name() + "'";
    }

    private Reply push(Exchange x, View view) {
        requireAdmin(x, "pushing a view");
        if (view.push().isEmpty()) {
            throw new ApiError(409, "not_pushable", "view '" + view.name() + "' has no push policy: it is pull-only");
        }
        PushAttempt attempt;
        try {
            attempt = engine.pushNow(view.name());
        } catch (UnknownViewException e) {
            throw new ApiError(409, "not_pushable", "view '" + view.name() + "' has no push policy: it is pull-only");
        } catch (IllegalStateException e) {
            throw new ApiError(503, "unavailable", "the engine is stopping; push again when it runs");
        }
        return Reply.json(200, ApiJson.attempt(attempt));
    }

    private Reply pushes(Exchange x, View view) {
        requireAdmin(x, "reading the push journal");
        int limit = ApiServer.DEFAULT_PUSHES_LIMIT;
        Optional<String> limitText = single(x.target.query(), "limit");
        if (limitText.isPresent()) {
            limit = (int) wholeNumber(limitText.get(), "limit", 1, ApiServer.MAX_PUSHES_LIMIT);
        }
        return Reply.json(200, ApiJson.attempts(engine.recentPushes(view.name(), limit)));
    }

    private static Optional<String> single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiError.badRequest("bad_parameter", "parameter '" + name + "' is given " + values.size()
                    + " times; give it once");
        }
        return Optional.of(values.get(0));
    }

    private static long wholeNumber(String text, String name, long min, long max) {
        String range = max == Long.MAX_VALUE ? min + " or more" : min + " to " + max;
        if (!text.matches("\\d{1,18}")) {
            throw ApiError.badRequest("bad_parameter", "parameter '" + name + "' must be a whole number, " + range
                    + ", not '" + Values.cut(text) + "'");
        }
        long v = Long.parseLong(text);
        if (v < min || v > max) {
            throw ApiError.badRequest("bad_parameter", "parameter '" + name + "' must be " + range + ", not " + v);
        }
        return v;
    }

    private static void requireJson(Exchange x) {
        Header h = x.request.getFirstHeader("Content-Type");
        String problem = h == null ? "no Content-Type" : jsonProblem(h.getValue());
        if (problem != null) {
            throw new ApiError(415, "unsupported_media_type", "the body must be application/json (UTF-8); got "
                    + problem);
        }
    }

    /** @return what is wrong with a Content-Type for a JSON body, or null when it is fine */
    static String jsonProblem(String contentType) {
        String[] parts = contentType.split(";");
        String mime = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json") && !mime.equals("application/merge-patch+json")) {
            return "'" + Values.cut(contentType) + "'";
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String cs = p.substring(eq + 1).strip().replace("\"", "");
                if (!cs.equalsIgnoreCase("utf-8") && !cs.equalsIgnoreCase("utf8")) {
                    return "charset " + Values.cut(cs);
                }
            }
        }
        return null;
    }

    /** One request as it is being handled. */
    static final class Exchange {
        final ClassicHttpRequest request;
        RequestTarget target;
        Caller caller;
        boolean bodyRead;

        Exchange(ClassicHttpRequest request) {
            this.request = request;
        }

        String logPath() {
            return target == null ? "(bad target)" : target.rawPath();
        }

        /**
         * Reads the whole body, refusing it (413) past {@code max} bytes without reading further.
         */
        byte[] readBody(int max) {
            HttpEntity entity = request.getEntity();
            if (entity == null) {
                bodyRead = true;
                return new byte[0];
            }
            long declared = entity.getContentLength();
            if (declared > max) {
                throw tooLarge(declared + " bytes", max);
            }
            // not closed on refusal: HttpCore's body streams read themselves to the end on close
            try {
                InputStream in = entity.getContent();
                ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
                byte[] buffer = new byte[8192];
                long total = 0;
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    total += n;
                    if (total > max) {
                        throw tooLarge("more than " + max + " bytes", max);
                    }
                    out.write(buffer, 0, n);
                }
                in.close();
                bodyRead = true;
                return out.toByteArray();
            } catch (IOException e) {
                LOG.debug("reading a request body failed: {}", e.toString());
                throw ApiError.badRequest("bad_request", "the body could not be read whole (cut off, badly"
                        + " chunked or too slow)");
            }
        }

        private static ApiError tooLarge(String size, int max) {
            return new ApiError(413, "payload_too_large", "the body is " + size + "; at most " + max
                    + " bytes are accepted");
        }
    }

    /** An answer: status, extra headers, body. */
    static final class Reply {
        final int status;
        final Map<String, String> headers;
        final HttpEntity entity;

        Reply(int status, Map<String, String> headers, HttpEntity entity) {
            this.status = status;
            this.headers = headers;
            this.entity = entity;
        }

        static Reply json(int status, byte[] body) {
            return new Reply(status, Map.of(), new ByteArrayEntity(body, JSON));
        }

        static Reply error(ApiError e) {
            return new Reply(e.status(), e.headers(), new ByteArrayEntity(ApiJson.error(e.code(), e.detail()), JSON));
        }
    }
}
