package io.viewpush.http.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The configured keys, held only as SHA-256 hashes, and the check of a presented key: the presented
 * key is hashed and compared with every stored hash in constant time (no early exit), so neither
 * the key nor which entry matched can be learned from timing.
 */
final class KeyRing {
    private static final String BEARER = "bearer";

    private final List<Entry> entries;

    KeyRing(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * A key as the server keeps it.
     *
     * @param name      the key's name
     * @param hash      SHA-256 of the key's UTF-8 bytes
     * @param allViews  true when the key may see every view
     * @param views     the views it may see otherwise
     * @param admin     whether it may push and read the journal
     */
    record Entry(String name, byte[] hash, boolean allViews, Set<String> views, boolean admin) {
        Entry {
            hash = hash.clone();
            views = Set.copyOf(views);
        }

        Caller caller() {
            return new Caller(name, allViews, views, admin);
        }
    }

    /** Who is calling: a known key's name and rights. */
    record Caller(String name, boolean allViews, Set<String> views, boolean admin) {
        boolean maySee(String view) {
            return allViews || views.contains(view);
        }
    }

    int size() {
        return entries.size();
    }

    /**
     * @param authorization the {@code Authorization} header's value: {@code Bearer <key>} or the bare key
     * @return the caller whose key it is, if any
     */
    Optional<Caller> authenticate(String authorization) {
        String presented = presentedKey(authorization);
        if (presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        Entry match = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash, hash) && match == null) {
                match = e;
            }
        }
        return Optional.ofNullable(match).map(Entry::caller);
    }

    static String presentedKey(String authorization) {
        String value = authorization.strip();
        if (value.length() > BEARER.length() && value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)
                && Character.isWhitespace(value.charAt(BEARER.length()))) {
            return value.substring(BEARER.length()).strip();
        }
        return value;
    }

    /**
     * @param hash          the SHA-256 of the one key accepted
     * @param authorization the {@code Authorization} header's value: {@code Bearer <key>} or the bare key
     * @return whether it carries that key (compared in constant time)
     */
    static boolean matches(byte[] hash, String authorization) {
        return java.security.MessageDigest.isEqual(hash, sha256(presentedKey(authorization)));
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** @return what is wrong with a key's text, if anything (never quoting it) */
    static Optional<String> problemWith(String key) {
        if (key.length() < ApiKey.MIN_KEY_LENGTH) {
            return Optional.of("the key must be at least " + ApiKey.MIN_KEY_LENGTH + " characters long, not "
                    + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return Optional.of("the key must be visible ASCII characters without spaces (it is sent in the"
                        + " Authorization header); character " + (i + 1) + " is not");
            }
        }
        return Optional.empty();
    }
}
