package io.viewpush.http.api;

import org.apache.hc.core5.http.ContentType;

import java.util.function.Supplier;

/**
 * An extra route as {@link ApiServer.Builder#textRoute} got it; the content type carries UTF-8.
 * {@code extraKey} is the SHA-256 of a key accepted for this route only, or null.
 */
record TextRoute(ApiServer.Access access, ContentType contentType, Supplier<String> body, byte[] extraKey) {
    TextRoute withExtraKey(byte[] hash) {
        return new TextRoute(access, contentType, body, hash);
    }
}
