package io.viewpush.http.api;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpProcessor;

import java.io.IOException;

/**
 * HttpCore's server processor, except that a request it finds non-conforming (no {@code Host}
 * header, two of them, ...) is not answered by HttpCore with a plain-text 400 but handed on marked,
 * so that {@link ApiHandler} answers the same 400 as JSON, like every other error of the API.
 */
final class ProtocolChecks implements HttpProcessor {
    /** The context attribute holding what is wrong with the request, when something is. */
    static final String PROBLEM = "viewpush.protocol-problem";

    private final HttpProcessor server;

    ProtocolChecks(HttpProcessor server) {
        this.server = server;
    }

    @Override
    public void process(HttpRequest request, EntityDetails entity, HttpContext context) throws HttpException, IOException {
        try {
            server.process(request, entity, context);
        } catch (ProtocolException e) {
            context.setAttribute(PROBLEM, e.getMessage());
        }
    }

    @Override
    public void process(HttpResponse response, EntityDetails entity, HttpContext context) throws HttpException, IOException {
        server.process(response, entity, context);
    }
}
