package dev.ota.tuf.testing;

import dev.ota.tuf.crypto.SigningKey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed ed25519 test keys, derived from a name: the same name always gives the same key, and ed25519 signatures
 * are deterministic, so every repository a test builds has the same bytes on every run. Test-only: the seeds are
 * public by construction.
 */
public final class TestKeys {
    private static final Map<String, SigningKey> KEYS = new ConcurrentHashMap<>();

    private TestKeys() {
    }

    /** The ed25519 key called {@code name} (seed: SHA-256 of a fixed prefix and the name). */
    public static SigningKey ed25519(String name) {
        return KEYS.computeIfAbsent(name, TestKeys::derive);
    }

    private static SigningKey derive(String name) {
        try {
            byte[] seed = MessageDigest.getInstance("SHA-256")
                    .digest(("dev.ota.tuf.testing test key: " + name).getBytes(StandardCharsets.UTF_8));
            return SigningKey.fromPrivateKey(KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot build an Ed25519 key", e);
        }
    }
}
