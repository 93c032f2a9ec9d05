package io.viewpush.http.api;

import io.viewpush.PushException;

import java.util.Map;

/**
 * An answer other than success, decided while handling a request: the status, a short machine
 * code ({@code error}) and a sentence for a person ({@code detail}). Never carries a stack trace,
 * SQL or a class name to the client.
 */
final class ApiError extends PushException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, String> headers;

    ApiError(int status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    ApiError(int status, String code, String detail, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String detail() {
        return getMessage();
    }

    Map<String, String> headers() {
        return headers;
    }

    static ApiError badRequest(String code, String detail) {
        return new ApiError(400, code, detail);
    }

    static ApiError notFound(String detail) {
        return new ApiError(404, "not_found", detail);
    }

    static ApiError forbidden(String detail) {
        return new ApiError(403, "forbidden", detail);
    }

    /** No stack trace: this is an answer, not a failure, and is never logged with one. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
