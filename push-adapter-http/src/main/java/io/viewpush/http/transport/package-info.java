/**
 * The outbound push transport over HTTP: {@link io.viewpush.http.transport.HttpPushTransport}
 * (build with {@code HttpPushTransport.builder()}) and the
 * {@link io.viewpush.http.transport.EgressPolicy} that says where it may connect.
 */
package io.viewpush.http.transport;
