package io.viewpush.app.config;

import java.util.Objects;

/**
 * A place in a config file: the file's name as the user gave it, and the 1-based line and column
 * (0 when unknown).
 *
 * @param file   the file's name, e.g. {@code push.yaml}
 * @param line   1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 */
public record Location(String file, int line, int column) {
    public Location {
        Objects.requireNonNull(file, "file");
    }

    /** @return the whole file, no line */
    public static Location of(String file) {
        return new Location(file, 0, 0);
    }

    /** @return {@code file:line:column}, {@code file:line} or {@code file}, as editors and compilers print it */
    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return column <= 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
