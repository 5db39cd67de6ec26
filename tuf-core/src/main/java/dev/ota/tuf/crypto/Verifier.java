package dev.ota.tuf.crypto;

import dev.ota.tuf.metadata.Key;

/** Checks one signature. Being implemented now (crypto helper); see SigningKey. */
public final class Verifier {
    private Verifier() {
    }

    /**
     * Whether {@code sigHex} is a valid signature by {@code key} over {@code data}. Never throws: an unknown key
     * type or scheme, an unparsable key or a malformed signature is simply not a valid signature.
     */
    public static boolean verify(Key key, byte[] data, String sigHex) {
        throw new UnsupportedOperationException("crypto helper implements this");
    }
}
