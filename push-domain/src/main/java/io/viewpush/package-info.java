/**
 * ViewPush pushes the rows of a database view to an HTTP endpoint whenever there is new data,
 * and stamps each delivered row so the same data is not sent twice.
 *
 * <p>Sub-packages: {@code expression} (the filter and calculation language), {@code view} (views
 * and push policies), {@code port} (the interfaces adapters implement) and {@code push} (the push
 * use case, the scheduler and the {@link io.viewpush.engine.ViewPush} engine).
 */
package io.viewpush;
