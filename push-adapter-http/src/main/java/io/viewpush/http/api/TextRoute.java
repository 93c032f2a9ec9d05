package io.viewpush.http.api;

import org.apache.hc.core5.http.ContentType;

import java.util.function.Supplier;

/** An extra route as {@link ApiServer.Builder#textRoute} got it; the content type carries UTF-8. */
record TextRoute(ApiServer.Access access, ContentType contentType, Supplier<String> body) {
}
