package io.viewpush.http.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">}, one
 * per key, space-separated. The body is read from the spool file, once per attempt for all keys,
 * so the signature covers exactly the bytes that are sent.
 */
final class Signer {
    static final String SECRET_PREFIX = "whsec_";
    private static final String ALGORITHM = "HmacSHA256";

    private final List<SecretKeySpec> keys;

    private Signer(List<SecretKeySpec> keys) {
        this.keys = keys;
    }

    /**
     * @param viewName for messages
     * @param secrets  the policy's secrets
     * @return a signer, or empty when there is no secret
     * @throws InvalidPolicyException when a {@code whsec_} secret is not valid base64 or is empty
     */
    static Optional<Signer> of(String viewName, List<String> secrets) {
        if (secrets.isEmpty()) {
            return Optional.empty();
        }
        List<SecretKeySpec> keys = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            keys.add(new SecretKeySpec(keyBytes(viewName, i + 1, secrets.get(i)), ALGORITHM));
        }
        return Optional.of(new Signer(List.copyOf(keys)));
    }

    static byte[] keyBytes(String viewName, int number, String secret) {
        byte[] key;
        if (secret.startsWith(SECRET_PREFIX)) {
            try {
                key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new InvalidPolicyException("view '" + viewName + "': push.secret #" + number
                        + " starts with " + SECRET_PREFIX + " but the rest is not valid base64 (" + e.getMessage() + ")");
            }
        } else {
            key = secret.getBytes(StandardCharsets.UTF_8);
        }
        if (key.length == 0) {
            throw new InvalidPolicyException("view '" + viewName + "': push.secret #" + number + " gives an empty key");
        }
        return key;
    }

    /** @return the {@code webhook-signature} header value for one attempt */
    String sign(String webhookId, long timestamp, InputStream body) throws IOException {
        List<Mac> macs = new ArrayList<>(keys.size());
        byte[] prefix = (webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        try {
            for (SecretKeySpec k : keys) {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(k);
                mac.update(prefix);
                macs.add(mac);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot compute " + ALGORITHM, e);
        }
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = body.read(buffer)) >= 0) {
            for (Mac mac : macs) {
                mac.update(buffer, 0, n);
            }
        }
        StringBuilder header = new StringBuilder();
        for (Mac mac : macs) {
            if (header.length() > 0) {
                header.append(' ');
            }
            header.append("v1,").append(Base64.getEncoder().encodeToString(mac.doFinal()));
        }
        return header.toString();
    }
}
