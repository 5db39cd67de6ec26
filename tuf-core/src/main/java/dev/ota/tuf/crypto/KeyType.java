package dev.ota.tuf.crypto;

import java.util.Optional;

/**
 * The key types tuf-core signs and verifies with, and the {@code keytype}/{@code scheme} strings TUF metadata
 * uses for them. {@link #ED25519} is the default for new keys.
 */
public enum KeyType {
    /** Raw 32-byte public key as 64 hex characters. */
    ED25519("ed25519", "ed25519"),
    /** NIST P-256 with SHA-256, DER signatures; public key as PEM SubjectPublicKeyInfo. */
    ECDSA_P256("ecdsa", "ecdsa-sha2-nistp256"),
    /**
     * RSASSA-PSS with SHA-256 and MGF1-SHA-256; public key as PEM SubjectPublicKeyInfo. New keys are 3072 bits
     * (securesystemslib's default); verification accepts any size from 2048 bits and any salt length.
     */
    RSA_PSS("rsa", "rsassa-pss-sha256");

    public static final KeyType DEFAULT = ED25519;

    private final String keyType;
    private final String scheme;

    KeyType(String keyType, String scheme) {
        this.keyType = keyType;
        this.scheme = scheme;
    }

    /** The {@code keytype} string written into new keys. */
    public String keyType() {
        return keyType;
    }

    public String scheme() {
        return scheme;
    }

    /**
     * The key type a metadata key names, if tuf-core supports it. Besides the strings written by {@link #keyType()},
     * keytype {@code ecdsa-sha2-nistp256} is accepted: older python-tuf and Sigstore's first roots use it.
     */
    public static Optional<KeyType> of(String keyType, String scheme) {
        if (keyType == null || scheme == null) return Optional.empty();
        return switch (scheme) {
            case "ed25519" -> keyType.equals("ed25519") ? Optional.of(ED25519) : Optional.empty();
            case "ecdsa-sha2-nistp256" -> keyType.equals("ecdsa") || keyType.equals("ecdsa-sha2-nistp256")
                    ? Optional.of(ECDSA_P256) : Optional.empty();
            case "rsassa-pss-sha256" -> keyType.equals("rsa") ? Optional.of(RSA_PSS) : Optional.empty();
            default -> Optional.empty();
        };
    }
}
