package io.viewpush.app.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a ViewPush config file (YAML, README "Configuration reference") into an {@link AppConfig}, or reports
 * every mistake at once in an {@link InvalidConfigException}: YAML syntax, unknown keys (with the
 * nearest valid one), missing keys, values of the wrong kind, bad URLs and durations, environment
 * variables that are not set, view problems (unknown fields in expressions with the character
 * position, calculation cycles, a key or stamp field that is not a field, …), each with its file,
 * line and column, the view and the key.
 *
 * <p>{@code ${NAME}} in a value is replaced by the environment variable {@code NAME};
 * {@code ${NAME:-fallback}} uses {@code fallback} when it is not set; {@code $${} writes {@code ${}.
 *
 * <p>Problems that need the database (missing tables and columns, wrong types) are found later,
 * by {@code check} and at start-up, and placed in the file with {@link AppConfig#locate}.
 */
public final class ConfigLoader {
    /** The config file used when none is given: {@code push.yaml} in the working directory. */
    public static final String DEFAULT_FILE = "push.yaml";

    private ConfigLoader() {
    }

    /**
     * Reads a config file with the process's environment.
     *
     * @throws InvalidConfigException listing every problem
     */
    public static AppConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Reads a config file.
     *
     * @param file the YAML file; relative paths in it ({@code database.init}) are relative to its directory
     * @param env  the environment for {@code ${NAME}}
     * @throws InvalidConfigException listing every problem
     */
    public static AppConfig load(Path file, Map<String, String> env) {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(List.of(ConfigProblem.at(Location.of(name), "",
                    "there is no config file '" + name + "' (looked in " + file.toAbsolutePath().getParent()
                            + "); write one (see the README's configuration reference) or name another with -c FILE")));
        } catch (MalformedInputException e) {
            throw new InvalidConfigException(List.of(ConfigProblem.at(firstMalformedByte(file, name), "",
                    "the file is not UTF-8 text: save it as UTF-8")));
        } catch (IOException e) {
            throw new InvalidConfigException(List.of(ConfigProblem.at(Location.of(name), "",
                    "cannot read the file: " + e)));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, name, dir, env);
    }

    /** Where the first byte that is not UTF-8 is (line and column counted in characters before it). */
    private static Location firstMalformedByte(Path file, String name) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Location.of(name);
        }
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        decoder.decode(in, out, true);
        out.flip();
        int line = 1;
        int column = 1;
        while (out.hasRemaining()) {
            char c = out.get();
            if (c == '\n') {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new Location(name, line, column);
    }

    /**
     * Reads config text.
     *
     * @param yaml     the YAML text
     * @param fileName the name used in messages
     * @param baseDir  the directory relative paths in the config are resolved against
     * @param env      the environment for {@code ${NAME}}
     * @throws InvalidConfigException listing every problem, in file order
     */
    public static AppConfig parse(String yaml, String fileName, Path baseDir, Map<String, String> env) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigReader reader = new ConfigReader(fileName, yaml, baseDir, env, problems);
        AppConfig config = YamlTree.read(yaml, fileName, problems).map(reader::read).orElse(null);
        if (config == null && problems.isEmpty()) {
            problems.add(ConfigProblem.at(Location.of(fileName), "", "the file is empty; it needs at least "
                    + "a 'views:' list (see the README's configuration reference)"));
        }
        if (!problems.isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparingInt((ConfigProblem p) -> p.location().line())
                    .thenComparingInt(p -> p.location().column()));
            throw new InvalidConfigException(sorted, reader.checkable().orElse(null));
        }
        return config;
    }
}
