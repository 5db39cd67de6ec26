package dev.ota.tuf.crypto;

import dev.ota.tuf.metadata.Key;

import java.util.HexFormat;

/**
 * Checks one signature with a key as TUF metadata lists it. Supported: {@code ed25519}; {@code ecdsa} (or legacy
 * keytype {@code ecdsa-sha2-nistp256}) with scheme {@code ecdsa-sha2-nistp256}, public key PEM or a hex
 * uncompressed point, DER signature over SHA-256; {@code rsa} with {@code rsassa-pss-sha256}, PEM, at least 2048
 * bits, any salt length. Parsed keys are cached (bounded), so repeated checks with one key pay parsing once.
 * Thread-safe.
 */
public final class Verifier {
    private Verifier() {
    }

    /**
     * Whether {@code sigHex} is a valid signature by {@code key} over {@code data}. Never throws: an unknown key
     * type or scheme, an unparsable key or a malformed signature is simply not a valid signature.
     */
    public static boolean verify(Key key, byte[] data, String sigHex) {
        if (key == null || data == null || sigHex == null || sigHex.isEmpty() || sigHex.length() % 2 != 0) {
            return false;
        }
        try {
            byte[] sig = HexFormat.of().parseHex(sigHex);
            return PublicKeys.parse(key).verify(data, sig);
        } catch (RuntimeException e) {
            // Non-hex input, or a BouncyCastle range check on hostile values: not a valid signature.
            return false;
        }
    }
}
