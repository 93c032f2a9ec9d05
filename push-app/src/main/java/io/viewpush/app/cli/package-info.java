/** The command line (picocli): {@code run}, {@code push}, {@code preview}, {@code check}, {@code demo}. */
package io.viewpush.app.cli;
