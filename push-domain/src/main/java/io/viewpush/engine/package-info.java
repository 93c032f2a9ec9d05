/**
 * The engine: {@link io.viewpush.engine.ViewPush}, built with
 * {@link io.viewpush.engine.ViewPush#builder()}, runs the push use case for every view on a
 * scheduler and serves the operations the HTTP API needs.
 */
package io.viewpush.engine;
