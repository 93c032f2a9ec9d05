/** The standalone ViewPush: the runnable jar's entry point, {@link io.viewpush.app.Main}. */
package io.viewpush.app;
