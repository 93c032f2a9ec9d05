/**
 * The inbound HTTP API (README, "The HTTP API"): {@link io.viewpush.http.api.ApiServer} serves a
 * {@link io.viewpush.engine.ViewPush} engine's views to the keys in its
 * {@link io.viewpush.http.api.ApiKey}s: pull a view as the JSON a push sends, write receipts back
 * into writable fields, push now, read the push journal, and a health check. Served by an embedded
 * Jetty 12 server (or mounted in a host's, as a Jetty handler) and the domain's engine facade only (never on the database directly).
 */
package io.viewpush.http.api;
