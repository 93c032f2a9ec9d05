/**
 * Push events as log lines ({@link io.viewpush.app.metrics.PushLog}) and Micrometer meters
 * ({@link io.viewpush.app.metrics.PushMetrics}), bound through the domain's
 * {@link io.viewpush.port.PushListener} port.
 */
package io.viewpush.app.metrics;
