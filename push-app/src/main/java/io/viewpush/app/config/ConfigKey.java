package io.viewpush.app.config;

import io.viewpush.app.config.ConfigReader.Ctx;
import io.viewpush.app.config.ConfigReader.Scalar;
import io.viewpush.app.config.Node.MapNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.ObjIntConsumer;

/**
 * One key of the config file, declared once in {@link ConfigKeys}: its name, the kind of value it
 * takes, its default and meaning as the README's configuration reference shows them, the builder
 * options it feeds, and how its value is read, checked and applied to the section's draft
 * ({@code D}, e.g. the push policy being built).
 *
 * @param <D> what the key's value is applied to
 * @param name           the key as written in the file
 * @param kind           the kind of value
 * @param requiredHint   present when the key is required: what to write, shown after "missing 'key'"
 * @param defaultText    the default, as the README shows it (markdown)
 * @param meaning        what the key means, as the README shows it (markdown)
 * @param builderOptions the options of the library's builders this key feeds, for mapping their
 *                       problems back to the key (the key's own name is always one)
 * @param section        for a map or a list of maps: the keys it holds
 * @param reader         reads, checks and applies the value
 * @param spec           the values the key takes and its default, for tools (the schema's test)
 */
record ConfigKey<D>(String name, Kind kind, Optional<String> requiredHint, String defaultText, String meaning,
                    List<String> builderOptions, Optional<Section<?>> section, Reader<D> reader, Spec spec) {

    /** The values a key takes and its default, as data. */
    sealed interface Spec {
        /** Nothing more than the kind says (text, lists, maps). */
        record Any() implements Spec {
        }

        /** A whole number from {@code min} to {@code max}. */
        record Range(int min, int max, int defaultValue) implements Spec {
        }

        /** A duration; more than zero when {@code positive}. */
        record Span(boolean positive, Duration defaultValue) implements Spec {
        }

        /** {@code true} or {@code false}. */
        record Flag(boolean defaultValue) implements Spec {
        }

        /** One of some words; the first is the default. */
        record Words(List<String> words) implements Spec {
        }
    }

    private static final Spec ANY = new Spec.Any();

    /** The kinds of value a key takes. */
    enum Kind {
        TEXT, WHOLE_NUMBER, DURATION, BOOLEAN, CHOICE, TEXT_LIST, MAP, SECTION, LIST_OF_SECTIONS
    }

    /** Reads a key's value from the map that holds it and applies it to the draft. */
    @FunctionalInterface
    interface Reader<D> {
        /**
         * @param r     the reader, for its values and problems
         * @param m     the map holding the key (the key may be absent)
         * @param c     where the map is
         * @param draft what the value is applied to
         */
        void read(ConfigReader r, MapNode m, Ctx c, D draft);
    }

    /** A scalar value that was found, with what is needed to report a problem at it. */
    record Found(Scalar scalar, ConfigReader reader, Ctx ctx, String key) {
        String text() {
            return scalar.text();
        }

        Location at() {
            return scalar.at();
        }

        /** Reports a problem at the value, under this key. */
        void problem(String message) {
            reader.problem(scalar.at(), ctx, key, message);
        }
    }

    ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(requiredHint, "requiredHint");
        Objects.requireNonNull(defaultText, "defaultText");
        Objects.requireNonNull(meaning, "meaning");
        builderOptions = List.copyOf(builderOptions);
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(spec, "spec");
    }

    /** @return whether the file must have the key (the README's default says "required") */
    boolean required() {
        return defaultText.equals(REQUIRED);
    }

    /** The default as the README shows a required key's. */
    static final String REQUIRED = "required";
    /** The default of an optional key without one. */
    static final String NONE = "none";

    // ------------------------------------------------------------------ kinds of keys

    /** A text value, checked and applied by {@code use}. */
    static <D> ConfigKey<D> text(String name, String defaultText, String meaning, BiConsumer<D, Found> use) {
        return new ConfigKey<>(name, Kind.TEXT, Optional.empty(), defaultText, meaning, List.of(), Optional.empty(),
                (r, m, c, d) -> r.text(m, name, c, false, s -> use.accept(d, new Found(s, r, c, name))), ANY);
    }

    /** A whole number from {@code min} to {@code max}. */
    static <D> ConfigKey<D> wholeNumber(String name, int min, int max, int defaultValue, String meaning,
                                        ObjIntConsumer<D> use) {
        return new ConfigKey<>(name, Kind.WHOLE_NUMBER, Optional.empty(), String.valueOf(defaultValue), meaning,
                List.of(), Optional.empty(), (r, m, c, d) -> r.integer(m, name, c, min, max, v -> use.accept(d, v)),
                new Spec.Range(min, max, defaultValue));
    }

    /** A duration; with {@code positive}, zero is refused. */
    static <D> ConfigKey<D> duration(String name, boolean positive, Duration defaultValue, String meaning,
                                     BiConsumer<D, Duration> use) {
        return new ConfigKey<>(name, Kind.DURATION, Optional.empty(), "`" + durationText(defaultValue) + "`",
                meaning, List.of(), Optional.empty(), (r, m, c, d) -> r.duration(m, name, c, positive,
                v -> use.accept(d, v)), new Spec.Span(positive, defaultValue));
    }

    /** A duration as the README writes a default: in whole days when it is some, else {@link Durations#format}. */
    static String durationText(Duration d) {
        long day = Duration.ofDays(1).toMillis();
        return !d.isZero() && d.toMillis() % day == 0 ? d.toMillis() / day + "d" : Durations.format(d);
    }

    /** {@code true} or {@code false}. */
    static <D> ConfigKey<D> bool(String name, boolean defaultValue, String meaning, BiConsumer<D, Boolean> use) {
        return new ConfigKey<>(name, Kind.BOOLEAN, Optional.empty(), String.valueOf(defaultValue), meaning, List.of(),
                Optional.empty(), (r, m, c, d) -> r.bool(m, name, c, v -> use.accept(d, v)), new Spec.Flag(defaultValue));
    }

    /** One word of a choice and what it means. */
    record Choice<V>(String word, String says, V value) {
    }

    /**
     * One of a few words (case does not matter); any other is refused with "'x' is not a {noun};
     * write a (…) or b (…)".
     */
    @SafeVarargs
    static <D, V> ConfigKey<D> choice(String name, String noun, String meaning, BiConsumer<D, V> use,
                                      Choice<V>... choices) {
        Map<String, Choice<V>> byWord = new LinkedHashMap<>();
        List<String> offered = new ArrayList<>();
        for (Choice<V> ch : choices) {
            byWord.put(ch.word(), ch);
            offered.add(ch.word() + " (" + ch.says() + ")");
        }
        String write = String.join(", ", offered.subList(0, offered.size() - 1)) + " or " + offered.get(offered.size() - 1);
        return new ConfigKey<>(name, Kind.CHOICE, Optional.empty(), "`" + choices[0].word() + "`", meaning, List.of(),
                Optional.empty(), (r, m, c, d) -> r.text(m, name, c, false, s -> {
                    Choice<V> ch = byWord.get(s.text().strip().toLowerCase(java.util.Locale.ROOT));
                    if (ch == null) {
                        r.problem(s.at(), c, name, "'" + s.text() + "' is not a " + noun + "; write " + write);
                    } else {
                        use.accept(d, ch.value());
                    }
                }), new Spec.Words(List.copyOf(byWord.keySet())));
    }

    /**
     * For a key its section's reader method reads in an order of its own (the file's sections: the
     * API keys need the views first; a view's name, which names the view in every other message).
     */
    static <D> Reader<D> readBySection() {
        return (r, m, c, d) -> { };
    }

    /** A key read by code of its own (lists, maps, values checked against each other). */
    static <D> ConfigKey<D> custom(String name, Kind kind, String defaultText, String meaning, Reader<D> reader) {
        return new ConfigKey<>(name, kind, Optional.empty(), defaultText, meaning, List.of(), Optional.empty(), reader,
                ANY);
    }

    /** A map of keys of its own, or a list of such maps. */
    static <D> ConfigKey<D> section(String name, Section<?> keys, String meaning, Reader<D> reader) {
        return new ConfigKey<>(name, keys.path().endsWith("[]") ? Kind.LIST_OF_SECTIONS : Kind.SECTION,
                Optional.empty(), NONE, meaning, List.of(), Optional.of(keys), reader, ANY);
    }

    // ------------------------------------------------------------------ refinements

    /**
     * @param hint what to write, after "missing 'key'" (e.g. {@code ": the table the view selects from"})
     * @return this key, required
     */
    ConfigKey<D> required(String hint) {
        ConfigKey<D> plain = this;
        Reader<D> checked = (r, m, c, d) -> {
            if (m.entry(name).filter(e -> !ConfigReader.isNull(e.value())).isEmpty()) {
                r.problem(m.entry(name).map(Node.Entry::keyLocation).orElse(m.location()), c, name,
                        "missing '" + name + "'" + hint);
                return;
            }
            plain.reader().read(r, m, c, d);
        };
        return new ConfigKey<>(name, kind, Optional.of(hint), REQUIRED, meaning, builderOptions, section, checked, spec);
    }

    /** @return this key with another default text for the README */
    ConfigKey<D> defaults(String text) {
        return new ConfigKey<>(name, kind, requiredHint, text, meaning, builderOptions, section, reader, spec);
    }

    /** @return this key, also answering for these builder options' problems */
    ConfigKey<D> feeds(String... options) {
        List<String> all = new ArrayList<>(builderOptions);
        all.addAll(List.of(options));
        return new ConfigKey<>(name, kind, requiredHint, defaultText, meaning, all, section, reader, spec);
    }

    /**
     * The keys of one map of the file.
     *
     * @param path where the map is, as the README writes it ({@code views[].push}); {@code ""} for the file
     * @param keys in the order messages ("Valid keys here: …") and the README list them
     */
    record Section<D>(String path, List<ConfigKey<D>> keys) {
        Section {
            keys = List.copyOf(keys);
        }

        @SafeVarargs
        static <D> Section<D> of(String path, ConfigKey<D>... keys) {
            return new Section<>(path, List.of(keys));
        }

        /** @return the keys' names, in order */
        List<String> names() {
            return keys.stream().map(ConfigKey::name).toList();
        }

        /** @return the key of that name */
        ConfigKey<D> key(String name) {
            return keys.stream().filter(k -> k.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no key '" + name + "' in '" + path + "'"));
        }

        /** @return the key that feeds the builder option, or the key of that name */
        Optional<ConfigKey<D>> keyForOption(String option) {
            return keys.stream().filter(k -> k.builderOptions().contains(option)).findFirst()
                    .or(() -> keys.stream().filter(k -> k.name().equals(option)).findFirst());
        }

        /** Reads every key of the section, in order, except those named. */
        void read(ConfigReader r, MapNode m, Ctx c, D draft, String... except) {
            List<String> skip = List.of(except);
            for (ConfigKey<D> k : keys) {
                if (!skip.contains(k.name())) {
                    k.reader().read(r, m, c, draft);
                }
            }
        }
    }
}
