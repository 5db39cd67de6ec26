package dev.ota.tuf.repository;

/**
 * A key was offered to sign a role that does not authorise it (e.g. the old timestamp key after a rotation).
 * Refused rather than ignored: a key should sign only what it is trusted for.
 */
public final class SigningKeyNotAuthorisedException extends RepositoryEditException {
    private final String role;
    private final String keyId;

    public SigningKeyNotAuthorisedException(String role, String keyId) {
        super("key " + keyId + " is not authorised to sign " + role);
        this.role = role;
        this.keyId = keyId;
    }

    public String role() { return role; }
    public String keyId() { return keyId; }
}
