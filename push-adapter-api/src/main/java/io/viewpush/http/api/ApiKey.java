package io.viewpush.http.api;

import java.util.List;
import java.util.Objects;

/**
 * One API key as the config gives it: who it is, the secret it presents, which views it may see and
 * whether it may also push and read the journal.
 *
 * <p>The server keeps only the SHA-256 hash of {@link #key()}: {@link ApiServer.Builder#key(ApiKey)}
 * hashes it at once and never stores this record, and {@link #toString()} never shows the key. A
 * key must be at least {@link #MIN_KEY_LENGTH} visible ASCII characters without spaces (it travels
 * in the {@code Authorization} header); {@link ApiServer.Builder#build()} names the key (by its
 * {@link #name()}) that is not.
 *
 * @param name  who the key belongs to, e.g. {@code partner-a}; shown in logs instead of the key
 * @param key   the secret itself
 * @param views the names of the views this key may see, or {@code ["*"]} ({@link #ALL_VIEWS}) for
 *              every view; names must exist in the engine
 * @param admin true when the key may also trigger pushes ({@code POST /api/views/{view}/push}) and
 *              read the journal ({@code GET /api/views/{view}/pushes}), for the views it may see
 */
public record ApiKey(String name, String key, List<String> views, boolean admin) {
    /** The view name that stands for every view. */
    public static final String ALL_VIEWS = "*";
    /** The shortest key accepted: 16 characters. */
    public static final int MIN_KEY_LENGTH = 16;

    /** Copies the views; name, key and views must not be null (everything else is checked by the builder). */
    public ApiKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        views = List.copyOf(Objects.requireNonNull(views, "views"));
    }

    /**
     * @param name  who the key belongs to
     * @param key   the secret
     * @param admin whether it may also push and read the journal
     * @return a key that may see every view
     */
    public static ApiKey allViews(String name, String key, boolean admin) {
        return new ApiKey(name, key, List.of(ALL_VIEWS), admin);
    }

    /** @return true when {@link #views()} holds {@link #ALL_VIEWS} */
    public boolean seesAllViews() {
        return views.contains(ALL_VIEWS);
    }

    /** @return the key's name, views and admin flag; never the key */
    @Override
    public String toString() {
        return "ApiKey[name=" + name + ", key=(hidden), views=" + views + ", admin=" + admin + "]";
    }
}
