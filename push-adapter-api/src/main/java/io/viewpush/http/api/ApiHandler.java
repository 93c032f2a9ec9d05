package io.viewpush.http.api;

import io.viewpush.engine.CannotReplayException;
import io.viewpush.engine.InvalidUpdateException;
import io.viewpush.engine.UnknownViewException;
import io.viewpush.engine.ViewPush;
import io.viewpush.engine.ViewStatus;
import io.viewpush.expression.ValueType;
import io.viewpush.http.api.KeyRing.Caller;
import io.viewpush.port.Page;
import io.viewpush.port.RowCursor;
import io.viewpush.port.StorageException;
import io.viewpush.push.Pause;
import io.viewpush.push.PushAttempt;
import io.viewpush.view.Row;
import io.viewpush.view.RowKey;
import io.viewpush.view.View;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Routes and answers every request (see {@link ApiServer} for the endpoints), as a Jetty
 * {@link Handler}. Checks come in a fixed order, so that nothing is revealed to whom may not know it:
 * the route's shape, the key (every {@code /api} path, known or not), the method, the view (a key
 * that may not see it learns nothing about whether it exists), admin rights, then the request's
 * content. A body is read only after all of these passed (so {@code 100 Continue} goes only to an
 * accepted request), without holding a thread, and within {@code bodyTimeout}; the work that asks
 * the engine then runs under {@link Workers}. A body left unread is never drained: its answer
 * carries {@code Connection: close}.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final String JSON = "application/json; charset=UTF-8";
    /** Seconds a client is asked to wait after the database did not answer. */
    static final int DATABASE_RETRY_AFTER_SECONDS = 5;
    /** Seconds a client is asked to wait when every pull or worker slot is taken. */
    static final int BUSY_RETRY_AFTER_SECONDS = 1;
    /** A lingering close takes at most this long. */
    static final int LINGER_MAX_MILLIS = 2_000;
    /** A lingering close drops at most this many bytes. */
    static final long LINGER_MAX_BYTES = 16L * 1024 * 1024;
    /**
     * A page with a limit is read once and held in memory up to this many bytes of JSON (a page of
     * 10,000 rows of 200 bytes needs 2 MB); a larger one is read twice instead (see {@link #nextPage}).
     */
    static final int MAX_PAGE_BUFFER_BYTES = 4 * 1024 * 1024;
    /** What the pages of every pull streaming at once may hold together: each gets its share. */
    static final long PAGE_BUFFERS_BYTES = 16L * 1024 * 1024;
    private static final List<String> QUERY_KEY_NAMES = List.of("key", "api_key", "apikey", "token", "access_token");

    private final ViewPush engine;
    private final KeyRing keys;
    private final int maxBodyBytes;
    private final Map<String, TextRoute> routes;
    private final BooleanSupplier draining;
    private final Workers workers;
    private final Semaphore pulls;
    private final int maxPullsPerKey;
    /** The most bytes of JSON one pull's page is held in memory with ({@link BufferedPage}). */
    private final int pageBufferBytes;
    private final Map<String, AtomicInteger> pullsByKey = new ConcurrentHashMap<>();
    private final Duration bodyTimeout;
    private final Duration writeTimeout;
    private final HeadWatch headWatch;
    /** The web console's files; null when the builder left the console out. */
    private final ConsoleAssets console;
    private final RowsWaiting waiting;

    private final java.util.function.Function<String, Map<String, Object>> pushTargets;

    ApiHandler(ViewPush engine, KeyRing keys, ApiServer.Builder b, BooleanSupplier draining, HeadWatch headWatch) {
        super(InvocationType.BLOCKING);
        this.engine = engine;
        this.keys = keys;
        this.maxBodyBytes = b.maxBodyBytes();
        this.routes = Map.copyOf(b.routes());
        this.draining = draining;
        this.workers = new Workers(b.workerThreads(), b.backlog());
        this.pulls = new Semaphore(b.maxPulls());
        this.maxPullsPerKey = Math.max(1, b.maxPulls() - 1);
        this.pageBufferBytes = (int) Math.min(MAX_PAGE_BUFFER_BYTES, PAGE_BUFFERS_BYTES / b.maxPulls());
        this.bodyTimeout = b.bodyTimeout();
        this.writeTimeout = b.writeTimeout();
        this.headWatch = headWatch;
        this.console = b.console() ? new ConsoleAssets() : null;
        this.pushTargets = b.pushTargets();
        this.waiting = new RowsWaiting(engine, java.time.Clock.systemUTC());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        Exchange x = new Exchange(request, response, callback, started);
        if (headWatch != null) {
            headWatch.requestStarted(request.getConnectionMetaData().getConnection());
        }
        // work that asks the database may take long without any I/O: not an idle connection
        request.addIdleTimeoutListener(t -> x.ioPending);
        Step step;
        try {
            x.target = RequestTarget.of(rawPathInContext(request), request.getHttpURI().getQuery());
            step = route(x);
        } catch (RuntimeException e) {
            finish(x, failure(x, e));
            return true;
        }
        if (step.needsBody()) {
            readBody(x, body -> work(x, () -> step.work().answer(body)));
        } else {
            work(x, () -> step.work().answer(null));
        }
        return true;
    }

    private static String rawPathInContext(Request request) {
        String raw = request.getHttpURI().getPath();
        String context = request.getContext() == null ? null : request.getContext().getContextPath();
        if (raw != null && context != null && !context.isEmpty() && !context.equals("/") && raw.startsWith(context)) {
            String rest = raw.substring(context.length());
            return rest.isEmpty() ? "/" : rest;
        }
        return raw;
    }

    /** Runs the work under a worker permit, or answers 503 when even the queue is full. */
    private void work(Exchange x, Work work) {
        boolean taken = workers.submit(() -> {
            Reply reply;
            try {
                reply = work.answer();
            } catch (RuntimeException e) {
                reply = failure(x, e);
            }
            finish(x, reply);
        }, x.request.getComponents().getExecutor());
        if (!taken) {
            finish(x, Reply.error(busy("the server is busy; try again in a moment")));
        }
    }

    private static ApiError busy(String detail) {
        return new ApiError(503, "unavailable", detail, Map.of("Retry-After", String.valueOf(BUSY_RETRY_AFTER_SECONDS)));
    }

    private Reply failure(Exchange x, RuntimeException e) {
        if (e instanceof ApiError) {
            return Reply.error((ApiError) e);
        }
        if (e instanceof StorageException) {
            return databaseUnavailable(x, (StorageException) e);
        }
        return internalError(x, e);
    }

    /** Sends the reply and completes the exchange; a streamed reply is written on this thread. */
    private void finish(Exchange x, Reply reply) {
        Response response = x.response;
        x.status = reply.status;
        response.setStatus(reply.status);
        reply.headers.forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        if ((!x.bodyRead && hasBody(x.request)) || draining.getAsBoolean()) {
            // an unread body is never drained: it may be endless, or trickle in for ever
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        Callback done = Callback.from(() -> completed(x, null), e -> completed(x, e));
        if (!x.bodyRead && hasBody(x.request) && !expectsContinue(x.request)) {
            Callback answered = done;
            done = Callback.from(() -> new Linger(x, answered).run(), answered::failed);
        }
        if (reply.rows != null) {
            stream(x, reply.rows, done);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body.length);
        response.write(true, ByteBuffer.wrap(reply.body), done);
    }

    private void stream(Exchange x, RowsEntity rows, Callback done) {
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        if (x.request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1) {
            // chunked even when the client asked to close: the end of the rows is then visible
            x.response.getHeaders().put(HttpHeader.TRANSFER_ENCODING, "chunked");
        }
        EndPoint endPoint = x.request.getConnectionMetaData().getConnection().getEndPoint();
        long idle = endPoint.getIdleTimeout();
        if (idle <= 0 || writeTimeout.toMillis() < idle) {
            endPoint.setIdleTimeout(writeTimeout.toMillis());
        }
        x.ioPending = true;
        OutputStream out = Response.asBufferedOutputStream(x.request, x.response);
        try {
            rows.writeTo(out);
            out.close();
        } catch (IOException | RuntimeException e) {
            rows.close();
            endPoint.setIdleTimeout(idle);
            // never closed over a failure: the end of a chunked response would make a cut one look whole
            endPoint.close();
            done.failed(e);
            return;
        }
        endPoint.setIdleTimeout(idle);
        done.succeeded();
    }

    private void completed(Exchange x, Throwable failure) {
        if (headWatch != null) {
            headWatch.requestEnded(x.request.getConnectionMetaData().getConnection());
        }
        if (failure == null) {
            x.callback.succeeded();
        } else {
            LOG.debug("the answer to {} {} was cut: {}", x.request.getMethod(), x.logPath(), failure.toString());
            x.callback.failed(failure);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {} (key {}, {} ms)", x.request.getMethod(), x.logPath(), x.status,
                    x.caller == null ? "-" : x.caller.name(), (System.nanoTime() - x.started) / 1_000_000);
        }
    }

    private static boolean expectsContinue(Request request) {
        String expect = request.getHeaders().get(HttpHeader.EXPECT);
        return expect != null && expect.equalsIgnoreCase("100-continue");
    }

    /**
     * A lingering close, after the answer to a request whose body was refused has been sent: the
     * client may still be sending it, and closing over unread bytes makes the kernel reset the
     * connection, which can destroy the answer before the client reads it. So what still arrives is
     * dropped, without a thread, until the body ends, {@link #LINGER_MAX_MILLIS} or
     * {@link #LINGER_MAX_BYTES} are reached; then the connection closes.
     */
    private final class Linger implements Runnable {
        private final Exchange x;
        private final Callback then;
        private final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MAX_MILLIS);
        private final AtomicBoolean over = new AtomicBoolean();
        private long dropped;

        Linger(Exchange x, Callback then) {
            this.x = x;
            this.then = then;
        }

        @Override
        public void run() {
            if (dropped == 0 && !over.get()) {
                x.request.getComponents().getScheduler().schedule(this::end, LINGER_MAX_MILLIS, TimeUnit.MILLISECONDS);
            }
            while (!over.get()) {
                if (System.nanoTime() - deadline > 0) {
                    end();
                    return;
                }
                Content.Chunk chunk = x.request.read();
                if (chunk == null) {
                    x.request.demand(this);
                    return;
                }
                dropped += chunk.remaining();
                boolean last = chunk.isLast() || Content.Chunk.isFailure(chunk);
                chunk.release();
                if (last || dropped > LINGER_MAX_BYTES) {
                    end();
                    return;
                }
            }
        }

        private void end() {
            if (over.compareAndSet(false, true)) {
                then.succeeded();
            }
        }
    }

    private static boolean hasBody(Request request) {
        long length = request.getLength();
        return length > 0 || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    /**
     * Reads the whole body without holding a thread, refusing it (413) past {@code maxBodyBytes}
     * without reading further, and cutting it (408) when it has not arrived whole within
     * {@code bodyTimeout}; then hands it to {@code then} on a pool thread.
     */
    private void readBody(Exchange x, java.util.function.Consumer<byte[]> then) {
        long declared = x.request.getLength();
        if (declared > maxBodyBytes) {
            finish(x, Reply.error(Exchange.tooLarge(declared + " bytes", maxBodyBytes)));
            return;
        }
        BodyReader reader = new BodyReader(x, declared, then);
        x.request.getComponents().getScheduler().schedule(reader::expire, bodyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        x.ioPending = true;
        reader.run();
    }

    /** One body being read, chunk by chunk as they arrive; exactly one outcome wins. */
    private final class BodyReader implements Runnable {
        private final Exchange x;
        private final java.util.function.Consumer<byte[]> then;
        private final ByteArrayOutputStream bytes;
        private final AtomicBoolean over = new AtomicBoolean();

        BodyReader(Exchange x, long declared, java.util.function.Consumer<byte[]> then) {
            this.x = x;
            this.then = then;
            this.bytes = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        }

        @Override
        public void run() {
            while (!over.get()) {
                Content.Chunk chunk = x.request.read();
                if (chunk == null) {
                    x.request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    if (over.compareAndSet(false, true)) {
                        x.ioPending = false;
                        LOG.debug("reading a request body failed: {}", String.valueOf(chunk.getFailure()));
                        finish(x, Reply.error(ApiError.badRequest("bad_request", "the body could not be read whole"
                                + " (cut off, badly chunked or too slow)")));
                    }
                    return;
                }
                ByteBuffer b = chunk.getByteBuffer();
                int n = b.remaining();
                if (bytes.size() + (long) n > maxBodyBytes) {
                    chunk.release();
                    if (over.compareAndSet(false, true)) {
                        x.ioPending = false;
                        finish(x, Reply.error(Exchange.tooLarge("more than " + maxBodyBytes + " bytes", maxBodyBytes)));
                    }
                    return;
                }
                byte[] copy = new byte[n];
                b.get(copy);
                bytes.write(copy, 0, n);
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    if (over.compareAndSet(false, true)) {
                        x.ioPending = false;
                        x.bodyRead = true;
                        then.accept(bytes.toByteArray());
                    }
                    return;
                }
            }
        }

        void expire() {
            if (over.compareAndSet(false, true)) {
                x.ioPending = false;
                LOG.debug("{} {}: the body did not arrive within {}", x.request.getMethod(), x.logPath(), bodyTimeout);
                finish(x, Reply.error(new ApiError(408, "request_timeout", "the body did not arrive whole within "
                        + bodyTimeout.toSeconds() + " s")));
            }
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

    private Step route(Exchange x) {
        List<String> s = x.target.rawSegments();
        TextRoute extra = routes.get(x.target.rawPath());
        if (extra != null) {
            allow(x, "GET");
            authorize(x, extra);
            return Step.of(() -> text(extra));
        }
        if (s.size() == 1 && s.get(0).equals("health")) {
            allowGetOrHead(x);
            return Step.of(this::health);
        }
        if (console != null && !s.isEmpty() && s.get(0).equals("console")) {
            return consoleFile(x, s);
        }
        if (s.isEmpty() || !s.get(0).equals("api")) {
            throw noRoute(x);
        }
        x.caller = authenticate(x);
        if (s.size() == 2 && s.get(1).equals("me")) {
            allow(x, "GET");
            return Step.of(() -> Reply.json(200, ConsoleJson.me(x.caller, engine.views().stream().map(View::name)
                    .filter(x.caller::maySee).toList())));
        }
        if (s.size() < 2 || !s.get(1).equals("views")) {
            throw noRoute(x);
        }
        if (s.size() == 2) {
            allow(x, "GET");
            return Step.of(() -> list(x.caller));
        }
        if (s.get(2).isEmpty()) {
            throw noRoute(x);
        }
        if (s.size() == 3) {
            allow(x, "GET");
            View view = visible(x, x.target.segment(2, "the view name"));
            Page page = page(x, view);
            return Step.of(() -> pull(x, x.caller, view, page));
        }
        if (s.size() == 4 && s.get(3).equals("push")) {
            allow(x, "POST");
            View view = visible(x, x.target.segment(2, "the view name"));
            requireAdmin(x, "pushing a view");
            return Step.of(() -> {
                Reply pushed = push(view);
                waiting.forget(view.name());
                return pushed;
            });
        }
        if (s.size() == 4 && s.get(3).equals("pushes")) {
            allow(x, "GET");
            View view = visible(x, x.target.segment(2, "the view name"));
            requireAdmin(x, "reading the push journal");
            int limit = pushesLimit(x);
            return Step.of(() -> Reply.json(200, ApiJson.attempts(engine.recentPushes(view.name(), limit))));
        }
        if (s.size() == 4 && (s.get(3).equals("pause") || s.get(3).equals("resume") || s.get(3).equals("replay"))) {
            allow(x, "POST");
            View view = visible(x, x.target.segment(2, "the view name"));
            String action = s.get(3);
            requireAdmin(x, action.equals("replay") ? "replaying rows" : action + "ing a view");
            boolean body = hasBody(x.request);
            if (body || action.equals("replay")) {
                requireJson(x);
            }
            String by = "API key '" + x.caller.name() + "'";
            switch (action) {
                case "pause":
                    return new Step(body, b -> pause(view, ApiJson.parsePauseDetail(b), by));
                case "resume":
                    return Step.of(() -> resume(view, by));
                default:
                    return new Step(true, b -> replay(view, b, by));
            }
        }
        if (s.size() == 4 && s.get(3).equals("replays")) {
            allow(x, "GET");
            View view = visible(x, x.target.segment(2, "the view name"));
            requireAdmin(x, "reading the replay journal");
            int limit = pushesLimit(x);
            return Step.of(() -> Reply.json(200, ApiJson.replays(engine.replays(view.name(), limit))));
        }
        if (s.size() == 4 && s.get(3).equals("definition")) {
            allow(x, "GET");
            View view = visible(x, x.target.segment(2, "the view name"));
            return Step.of(() -> Reply.json(200, ConsoleJson.definition(view, x.caller.admin(), pushTargets.apply(view.name()))));
        }
        if (s.size() == 4 && s.get(3).equals("waiting")) {
            allow(x, "GET");
            View view = visible(x, x.target.segment(2, "the view name"));
            return Step.of(() -> Reply.json(200, ConsoleJson.waiting(view.name(), waiting.count(view.name()))));
        }
        if (s.size() == 5 && s.get(3).equals("rows") && !s.get(4).isEmpty()) {
            allow(x, "PATCH");
            View view = visible(x, x.target.segment(2, "the view name"));
            requireJson(x);
            String keyText = x.target.segment(4, "the row key");
            if (view.keyFields().size() > 1) {
                throw ApiError.notFound(compositePath(view, 1));
            }
            Object key = rowKey(view, keyText);
            return new Step(true, body -> update(view, RowKey.of(key), keyText, body));
        }
        if (s.size() > 5 && s.get(3).equals("rows") && s.subList(4, s.size()).stream().noneMatch(String::isEmpty)) {
            // a composite key: one URL-encoded segment per key field, in key order
            allow(x, "PATCH");
            View view = visible(x, x.target.segment(2, "the view name"));
            requireJson(x);
            if (view.keyFields().size() != s.size() - 4) {
                throw ApiError.notFound(compositePath(view, s.size() - 4));
            }
            List<String> texts = new java.util.ArrayList<>();
            for (int i = 4; i < s.size(); i++) {
                texts.add(x.target.segment(i, "the row key"));
            }
            String keyText = String.join("/", texts);
            RowKey key = rowKey(view, texts, keyText);
            return new Step(true, body -> update(view, key, keyText, body));
        }
        throw noRoute(x);
    }

    /**
     * A file of the web console: public (the page holds no data; every request it makes carries the
     * key the user typed). {@code /console} is sent on to {@code /console/}, relative, so the
     * redirect is right under a host's context path too.
     */
    private Step consoleFile(Exchange x, List<String> s) {
        allowGetOrHead(x);
        if (s.size() == 1) {
            return Step.of(() -> new Reply(302, Map.of("Location", "console/"), "text/plain; charset=UTF-8",
                    "see console/\n".getBytes(StandardCharsets.UTF_8), null));
        }
        ConsoleAssets.Asset asset = s.size() == 2 ? console.get(s.get(1)) : null;
        if (asset == null) {
            throw noRoute(x);
        }
        return Step.of(() -> new Reply(200, ConsoleAssets.HEADERS, asset.contentType(), asset.bytes(), null));
    }

    private static ApiError noRoute(Exchange x) {
        return ApiError.notFound("no such endpoint: " + x.request.getMethod() + " " + x.logPath());
    }

    private static void allow(Exchange x, String method) {
        if (!x.request.getMethod().equals(method)) {
            throw new ApiError(405, "method_not_allowed", x.logPath() + " answers " + method + " only, not "
                    + LogText.escape(x.request.getMethod()), Map.of("Allow", method));
        }
    }

    private static void allowGetOrHead(Exchange x) {
        String m = x.request.getMethod();
        if (!m.equals("GET") && !m.equals("HEAD")) {
            throw new ApiError(405, "method_not_allowed", x.logPath() + " answers GET and HEAD only, not "
                    + LogText.escape(m), Map.of("Allow", "GET, HEAD"));
        }
    }

    private Caller authenticate(Exchange x) {
        List<String> headers = x.request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
        if (headers.size() == 1) {
            Optional<Caller> caller = keys.authenticate(headers.get(0));
            if (caller.isPresent()) {
                return caller.get();
            }
            throw unauthorized("unknown API key");
        }
        if (headers.size() > 1) {
            throw unauthorized("send one Authorization header, not " + headers.size());
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

    private void authorize(Exchange x, TextRoute route) {
        if (route.access() == ApiServer.Access.PUBLIC) {
            return;
        }
        List<String> headers = x.request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
        if (route.extraKey() != null && headers.size() == 1 && KeyRing.matches(route.extraKey(), headers.get(0))) {
            return;
        }
        x.caller = authenticate(x);
        if (route.access() == ApiServer.Access.ADMIN) {
            requireAdmin(x, "this page");
        }
    }

    private Reply text(TextRoute route) {
        String body = route.body().get();
        return new Reply(200, Map.of(), route.contentType().toString(), body.getBytes(StandardCharsets.UTF_8), null);
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

    /** The pull's page, every parameter checked against the view before the database is asked. */
    private static Page page(Exchange x, View view) {
        Map<String, List<String>> query = x.target.query();
        long limit = 0;
        Optional<String> limitText = single(query, "limit");
        if (limitText.isPresent()) {
            limit = wholeNumber(limitText.get(), "limit", 1, Long.MAX_VALUE);
        }
        Optional<RowKey> after = Optional.empty();
        Optional<String> afterText = single(query, "after");
        if (afterText.isPresent() && view.keyFields().size() > 1) {
            after = Optional.of(compositeAfter(view, afterText.get()));
        } else if (afterText.isPresent()) {
            ValueType keyType = view.typeOf(view.keyField());
            after = Optional.of(Values.fromText(keyType, afterText.get()).map(RowKey::of).orElseThrow(() -> ApiError.badRequest(
                    "bad_parameter", "parameter 'after' must be a key of view '" + view.name() + "': "
                            + Values.expected(keyType) + " (the type of key field '" + view.keyField() + "'), not '"
                            + Values.cut(afterText.get()) + "'")));
        }
        return new Page(after, limit);
    }

    /** A composite key's {@code after}: its text form, the values in key order joined with '/', each URL-encoded. */
    private static RowKey compositeAfter(View view, String text) {
        List<String> parts;
        try {
            parts = RowKey.textParts(text, view.keyFields().size());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("bad_parameter", "parameter 'after' must be a key of view '" + view.name() + "': "
                    + keyForm(view) + "; " + e.getMessage());
        }
        Object[] values = new Object[parts.size()];
        for (int i = 0; i < values.length; i++) {
            String field = view.keyFields().get(i);
            ValueType t = view.typeOf(field);
            values[i] = Values.fromText(t, parts.get(i)).orElseThrow(() -> ApiError.badRequest("bad_parameter",
                    "parameter 'after' must be a key of view '" + view.name() + "': its value for key field '" + field
                            + "' must be " + Values.expected(t)));
        }
        return RowKey.of(values);
    }

    private static String keyForm(View view) {
        return view.keyFields().size() + " values (" + String.join(", ", view.keyFields())
                + ") in key order, joined with '/', each URL-encoded";
    }

    /** The 404 of a row path whose number of key segments is not the view's. */
    private static String compositePath(View view, int given) {
        return "view '" + view.name() + "' has a key of " + view.keyFields().size() + " fields ("
                + String.join(", ", view.keyFields()) + "): address a row as /api/views/{view}/rows/"
                + view.keyFields().stream().map(f -> "{" + f + "}").collect(java.util.stream.Collectors.joining("/"))
                + ", each value URL-encoded, not with " + given + " segment" + (given == 1 ? "" : "s");
    }

    /** The row key from the path's segments, in the key fields' types: a key that cannot be one is no row. */
    private static RowKey rowKey(View view, List<String> texts, String keyText) {
        Object[] values = new Object[texts.size()];
        for (int i = 0; i < values.length; i++) {
            String field = view.keyFields().get(i);
            ValueType t = view.typeOf(field);
            values[i] = Values.fromText(t, texts.get(i)).orElseThrow(() -> ApiError.notFound(noRow(view, keyText)
                    + " (its key field '" + field + "' holds " + Values.expected(t) + ")"));
        }
        return RowKey.of(values);
    }

    private static boolean limited(Page page) {
        return page.limit() > 0 && page.limit() < Long.MAX_VALUE;
    }

    /**
     * For a page with a limit whose JSON is too large to hold ({@link BufferedPage}): reads one row
     * more than the page, first, to learn whether there is a next page and where it starts. The
     * page itself is then read up to that key (not by its limit), so a row written between the two
     * reads is never skipped by the next page.
     *
     * @return the page to stream, and the key the next page starts after (empty: no next page)
     */
    private Map.Entry<Page, Optional<RowKey>> nextPage(View view, Page page) {
        if (page.limit() <= 0 || page.limit() == Long.MAX_VALUE) {
            return Map.entry(page, Optional.empty());
        }
        RowKey last = null;
        long n = 0;
        try (RowCursor probe = engine.read(view.name(), new Page(page.after(), page.limit() + 1))) {
            while (probe.hasNext()) {
                Row r = probe.next();
                if (++n == page.limit()) {
                    last = r.rowKey();
                }
            }
        }
        if (n <= page.limit() || last == null) {
            return Map.entry(page, Optional.empty());
        }
        return Map.entry(new Page(page.after(), 0, Optional.of(last)), Optional.of(last));
    }

    /**
     * The rows of {@code cursor} up to {@code last}: a row source that reads past a page's
     * {@link Page#upTo()} (one written before that part of the page existed) still ends the page
     * where its Link header says the next one starts.
     */
    private static RowCursor endingAt(RowCursor cursor, RowKey last) {
        return new RowCursor() {
            private Row next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (ended || !cursor.hasNext()) {
                    return false;
                }
                Row r = cursor.next();
                if (r.rowKey().compareTo(last) > 0) {
                    ended = true;
                    return false;
                }
                next = r;
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                Row r = next;
                next = null;
                return r;
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    /** The {@code Link} header of a page that has a next one: {@code <path?limit=N&after=K>; rel="next"}. */
    private static Map<String, String> link(Exchange x, Page page, Optional<RowKey> next) {
        if (next.isEmpty()) {
            return Map.of();
        }
        return Map.of("Link", "<" + x.target.rawPath() + "?limit=" + page.limit() + "&after="
                + RowKey.encodeSegment(next.get().text()) + ">; rel=\"next\"");
    }

    /**
     * Streams the view's rows, holding one of the {@code maxPulls} slots (and a database connection)
     * until the response ends. One key holds at most all slots but one, so a key that pulls slowly
     * (reading steadily, never stalled) cannot keep every other key from pulling.
     */
    private Reply pull(Exchange x, Caller caller, View view, Page requested) {
        AtomicInteger mine = pullsByKey.computeIfAbsent(caller.name(), k -> new AtomicInteger());
        if (mine.incrementAndGet() > maxPullsPerKey) {
            mine.decrementAndGet();
            throw busy("key '" + caller.name() + "' already has " + maxPullsPerKey + " pulls streaming; try again"
                    + " when one has ended");
        }
        if (!pulls.tryAcquire()) {
            mine.decrementAndGet();
            throw busy("every pull slot is taken; try again in a moment");
        }
        Runnable release = () -> {
            pulls.release();
            mine.decrementAndGet();
        };
        if (limited(requested)) {
            try {
                Optional<BufferedPage> held;
                try (RowCursor read = engine.read(view.name(), new Page(requested.after(), requested.limit() + 1))) {
                    held = BufferedPage.read(view, read, requested.limit(), pageBufferBytes);
                }
                if (held.isPresent()) {
                    return new Reply(200, link(x, requested, held.get().next()), JSON, null,
                            new RowsEntity(view, held.get(), release));
                }
            } catch (RuntimeException e) {
                release.run();
                throw afterRefused(view, requested, e);
            }
        }
        RowCursor cursor;
        Page page = requested;
        Map<String, String> headers;
        try {
            Map.Entry<Page, Optional<RowKey>> paged = nextPage(view, requested);
            page = paged.getKey();
            headers = link(x, requested, paged.getValue());
            cursor = engine.read(view.name(), page);
            if (page.upTo().isPresent()) {
                cursor = endingAt(cursor, page.upTo().get());
            }
        } catch (RuntimeException e) {
            release.run();
            throw afterRefused(view, page, e);
        }
        try {
            cursor.hasNext();
        } catch (RuntimeException e) {
            cursor.close();
            release.run();
            throw afterRefused(view, page, e);
        }
        return new Reply(200, headers, JSON, null, new RowsEntity(view, cursor, release));
    }

    /**
     * A pull the database refused because of the value of {@code after} (a key its column cannot
     * hold, like {@code 1e999} for an integer key): the client's mistake, a 400 naming the parameter,
     * never a 503 that reads as an outage.
     */
    private static RuntimeException afterRefused(View view, Page page, RuntimeException e) {
        if (page.after().isPresent() && e instanceof StorageException && refusedValue(e)) {
            LOG.debug("a pull of view '{}' was refused for its 'after' value: {}", view.name(), e.getMessage());
            return ApiError.badRequest("bad_parameter", "parameter 'after' must be a key of view '" + view.name()
                    + "': its value does not fit key field '" + view.keyField() + "'");
        }
        return e;
    }

    /**
     * @return whether the database refused a value it was given (SQL's standard data-exception
     *         class, SQLState {@code 22…}: out of range, too long, not a number), rather than failing
     */
    static boolean refusedValue(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException) {
                String state = ((java.sql.SQLException) t).getSQLState();
                if (state != null && state.startsWith("22")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The row key from the path, in the key field's type: a key that cannot be one is no row of the view. */
    private static Object rowKey(View view, String keyText) {
        ValueType keyType = view.typeOf(view.keyField());
        return Values.fromText(keyType, keyText).orElseThrow(() -> ApiError.notFound(noRow(view, keyText)
                + " (its key field '" + view.keyField() + "' holds " + Values.expected(keyType) + ")"));
    }

    private Reply update(View view, RowKey key, String keyText, byte[] body) {
        Map<String, Object> values = ApiJson.parseUpdate(body, view);
        Optional<Row> row;
        try {
            row = engine.updateRow(view.name(), key, values);
        } catch (InvalidUpdateException e) {
            if (e.reason() == InvalidUpdateException.Reason.NO_FIELDS) {
                throw ApiError.badRequest("bad_request", e.getMessage());
            }
            if (e.reason() != InvalidUpdateException.Reason.REFUSED_BY_STORE) {
                // the engine's own check (a value the row JSON cannot carry), in the domain's words
                throw ApiError.badRequest("invalid_value", e.getMessage());
            }
            // the store refusing a value for its column: its words (driver text, SQL states, column
            // names) stay in the log
            LOG.debug("an update of view '{}' was refused: {}", view.name(), e.getMessage());
            throw refusedUpdate(view, key, keyText, values, e);
        } catch (UnknownViewException e) {
            throw ApiError.notFound("no view named '" + view.name() + "'");
        }
        return row.map(r -> Reply.json(200, ApiJson.row(view, r)))
                .orElseThrow(() -> ApiError.notFound(noRow(view, keyText)));
    }

    /** Which part of the update the store refused: the key in the path, or a field's value. */
    private ApiError refusedUpdate(View view, RowKey key, String keyText, Map<String, Object> values,
                                   InvalidUpdateException refused) {
        if (!keyFits(view, key)) {
            return ApiError.badRequest("bad_request", "the row key in the path, '" + Values.cut(keyText)
                    + "', does not fit key field" + (key.size() == 1 ? " '" + view.keyField() + "'"
                    : "s " + view.keyFields()) + " of view '" + view.name() + "'");
        }
        if (refused.why().isPresent() && !refused.field().isEmpty()) {
            // the store's reason in words that name no table, column or driver detail
            return ApiError.badRequest("invalid_value", "the value of field '" + refused.field() + "' does not fit it: "
                    + refused.why().get());
        }
        if (values.size() == 1) {
            String field = values.keySet().iterator().next();
            return ApiError.badRequest("invalid_value", "the value of field '" + field + "' does not fit it (out of"
                    + " range, too long or too precise)");
        }
        return ApiError.badRequest("invalid_value", "a value of " + String.join(", ", values.keySet().stream()
                .map(f -> "'" + f + "'").toList()) + " does not fit its field (out of range, too long or too precise)");
    }

    /** Asks the store whether it can compare the key with its key column at all (one row, at most). */
    private boolean keyFits(View view, RowKey key) {
        try (RowCursor probe = engine.read(view.name(), new Page(Optional.of(key), 1))) {
            probe.hasNext();
            return true;
        } catch (StorageException e) {
            if (refusedValue(e)) {
                return false;
            }
            throw e;
        }
    }

    private static String noRow(View view, String key) {
        return "no row with key '" + Values.cut(key) + "' is in view '" + view.name() + "'";
    }

    private Reply push(View view) {
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

    private static ApiError notPushable(View view) {
        return new ApiError(409, "not_pushable", "view '" + view.name() + "' has no push policy: it is pull-only");
    }

    private Reply pause(View view, Optional<String> detail, String by) {
        if (view.push().isEmpty()) {
            throw notPushable(view);
        }
        Optional<Pause> before = engine.paused(view.name());
        Pause p = engine.pause(view.name(), detail.orElse("paused by " + by), by);
        return Reply.json(200, ApiJson.paused(view.name(), p, before.isEmpty()));
    }

    private Reply resume(View view, String by) {
        if (view.push().isEmpty()) {
            throw notPushable(view);
        }
        return Reply.json(200, ApiJson.resumed(view.name(), engine.resume(view.name(), by)));
    }

    private Reply replay(View view, byte[] body, String by) {
        if (view.push().isEmpty()) {
            throw notPushable(view);
        }
        ApiJson.ReplayRequest r = ApiJson.parseReplay(body, text -> engine.keyOf(view.name(), text), engine.zone());
        try {
            return Reply.json(200, ApiJson.replay(engine.replay(view.name(), r.which(), r.dryRun(), by)));
        } catch (CannotReplayException e) {
            if (e.reason() == CannotReplayException.Reason.VIEW_BUSY) {
                throw new ApiError(409, "busy", e.getMessage());
            }
            throw ApiError.badRequest("cannot_replay", e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiError(503, "unavailable", "the engine is stopping; replay again when it runs");
        }
    }

    private static int pushesLimit(Exchange x) {
        int limit = ApiServer.DEFAULT_PUSHES_LIMIT;
        Optional<String> limitText = single(x.target.query(), "limit");
        if (limitText.isPresent()) {
            limit = (int) wholeNumber(limitText.get(), "limit", 1, ApiServer.MAX_PUSHES_LIMIT);
        }
        return limit;
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
        String h = x.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String problem = h == null ? "no Content-Type" : jsonProblem(h);
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

    /** What a route decided before any body was read: the work to do, and whether it needs the body. */
    record Step(boolean needsBody, BodyWork work) {
        static Step of(Work work) {
            return new Step(false, body -> work.answer());
        }
    }

    /** Work that asks the engine. */
    @FunctionalInterface
    interface Work {
        Reply answer();
    }

    /** Work that asks the engine with the request's body. */
    @FunctionalInterface
    interface BodyWork {
        Reply answer(byte[] body);
    }

    /** One request as it is being handled. */
    static final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;
        final long started;
        RequestTarget target;
        Caller caller;
        volatile boolean bodyRead;
        volatile boolean ioPending;
        int status;

        Exchange(Request request, Response response, Callback callback, long started) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.started = started;
        }

        /** @return the path as received, control characters escaped: what may be logged */
        String logPath() {
            return target == null ? "(bad target)" : LogText.escape(target.rawPath());
        }

        static ApiError tooLarge(String size, int max) {
            return new ApiError(413, "payload_too_large", "the body is " + size + "; at most " + max
                    + " bytes are accepted");
        }
    }

    /** An answer: status, extra headers, and either a body or rows to stream. */
    static final class Reply {
        final int status;
        final Map<String, String> headers;
        final String contentType;
        final byte[] body;
        final RowsEntity rows;

        Reply(int status, Map<String, String> headers, String contentType, byte[] body, RowsEntity rows) {
            this.status = status;
            this.headers = headers;
            this.contentType = contentType;
            this.body = body;
            this.rows = rows;
        }

        static Reply json(int status, byte[] body) {
            return new Reply(status, Map.of(), JSON, body, null);
        }

        static Reply error(ApiError e) {
            return new Reply(e.status(), e.headers(), JSON, ApiJson.error(e.code(), e.detail()), null);
        }
    }
}
