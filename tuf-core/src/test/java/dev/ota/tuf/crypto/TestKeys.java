package dev.ota.tuf.crypto;

import java.util.EnumMap;
import java.util.Map;

/** Generated keys shared by the tests of this package: a 3072-bit RSA key takes about a second to make. */
final class TestKeys {
    private static final Map<KeyType, SigningKey> FIRST = new EnumMap<>(KeyType.class);
    private static final Map<KeyType, SigningKey> SECOND = new EnumMap<>(KeyType.class);

    private TestKeys() {
    }

    static synchronized SigningKey key(KeyType type) {
        return FIRST.computeIfAbsent(type, SigningKey::generate);
    }

    /** A second key of the same type, for "signed by someone else" cases. */
    static synchronized SigningKey other(KeyType type) {
        return SECOND.computeIfAbsent(type, SigningKey::generate);
    }
}
