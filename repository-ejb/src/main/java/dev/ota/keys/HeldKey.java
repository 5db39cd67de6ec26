package dev.ota.keys;

import java.time.Instant;

/**
 * One key a keystore holds, as a key list shows it: the role it signs, its TUF key id, key type and scheme, when it
 * was stored (null if the keystore does not say), and its custody: {@code pkcs12} (the keystore file) or
 * {@code pkcs11 token <label>}. Never the key itself.
 */
public record HeldKey(String role, String keyId, String keyType, String scheme, Instant created, String custody) {
}
