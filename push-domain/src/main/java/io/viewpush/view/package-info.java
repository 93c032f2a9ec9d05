/**
 * Views: a {@link io.viewpush.view.ViewDefinition} as its author writes it, a typed
 * {@link io.viewpush.view.View} ready to push, and its {@link io.viewpush.view.Row}s.
 */
package io.viewpush.view;
