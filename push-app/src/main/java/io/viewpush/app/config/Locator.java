package io.viewpush.app.config;

import java.util.HashMap;
import java.util.Map;

/** Remembers where each view and each of its keys was written, to place problems found later. */
final class Locator {
    private final String file;
    private final Map<String, Map<String, Location>> views = new HashMap<>();

    Locator(String file) {
        this.file = file;
    }

    void put(String view, String key, Location at) {
        views.computeIfAbsent(view, v -> new HashMap<>()).putIfAbsent(key, at);
    }

    /**
     * @param key a key in config terms ({@code push.stamp}, {@code fields.id}, {@code filters[2]})
     * @return where it was written, or where its nearest enclosing key or the view was
     */
    Location locate(String view, String key) {
        Map<String, Location> keys = views.get(view);
        if (keys == null) {
            return Location.of(file);
        }
        String k = key;
        while (!k.isEmpty()) {
            Location at = keys.get(k);
            if (at != null) {
                return at;
            }
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            k = cut < 0 ? "" : k.substring(0, cut);
        }
        return keys.getOrDefault("", Location.of(file));
    }
}
