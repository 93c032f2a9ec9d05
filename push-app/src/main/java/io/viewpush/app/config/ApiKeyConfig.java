package io.viewpush.app.config;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code api.keys}: a client of the HTTP API.
 *
 * @param name  a name for logs and the journal (never the key)
 * @param key   the secret the client sends in {@code Authorization}; never printed
 * @param views the views it may use; {@code *} is every view
 * @param admin admin keys may also trigger pushes and read the journal; default false
 */
public record ApiKeyConfig(String name, String key, List<String> views, boolean admin) {
    /** The view name that stands for every view. */
    public static final String ALL_VIEWS = "*";

    public ApiKeyConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        views = List.copyOf(views);
    }

    /** @return whether this key may use the view */
    public boolean allows(String view) {
        return views.contains(ALL_VIEWS) || views.contains(view);
    }

    @Override
    public String toString() {
        return "ApiKey[" + name + ", views=" + views + ", admin=" + admin + "]";
    }
}
