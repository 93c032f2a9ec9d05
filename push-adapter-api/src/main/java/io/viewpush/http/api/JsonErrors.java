package io.viewpush.http.api;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * The errors Jetty answers itself, before a request reaches the API (a request that is HTTP but
 * not valid HTTP/1.1, a head too large, a server that is stopping), in the API's JSON like every
 * other error, without Jetty's HTML page, stack or version.
 */
final class JsonErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        String reason = message == null ? "" : LogText.escape(String.valueOf(message));
        String code;
        String detail;
        if (status == 413) {
            code = "payload_too_large";
            detail = "the request is too large";
        } else if (status == 431) {
            code = "header_too_large";
            detail = "the request head is too large";
        } else if (status == 503) {
            code = "unavailable";
            detail = "the server is stopping; try again later";
        } else if (status >= 400 && status < 500) {
            code = "bad_request";
            detail = reason.isEmpty() || reason.equals(HttpStatus.getMessage(status))
                    ? "not a valid HTTP/1.1 request: a malformed request line, header or percent-encoding"
                    : "not a valid HTTP/1.1 request: " + reason;
        } else {
            code = "internal_error";
            detail = "the server could not answer this request";
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=UTF-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(ApiJson.error(code, detail)), callback);
        return true;
    }
}
