/** The {@code demo} command's guided tour: {@link io.viewpush.app.demo.Demo}. */
package io.viewpush.app.demo;
