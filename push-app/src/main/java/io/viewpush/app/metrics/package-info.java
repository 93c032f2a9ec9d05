/**
 * Push events as log lines ({@link io.viewpush.app.metrics.PushLog}) and Micrometer meters
 * ({@link io.viewpush.app.metrics.PushMetrics}, {@link io.viewpush.app.metrics.ViewHealthMetrics}),
 * bound through the domain's {@link io.viewpush.port.PushListener} port; and each view's backlog,
 * counted on demand, bounded and cached ({@link io.viewpush.app.metrics.BacklogMetrics}).
 */
package io.viewpush.app.metrics;
