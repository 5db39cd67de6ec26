package dev.ota.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers, for a minute, that a password matched its stored hash, so that a CI pipeline sending
 * Basic credentials on every call does not pay 600,000 PBKDF2 rounds each time. Keys are an HMAC
 * under a random per-process key over user, password and stored hash: nothing here reveals a
 * password, and a password change (new stored hash) invalidates the entry by itself.
 */
final class VerifiedPasswords {
    private static final long TTL_NANOS = 60L * 1_000_000_000L;
    private static final int MAX_ENTRIES = 1000;
    private static final byte[] KEY = new byte[32];

    static {
        new SecureRandom().nextBytes(KEY);
    }

    private static final Map<String, Long> VERIFIED = new ConcurrentHashMap<>();

    private VerifiedPasswords() {
    }

    static boolean recentlyVerified(String username, char[] password, String storedHash) {
        Long until = VERIFIED.get(key(username, password, storedHash));
        return until != null && System.nanoTime() - until < 0;
    }

    static void remember(String username, char[] password, String storedHash) {
        if (VERIFIED.size() >= MAX_ENTRIES) {
            long now = System.nanoTime();
            for (Iterator<Long> it = VERIFIED.values().iterator(); it.hasNext(); ) {
                if (now - it.next() >= 0) {
                    it.remove();
                }
            }
            if (VERIFIED.size() >= MAX_ENTRIES) {
                VERIFIED.clear();
            }
        }
        VERIFIED.put(key(username, password, storedHash), System.nanoTime() + TTL_NANOS);
    }

    private static String key(String username, char[] password, String storedHash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password)));
            mac.update((byte) 0);
            mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks HmacSHA256", e);
        }
    }
}
