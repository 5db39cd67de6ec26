package dev.ota.tuf;

/** The same key id appears twice where ids must be distinct (signatures, a role's keyids). */
public final class DuplicateKeyIdException extends RepositoryException {
    private final String role;
    private final String keyId;

    public DuplicateKeyIdException(String role, String keyId) {
        super(role + ": key id " + keyId + " appears more than once");
        this.role = role;
        this.keyId = keyId;
    }

    public String role() { return role; }
    public String keyId() { return keyId; }
}
